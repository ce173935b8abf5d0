"""Unit tests for the security-group interpretation helpers and the InternetIngress facts."""

from __future__ import annotations

from typing import Any

import pytest

from providers.aws.network_analysis import internet_ingress, is_internet, normalise_protocol
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
        ("0.0.0.0/1", False),
        ("10.0.0.0/8", False),
        ("172.31.0.0/16", False),
        ("2001:db8::/32", False),
        ("", False),
        ("not-a-cidr", False),
    ],
)
def test_is_internet(cidr: str, expected: bool) -> None:
    assert is_internet(cidr) is expected


def test_keeps_only_internet_sources_ipv4_and_ipv6() -> None:
    found = internet_ingress(
        [
            perm("tcp", 22, 22, v4=("0.0.0.0/0", "10.0.0.0/8"), v6=("::/0", "2001:db8::/32")),
        ]
    )
    assert found == (
        InternetIngress("tcp", 22, 22, "0.0.0.0/0"),
        InternetIngress("tcp", 22, 22, "::/0"),
    )


def test_near_misses_are_not_internet() -> None:
    found = internet_ingress(
        [
            perm("tcp", 22, 22, v4=("10.0.0.0/16",)),
            perm("tcp", 3306, 3306, v4=("10.0.0.0/8",)),
            perm("tcp", 5432, 5432, PrefixListIds=[{"PrefixListId": "pl-0123"}]),
            perm("tcp", 22, 22, UserIdGroupPairs=[{"GroupId": "sg-0123"}]),
        ]
    )
    assert found == ()


def test_all_protocols_has_no_port_range_and_covers_everything() -> None:
    (entry,) = internet_ingress([perm("-1", v4=("0.0.0.0/0",))])
    assert entry == InternetIngress("all", None, None, "0.0.0.0/0")
    assert entry.all_ports
    assert entry.covers_port(22)
    assert entry.covers_port(65535)


def test_port_ranges() -> None:
    (entry,) = internet_ingress([perm("tcp", 3000, 3400, v4=("0.0.0.0/0",))])
    assert entry.covers_port(3306)
    assert entry.covers_port(3000)
    assert entry.covers_port(3400)
    assert not entry.covers_port(2999)
    assert not entry.covers_port(3401)
    assert not entry.all_ports


def test_full_tcp_range_is_all_ports_but_icmp_is_not() -> None:
    icmp, tcp_all = internet_ingress(
        [  # sorted by protocol name
            perm("tcp", 0, 65535, v6=("::/0",)),
            perm("icmp", 8, -1, v4=("0.0.0.0/0",)),
        ]
    )
    assert tcp_all.all_ports
    assert tcp_all.covers_port(5432)
    # ICMP FromPort/ToPort are type and code, not ports.
    assert icmp == InternetIngress("icmp", None, None, "0.0.0.0/0")
    assert not icmp.all_ports
    assert not icmp.covers_port(8)


def test_other_protocol_numbers_open_no_tcp_port() -> None:
    (esp,) = internet_ingress([perm("50", 0, 65535, v4=("0.0.0.0/0",))])
    assert esp.protocol == "50"
    assert not esp.covers_port(22)
    assert not esp.all_ports


def test_numeric_protocols_and_missing_ports() -> None:
    tcp, udp = internet_ingress(
        [  # sorted by protocol name
            perm("17", v4=("0.0.0.0/0",)),  # no ports given: every port of the protocol
            perm("6", 22, 22, v4=("0.0.0.0/0",)),
        ]
    )
    assert tcp == InternetIngress("tcp", 22, 22, "0.0.0.0/0")
    assert udp == InternetIngress("udp", 0, 65535, "0.0.0.0/0")
    assert udp.all_ports


def test_duplicates_collapse_and_order_is_stable() -> None:
    rules = [
        perm("tcp", 443, 443, v4=("0.0.0.0/0",)),
        perm("tcp", 22, 22, v4=("0.0.0.0/0",)),
        perm("tcp", 22, 22, v4=("0.0.0.0/0",)),
    ]
    assert internet_ingress(rules) == internet_ingress(list(reversed(rules)))
    assert [e.from_port for e in internet_ingress(rules)] == [22, 443]
