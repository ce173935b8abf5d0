"""Pure helpers that read EC2 security-group permissions into internet-exposure facts.

An inbound permission is open to the internet when one of its IPv4 or IPv6 ranges is a
``/0`` network (``0.0.0.0/0``, ``::/0``, or the same written another way). Ranges that are
narrower (the VPC's own CIDR, ``10.0.0.0/8``...), managed prefix lists and references to
other security groups are not the internet and are left out. Protocols arrive as names or
IP protocol numbers (``"6"`` is tcp); ``"-1"`` means every protocol and every port.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from scanner.kinds.network import ALL_PROTOCOLS, MAX_PORT, PORT_PROTOCOLS, InternetIngress

_PROTOCOL_NAMES = {
    "-1": ALL_PROTOCOLS,
    "all": ALL_PROTOCOLS,
    "6": "tcp",
    "17": "udp",
    "1": "icmp",
    "58": "icmpv6",
}


def normalise_protocol(raw: Any) -> str:
    """The protocol as ``all``/``tcp``/``udp``/``icmp``/``icmpv6`` or the number as text."""
    text = str(raw).strip().lower()
    return _PROTOCOL_NAMES.get(text, text)


def is_internet(cidr: str) -> bool:
    """True when `cidr` covers the whole IPv4 or IPv6 address space (a ``/0`` network)."""
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def internet_ingress(permissions: Iterable[Mapping[str, Any]]) -> tuple[InternetIngress, ...]:
    """The inbound permissions of a security group (`IpPermissions`) open to the internet."""
    found: list[InternetIngress] = []
    for perm in permissions:
        protocol = normalise_protocol(perm.get("IpProtocol", "-1"))
        from_port, to_port = _ports(protocol, perm.get("FromPort"), perm.get("ToPort"))
        sources = [r.get("CidrIp", "") for r in perm.get("IpRanges", [])]
        sources += [r.get("CidrIpv6", "") for r in perm.get("Ipv6Ranges", [])]
        found.extend(
            InternetIngress(protocol=protocol, from_port=from_port, to_port=to_port, source=source)
            for source in sources
            if is_internet(source)
        )
    unique = dict.fromkeys(found)
    return tuple(sorted(unique, key=_order))


def _ports(protocol: str, from_port: Any, to_port: Any) -> tuple[int | None, int | None]:
    if protocol not in PORT_PROTOCOLS:
        # For "all" every port is open; for icmp the fields hold type and code, and for
        # other protocol numbers AWS ignores them: none of these are tcp/udp port ranges.
        return None, None
    low = 0 if from_port is None or int(from_port) < 0 else int(from_port)
    high = MAX_PORT if to_port is None or int(to_port) < 0 else int(to_port)
    return low, high


def _order(ingress: InternetIngress) -> tuple[str, int, int, str]:
    return (ingress.protocol, ingress.from_port or 0, ingress.to_port or 0, ingress.source)
