"""Key-value tables holding ePHI are encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, ENCRYPTION_AND_DECRYPTION
from rules.support import key_state_failure
from scanner.kinds.nosql import Table, TableKeyType
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-TABLE-01",
    title="Table is encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, ACCESS_CONTROL),
    kinds=(Table.KIND,),
    providers=("aws",),
)
def dynamodb_customer_managed_key(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A table service may always encrypt at rest, but a provider-owned key is not yours.

    With such keys the organisation cannot restrict, revoke or audit who may decrypt ePHI;
    a customer-managed key puts that under its own key policy.
    """
    key_type = resource.props.key_type
    key_arn = resource.props.kms_key_arn
    if key_type is None:
        return Verdict.unknown(
            f"Table {resource.name}: its encryption key could not be classified "
            "(table description or key aliases unreadable).",
            kms_key_arn=key_arn,
        )
    if key_type is not TableKeyType.CUSTOMER_MANAGED:
        return Verdict.fail(
            f"Table {resource.name} is encrypted with an {key_type.value} key, not a "
            "customer-managed key.",
            key_type=key_type.value,
            kms_key_arn=key_arn,
        )
    unusable = key_state_failure(
        ctx, key_arn, f"Table {resource.name}", key_type=key_type.value, kms_key_arn=key_arn
    )
    if unusable is not None:
        return unusable
    return Verdict.passed(
        f"Table {resource.name} is encrypted with customer-managed key {key_arn}.",
        key_type=key_type.value,
        kms_key_arn=key_arn,
    )
