"""Network ACLs must not let the internet in on every port or on administrative ports.

The provider walks each ACL's inbound entries in its own evaluation order (lowest rule
number first, so an earlier DENY wins over a later ALLOW) and judges the sources left
allowed by coverage (`scanner.netcoverage`), as for security groups. The rule applies
whatever `--phi-tag` says: an ACL guards every subnet associated with it.
"""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.public_exposure.firewall import ADMIN_PORTS, describe_ingress
from scanner.kinds.workloads import NetworkAcl
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-NETACL-01",
    title="Network ACL does not allow all or administrative ports from the internet",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(NetworkAcl.KIND,),
    phi_scoped=False,
    params={"ports": list(ADMIN_PORTS)},
    providers=("aws",),
)
def netacl_not_open(resource: Resource[NetworkAcl], ctx: RuleContext) -> Verdict:
    """A network ACL is the subnet's second line of defence behind instance firewalls.

    One that admits every port, or remote-administration ports, from the whole internet
    leaves a single misconfigured firewall between anyone and the ePHI systems in
    its subnets.
    """
    ports = [int(p) for p in ctx.param("ports")]
    subject = f"Network ACL {resource.name}"
    ingress = resource.props.internet_ingress
    if ingress is None:
        return Verdict.unknown(
            f"{subject}: its entries could not be read.", checked_ports=list[JSONValue](ports)
        )
    every = [describe_ingress(i) for i in ingress if i.all_ports]
    exposed = sorted({p for p in ports for i in ingress if i.covers_port(p)})
    evidence: dict[str, JSONValue] = {
        "internet_ingress": [describe_ingress(i) for i in ingress],
        "exposed_ports": list(exposed),
        "is_default": resource.props.is_default,
    }
    if every:
        return Verdict.fail(f"{subject} allows all ports from the internet.", **evidence)
    if exposed:
        return Verdict.fail(
            f"{subject} allows administrative port(s) {', '.join(map(str, exposed))} "
            "from the internet.",
            **evidence,
        )
    return Verdict.passed(
        f"{subject} allows neither all ports nor administrative ports from the internet.",
        **evidence,
    )
