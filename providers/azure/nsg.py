"""Network security groups evaluated as Azure evaluates them, for traffic from the internet.

Azure applies the inbound rules of a group (its own and the default ones) in priority order,
lowest number first, and the first rule matching a packet decides. For each tcp/udp port
this module walks the rules in that order over the set of internet addresses not yet
decided: an Allow admits the part of its sources still undecided, a Deny removes its
sources. A port is open to the internet when the admitted addresses cover the whole public
IPv4 space, so a higher-priority Deny overrides a lower-priority Allow, and two Allows of
half the internet add up to all of it. Pure functions: no SDK, no I/O.

Sources: ``*``, ``Internet``, ``Any`` and ``0.0.0.0/0`` are the whole internet; IPv4
prefixes and ranges are what they say; other service tags (``VirtualNetwork``,
``AzureLoadBalancer``...) and application security groups are not the internet. IPv6
sources are not judged yet.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_PORT = 65535
Span = tuple[int, int]

_WHOLE = ("*", "internet", "any", "0.0.0.0/0")


def _cidr(text: str) -> Span:
    network = ipaddress.IPv4Network(text, strict=False)
    return int(network.network_address), int(network.broadcast_address)


def _subtract(spans: Sequence[Span], cut: Sequence[Span]) -> list[Span]:
    out = list(spans)
    for c_start, c_end in cut:
        next_out: list[Span] = []
        for start, end in out:
            if c_end < start or c_start > end:
                next_out.append((start, end))
                continue
            if start < c_start:
                next_out.append((start, c_start - 1))
            if c_end < end:
                next_out.append((c_end + 1, end))
        out = next_out
    return out


def _intersect(spans: Sequence[Span], other: Sequence[Span]) -> list[Span]:
    return [(max(a, c), min(b, d)) for a, b in spans for c, d in other
            if max(a, c) <= min(b, d)]


def public_space() -> tuple[Span, ...]:
    """Public unicast IPv4: 1.0.0.0-223.255.255.255 less private and special ranges."""
    special = [_cidr(c) for c in ("10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
                                  "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16")]
    start, end = _cidr("1.0.0.0/32")[0], _cidr("223.255.255.255/32")[0]
    return tuple(_subtract([(start, end)], special))


def covers(spans: Sequence[Span], universe: Sequence[Span]) -> bool:
    """True when `spans` include every address of `universe`."""
    return not _subtract(universe, spans)


def sources(props: Mapping[str, Any]) -> list[Span]:
    """The IPv4 addresses a rule's sources name (the internet for ``*`` / ``Internet``)."""
    texts = [props.get("sourceAddressPrefix"), *(props.get("sourceAddressPrefixes") or [])]
    found: list[Span] = []
    for text in (str(t).strip() for t in texts if t):
        if text.lower() in _WHOLE:
            found.append((0, 2**32 - 1))
            continue
        try:
            if "-" in text:
                low, high = (int(ipaddress.IPv4Address(p.strip())) for p in text.split("-", 1))
                found.append((low, high))
            else:
                found.append(_cidr(text))
        except ValueError:
            continue  # a service tag or an IPv6 prefix: not the IPv4 internet
    return found


def ports(props: Mapping[str, Any]) -> list[Span]:
    """The destination port ranges of a rule (``*`` is every port)."""
    texts = [props.get("destinationPortRange"), *(props.get("destinationPortRanges") or [])]
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


@dataclass(frozen=True)
class Rule:
    """One inbound rule, reduced to what the evaluation needs."""

    name: str
    priority: int
    allow: bool
    protocols: frozenset[str]
    sources: tuple[Span, ...]
    ports: tuple[Span, ...]


def inbound(rules: Iterable[Mapping[str, Any]]) -> list[Rule]:
    """The inbound rules of a group (custom and default), in the order Azure applies them."""
    found = []
    for item in rules:
        props = item.get("properties") or {}
        if str(props.get("direction") or "").lower() != "inbound":
            continue
        protocol = str(props.get("protocol") or "*").lower()
        found.append(Rule(
            name=str(item.get("name") or ""), priority=int(props.get("priority") or 0),
            allow=str(props.get("access") or "").lower() == "allow",
            protocols=frozenset({"tcp", "udp"} if protocol == "*" else {protocol}),
            sources=tuple(sources(props)), ports=tuple(ports(props))))
    return sorted(found, key=lambda r: r.priority)


def _boundaries(rules: Sequence[Rule]) -> list[int]:
    cuts = {0, MAX_PORT + 1}
    for rule in rules:
        for low, high in rule.ports:
            cuts.update((low, high + 1))
    return sorted(c for c in cuts if 0 <= c <= MAX_PORT + 1)


def open_ports(rules: Sequence[Rule], protocol: str) -> list[tuple[Span, tuple[str, ...]]]:
    """The port ranges of `protocol` open to the whole internet, with the deciding Allows."""
    universe = public_space()
    applicable = [r for r in rules if protocol in r.protocols]
    cuts = _boundaries(applicable)
    opened: list[tuple[Span, tuple[str, ...]]] = []
    for low, next_low in itertools.pairwise(cuts):
        undecided: list[Span] = list(universe)
        admitted: list[Span] = []
        deciding: list[str] = []
        for rule in applicable:
            if not undecided:
                break
            if not any(a <= low <= b for a, b in rule.ports):
                continue
            hit = _intersect(undecided, rule.sources)
            if not hit:
                continue
            if rule.allow:
                admitted.extend(hit)
                deciding.append(rule.name)
            undecided = _subtract(undecided, rule.sources)
        if covers(admitted, universe):
            span = (low, next_low - 1)
            if opened and opened[-1][0][1] + 1 == low and opened[-1][1] == tuple(deciding):
                span = (opened[-1][0][0], next_low - 1)
                opened.pop()
            opened.append((span, tuple(deciding)))
    return opened
