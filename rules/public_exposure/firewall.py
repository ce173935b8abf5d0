"""Security groups must not open administrative, database or all ports to the internet.

"The internet" is judged by coverage in the provider (`scanner.netcoverage`): the union
of every source allowed on a port (CIDR blocks, resolved prefix lists) covering all of
IPv4 or IPv6, or a public block wider than a /8, however it is split. Port ranges are
united per protocol. `Firewall.internet_ingress` holds only that effective access;
private ranges and group references never reach these rules. Permissions whose named
source lists could not be read (`unresolved_ingress`) make the ports they touch UNKNOWN
unless something else already opens them. A group counts whether or not anything is
attached to it yet: it is one attachment away from exposing whatever joins it.

These rules apply whatever `--phi-tag` says: teams tag data stores, not security groups,
and a network path into the VPC reaches the ePHI systems in it whatever their tags.
"""

from __future__ import annotations

from collections.abc import Sequence

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.network import ALL_PROTOCOLS, PORT_PROTOCOLS, Firewall, InternetIngress
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

# Remote administration: SSH 22 (RFC 4253), Telnet 23 (RFC 854), BSD rexec/rlogin/rsh
# 512-514 (IANA service registry), Docker Engine API 2375-2376 (Docker docs, "Protect the
# Docker daemon socket"), RDP 3389 (IANA ms-wbt-server), VNC 5800/5900 (RFC 6143 for 5900;
# 5800 is VNC's HTTP viewer), WinRM 5985-5986 (Microsoft "Installation and configuration
# for Windows Remote Management"), Kubernetes API 6443 and kubelet 10250 (Kubernetes
# "Ports and Protocols"). AWS Security Hub EC2.19 lists several of these as high-risk.
ADMIN_PORTS = [22, 23, 512, 513, 514, 2375, 2376, 3389, 5800, 5900, 5985, 5986, 6443, 10250]
# Data stores, each from its vendor's port documentation: SQL Server 1433-1434, Oracle
# 1521 and TCPS 2483-2484, MySQL 3306 and X Protocol 33060, PostgreSQL 5432, Redshift
# 5439, Kibana 5601, CouchDB 5984, Redis 6379, Cassandra 7000-7001 (inter-node), 7199
# (JMX), 9042 (CQL) and 9160 (Thrift), Neo4j Bolt 7687, InfluxDB 8086, Kafka 9092,
# Elasticsearch 9200 (HTTP) and 9300 (transport), memcached 11211, CockroachDB 26257,
# MongoDB 27017-27019, Db2 50000.
DATABASE_PORTS = [
    1433,
    1434,
    1521,
    2483,
    2484,
    3306,
    5432,
    5439,
    5601,
    5984,
    6379,
    7000,
    7001,
    7199,
    7687,
    8086,
    9042,
    9092,
    9160,
    9200,
    9300,
    11211,
    26257,
    27017,
    27018,
    27019,
    33060,
    50000,
]


def describe_ingress(ingress: InternetIngress) -> dict[str, JSONValue]:
    """An internet ingress as evidence: protocol, port range and sources."""
    return {
        "protocol": ingress.protocol,
        "from_port": ingress.from_port,
        "to_port": ingress.to_port,
        "sources": list(ingress.sources),
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
        describe_ingress(i) for i in ingress if any(i.covers_port(p) for p in exposed)
    ]
    if exposed:
        return Verdict.fail(
            f"{name} allows {what} port(s) {', '.join(map(str, exposed))} from the internet.",
            exposed_ports=list(exposed),
            internet_ingress=offending,
        )
    unresolved = resource.props.unresolved_ingress
    doubtful = sorted({p for p in ports for i in unresolved if i.covers_port(p)})
    if doubtful:
        return Verdict.unknown(
            f"{name}: {what} port(s) {', '.join(map(str, doubtful))} are open to source "
            "lists whose entries could not be read.",
            checked_ports=list(ports),
            unresolved_ingress=[describe_ingress(i) for i in unresolved],
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
    providers=("aws", "azure", "gcp"),
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
    providers=("aws", "azure", "gcp"),
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
    providers=("aws", "azure", "gcp"),
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
    offending: list[JSONValue] = [describe_ingress(i) for i in ingress if i.all_ports]
    if offending:
        return Verdict.fail(
            f"{name} allows all ports from the internet.", internet_ingress=offending
        )
    doubtful: list[JSONValue] = [
        describe_ingress(i)
        for i in resource.props.unresolved_ingress
        if i.protocol in (ALL_PROTOCOLS, *PORT_PROTOCOLS)
    ]
    if doubtful:
        return Verdict.unknown(
            f"{name}: it admits source lists whose entries could not be read.",
            internet_ingress=[describe_ingress(i) for i in ingress],
            unresolved_ingress=doubtful,
        )
    return Verdict.passed(
        f"{name} does not allow all ports from the internet.",
        internet_ingress=[describe_ingress(i) for i in ingress],
    )
