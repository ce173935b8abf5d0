"""Google Cloud only: user-managed service-account keys are rotated."""

from __future__ import annotations

from typing import Any

from rules.hipaa import PASSWORD_MANAGEMENT, PERSON_AUTHENTICATION
from scanner.kinds.gcp import ServiceAccount
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-SERVICEKEY-01",
    title="Service account has no user-managed key older than the maximum age",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(PERSON_AUTHENTICATION, PASSWORD_MANAGEMENT),
    kinds=(ServiceAccount.KIND,),
    providers=("gcp",),
    phi_scoped=False,
    params={"max_key_age_days": 90},
)
def service_account_keys_rotated(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A long-lived private key is a password that never expires and is easily copied.

    Every enabled user-managed key must be younger than the maximum age; Google-managed
    keys rotate on their own and are not listed.
    """
    account: ServiceAccount = resource.props
    maximum = int(ctx.param("max_key_age_days"))
    keys = account.user_managed_keys
    if keys is None:
        return Verdict.unknown(
            f"{account.email}: its keys could not be listed.", max_key_age_days=maximum
        )
    active = [k for k in keys if not k.disabled]
    unknown = [k.key_id for k in active if k.age_days is None]
    old = [
        f"{k.key_id} ({k.age_days} days)"
        for k in active
        if k.age_days is not None and k.age_days > maximum
    ]
    evidence: dict[str, JSONValue] = {
        "keys": [
            {"key_id": k.key_id, "age_days": k.age_days, "disabled": k.disabled} for k in keys
        ],
        "max_key_age_days": maximum,
    }
    if old:
        return Verdict.fail(
            f"{account.email} has user-managed keys older than {maximum} days: {', '.join(old)}.",
            **evidence,
        )
    if unknown:
        return Verdict.unknown(
            f"{account.email}: the age of key(s) {', '.join(unknown)} could not be read.",
            **evidence,
        )
    if not active:
        return Verdict.passed(f"{account.email} has no active user-managed key.", **evidence)
    return Verdict.passed(
        f"{account.email}'s user-managed keys are at most {maximum} days old.", **evidence
    )
