"""CloudTrail delivery to CloudWatch Logs, and alarms on the security events it carries.

All account-level (`phi_scoped=False`), judged on the account's audit-coverage singleton:
the multi-region trails of the account name the log groups that receive its events, and
the `monitoring.log_alerting` singleton of each log group's region says which metric
filters (by what their patterns match) feed which alarms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, INCIDENT_PROCEDURES, LOGIN_MONITORING
from scanner.kinds.logging import AuditCoverage, Trail
from scanner.kinds.monitoring_edge import NETWORK_CHANGES, LogAlerting, SecurityEvent
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


def _trails_unread(resource: Resource[Any]) -> bool:
    """True when a region's trails could not all be listed or read (coverage unknown)."""
    coverage: AuditCoverage = resource.props
    return any(rc.multi_region_trail is None for rc in coverage.regions)


def _multi_region_trails(resource: Resource[Any], ctx: RuleContext) -> list[Resource[Trail]]:
    return [
        t
        for t in ctx.of_kind(Trail.KIND, resource.account)
        if t.props.multi_region and t.props.logging is not False
    ]


@rule(
    id="LOG-TRAIL-06",
    title="A multi-region CloudTrail trail delivers to CloudWatch Logs",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, LOGIN_MONITORING),
    kinds=(AuditCoverage.KIND,),
    providers=("aws",),
    phi_scoped=False,
    params={"max_delivery_age_hours": 24},
)
def trail_delivers_to_cloudwatch(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Trail events in CloudWatch Logs can raise alarms in minutes, not at the next audit.

    Log files in S3 are kept but nobody is told; delivered to a log group, metric filters
    and alarms can react to root use, failed sign-ins and permission changes. The latest
    delivery must be recent (`max_delivery_age_hours`): a broken delivery role stops it
    silently.
    """
    limit = int(ctx.param("max_delivery_age_hours"))
    trails = _multi_region_trails(resource, ctx)
    evidence: list[JSONValue] = [
        {
            "trail": t.uid,
            "log_group": t.props.cloudwatch_log_group,
            "delivery_age_hours": t.props.cloudwatch_delivery_age_hours,
        }
        for t in trails
    ]
    subject = f"Account {resource.account}"
    fresh = [
        t
        for t in trails
        if t.props.logging
        and t.props.cloudwatch_log_group
        and t.props.cloudwatch_delivery_age_hours is not None
        and t.props.cloudwatch_delivery_age_hours <= limit
    ]
    if fresh:
        return Verdict.passed(
            f"{subject}: trail {fresh[0].name} delivers to {fresh[0].props.cloudwatch_log_group} "
            f"({fresh[0].props.cloudwatch_delivery_age_hours} h ago).",
            trails=evidence,
            max_delivery_age_hours=limit,
        )
    if _trails_unread(resource) or any(
        t.props.cloudwatch_log_group is None or t.props.logging is None for t in trails
    ):
        return Verdict.unknown(
            f"{subject}: whether its multi-region trails deliver to CloudWatch Logs could not "
            "be read.",
            trails=evidence,
            max_delivery_age_hours=limit,
        )
    if not trails:
        what = "no logging multi-region trail"
    elif any(t.props.cloudwatch_log_group for t in trails):
        what = f"no multi-region trail delivered to CloudWatch Logs in the last {limit} h"
    else:
        what = "no multi-region trail delivers to CloudWatch Logs"
    return Verdict.fail(f"{subject}: {what}.", trails=evidence, max_delivery_age_hours=limit)


@dataclass(frozen=True)
class _GroupAlerts:
    """What one log group's alarms catch: covered events, or why it is unknown."""

    log_group: str
    covered: frozenset[SecurityEvent]
    unknown: str | None
    evidence: dict[str, JSONValue]


def _group_alerts(
    log_group: str, ctx: RuleContext, wanted: Sequence[SecurityEvent]
) -> _GroupAlerts:
    # Only the log group's own account can hold its region's alerting (an ARN's fifth
    # field): asking for the kind across the organization would scan every account's
    # regions once per account.
    fields = log_group.split(":")
    account = fields[4] if len(fields) > 5 and fields[4] else None
    regions = [
        r
        for r in ctx.of_kind(LogAlerting.KIND, account)
        if log_group.startswith(r.props.log_group_prefix)
    ]
    if not regions:
        why = "its region or account was not scanned for metric filters and alarms"
        return _GroupAlerts(log_group, frozenset(), why, {})
    alerting: LogAlerting = regions[0].props
    if alerting.filters is None or alerting.alarms is None:
        return _GroupAlerts(
            log_group, frozenset(), "its metric filters or alarms were unreadable", {}
        )
    covered: set[SecurityEvent] = set()
    used: dict[str, JSONValue] = {}
    unparsed_alarmed = False
    for metric_filter in alerting.filters:
        if metric_filter.log_group_uid != log_group:
            continue
        alarms = sorted(
            a.name
            for a in alerting.alarms
            if a.notifies and set(a.metrics) & set(metric_filter.metrics)
        )
        if not alarms:
            continue
        unparsed_alarmed = unparsed_alarmed or not metric_filter.parsed
        hits = set(metric_filter.matches) & set(wanted)
        if hits:
            covered |= hits
            used[metric_filter.name] = {
                "alarms": list[JSONValue](alarms),
                "matches": list[JSONValue](sorted(e.value for e in hits)),
            }
    unknown = None
    if unparsed_alarmed and not covered >= set(wanted):
        unknown = "an alarmed metric filter has a pattern the scanner cannot read"
    return _GroupAlerts(log_group, frozenset(covered), unknown, used)


def _alarm_verdict(
    resource: Resource[Any], ctx: RuleContext, wanted: Sequence[SecurityEvent], what: str
) -> Verdict:
    subject = f"Account {resource.account}"
    trails = _multi_region_trails(resource, ctx)
    groups = sorted({t.props.cloudwatch_log_group for t in trails if t.props.cloudwatch_log_group})
    unread = _trails_unread(resource) or any(t.props.cloudwatch_log_group is None for t in trails)
    results = [_group_alerts(group, ctx, wanted) for group in groups]
    evidence: dict[str, JSONValue] = {
        "required_events": [e.value for e in wanted],
        "log_groups": {r.log_group: r.evidence for r in results},
    }
    for result in results:
        if result.covered >= set(wanted):
            return Verdict.passed(
                f"{subject}: alarms on log group {result.log_group} catch {what}.", **evidence
            )
    unknown = [f"{r.log_group}: {r.unknown}" for r in results if r.unknown]
    if unknown or unread:
        reasons = unknown or ["the account's trails or their delivery could not all be read"]
        return Verdict.unknown(
            f"{subject}: whether an alarm catches {what} could not be told ({'; '.join(reasons)}).",
            **evidence,
        )
    if not groups:
        return Verdict.fail(
            f"{subject}: no multi-region trail delivers to CloudWatch Logs, so no alarm can "
            f"catch {what}.",
            **evidence,
        )
    missing = sorted({e.value for r in results for e in set(wanted) - r.covered})
    return Verdict.fail(
        f"{subject}: no metric filter with a notifying alarm catches {what} "
        f"(not covered: {', '.join(missing)}).",
        **evidence,
    )


_ALARM_CITATIONS = (ACTIVITY_REVIEW, LOGIN_MONITORING, INCIDENT_PROCEDURES)


@rule(
    id="LOG-ALARM-01",
    title="An alarm notifies on root account usage",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=_ALARM_CITATIONS,
    kinds=(AuditCoverage.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def alarm_on_root_usage(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The root user bypasses every IAM control; each use should reach a human at once.

    A metric filter on the trail's log group must match root API calls and root console
    sign-ins, and an alarm with an action must watch its metric.
    """
    return _alarm_verdict(resource, ctx, (SecurityEvent.ROOT_USAGE,), "root account usage")


@rule(
    id="LOG-ALARM-02",
    title="An alarm notifies on console sign-in failures",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=_ALARM_CITATIONS,
    kinds=(AuditCoverage.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def alarm_on_signin_failures(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Repeated failed console sign-ins are how password guessing shows itself.

    Log-in monitoring asks that failed attempts be watched: a metric filter must match
    failed ``ConsoleLogin`` events and an alarm with an action must watch its metric.
    """
    return _alarm_verdict(
        resource, ctx, (SecurityEvent.CONSOLE_SIGNIN_FAILURE,), "console sign-in failures"
    )


@rule(
    id="LOG-ALARM-03",
    title="An alarm notifies on IAM policy changes",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=_ALARM_CITATIONS,
    kinds=(AuditCoverage.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def alarm_on_iam_policy_changes(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A changed policy can quietly grant access to ePHI; changes should be reviewed.

    The filter must match every call that creates, changes, attaches or detaches an IAM
    policy (16 calls, as the CIS benchmark lists them).
    """
    return _alarm_verdict(resource, ctx, (SecurityEvent.IAM_POLICY_CHANGE,), "IAM policy changes")


@rule(
    id="LOG-ALARM-04",
    title="Alarms notify on network changes (security groups, NACLs, routes, gateways)",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=_ALARM_CITATIONS,
    kinds=(AuditCoverage.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def alarm_on_network_changes(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Opened security groups, NACLs, routes or gateways can put ePHI systems online.

    Between them, alarmed metric filters must match every change to security groups,
    network ACLs, route tables and internet or customer gateways.
    """
    return _alarm_verdict(
        resource,
        ctx,
        NETWORK_CHANGES,
        "security group, network ACL, route table and gateway changes",
    )
