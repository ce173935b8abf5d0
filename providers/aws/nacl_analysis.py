"""Pure helpers that read a network ACL's inbound entries into internet-exposure facts.

A network ACL is evaluated in rule-number order: for each packet the lowest-numbered entry
whose protocol, ports and source block match decides, ALLOW or DENY. So what an ACL lets
in from the internet is not the union of its ALLOW entries: an earlier DENY of
``0.0.0.0/1`` removes that half from a later ALLOW of ``0.0.0.0/0``. This module walks the
entries in that order per protocol and port span, keeping the source addresses not yet
decided, and judges the addresses allowed with `scanner.netcoverage` (the same threshold
as security groups).

Only tcp and udp spans and "every protocol" are reported: those are what the rules ask
(every port, or administrative ports); icmp and other protocol numbers are left out.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from providers.aws.network_analysis import normalise_protocol
from scanner import netcoverage
from scanner.kinds.network import ALL_PROTOCOLS, MAX_PORT, PORT_PROTOCOLS, InternetIngress

_EVERYWHERE = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))


@dataclass(frozen=True)
class _Entry:
    number: int
    allow: bool
    protocol: str
    ports: tuple[int, int]
    block: netcoverage.Network


class MalformedAclEntry(ValueError):
    """An inbound entry whose source, ports, rule number or action cannot be read.

    Skipping it would misjudge the ACL either way (a lost ALLOW hides exposure, a lost DENY
    invents it), so the caller records a gap and leaves the ACL's exposure unknown.
    """


def _entries(raw: Iterable[Mapping[str, Any]]) -> list[_Entry]:
    found = []
    for item in raw:
        if item.get("Egress"):
            continue
        source = item.get("CidrBlock") or item.get("Ipv6CidrBlock")
        block = netcoverage.parse_network(str(source))
        if block is None:
            raise MalformedAclEntry(f"entry {item.get('RuleNumber')}: source {source!r}")
        protocol = normalise_protocol(item.get("Protocol", "-1"))
        span = item.get("PortRange") or {}
        low, high = span.get("From"), span.get("To")
        try:
            ports = (0, MAX_PORT) if low is None or high is None else (int(low), int(high))
            number = int(item.get("RuleNumber", 32767))
        except (TypeError, ValueError):
            raise MalformedAclEntry(f"entry {item.get('RuleNumber')!r}: ports or number") from None
        # An entry whose action is missing or unknown is neither: read as DENY it would hide
        # an ALLOW of the internet.
        action = str(item.get("RuleAction", "")).lower()
        if action not in ("allow", "deny"):
            raise MalformedAclEntry(f"entry {number}: action {item.get('RuleAction')!r}")
        found.append(
            _Entry(
                number=number,
                allow=action == "allow",
                protocol=protocol,
                ports=ports,
                block=block,
            )
        )
    return sorted(found, key=lambda e: e.number)


def _minus(
    blocks: Sequence[netcoverage.Network], cut: netcoverage.Network
) -> list[netcoverage.Network]:
    kept: list[netcoverage.Network] = []
    for block in blocks:
        if block.version != cut.version:
            kept.append(block)
        elif block.subnet_of(cut):  # type: ignore[arg-type]
            continue
        elif cut.subnet_of(block):  # type: ignore[arg-type]
            kept.extend(block.address_exclude(cut))  # type: ignore[arg-type]
        else:
            kept.append(block)
    return kept


def _within(
    blocks: Sequence[netcoverage.Network], cut: netcoverage.Network
) -> list[netcoverage.Network]:
    # CIDR blocks either nest or are disjoint, so an intersection is one of the two.
    found: list[netcoverage.Network] = []
    for block in blocks:
        if block.version != cut.version:
            continue
        if block.subnet_of(cut):  # type: ignore[arg-type]
            found.append(block)
        elif cut.subnet_of(block):  # type: ignore[arg-type]
            found.append(cut)
    return found


def allowed_sources(entries: Sequence[_Entry], protocol: str, port: int | None) -> list[str]:
    """The source blocks a packet of `protocol` to `port` is allowed from, in rule order."""
    undecided: list[netcoverage.Network] = list(_EVERYWHERE)
    allowed: list[netcoverage.Network] = []
    for entry in entries:
        if entry.protocol != ALL_PROTOCOLS:
            if entry.protocol != protocol:
                continue
            if port is not None and not entry.ports[0] <= port <= entry.ports[1]:
                continue
        matched = _within(undecided, entry.block)
        if not matched:
            continue
        if entry.allow:
            allowed.extend(matched)
        undecided = _minus(undecided, entry.block)
    return [str(n) for n in netcoverage.union(allowed)]


def acl_internet_ingress(
    raw_entries: Iterable[Mapping[str, Any]],
    threshold: netcoverage.Threshold = netcoverage.INTERNET,
) -> tuple[InternetIngress, ...]:
    """The internet ingress an ACL's entries allow, after its rule-number evaluation order.

    Returns one ``all`` entry when a packet of any protocol to any port is let in from the
    internet; otherwise the tcp and udp port spans let in.
    """
    entries = _entries(raw_entries)
    # A protocol no entry names is matched only by "all protocols" entries.
    other = allowed_sources(entries, "other", None)
    spans = {p: _open_spans(entries, p, threshold) for p in PORT_PROTOCOLS}
    if netcoverage.is_internet(other, threshold) and all(_every_port(s) for s in spans.values()):
        return (InternetIngress(ALL_PROTOCOLS, None, None, tuple(other)),)
    return tuple(
        InternetIngress(protocol, low, high, sources)
        for protocol, found in sorted(spans.items())
        for (low, high), sources in found
    )


def _every_port(spans: Sequence[tuple[tuple[int, int], tuple[str, ...]]]) -> bool:
    return len(spans) == 1 and spans[0][0][0] <= 1 and spans[0][0][1] >= MAX_PORT


def _open_spans(
    entries: Sequence[_Entry], protocol: str, threshold: netcoverage.Threshold
) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    edges = {0, MAX_PORT + 1}
    for entry in entries:
        if entry.protocol == protocol:
            edges |= {entry.ports[0], entry.ports[1] + 1}
    found: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    for low, nxt in itertools.pairwise(sorted(e for e in edges if 0 <= e <= MAX_PORT + 1)):
        sources = allowed_sources(entries, protocol, low)
        if not netcoverage.is_internet(sources, threshold):
            continue
        if found and found[-1][0][1] + 1 == low:
            merged = tuple(sorted({*found[-1][1], *sources}))
            found[-1] = ((found[-1][0][0], nxt - 1), merged)
        else:
            found.append(((low, nxt - 1), tuple(sources)))
    return found
