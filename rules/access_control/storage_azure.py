"""Access control for Azure storage accounts: shared-key (account key) authorisation."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, UNIQUE_USER_IDENTIFICATION
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-AZSTORAGE-01",
    title="Storage account refuses shared-key authorisation",
    severity=Severity.LOW,
    concern=Concern.ACCESS_CONTROL,
    citations=[ACCESS_CONTROL, UNIQUE_USER_IDENTIFICATION],
    kinds=[Bucket.KIND],
    providers=("azure",),
)
def storage_shared_key_disabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Account keys and the SAS tokens signed with them identify no user.

    Requests authorised by Microsoft Entra ID name who read or changed ePHI; shared-key
    requests only prove someone held the key. An unset allowSharedKeyAccess allows keys.
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    allowed = detail.allow_shared_key_access
    if allowed is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its shared-key setting could not be read."
        )
    if allowed:
        return Verdict.fail(
            f"Storage account {resource.name} accepts shared-key (account key and SAS) requests.",
            allow_shared_key_access=True,
        )
    return Verdict.passed(
        f"Storage account {resource.name} accepts Entra ID authorisation only.",
        allow_shared_key_access=False,
    )
