"""Subnets must not give instances public IPv4 addresses by default."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL
from rules.support import judge_flag
from scanner.kinds.workloads import Subnet
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-SUBNET-01",
    title="Subnet does not auto-assign public IPv4 addresses",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL,),
    kinds=(Subnet.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def subnet_no_auto_public_ip(resource: Resource[Subnet], ctx: RuleContext) -> Verdict:
    """Every instance launched into such a subnet is reachable from the internet by default.

    Exposure then depends on each launch remembering to opt out. Default subnets do this
    out of the box: turn it off, or keep ePHI systems out of them. The rule applies
    whatever `--phi-tag` says, since a subnet hosts whatever is launched into it.
    """
    del ctx
    props = resource.props
    subject = f"Subnet {resource.name}"
    return judge_flag(
        props.auto_public_ipv4,
        good=False,
        passed=f"{subject} does not assign public IPv4 addresses on launch.",
        failed=f"{subject} assigns a public IPv4 address to every instance launched into it.",
        unknown=f"{subject}: its public-address setting could not be read.",
        evidence={"auto_public_ipv4": props.auto_public_ipv4, "is_default": props.is_default},
    )
