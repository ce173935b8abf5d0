"""Log groups that may hold ePHI must be encrypted with a KMS key the organisation controls."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.monitoring import LogGroup
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-LOGGROUP-01",
    title="Log group is encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(LogGroup.KIND,),
    providers=("aws",),
)
def loggroup_kms_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Application and audit logs often capture ePHI (request bodies, identifiers, dumps).

    The log service encrypts stored events with a key it owns, but only a key the
    organisation controls lets it restrict who can decrypt the logs, audit every decryption
    and make the data unreadable by disabling the key.
    """
    props: LogGroup = resource.props
    if props.kms_encrypted is None:
        return Verdict.unknown(
            f"Log group {resource.name}: its encryption settings could not be read.",
            kms_key_id=None,
        )
    if not props.kms_encrypted:
        return Verdict.fail(
            f"Log group {resource.name} is not encrypted with a customer-managed key "
            "(only the service-owned key applies).",
            kms_key_id=None,
        )
    return Verdict.passed(
        f"Log group {resource.name} is encrypted with key {props.kms_key_id}.",
        kms_key_id=props.kms_key_id,
    )
