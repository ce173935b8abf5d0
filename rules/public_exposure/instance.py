"""Instances in PHI scope must not hold a public IPv4 address."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, TRANSMISSION_SECURITY
from scanner.kinds.workloads import VirtualMachine
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-INSTANCE-01",
    title="Instance holding ePHI has no public IPv4 address",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, TRANSMISSION_SECURITY),
    kinds=(VirtualMachine.KIND,),
    providers=("aws",),
)
def instance_no_public_ip(resource: Resource[VirtualMachine], ctx: RuleContext) -> Verdict:
    """A public address makes the instance reachable from the internet.

    Only its firewall rules then stand between anyone and the ePHI on it; systems that
    hold ePHI belong in private subnets behind a load balancer or a bastion. With
    `--phi-tag`, only the instances carrying the tag are judged.
    """
    del ctx
    address = resource.props.public_ipv4
    subject = f"Instance {resource.name}"
    if address is None:
        return Verdict.unknown(f"{subject}: its addresses could not be read.", public_ipv4=None)
    if address:
        return Verdict.fail(
            f"{subject} has the public IPv4 address {address}.", public_ipv4=address
        )
    return Verdict.passed(f"{subject} has no public IPv4 address.", public_ipv4=None)
