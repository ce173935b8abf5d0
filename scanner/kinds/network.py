"""Facts about networks: firewalls (security groups) and virtual networks (with flow logs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

ALL_PROTOCOLS = "all"
PORT_PROTOCOLS = ("tcp", "udp")
MAX_PORT = 65535


@dataclass(frozen=True)
class InternetIngress:
    """One inbound permission open to the whole internet (``0.0.0.0/0`` or ``::/0``).

    `protocol` is ``"all"``, ``"tcp"``, ``"udp"``, ``"icmp"``, ``"icmpv6"`` or another IP
    protocol number as text. `from_port`/`to_port` are set only for tcp and udp (for
    ``"all"`` every port of every protocol is open; for other protocols ports do not exist).
    """

    protocol: str
    from_port: int | None
    to_port: int | None
    source: str

    def covers_port(self, port: int) -> bool:
        """True when a tcp or udp connection to `port` is allowed by this permission."""
        if self.protocol == ALL_PROTOCOLS:
            return True
        if self.protocol not in PORT_PROTOCOLS or self.from_port is None or self.to_port is None:
            return False
        return self.from_port <= port <= self.to_port

    @property
    def all_ports(self) -> bool:
        """True for every protocol, or every tcp/udp port (0-65535)."""
        if self.protocol == ALL_PROTOCOLS:
            return True
        return (
            self.protocol in PORT_PROTOCOLS
            and self.from_port is not None
            and self.to_port is not None
            and self.from_port <= 0
            and self.to_port >= MAX_PORT
        )


@dataclass(frozen=True)
class Firewall:
    """A stateful firewall attached to network interfaces (an AWS security group).

    `internet_ingress` holds only the inbound permissions open to the whole internet;
    permissions from private ranges, prefix lists or other groups are left out.
    """

    KIND: ClassVar[str] = "network.firewall"

    group_id: str
    group_name: str
    network_id: str | None
    internet_ingress: tuple[InternetIngress, ...] | None


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
    """A virtual network; `flow_logs` is `None` when the flow logs could not be read."""

    KIND: ClassVar[str] = "network.vpc"

    vpc_id: str
    is_default: bool
    cidr_blocks: tuple[str, ...]
    flow_logs: tuple[FlowLog, ...] | None
