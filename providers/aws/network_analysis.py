"""Pure helpers that read EC2 security-group permissions into internet-exposure facts.

A group is open to the internet on a port when the union of the sources allowed on that
port is the internet as `scanner.netcoverage` defines it (all of IPv4 or IPv6, or a
public block wider than a /8), whether written as ``0.0.0.0/0``, as two ``/1`` halves, or
as the entries of a managed prefix list. References to other security groups are never
the internet and are left out. Protocols arrive as names or
IP protocol numbers (``"6"`` is tcp); ``"-1"`` means every protocol and every port.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner import netcoverage
from scanner.kinds.network import (
    ALL_PROTOCOLS,
    MAX_PORT,
    PORT_PROTOCOLS,
    InternetIngress,
    canonical_protocol,
)


def normalise_protocol(raw: Any) -> str:
    """The protocol as ``all``/``tcp``/``udp``/``icmp``/``icmpv6``/``sctp`` or the number as text.

    AWS writes ``"-1"`` for every protocol; the names are the shared `canonical_protocol`'s.
    """
    return canonical_protocol(raw)


def is_internet(cidr: str) -> bool:
    """True when `cidr` alone is the internet (see `scanner.netcoverage` for the threshold)."""
    return netcoverage.is_internet([cidr])


@dataclass(frozen=True)
class _Grant:
    protocol: str
    ports: tuple[int, int] | None
    source: str


def prefix_list_ids(permissions: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every managed prefix list the inbound permissions name as a source."""
    return {
        str(ref["PrefixListId"])
        for perm in permissions
        for ref in perm.get("PrefixListIds") or []
        if ref.get("PrefixListId")
    }


def internet_ingress(
    permissions: Iterable[Mapping[str, Any]],
    prefix_lists: Mapping[str, Sequence[str] | None] | None = None,
    threshold: netcoverage.Threshold = netcoverage.INTERNET,
) -> tuple[tuple[InternetIngress, ...], tuple[InternetIngress, ...]]:
    """Effective internet ingress of a security group, and the permissions left unresolved.

    `permissions` is the group's `IpPermissions`; `prefix_lists` maps a prefix list id to
    its CIDR entries (`None`: they could not be read). Sources are united per protocol and
    port (a permission for every protocol counts for each), so ``0.0.0.0/1`` on one rule
    and ``128.0.0.0/1`` on another, or ports split across rules, read as what they open.
    """
    grants: list[_Grant] = []
    unresolved: list[InternetIngress] = []
    for perm in permissions:
        protocol = normalise_protocol(perm.get("IpProtocol", "-1"))
        from_port, to_port = _ports(protocol, perm.get("FromPort"), perm.get("ToPort"))
        ports = None if from_port is None or to_port is None else (from_port, to_port)
        for source in _sources(perm, prefix_lists or {}):
            if source.startswith("pl-"):
                unresolved.append(InternetIngress(protocol, from_port, to_port, (source,)))
            else:
                grants.append(_Grant(protocol, ports, source))
    found = _effective(grants, threshold)
    return found, tuple(sorted(dict.fromkeys(unresolved), key=_order))


def _sources(
    perm: Mapping[str, Any], prefix_lists: Mapping[str, Sequence[str] | None]
) -> list[str]:
    sources = [str(r.get("CidrIp", "")) for r in perm.get("IpRanges") or []]
    sources += [str(r.get("CidrIpv6", "")) for r in perm.get("Ipv6Ranges") or []]
    for ref in perm.get("PrefixListIds") or []:
        list_id = str(ref.get("PrefixListId", ""))
        entries = prefix_lists.get(list_id)
        if entries is None:
            # Not read (denied, or never asked): the caller must not read it as "nothing".
            sources.append(list_id)
        else:
            sources += [f"{cidr} ({list_id})" for cidr in entries]
    return [s for s in sources if s]


def _effective(
    grants: Sequence[_Grant], threshold: netcoverage.Threshold
) -> tuple[InternetIngress, ...]:
    every = [g.source for g in grants if g.protocol == ALL_PROTOCOLS]
    if netcoverage.is_internet(every, threshold):
        return (InternetIngress(ALL_PROTOCOLS, None, None, tuple(sorted(set(every)))),)
    found: list[InternetIngress] = []
    for protocol in sorted({g.protocol for g in grants} - {ALL_PROTOCOLS}):
        own = [g for g in grants if g.protocol == protocol]
        if protocol in PORT_PROTOCOLS:
            spans = [(g.ports or (0, MAX_PORT), g.source) for g in own]
            spans += [((0, MAX_PORT), source) for source in every]
            found.extend(
                InternetIngress(protocol, low, high, sources)
                for (low, high), sources in netcoverage.open_ranges(spans, threshold)
            )
            continue
        sources = [g.source for g in own] + every
        if netcoverage.is_internet(sources, threshold):
            found.append(InternetIngress(protocol, None, None, tuple(sorted(set(sources)))))
    return tuple(sorted(found, key=_order))


def _ports(protocol: str, from_port: Any, to_port: Any) -> tuple[int | None, int | None]:
    if protocol not in PORT_PROTOCOLS:
        # For "all" every port is open; for icmp the fields hold type and code, and for
        # other protocol numbers AWS ignores them: none of these are tcp/udp port ranges.
        return None, None
    low = 0 if from_port is None or int(from_port) < 0 else int(from_port)
    high = MAX_PORT if to_port is None or int(to_port) < 0 else int(to_port)
    return low, high


def _order(ingress: InternetIngress) -> tuple[str, int, int, tuple[str, ...]]:
    return (ingress.protocol, ingress.from_port or 0, ingress.to_port or 0, ingress.sources)
