"""Unit tests for the security-group interpretation helpers and the InternetIngress facts."""

from __future__ import annotations

from typing import Any

import pytest

from providers.aws.network_analysis import (
    internet_ingress,
    is_internet,
    normalise_protocol,
    prefix_list_ids,
)
from scanner.kinds.network import InternetIngress


def perm(
    protocol: str,
    from_port: int | None = None,
    to_port: int | None = None,
    v4: tuple[str, ...] = (),
    v6: tuple[str, ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "IpProtocol": protocol,
        "IpRanges": [{"CidrIp": c} for c in v4],
        "Ipv6Ranges": [{"CidrIpv6": c} for c in v6],
        **extra,
    }
    if from_port is not None:
        item["FromPort"] = from_port
    if to_port is not None:
        item["ToPort"] = to_port
    return item


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-1", "all"),
        (-1, "all"),
        ("tcp", "tcp"),
        ("TCP", "tcp"),
        ("6", "tcp"),
        ("17", "udp"),
        ("udp", "udp"),
        ("1", "icmp"),
        ("58", "icmpv6"),
        ("icmpv6", "icmpv6"),
        ("50", "50"),
    ],
)
def test_normalise_protocol(raw: Any, expected: str) -> None:
    assert normalise_protocol(raw) == expected


@pytest.mark.parametrize(
    ("cidr", "expected"),
    [
        ("0.0.0.0/0", True),
        ("::/0", True),
        ("::0/0", True),
        (" 0.0.0.0/0 ", True),
        ("10.0.0.1/0", True),  # a /0 written with host bits is still everything
        ("0.0.0.0/1", True),  # half the internet: a public block wider than /8
        ("2000::/3", True),  # every global-unicast IPv6 address
        ("8.0.0.0/7", True),
        ("8.0.0.0/8", False),  # exactly /8: not wider than the threshold
        ("10.0.0.0/7", False),  # its public part, 11.0.0.0/8, is not wider than /8
        ("10.0.0.0/8", False),
        ("172.31.0.0/16", False),
        ("224.0.0.0/3", False),  # multicast and reserved space only
        ("fc00::/7", False),
        ("2001:db8::/32", False),
        ("", False),
        ("not-a-cidr", False),
    ],
)
def test_is_internet(cidr: str, expected: bool) -> None:
    assert is_internet(cidr) is expected


def test_keeps_only_internet_sources_ipv4_and_ipv6() -> None:
    found, unresolved = internet_ingress(
        [
            perm("tcp", 22, 22, v4=("0.0.0.0/0", "10.0.0.0/8"), v6=("::/0", "2001:db8::/32")),
        ]
    )
    assert found == (
        InternetIngress("tcp", 22, 22, ("0.0.0.0/0", "10.0.0.0/8", "2001:db8::/32", "::/0")),
    )
    assert unresolved == ()


@pytest.mark.parametrize(
    "permissions",
    [
        # The original spelling: one /0.
        [perm("tcp", 22, 22, v4=("0.0.0.0/0",))],
        # Two /1 halves in one permission, and in two.
        [perm("tcp", 22, 22, v4=("0.0.0.0/1", "128.0.0.0/1"))],
        [
            perm("tcp", 22, 22, v4=("0.0.0.0/2",)),
            perm("tcp", 20, 30, v4=("64.0.0.0/2",)),
            perm("tcp", 22, 22, v4=("128.0.0.0/2", "192.0.0.0/2")),
        ],
        # IPv6 in halves; the protocol written as a number.
        [perm("6", 22, 22, v6=("::/1", "8000::/1"))],
        # A permission for every protocol from one half, tcp 22 from the other.
        [perm("-1", v4=("0.0.0.0/1",)), perm("tcp", 22, 22, v4=("128.0.0.0/1",))],
    ],
)
def test_split_internet_is_internet(permissions: list[dict[str, Any]]) -> None:
    found, _ = internet_ingress(permissions)
    assert any(i.covers_port(22) for i in found)


def test_halves_on_different_ports_open_only_their_overlap() -> None:
    found, _ = internet_ingress(
        [
            perm("tcp", 20, 25, v4=("10.0.0.0/8", "0.0.0.0/1")),
            perm("tcp", 22, 30, v4=("128.0.0.0/1",)),
        ]
    )
    # 0.0.0.0/1 alone is wider than /8 and public: 20-25 open; 128.0.0.0/1 too: 22-30.
    assert [(i.from_port, i.to_port) for i in found] == [(20, 30)]


@pytest.mark.parametrize(
    "permissions",
    [
        [perm("tcp", 22, 22, v4=("10.0.0.0/9", "10.128.0.0/9"))],  # private /8, split
        [perm("tcp", 22, 22, v4=("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))],
        [perm("tcp", 22, 22, v4=("8.0.0.0/8",)), perm("tcp", 22, 22, v4=("100.64.0.0/10",))],
        [perm("tcp", 22, 22, v6=("fc00::/7", "fe80::/10"))],
        [perm("tcp", 22, 22, UserIdGroupPairs=[{"GroupId": "sg-0123"}])],
    ],
)
def test_private_unions_are_not_internet(permissions: list[dict[str, Any]]) -> None:
    assert internet_ingress(permissions) == ((), ())


def test_prefix_lists_are_resolved_or_reported_unresolved() -> None:
    permissions = [
        perm("tcp", 22, 22, PrefixListIds=[{"PrefixListId": "pl-open"}]),
        perm("tcp", 5432, 5432, PrefixListIds=[{"PrefixListId": "pl-office"}]),
        perm("tcp", 3389, 3389, PrefixListIds=[{"PrefixListId": "pl-denied"}]),
    ]
    assert prefix_list_ids(permissions) == {"pl-open", "pl-office", "pl-denied"}
    found, unresolved = internet_ingress(
        permissions,
        {
            "pl-open": ("0.0.0.0/1", "128.0.0.0/1"),
            "pl-office": ("203.0.113.0/24",),
            "pl-denied": None,
        },
    )
    assert found == (
        InternetIngress("tcp", 22, 22, ("0.0.0.0/1 (pl-open)", "128.0.0.0/1 (pl-open)")),
    )
    assert unresolved == (InternetIngress("tcp", 3389, 3389, ("pl-denied",)),)


def test_all_protocols_has_no_port_range_and_covers_everything() -> None:
    found, _ = internet_ingress([perm("-1", v4=("0.0.0.0/0",)), perm("tcp", 22, 22, v6=("::/0",))])
    # Every protocol open: the narrower tcp entry adds nothing and is not repeated.
    assert found == (InternetIngress("all", None, None, ("0.0.0.0/0",)),)
    (entry,) = found
    assert entry.all_ports
    assert entry.covers_port(22)
    assert entry.covers_port(65535)


def test_port_ranges() -> None:
    (entry,), _ = internet_ingress([perm("tcp", 3000, 3400, v4=("0.0.0.0/0",))])
    assert entry.covers_port(3306)
    assert entry.covers_port(3000)
    assert entry.covers_port(3400)
    assert not entry.covers_port(2999)
    assert not entry.covers_port(3401)
    assert not entry.all_ports


@pytest.mark.parametrize(
    "permissions",
    [
        [perm("tcp", 0, 65535, v6=("::/0",))],
        [perm("tcp", 1, 65535, v4=("0.0.0.0/0",))],  # port 0 is reserved: still every port
        [perm("tcp", 1, 1024, v4=("0.0.0.0/0",)), perm("tcp", 1025, 65535, v6=("::/0",))],
        [
            perm("tcp", 0, 40000, v4=("0.0.0.0/1", "128.0.0.0/1")),
            perm("tcp", 30000, 65535, v4=("0.0.0.0/0",)),
        ],
    ],
)
def test_all_ports_by_union_of_ranges(permissions: list[dict[str, Any]]) -> None:
    found, _ = internet_ingress(permissions)
    assert [i.all_ports for i in found] == [True]


def test_near_miss_ranges_are_not_all_ports() -> None:
    found, _ = internet_ingress(
        [perm("tcp", 1, 1024, v4=("0.0.0.0/0",)), perm("tcp", 1026, 65535, v4=("0.0.0.0/0",))]
    )
    assert [(i.from_port, i.to_port, i.all_ports) for i in found] == [
        (1, 1024, False),
        (1026, 65535, False),
    ]
    found, _ = internet_ingress([perm("tcp", 2, 65535, v4=("0.0.0.0/0",))])
    assert [i.all_ports for i in found] == [False]


def test_full_tcp_range_is_all_ports_but_icmp_is_not() -> None:
    (icmp, tcp_all), _ = internet_ingress(
        [  # sorted by protocol name
            perm("tcp", 0, 65535, v6=("::/0",)),
            perm("icmp", 8, -1, v4=("0.0.0.0/0",)),
        ]
    )
    assert tcp_all.all_ports
    assert tcp_all.covers_port(5432)
    # ICMP FromPort/ToPort are type and code, not ports.
    assert icmp == InternetIngress("icmp", None, None, ("0.0.0.0/0",))
    assert not icmp.all_ports
    assert not icmp.covers_port(8)


def test_other_protocol_numbers_open_no_tcp_port() -> None:
    (esp,), _ = internet_ingress([perm("50", 0, 65535, v4=("0.0.0.0/0",))])
    assert esp.protocol == "50"
    assert not esp.covers_port(22)
    assert not esp.all_ports


def test_numeric_protocols_and_missing_ports() -> None:
    (tcp, udp), _ = internet_ingress(
        [  # sorted by protocol name
            perm("17", v4=("0.0.0.0/0",)),  # no ports given: every port of the protocol
            perm("6", 22, 22, v4=("0.0.0.0/0",)),
        ]
    )
    assert tcp == InternetIngress("tcp", 22, 22, ("0.0.0.0/0",))
    assert udp == InternetIngress("udp", 0, 65535, ("0.0.0.0/0",))
    assert udp.all_ports


def test_duplicates_collapse_and_order_is_stable() -> None:
    rules = [
        perm("tcp", 443, 443, v4=("0.0.0.0/0",)),
        perm("tcp", 22, 22, v4=("0.0.0.0/0",)),
        perm("tcp", 22, 22, v4=("0.0.0.0/0",)),
    ]
    assert internet_ingress(rules) == internet_ingress(list(reversed(rules)))
    assert [e.from_port for e in internet_ingress(rules)[0]] == [22, 443]
