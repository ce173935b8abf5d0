"""Encryption at rest for data warehouse clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.database import DatabaseWarehouse
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-WAREHOUSE-01",
    title="Data warehouse cluster is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(DatabaseWarehouse.KIND,),
    providers=("aws",),
)
def warehouse_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Warehouses aggregate large volumes of ePHI for analytics.

    Their storage, backups and snapshots must be encrypted at rest.
    """
    props: DatabaseWarehouse = resource.props
    evidence: dict[str, JSONValue] = {
        "encrypted_at_rest": props.encrypted_at_rest,
        "kms_key_id": props.kms_key_id,
    }
    subject = f"Data warehouse {resource.name}"
    return judge_flag(
        props.encrypted_at_rest,
        passed=f"{subject} is encrypted at rest.",
        failed=f"{subject} is not encrypted at rest.",
        unknown=f"{subject}: whether it is encrypted could not be read.",
        evidence=evidence,
    )
