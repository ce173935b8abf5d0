"""Audit logging for API stages: per-request access logs and the gateway's execution logs."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from rules.support import judge_flag, unlisted_stages
from scanner.kinds.data_api import ApiStage
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-APISTAGE-01",
    title="API stage writes access logs",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(ApiStage.KIND,),
    providers=("aws",),
)
def api_stage_access_logging(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Every request to an API that serves ePHI should leave a record: who called, when, what.

    Access logs hold the caller, source address, path and status of each request: the
    trail an activity review or an incident investigation starts from.
    """
    del ctx
    props: ApiStage = resource.props
    subject = f"API stage {resource.name}"
    if (unlisted := unlisted_stages(props)) is not None:
        return unlisted
    evidence: dict[str, JSONValue] = {
        "access_logging": props.access_logging,
        "access_log_destination": props.access_log_destination,
        "protocol": props.protocol,
    }
    return judge_flag(
        props.access_logging,
        passed=f"{subject} writes access logs to {props.access_log_destination}.",
        failed=f"{subject} writes no access logs.",
        unknown=f"{subject}: its access-log settings could not be read.",
        evidence=evidence,
    )


@rule(
    id="LOG-APISTAGE-02",
    title="API stage logs the execution of every method",
    severity=Severity.LOW,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS,),
    kinds=(ApiStage.KIND,),
    providers=("aws",),
)
def api_stage_execution_logging(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Execution logs (level ERROR or INFO for all methods) record how each request was handled.

    They show authorizer decisions and integration errors that access logs do not. A
    method that overrides the stage's level to OFF leaves a hole, so it fails too. HTTP
    APIs have no execution log at all: the rule does not apply to them.
    """
    del ctx
    props: ApiStage = resource.props
    subject = f"API stage {resource.name}"
    if not props.execution_log_supported:
        return Verdict.not_applicable(f"{subject}: {props.protocol} APIs have no execution log.")
    if (unlisted := unlisted_stages(props)) is not None:
        return unlisted
    evidence: dict[str, JSONValue] = {
        "execution_logging": props.execution_logging,
        "execution_log_level": props.execution_log_level,
    }
    return judge_flag(
        props.execution_logging,
        passed=f"{subject} logs every method's execution (level {props.execution_log_level}).",
        failed=(
            f"{subject} does not log the execution of every method "
            f"(stage level {props.execution_log_level or 'OFF'}, or a method turns it off)."
        ),
        unknown=f"{subject}: its execution-log settings could not be read.",
        evidence=evidence,
    )
