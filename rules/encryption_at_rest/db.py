"""Encryption at rest for managed database instances and clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_database_storage_encrypted
from scanner.kinds.database import DatabaseCluster, DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-DB-01",
    title="Database storage is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(DatabaseInstance.KIND, DatabaseCluster.KIND),
    providers=("aws", "gcp"),
)
def db_instance_storage_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database holding ePHI must encrypt its storage.

    Encryption at rest keeps disks, snapshots and backups taken from the storage layer from
    exposing ePHI in clear text. A cluster's shared storage holds the ePHI of every instance
    in it, so clusters are judged too.
    """
    if isinstance(resource.props, DatabaseCluster):
        cluster: DatabaseCluster = resource.props
        return judge_database_storage_encrypted(
            cluster.encrypted_at_rest,
            subject=f"Database cluster {resource.name}",
            evidence={
                "encrypted_at_rest": cluster.encrypted_at_rest,
                "kms_key_id": cluster.kms_key_id,
            },
        )
    props: DatabaseInstance = resource.props
    evidence: dict[str, JSONValue] = {
        "encrypted_at_rest": props.encrypted_at_rest,
        "kms_key_id": props.kms_key_id,
        "cluster_uid": props.cluster_uid,
    }
    return judge_database_storage_encrypted(
        props.encrypted_at_rest, subject=f"Database instance {resource.name}", evidence=evidence
    )
