"""Facts about networks: firewalls (security groups) and virtual networks (with flow logs)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

ALL_PROTOCOLS = "all"
PORT_PROTOCOLS = ("tcp", "udp")
MAX_PORT = 65535


@dataclass(frozen=True)
class InternetIngress:
    """Effective inbound access from the internet for one protocol and one merged port range.

    Computed by the provider after the union of every source (CIDR blocks, resolved
    prefix lists) and of every port range per protocol, so each entry says what is open,
    not how it was written. `protocol` is ``"all"``, ``"tcp"``, ``"udp"``, ``"icmp"``,
    ``"icmpv6"`` or another IP protocol number as text. `from_port`/`to_port` are set only
    for tcp and udp (for ``"all"`` every port of every protocol is open; other protocols
    have no ports). `sources` are the blocks (or named source lists) that together made
    the range open (see `scanner.netcoverage` for what "the internet" is).
    """

    protocol: str
    from_port: int | None
    to_port: int | None
    sources: tuple[str, ...]

    def covers_port(self, port: int) -> bool:
        """True when a tcp or udp connection to `port` is allowed by this entry."""
        protocol = canonical_protocol(self.protocol)
        if protocol == ALL_PROTOCOLS:
            return True
        if protocol not in PORT_PROTOCOLS or self.from_port is None or self.to_port is None:
            return False
        return self.from_port <= port <= self.to_port

    @property
    def all_ports(self) -> bool:
        """True for every protocol, or every usable tcp/udp port (1-65535; 0 is reserved)."""
        protocol = canonical_protocol(self.protocol)
        if protocol == ALL_PROTOCOLS:
            return True
        return (
            protocol in PORT_PROTOCOLS
            and self.from_port is not None
            and self.to_port is not None
            and self.from_port <= 1
            and self.to_port >= MAX_PORT
        )


@dataclass(frozen=True)
class Firewall:
    """A stateful firewall attached to network interfaces (an AWS security group).

    `internet_ingress` is the effective inbound access from the internet (`None`: the
    rules could not be read). `unresolved_ingress` lists inbound permissions whose sources
    are named lists that could not be read (a prefix list whose entries were denied):
    they may or may not open the port to the internet, so rules judge the ports they
    touch as unknown unless something else already opens them.

    `is_default` is whether this is the network's default group (every instance launched
    without a group joins it); `ingress_rules` and `egress_rules` count its inbound and
    outbound permissions. All three are `None` where the cloud has no such group or they
    were not read.
    """

    KIND: ClassVar[str] = "network.firewall"

    group_id: str
    group_name: str
    network_id: str | None
    internet_ingress: tuple[InternetIngress, ...] | None
    unresolved_ingress: tuple[InternetIngress, ...] = ()
    is_default: bool | None = None
    ingress_rules: int | None = None
    egress_rules: int | None = None


@dataclass(frozen=True)
class FlowLog:
    """One flow log publishing a network's traffic records."""

    flow_log_id: str
    status: str
    traffic_type: str
    delivery_status: str | None
    destination_type: str | None
    destination: str | None


@dataclass(frozen=True)
class Vpc:
    """A virtual network; `flow_logs` is `None` when the flow logs could not be read.

    `subnet_flow_logs` maps each subnet of the network to the flow logs attached to that
    subnet alone (`None`: the subnets or flow logs could not be read): logs on every subnet
    cover the network as one on the network itself would.
    """

    KIND: ClassVar[str] = "network.vpc"

    vpc_id: str
    is_default: bool
    cidr_blocks: tuple[str, ...]
    flow_logs: tuple[FlowLog, ...] | None
    subnet_flow_logs: Mapping[str, tuple[FlowLog, ...]] | None = None


# IANA protocol numbers of the protocols named above; clouds accept either spelling
# (GCP ``IPProtocol: "6"``, AWS ``IpProtocol: "6"``, ``"-1"`` for every protocol on AWS).
_PROTOCOL_NUMBERS = {
    "-1": ALL_PROTOCOLS,
    "1": "icmp",
    "6": "tcp",
    "17": "udp",
    "58": "icmpv6",
    "132": "sctp",
}


def canonical_protocol(raw: object) -> str:
    """A protocol as ``all``/``tcp``/``udp``/``icmp``/``icmpv6``/``sctp``, else as given.

    Names are lower-cased and the IANA numbers of those protocols become their names, so
    ``"6"`` and ``"TCP"`` are both ``"tcp"``; any other number stays the number as text.
    """
    text = str(raw).strip().lower()
    return _PROTOCOL_NUMBERS.get(text, text)
