"""Azure subscriptions: the activity log exported, Defender for Cloud plans enabled."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, LOGIN_MONITORING, MALICIOUS_SOFTWARE
from scanner.kinds.azure import AzureSubscription
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

ACTIVITY_CATEGORIES = ("Administrative", "Security", "Policy")
GROUPS = ("allLogs", "audit")


@rule(
    id="LOG-AZACTIVITY-01",
    title="Subscription exports its activity log",
    severity=Severity.HIGH,
    concern=Concern.AUDIT_LOGGING,
    citations=[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    kinds=[AzureSubscription.KIND],
    providers=("azure",),
    phi_scoped=False,
)
def activity_log_exported(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The activity log records every control-plane change but Azure keeps it 90 days only.

    A subscription diagnostic setting must send the Administrative, Security and Policy
    categories (or the allLogs / audit group) to a destination.
    """
    props: AzureSubscription = resource.props
    found = props.activity_log_categories
    if found is None:
        return Verdict.unknown(
            f"Subscription {resource.name}: its diagnostic settings could not be read."
        )
    lowered = {name.lower() for name in found}
    missing = [c for c in ACTIVITY_CATEGORIES if c.lower() not in lowered]
    if not missing or any(g.lower() in lowered for g in GROUPS):
        return Verdict.passed(
            f"Subscription {resource.name} exports its activity log.", exported=list(found)
        )
    return Verdict.fail(
        f"Subscription {resource.name} does not export activity-log categories "
        f"{', '.join(missing)}.",
        exported=list(found),
        missing=list[JSONValue](missing),
    )


@rule(
    id="LOG-AZDEFENDER-01",
    title="Defender for Cloud protects storage, SQL and servers",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=[ACTIVITY_REVIEW, MALICIOUS_SOFTWARE, LOGIN_MONITORING],
    kinds=[AzureSubscription.KIND],
    providers=("azure",),
    phi_scoped=False,
    params={"plans": ["StorageAccounts", "SqlServers", "VirtualMachines"]},
)
def defender_plans_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Defender for Cloud detects malware uploads, SQL injection and unusual access to ePHI.

    Each plan named in the parameter `plans` must be on the Standard tier.
    """
    props: AzureSubscription = resource.props
    if props.defender_plans is None:
        return Verdict.unknown(
            f"Subscription {resource.name}: its Defender for Cloud plans could not be read."
        )
    tiers = {plan.name.lower(): plan.tier for plan in props.defender_plans}
    wanted = [str(p) for p in ctx.param("plans")]
    off = [p for p in wanted if tiers.get(p.lower(), "Free").lower() != "standard"]
    if off:
        return Verdict.fail(
            f"Subscription {resource.name} has Defender plans off: {', '.join(off)}.",
            off=list[JSONValue](off),
        )
    return Verdict.passed(
        f"Subscription {resource.name} has Defender plans on: {', '.join(wanted)}.", off=[]
    )
