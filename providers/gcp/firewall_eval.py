"""VPC firewall rules evaluated as Google Cloud evaluates them, into effective internet access.

A packet reaching an instance is decided by the matching ingress rule with the best
(lowest) priority number; at equal priority a deny wins over an allow. Rules apply to
their targets: every instance of the network when the rule names none, else instances
carrying one of its target tags (or running as one of its target service accounts). An
ingress rule with ``destinationRanges`` matches only packets addressed to those blocks.
Disabled rules do not exist for the packet. An ingress rule with no source at all matches
every IPv4 address (``0.0.0.0/0``); source tags and source service accounts are internal
traffic and never the internet.

For each enabled allow rule, `internet_ingress` returns what it still lets in from the
internet once the deny rules that win over it (same network, priority at most its own,
covering all of its targets and all of its destinations) have taken their sources out,
per protocol and port. A deny counts only when it provably applies to every packet the
allow admits: one aimed at fewer instances (other target tags or service accounts) or at
fewer destination addresses than the allow subtracts nothing, because the instances it
does not reach stay open. An allow with targets or destination ranges still exposes what
it targets. What
"the internet" is, and the unions of address blocks and port ranges, come from
`scanner.netcoverage`, so the same threshold decides on every cloud.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.kinds.network import (
    ALL_PROTOCOLS,
    MAX_PORT,
    PORT_PROTOCOLS,
    InternetIngress,
    canonical_protocol,
)
from scanner.netcoverage import (
    Network,
    PortRange,
    is_internet,
    merge_ranges,
    parse_network,
    union,
)

ANY_IPV4 = "0.0.0.0/0"
FULL: PortRange = (0, MAX_PORT)


@dataclass(frozen=True)
class Permit:
    """One ``allowed``/``denied`` entry: a protocol and its port ranges (empty: all ports)."""

    protocol: str
    ports: tuple[PortRange, ...] = ()


@dataclass(frozen=True)
class FirewallRule:
    """One VPC firewall rule, parsed from the Compute API's JSON."""

    name: str
    network: str
    priority: int
    allow: bool
    ingress: bool
    disabled: bool
    source_ranges: tuple[str, ...]
    internal_sources: bool
    target_tags: tuple[str, ...]
    target_service_accounts: tuple[str, ...]
    permits: tuple[Permit, ...]
    destination_ranges: tuple[str, ...] = ()

    @property
    def internet_sources(self) -> tuple[str, ...]:
        """The source blocks (``0.0.0.0/0`` when the rule names no source at all)."""
        if not self.source_ranges and not self.internal_sources:
            return (ANY_IPV4,)
        return self.source_ranges


def parse_rule(item: Mapping[str, Any]) -> FirewallRule:
    """A `FirewallRule` from one ``firewalls.list`` item."""
    allow = "allowed" in item
    entries = item.get("allowed" if allow else "denied") or []
    return FirewallRule(
        name=str(item.get("name", "")),
        network=str(item.get("network", "")).rsplit("/", 1)[-1],
        priority=int(item.get("priority", 1000)),
        allow=allow,
        ingress=str(item.get("direction", "INGRESS")) == "INGRESS",
        disabled=bool(item.get("disabled", False)),
        source_ranges=tuple(str(s) for s in item.get("sourceRanges") or []),
        internal_sources=bool(item.get("sourceTags") or item.get("sourceServiceAccounts")),
        target_tags=tuple(sorted(str(t) for t in item.get("targetTags") or [])),
        target_service_accounts=tuple(
            sorted(str(t) for t in item.get("targetServiceAccounts") or [])
        ),
        permits=tuple(_permit(e) for e in entries if isinstance(e, Mapping)),
        destination_ranges=tuple(str(d) for d in item.get("destinationRanges") or []),
    )


def _permit(entry: Mapping[str, Any]) -> Permit:
    # Google accepts protocol numbers ("6") as well as names ("tcp"); "all" is every one.
    protocol = canonical_protocol(entry.get("IPProtocol", ALL_PROTOCOLS))
    ranges = []
    for text in entry.get("ports") or []:
        low, _, high = str(text).partition("-")
        try:
            ranges.append((int(low), int(high or low)))
        except ValueError:
            continue
    return Permit(protocol=protocol, ports=merge_ranges(ranges))


def covers_targets(deny: FirewallRule, allow: FirewallRule) -> bool:
    """True when `deny` applies to every instance `allow` applies to."""
    if not deny.target_tags and not deny.target_service_accounts:
        return True  # the whole network
    if allow.target_tags:
        return set(allow.target_tags) <= set(deny.target_tags)
    if allow.target_service_accounts:
        return set(allow.target_service_accounts) <= set(deny.target_service_accounts)
    return False  # the allow reaches every instance; the deny only some


def covers_destinations(deny: FirewallRule, allow: FirewallRule) -> bool:
    """True when `deny` applies to every destination address `allow` applies to.

    A deny without ``destinationRanges`` matches any destination. One with them covers
    only an allow whose own destination ranges all lie inside the deny's (an allow with
    none reaches every address of its targets, so a ranged deny leaves some open).
    """
    if not deny.destination_ranges:
        return True
    if not allow.destination_ranges:
        return False
    if any(parse_network(d) is None for d in allow.destination_ranges):
        return False  # an address the allow names but this code cannot place
    return not difference(allow.destination_ranges, deny.destination_ranges)


def winning_denies(allow: FirewallRule, rules: Iterable[FirewallRule]) -> list[FirewallRule]:
    """The deny rules evaluated before `allow` for all of its targets and destinations.

    Ties of priority go to the deny.
    """
    return [
        rule
        for rule in rules
        if not rule.allow
        and rule.ingress
        and not rule.disabled
        and rule.network == allow.network
        and rule.priority <= allow.priority
        and covers_targets(rule, allow)
        and covers_destinations(rule, allow)
    ]


def internet_ingress(
    allow: FirewallRule, rules: Sequence[FirewallRule]
) -> tuple[InternetIngress, ...]:
    """What `allow` still lets in from the internet after the deny rules that win over it."""
    if not allow.allow or not allow.ingress or allow.disabled:
        return ()
    sources = allow.internet_sources
    if not is_internet(sources):
        return ()
    denies = winning_denies(allow, rules)
    found: list[InternetIngress] = []
    for permit in allow.permits:
        if permit.protocol == ALL_PROTOCOLS and not denies:
            found.append(InternetIngress(ALL_PROTOCOLS, None, None, tuple(sources)))
            continue
        protocols = list(PORT_PROTOCOLS) if permit.protocol == ALL_PROTOCOLS else [permit.protocol]
        for protocol in protocols:
            found.extend(_open(protocol, permit.ports, sources, denies))
    return tuple(sorted(set(found), key=lambda i: (i.protocol, i.from_port or 0)))


def _open(
    protocol: str,
    ports: tuple[PortRange, ...],
    sources: Sequence[str],
    denies: Sequence[FirewallRule],
) -> list[InternetIngress]:
    has_ports = protocol in PORT_PROTOCOLS
    allowed = ports or ((FULL,) if has_ports else ((0, 0),))
    blocked: list[tuple[PortRange, tuple[str, ...]]] = [
        (span if has_ports else (0, 0), deny.internet_sources)
        for deny in denies
        for permit in deny.permits
        if permit.protocol in (ALL_PROTOCOLS, protocol)
        for span in (permit.ports or (FULL,))
    ]
    edges = sorted(
        {low for low, _ in allowed}
        | {high + 1 for _, high in allowed}
        | {low for (low, _), _ in blocked}
        | {high + 1 for (_, high), _ in blocked}
    )
    spans: list[tuple[PortRange, tuple[str, ...]]] = []
    for low, nxt in itertools.pairwise(edges):
        if not any(a <= low and nxt - 1 <= b for a, b in allowed):
            continue
        taken = [s for (a, b), found in blocked if a <= low and nxt - 1 <= b for s in found]
        left = tuple(str(n) for n in difference(sources, taken))
        if not left or not is_internet(left):
            continue
        if spans and spans[-1][0][1] + 1 == low and spans[-1][1] == left:
            spans[-1] = ((spans[-1][0][0], nxt - 1), left)
        else:
            spans.append(((low, nxt - 1), left))
    return [
        InternetIngress(protocol, low if has_ports else None, high if has_ports else None, left)
        for (low, high), left in spans
    ]


def difference(blocks: Iterable[str], taken: Iterable[str]) -> tuple[Network, ...]:
    """The addresses of `blocks` not in `taken`, collapsed."""
    left: list[Network] = list(union(blocks))
    for cut in union(taken):
        kept: list[Network] = []
        for part in left:
            if part.version != cut.version or not part.overlaps(cut):
                kept.append(part)
            elif part.subnet_of(cut):  # type: ignore[arg-type]
                continue
            else:
                kept.extend(part.address_exclude(cut))  # type: ignore[arg-type]
        left = kept
    return union(left)
