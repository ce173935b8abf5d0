"""Cloud SQL only: PHI instances are encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-DB-02",
    title="PHI Cloud SQL instance is encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(DatabaseInstance.KIND,),
    providers=("gcp",),
)
def cloud_sql_cmek(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A customer-managed key lets the covered entity control, audit and revoke decryption.

    Cloud SQL always encrypts storage; with Google-managed keys the organization cannot
    revoke access to the data or separate its decryptions in the audit log.
    """
    del ctx
    props: DatabaseInstance = resource.props
    if props.gcp is None:
        return Verdict.not_applicable("not a Cloud SQL instance")
    name = f"Cloud SQL instance {resource.name}"
    if props.kms_key_id is None:
        return Verdict.unknown(f"{name}: its encryption key could not be read.", kms_key_id=None)
    if props.kms_key_id:
        return Verdict.passed(
            f"{name} is encrypted with {props.kms_key_id}.", kms_key_id=props.kms_key_id
        )
    return Verdict.fail(f"{name} uses Google-managed encryption keys only.", kms_key_id="")
