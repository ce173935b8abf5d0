"""Network security groups evaluated as Azure evaluates them, for traffic from the internet.

Azure applies the inbound rules of a group (its own and the default ones) in priority order,
lowest number first, and the first rule matching a packet decides. For each tcp/udp port
this module walks the rules in that order over the addresses not yet decided: an Allow
admits the part of its sources still undecided, a Deny removes its sources. A port is open
when the admitted addresses are the internet as `scanner.netcoverage` defines it (the same
threshold on every cloud), so a higher-priority Deny overrides a lower-priority Allow and
two Allows of half the internet add up to all of it. Pure functions: no SDK, no I/O.

Destinations: an Allow admits its sources whatever its destination (an Allow aimed at one
host still exposes that host, and the findings are per group). A Deny removes its sources
only where it applies to every destination the group protects: its destination is ``*``,
``Any`` or ``VirtualNetwork`` (inbound traffic reaches a NIC's private address, always in
its virtual network, after any public address is translated), or covers a whole address
family (``0.0.0.0/0`` removes IPv4 sources, ``::/0`` IPv6 ones); and its source ports are
every port. A Deny aimed at some hosts, at an application security group, or at some
source ports leaves the other traffic to the rules below it, so it removes nothing: sound,
at the price of a FAIL where a narrow Deny happens to shield every host an Allow reaches.

Sources: ``*``, ``Internet`` and ``Any`` are every address (IPv4 and IPv6); prefixes and
``a.b.c.d-e.f.g.h`` ranges are what they say; other service tags (``VirtualNetwork``,
``AzureLoadBalancer``...) and application security groups are not the internet.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner import netcoverage
from scanner.netcoverage import Network

MAX_PORT = 65535
Span = tuple[int, int]

_EVERYTHING = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
_WHOLE = ("*", "internet", "any")
# Destinations naming every address an inbound packet can be delivered to (see above).
_EVERY_DESTINATION = ("*", "any", "virtualnetwork")


def _contains(outer: Network, inner: Network) -> bool:
    return outer.version == inner.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def intersect(blocks: Sequence[Network], cut: Sequence[Network]) -> list[Network]:
    """The addresses in both `blocks` and `cut`."""
    found: list[Network] = []
    for block in blocks:
        for other in cut:
            if _contains(other, block):
                found.append(block)
            elif _contains(block, other):
                found.append(other)
    return list(netcoverage.union(found))


def subtract(blocks: Sequence[Network], cut: Sequence[Network]) -> list[Network]:
    """The addresses of `blocks` outside `cut`."""
    remaining = list(blocks)
    for other in cut:
        next_remaining: list[Network] = []
        for block in remaining:
            if _contains(other, block):
                continue
            if _contains(block, other):
                next_remaining.extend(block.address_exclude(other))  # type: ignore[arg-type]
            else:
                next_remaining.append(block)
        remaining = next_remaining
    return remaining


def _range(text: str) -> list[Network]:
    low, high = (ipaddress.ip_address(p.strip()) for p in text.split("-", 1))
    return list(ipaddress.summarize_address_range(low, high))


def sources(props: Mapping[str, Any]) -> tuple[tuple[Network, ...], tuple[str, ...]]:
    """The addresses a rule's sources name, and the source texts as written."""
    texts = [
        str(t).strip()
        for t in [props.get("sourceAddressPrefix"), *(props.get("sourceAddressPrefixes") or [])]
        if t
    ]
    found: list[Network] = []
    for text in texts:
        if text.lower() in _WHOLE:
            found.extend(_EVERYTHING)
            continue
        network = netcoverage.parse_network(text)
        if network is not None:
            found.append(network)
        elif "-" in text:
            try:
                found.extend(_range(text))
            except ValueError:
                continue
        # Anything else is a service tag other than Internet: not the internet.
    return tuple(found), tuple(texts)


def ports(props: Mapping[str, Any], side: str = "destination") -> list[Span]:
    """The `side` (``destination`` or ``source``) port ranges of a rule (``*`` is every port)."""
    texts = [props.get(f"{side}PortRange"), *(props.get(f"{side}PortRanges") or [])]
    found: list[Span] = []
    for text in (str(t).strip() for t in texts if t):
        if text == "*":
            found.append((0, MAX_PORT))
        elif "-" in text:
            low, high = text.split("-", 1)
            found.append((int(low), int(high)))
        elif text.isdigit():
            found.append((int(text), int(text)))
    return found


def _every_source_port(props: Mapping[str, Any]) -> bool:
    return netcoverage.merge_ranges(ports(props, "source")) == ((0, MAX_PORT),)


def _every_destination(props: Mapping[str, Any]) -> frozenset[int]:
    """The address families (4, 6) in which the rule applies to every destination."""
    if props.get("destinationApplicationSecurityGroups"):
        return frozenset()
    texts = [
        str(t).strip()
        for t in [
            props.get("destinationAddressPrefix"),
            *(props.get("destinationAddressPrefixes") or []),
        ]
        if t
    ]
    if any(text.lower() in _EVERY_DESTINATION for text in texts):
        return frozenset({4, 6})
    return frozenset(n.version for n in netcoverage.union(texts) if n.prefixlen == 0)


def cuts(props: Mapping[str, Any], networks: Sequence[Network]) -> tuple[Network, ...]:
    """The sources a rule decides for every destination of the group.

    An Allow decides all of its sources (what it admits is counted as admitted); a Deny
    only the sources whose traffic it drops whatever the destination and source port.
    """
    if str(props.get("access") or "").lower() == "allow":
        return tuple(networks)
    if not _every_source_port(props):
        return ()
    families = _every_destination(props)
    return tuple(n for n in networks if n.version in families)


@dataclass(frozen=True)
class Rule:
    """One inbound rule, reduced to what the evaluation needs."""

    name: str
    priority: int
    allow: bool
    protocols: frozenset[str]
    sources: tuple[Network, ...]
    source_texts: tuple[str, ...]
    ports: tuple[Span, ...]
    # The sources no rule below this one can decide any more (see `cuts`).
    cuts: tuple[Network, ...] = ()


def inbound(rules: Iterable[Mapping[str, Any]]) -> list[Rule]:
    """The inbound rules of a group (custom and default), in the order Azure applies them."""
    found = []
    for item in rules:
        props = item.get("properties") or {}
        if str(props.get("direction") or "").lower() != "inbound":
            continue
        protocol = str(props.get("protocol") or "*").lower()
        networks, texts = sources(props)
        found.append(
            Rule(
                name=str(item.get("name") or ""),
                priority=int(props.get("priority") or 0),
                allow=str(props.get("access") or "").lower() == "allow",
                protocols=frozenset({"tcp", "udp"} if protocol == "*" else {protocol}),
                sources=networks,
                source_texts=texts,
                ports=tuple(ports(props)),
                cuts=cuts(props, networks),
            )
        )
    return sorted(found, key=lambda r: r.priority)


def _boundaries(rules: Sequence[Rule]) -> list[int]:
    cuts = {0, MAX_PORT + 1}
    for rule in rules:
        for low, high in rule.ports:
            cuts.update((low, high + 1))
    return sorted(c for c in cuts if 0 <= c <= MAX_PORT + 1)


def _decide(rules: Sequence[Rule], port: int) -> tuple[list[Network], list[Rule]]:
    """The addresses admitted to `port` and the Allow rules that admitted them."""
    undecided: list[Network] = list(_EVERYTHING)
    admitted: list[Network] = []
    deciding: list[Rule] = []
    for rule in rules:
        if not undecided:
            break
        if not any(a <= port <= b for a, b in rule.ports):
            continue
        hit = intersect(undecided, rule.sources)
        if not hit:
            continue
        if rule.allow:
            admitted.extend(hit)
            deciding.append(rule)
        undecided = subtract(undecided, rule.cuts)
    return admitted, deciding


def open_ports(rules: Sequence[Rule], protocol: str) -> list[tuple[Span, tuple[str, ...]]]:
    """The port ranges of `protocol` open to the internet, with the sources that opened them."""
    applicable = [r for r in rules if protocol in r.protocols]
    opened: list[tuple[Span, tuple[str, ...]]] = []
    for low, next_low in itertools.pairwise(_boundaries(applicable)):
        admitted, deciding = _decide(applicable, low)
        if not admitted or not netcoverage.is_internet(admitted):
            continue
        texts = tuple(sorted({t for rule in deciding for t in rule.source_texts}))
        start = low
        if opened and opened[-1][0][1] + 1 == low and opened[-1][1] == texts:
            start = opened.pop()[0][0]
        opened.append(((start, next_low - 1), texts))
    return opened
