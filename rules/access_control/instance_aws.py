"""Instances must require IMDSv2 session tokens and be managed by Systems Manager."""

from __future__ import annotations

from rules.hipaa import (
    ACCESS_CONTROL,
    MALICIOUS_SOFTWARE,
    PERSON_AUTHENTICATION,
    RISK_MANAGEMENT,
)
from rules.support import judge_flag
from scanner.kinds.workloads import VirtualMachine
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-INSTANCE-01",
    title="Instance requires IMDSv2 session tokens",
    severity=Severity.HIGH,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, PERSON_AUTHENTICATION),
    kinds=(VirtualMachine.KIND,),
    providers=("aws",),
)
def instance_requires_imdsv2(resource: Resource[VirtualMachine], ctx: RuleContext) -> Verdict:
    """The instance metadata service hands out the instance role's credentials.

    Without required session tokens (IMDSv1), one server-side request forgery in an
    application on the instance is enough to read those credentials and, with them,
    whatever ePHI the role can reach. A disabled metadata endpoint passes too.
    """
    del ctx
    props = resource.props
    subject = f"Instance {resource.name}"
    return judge_flag(
        props.metadata_tokens_required,
        passed=f"{subject} requires session tokens for its metadata service "
        f"(HttpTokens={props.metadata_http_tokens}, HttpEndpoint={props.metadata_endpoint}).",
        failed=f"{subject} answers metadata requests without a session token (IMDSv1 allowed).",
        unknown=f"{subject}: its metadata-service settings could not be read.",
        evidence={
            "metadata_tokens_required": props.metadata_tokens_required,
            "http_tokens": props.metadata_http_tokens,
            "http_endpoint": props.metadata_endpoint,
        },
    )


@rule(
    id="IAM-INSTANCE-02",
    title="Instance is managed by Systems Manager",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(MALICIOUS_SOFTWARE, RISK_MANAGEMENT),
    kinds=(VirtualMachine.KIND,),
    providers=("aws",),
)
def instance_managed(resource: Resource[VirtualMachine], ctx: RuleContext) -> Verdict:
    """An instance Systems Manager does not manage gets no patching or audited sessions from it.

    Nor is it in its inventory. Unpatched hosts holding ePHI are the usual way in for
    malicious software. The instance counts as managed when Systems Manager's inventory of
    the region lists it.
    """
    del ctx
    subject = f"Instance {resource.name}"
    return judge_flag(
        resource.props.managed,
        passed=f"{subject} is managed by Systems Manager.",
        failed=f"{subject} is not managed by Systems Manager (absent from its inventory).",
        unknown=f"{subject}: Systems Manager's inventory of the region could not be read.",
        evidence={"managed": resource.props.managed, "state": resource.props.state},
    )
