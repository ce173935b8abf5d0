"""Encryption at rest for managed database clusters (Aurora, Multi-AZ DB clusters)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_database_storage_encrypted
from scanner.kinds.database import DatabaseCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-DBCLUSTER-01",
    title="Database cluster storage is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(DatabaseCluster.KIND,),
    providers=("aws",),
)
def dbcluster_storage_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database cluster's shared storage holds the ePHI of every instance in it.

    It must be encrypted at rest so storage, snapshots and backups never hold it in clear
    text.
    """
    props: DatabaseCluster = resource.props
    evidence: dict[str, JSONValue] = {
        "encrypted_at_rest": props.encrypted_at_rest,
        "kms_key_id": props.kms_key_id,
    }
    return judge_database_storage_encrypted(
        props.encrypted_at_rest, subject=f"Database cluster {resource.name}", evidence=evidence
    )
