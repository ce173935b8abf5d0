"""Encryption at rest for managed database clusters (Aurora, Multi-AZ DB clusters)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_database_storage_encrypted
from scanner.kinds.database import DatabaseCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-DBCLUSTER-01",
    title="Database cluster storage is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(DatabaseCluster.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "An existing cluster cannot be encrypted in place. Take a cluster snapshot, "
                "restore it to a new cluster with encryption enabled and a KMS key, add "
                "instances, and move clients to the new cluster endpoint."
            ),
            cli=(
                "aws rds create-db-cluster-snapshot --db-cluster-identifier CLUSTER "
                "--db-cluster-snapshot-identifier CLUSTER-plain\n"
                "aws rds restore-db-cluster-from-snapshot --db-cluster-identifier "
                "CLUSTER-encrypted --snapshot-identifier CLUSTER-plain --engine ENGINE "
                "--kms-key-id alias/aws/rds"
            ),
            terraform=(
                'resource "aws_rds_cluster" "phi" {\n'
                "  storage_encrypted = true\n"
                "  kms_key_id        = aws_kms_key.phi.arn\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
        )
    },
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
