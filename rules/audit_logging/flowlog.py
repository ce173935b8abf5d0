"""VPCs must record their network traffic in flow logs.

The rule applies whatever `--phi-tag` says: a VPC carries the traffic of every system in it.
"""

from __future__ import annotations

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from scanner.kinds.network import FlowLog, Vpc
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

CAPTURES_ACCEPTED = frozenset({"ALL", "ACCEPT"})


def _describe(log: FlowLog) -> dict[str, JSONValue]:
    return {
        "flow_log_id": log.flow_log_id,
        "status": log.status,
        "traffic_type": log.traffic_type,
        "delivery_status": log.delivery_status,
        "destination": log.destination,
    }


def _records(log: FlowLog) -> bool:
    return (
        log.status == "ACTIVE"
        and log.traffic_type in CAPTURES_ACCEPTED
        and log.delivery_status != "FAILED"
    )


@rule(
    id="LOG-FLOWLOG-01",
    title="Virtual network has an active flow log",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(Vpc.KIND,),
    phi_scoped=False,
    providers=("aws", "gcp"),
)
def vpc_flow_logs_enabled(resource: Resource[Vpc], ctx: RuleContext) -> Verdict:
    """Flow logs record which hosts talked to which, so access to ePHI systems can be reviewed.

    The log must be active, capture accepted traffic (ALL or ACCEPT) and be delivering.
    Default networks are not exempt: instances launch into them unless told otherwise, so
    either log them or delete them.
    """
    del ctx
    name = f"Network {resource.name}"
    logs = resource.props.flow_logs
    if logs is None:
        return Verdict.unknown(
            f"{name}: its flow logs could not be read.", is_default=resource.props.is_default
        )
    evidence: dict[str, JSONValue] = {
        "is_default": resource.props.is_default,
        "flow_logs": [_describe(log) for log in logs],
    }
    good = [log for log in logs if _records(log)]
    if good:
        return Verdict.passed(f"{name} has an active flow log ({good[0].flow_log_id}).", **evidence)
    subnets = resource.props.subnet_flow_logs
    if subnets and all(any(_records(log) for log in found) for found in subnets.values()):
        return Verdict.passed(
            f"{name} logs every one of its {len(subnets)} subnet(s) with an active flow log.",
            **evidence,
            subnet_flow_logs={
                s: [_describe(log) for log in found] for s, found in sorted(subnets.items())
            },
        )
    if subnets is None:
        return Verdict.unknown(
            f"{name} has no flow log of its own, and its subnets (whose flow logs would "
            "count for it) could not be read.",
            **evidence,
        )
    if not logs:
        return Verdict.fail(f"{name} has no flow log.", **evidence)
    return Verdict.fail(
        f"{name} has no flow log that is active, captures accepted traffic and delivers.",
        **evidence,
    )
