"""Property and example tests of the CIDR-union and port-range coverage helpers."""

from __future__ import annotations

import ipaddress
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner import netcoverage
from scanner.netcoverage import Threshold, is_internet, merge_ranges, open_ranges, union

PRIVATE_V4 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")


def _split(
    network: ipaddress.IPv4Network | ipaddress.IPv6Network, depth_choices: list[int]
) -> list[str]:
    """Split `network` into subnets, each taken `depth_choices.pop()` bits deeper (or kept)."""
    if not depth_choices:
        return [str(network)]
    step = depth_choices.pop()
    if step == 0 or network.prefixlen + step > network.max_prefixlen:
        return [str(network)]
    parts: list[str] = []
    for sub in network.subnets(prefixlen_diff=step):
        parts.extend(_split(sub, depth_choices))
    return parts


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["0.0.0.0/0", "::/0"]),
    st.lists(st.integers(min_value=0, max_value=2), min_size=0, max_size=6),
    st.randoms(use_true_random=False),
)
def test_any_split_of_everything_is_the_internet(whole: str, steps: list[int], rnd: object) -> None:
    parts = _split(ipaddress.ip_network(whole), list(steps))
    rnd.shuffle(parts)  # type: ignore[attr-defined]
    assert is_internet(parts)
    # The union is exactly the whole space, whatever the split and order.
    assert union(parts) == (ipaddress.ip_network(whole),)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PRIVATE_V4),
            st.integers(min_value=0, max_value=14),
            st.integers(min_value=0, max_value=2**16),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_subset_of_private_space_is_never_the_internet(
    picks: list[tuple[str, int, int]],
) -> None:
    blocks = []
    for base, extra, index in picks:
        network = ipaddress.ip_network(base)
        prefix = min(32, network.prefixlen + extra)
        subnets = 2 ** (prefix - network.prefixlen)
        size = 2 ** (32 - prefix)
        start = int(network.network_address) + (index % subnets) * size
        blocks.append(f"{ipaddress.ip_address(start)}/{prefix}")
    assert not is_internet(blocks)
    assert not is_internet([*blocks, "fc00::/7", "fe80::/10"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=65534), max_size=8))
def test_ports_split_anywhere_still_cover_every_port(cuts: list[int]) -> None:
    edges = sorted({1, *cuts, 65536})
    grants = [((low, high - 1), "0.0.0.0/0") for low, high in itertools.pairwise(edges)]
    assert open_ranges(grants) == (((1, 65535), ("0.0.0.0/0",)),)
    assert merge_ranges(span for span, _ in grants) == ((1, 65535),)


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (["0.0.0.0/1", "128.0.0.0/1"], True),
        (["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"], True),
        (["::/1", "8000::/1"], True),
        (["8.0.0.0/8", "9.0.0.0/8"], True),  # two public /8s collapse into a /7
        # Near misses that must stay private or too narrow.
        (["10.0.0.0/9", "10.128.0.0/9"], False),
        (["8.0.0.0/8", "10.0.0.0/8"], False),  # not adjacent as one block
        (["0.0.0.0/1", "128.0.0.0/2"], True),  # half the internet alone is enough
        (["203.0.113.0/24"], False),
        ([], False),
    ],
)
def test_examples(blocks: list[str], expected: bool) -> None:
    assert is_internet(blocks) is expected


def test_threshold_is_a_parameter() -> None:
    assert not is_internet(["8.0.0.0/7"], Threshold(v4=4))
    assert is_internet(["8.0.0.0/8"], Threshold(v4=9))
    assert Threshold(v4=8, v6=16) == netcoverage.INTERNET
    # IPv6: a /15 of global unicast is the internet, a /16 is not.
    assert is_internet(["2400::/15"])
    assert not is_internet(["2400::/16"])
