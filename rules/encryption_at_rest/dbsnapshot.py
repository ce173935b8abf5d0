"""Encryption at rest for manual database snapshots."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE
from rules.support import judge_encrypted
from scanner.kinds.database import DatabaseSnapshot
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-DBSNAPSHOT-01",
    title="Database snapshot is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE),
    kinds=(DatabaseSnapshot.KIND,),
    providers=("aws",),
)
def dbsnapshot_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database snapshot is a full copy of the data, ePHI included.

    An unencrypted one can be copied, shared or restored without any key control.
    """
    props: DatabaseSnapshot = resource.props
    evidence: dict[str, JSONValue] = {
        "encrypted_at_rest": props.encrypted_at_rest,
        "kms_key_id": props.kms_key_id,
        "source_uid": props.source_uid,
    }
    return judge_encrypted(
        props.encrypted_at_rest,
        subject=f"Database snapshot {resource.name}",
        unknown="whether it is encrypted could not be read",
        evidence=evidence,
    )
