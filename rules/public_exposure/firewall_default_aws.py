"""A network's default security group must allow no traffic at all (CIS AWS 5.4).

Instances and interfaces launched without a group named join the default one, so any
rule in it applies to systems nobody chose to expose. It applies whatever `--phi-tag`
says, like the other firewall rules.
"""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.network import Firewall
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-FIREWALL-04",
    title="Default security group allows no traffic",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Firewall.KIND,),
    phi_scoped=False,
    providers=("aws",),
    where={"is_default": True},
)
def default_group_closed(resource: Resource[Firewall], ctx: RuleContext) -> Verdict:
    """The default security group should have no inbound and no outbound rule.

    Whatever lands in it by omission then reaches nothing and is reached by nothing, and
    every real path to ePHI goes through a group someone named and reviewed.
    """
    del ctx
    props = resource.props
    subject = f"Default security group {resource.name}"
    inbound, outbound = props.ingress_rules, props.egress_rules
    evidence = {"ingress_rules": inbound, "egress_rules": outbound}
    if inbound is None or outbound is None:
        return Verdict.unknown(f"{subject}: its rules could not be read.", **evidence)
    if inbound or outbound:
        return Verdict.fail(
            f"{subject} allows traffic: {inbound} inbound and {outbound} outbound rule(s).",
            **evidence,
        )
    return Verdict.passed(f"{subject} has no inbound or outbound rule.", **evidence)
