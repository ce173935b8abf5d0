"""Security groups must not open administrative, database or all ports to the internet.

"The internet" is ``0.0.0.0/0`` or ``::/0``; the provider keeps only those permissions in
`Firewall.internet_ingress`, so private ranges, prefix lists and group references never
reach these rules. A group counts whether or not anything is attached to it yet: it is
one attachment away from exposing whatever joins it.

These rules apply whatever `--phi-tag` says: teams tag data stores, not security groups,
and a network path into the VPC reaches the ePHI systems in it whatever their tags.
"""

from __future__ import annotations

from collections.abc import Sequence

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.network import Firewall, InternetIngress
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

ADMIN_PORTS = [22, 3389]
DATABASE_PORTS = [1433, 1521, 3306, 5432, 5439, 5984, 6379, 9042, 9200, 11211, 27017]


def _describe(ingress: InternetIngress) -> dict[str, JSONValue]:
    return {
        "protocol": ingress.protocol,
        "from_port": ingress.from_port,
        "to_port": ingress.to_port,
        "source": ingress.source,
    }


def _port_exposure(resource: Resource[Firewall], ports: Sequence[int], what: str) -> Verdict:
    name = f"Firewall {resource.name}"
    ingress = resource.props.internet_ingress
    if ingress is None:
        return Verdict.unknown(
            f"{name}: its inbound rules could not be read.", checked_ports=list(ports)
        )
    exposed = sorted({p for p in ports for i in ingress if i.covers_port(p)})
    offending: list[JSONValue] = [
        _describe(i) for i in ingress if any(i.covers_port(p) for p in exposed)
    ]
    if exposed:
        return Verdict.fail(
            f"{name} allows {what} port(s) {', '.join(map(str, exposed))} from the internet.",
            exposed_ports=list(exposed),
            internet_ingress=offending,
        )
    return Verdict.passed(
        f"{name} opens no {what} port to the internet.", checked_ports=list(ports), exposed_ports=[]
    )


@rule(
    id="PUB-FIREWALL-01",
    title="Firewall does not open administrative ports to the internet",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Firewall.KIND,),
    phi_scoped=False,
    params={"ports": list(ADMIN_PORTS)},
    providers=("aws",),
)
def firewall_admin_ports_not_open(resource: Resource[Firewall], ctx: RuleContext) -> Verdict:
    """SSH and RDP open to the whole internet invite brute-force and exploit attempts.

    One success gives an attacker a shell on a host that stores or processes ePHI.
    """
    return _port_exposure(resource, [int(p) for p in ctx.param("ports")], "administrative")


@rule(
    id="PUB-FIREWALL-02",
    title="Firewall does not open database ports to the internet",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Firewall.KIND,),
    phi_scoped=False,
    params={"ports": list(DATABASE_PORTS)},
    providers=("aws",),
)
def firewall_database_ports_not_open(resource: Resource[Firewall], ctx: RuleContext) -> Verdict:
    """A database port reachable from the whole internet exposes the data store itself.

    Only its own authentication then stands between anyone and the ePHI it holds.
    """
    return _port_exposure(resource, [int(p) for p in ctx.param("ports")], "database")


@rule(
    id="PUB-FIREWALL-03",
    title="Firewall does not open all ports to the internet",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Firewall.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def firewall_all_ports_not_open(resource: Resource[Firewall], ctx: RuleContext) -> Verdict:
    """A group that admits all traffic (protocol -1 or ports 0-65535) from anywhere is no firewall.

    Every service on every attached host, ePHI stores included, is reachable by anyone.
    """
    del ctx
    name = f"Firewall {resource.name}"
    ingress = resource.props.internet_ingress
    if ingress is None:
        return Verdict.unknown(f"{name}: its inbound rules could not be read.")
    offending: list[JSONValue] = [_describe(i) for i in ingress if i.all_ports]
    if offending:
        return Verdict.fail(
            f"{name} allows all ports from the internet.", internet_ingress=offending
        )
    return Verdict.passed(
        f"{name} does not allow all ports from the internet.",
        internet_ingress=[_describe(i) for i in ingress],
    )
