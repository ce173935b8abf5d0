"""Coverage arithmetic on address blocks and port ranges, shared by every cloud.

Firewalls and resource policies name sources as lists of CIDR blocks; what they allow is
the *union* of those blocks, however it is split (``0.0.0.0/1`` + ``128.0.0.0/1`` is the
whole IPv4 internet). Ports likewise: ``1-1024`` and ``1025-65535`` in two permissions is
every port. These helpers judge coverage, never spelling.

**What "the internet" is** (the documented threshold): a set of blocks is the internet
when its union covers all of IPv4 or all of IPv6, or when it contains one collapsed block
whose public part (what is left after removing RFC 1918, CGNAT, loopback, link-local,
multicast, reserved and unique-local IPv6 space) still holds a block wider than the
`Threshold`: by default wider than an IPv4 ``/8`` (a ``/7`` is some 33 million
addresses) or an IPv6 ``/16`` (far more than any one organisation is allocated). A union
of private blocks is never the internet however wide it is (``10.0.0.0/9`` +
``10.128.0.0/9`` is ``10.0.0.0/8``, private).
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

Network: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Threshold:
    """The widest public block that is still "somebody", per address family.

    A collapsed public block with a prefix *shorter* than `v4` (IPv4) or `v6` (IPv6) is
    the internet.
    """

    v4: int = 8
    v6: int = 16

    def wider(self, network: Network) -> bool:
        """True when `network` is wider than this threshold allows."""
        return network.prefixlen < (self.v4 if network.version == 4 else self.v6)


INTERNET = Threshold()

# Blocks that are not reachable from the public internet. Python's `is_global` is too
# eager for this purpose (it calls 100.64.0.0/10 and documentation ranges non-global but
# also marks 0.0.0.0/8 oddly); this list is explicit and reviewed.
_NON_PUBLIC = tuple(
    ipaddress.ip_network(block)
    for block in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
        "ff00::/8",
    )
)


def parse_network(text: str) -> Network | None:
    """A CIDR block (or single address) as a network, `None` when it is not one.

    Text after the block (``"10.0.0.0/8 (pl-123)"``, a note on where it came from) is
    ignored.
    """
    words = str(text).split()
    try:
        return ipaddress.ip_network(words[0] if words else "", strict=False)
    except ValueError:
        return None


def union(blocks: Iterable[str | Network]) -> tuple[Network, ...]:
    """The collapsed union of `blocks` (IPv4 first, then IPv6); unparsable entries dropped."""
    v4: list[ipaddress.IPv4Network] = []
    v6: list[ipaddress.IPv6Network] = []
    for block in blocks:
        network = block if not isinstance(block, str) else parse_network(block)
        if isinstance(network, ipaddress.IPv4Network):
            v4.append(network)
        elif isinstance(network, ipaddress.IPv6Network):
            v6.append(network)
    return (*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6))


def public_part(network: Network) -> tuple[Network, ...]:
    """The blocks of `network` left after removing every non-public range, collapsed."""
    parts: list[Network] = [network]
    for private in _NON_PUBLIC:
        if private.version != network.version:
            continue
        kept: list[Network] = []
        for part in parts:
            if part.subnet_of(private):  # type: ignore[arg-type]
                continue
            if private.subnet_of(part):  # type: ignore[arg-type]
                kept.extend(part.address_exclude(private))  # type: ignore[arg-type]
            else:
                kept.append(part)
        parts = kept
    return union(parts)


def is_internet(blocks: Iterable[str | Network], threshold: Threshold = INTERNET) -> bool:
    """True when the union of `blocks` is "the internet" (see the module's threshold)."""
    for network in union(blocks):
        if network.prefixlen == 0:
            return True
        if threshold.wider(network) and any(threshold.wider(p) for p in public_part(network)):
            return True
    return False


PortRange: TypeAlias = tuple[int, int]


def merge_ranges(ranges: Iterable[PortRange]) -> tuple[PortRange, ...]:
    """Inclusive integer ranges merged where they overlap or touch, sorted."""
    merged: list[PortRange] = []
    for low, high in sorted(r for r in ranges if r[0] <= r[1]):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def open_ranges(
    grants: Sequence[tuple[PortRange, str]], threshold: Threshold = INTERNET
) -> tuple[tuple[PortRange, tuple[str, ...]], ...]:
    """The port ranges whose allowed sources, together, are the internet.

    `grants` pairs a port range with one source block. A port is open when the union of
    the sources of every grant covering it is the internet; adjacent open stretches merge,
    and each merged range names the sources that opened it.
    """
    edges = sorted({low for (low, _), _ in grants} | {high + 1 for (_, high), _ in grants})
    found: list[tuple[PortRange, set[str]]] = []
    for low, nxt in itertools.pairwise(edges):
        sources = {source for (a, b), source in grants if a <= low and nxt - 1 <= b}
        if not sources or not is_internet(sources, threshold):
            continue
        if found and found[-1][0][1] + 1 == low:
            found[-1] = ((found[-1][0][0], nxt - 1), found[-1][1] | sources)
        else:
            found.append(((low, nxt - 1), set(sources)))
    return tuple((span, tuple(sorted(sources))) for span, sources in found)
