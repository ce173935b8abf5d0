"""Network ACL evaluation: rule-number order, DENY before a later ALLOW, coverage of sources.

Beyond the worked cases, a property test checks `allowed_sources` against a brute-force
evaluator that walks the entries in order for sample addresses, as AWS does per packet.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.aws.nacl_analysis import (
    MalformedAclEntry,
    _entries,
    acl_internet_ingress,
    allowed_sources,
)


def entry(
    number: int,
    action: str,
    cidr: str,
    protocol: str = "-1",
    ports: tuple[int, int] | None = None,
    egress: bool = False,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "RuleNumber": number,
        "RuleAction": action,
        "Protocol": protocol,
        "Egress": egress,
        "Ipv6CidrBlock" if ":" in cidr else "CidrBlock": cidr,
    }
    if ports:
        item["PortRange"] = {"From": ports[0], "To": ports[1]}
    return item


DEFAULT_DENY = [entry(32767, "deny", "0.0.0.0/0"), entry(32768, "deny", "::/0")]


def summary(entries: list[dict[str, Any]]) -> list[tuple[str, int | None, int | None]]:
    return [(i.protocol, i.from_port, i.to_port) for i in acl_internet_ingress(entries)]


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        # AWS's default ACL: everything from everywhere.
        ([entry(100, "allow", "0.0.0.0/0"), *DEFAULT_DENY], [("all", None, None)]),
        ([entry(100, "allow", "::/0"), *DEFAULT_DENY], [("all", None, None)]),
        # The same, split into two /1 halves on two entries.
        (
            [entry(100, "allow", "0.0.0.0/1"), entry(110, "allow", "128.0.0.0/1"), *DEFAULT_DENY],
            [("all", None, None)],
        ),
        # An earlier DENY of everything shuts out the later ALLOW.
        ([entry(90, "deny", "0.0.0.0/0"), entry(100, "allow", "0.0.0.0/0"), *DEFAULT_DENY], []),
        # A later DENY changes nothing: the ALLOW already decided.
        (
            [entry(100, "allow", "0.0.0.0/0"), entry(110, "deny", "0.0.0.0/0"), *DEFAULT_DENY],
            [("all", None, None)],
        ),
        # SSH denied first: everything but tcp 22 stays open, so not "all" any more.
        (
            [
                entry(90, "deny", "0.0.0.0/0", "6", (22, 22)),
                entry(100, "allow", "0.0.0.0/0"),
                *DEFAULT_DENY,
            ],
            [("tcp", 0, 21), ("tcp", 23, 65535), ("udp", 0, 65535)],
        ),
        # Denying one half first leaves a /1: still wider than a /8, still the internet.
        (
            [entry(90, "deny", "0.0.0.0/1"), entry(100, "allow", "0.0.0.0/0"), *DEFAULT_DENY],
            [("all", None, None)],
        ),
        # Private and narrow sources are never the internet.
        ([entry(100, "allow", "10.0.0.0/8"), entry(110, "allow", "203.0.113.0/24")], []),
        # HTTPS only; protocol numbers and names both read.
        ([entry(100, "allow", "0.0.0.0/0", "tcp", (443, 443))], [("tcp", 443, 443)]),
        ([entry(100, "allow", "0.0.0.0/0", "17", (53, 53))], [("udp", 53, 53)]),
        # Outbound entries are not inbound access.
        ([entry(100, "allow", "0.0.0.0/0", egress=True)], []),
    ],
)
def test_worked_cases(entries: list[dict[str, Any]], expected: list[Any]) -> None:
    assert summary(entries) == expected


def test_port_spans_from_different_entries_merge_and_sources_unite() -> None:
    found = acl_internet_ingress(
        [
            entry(100, "allow", "12.0.0.0/8", "6", (3389, 3389)),
            entry(110, "allow", "13.0.0.0/8", "6", (3000, 4000)),
            entry(120, "allow", "0.0.0.0/0", "6", (1, 1024)),
            entry(130, "allow", "0.0.0.0/0", "6", (1025, 2000)),
        ]
    )
    assert [(i.protocol, i.from_port, i.to_port) for i in found] == [
        ("tcp", 1, 2000),
        ("tcp", 3389, 3389),
    ]
    assert found[1].sources == ("12.0.0.0/7",)


SAMPLES = [
    ipaddress.ip_address(a)
    for a in ("1.2.3.4", "10.1.1.1", "64.0.0.1", "128.0.0.1", "200.1.2.3", "255.255.255.254")
]
BLOCKS = ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8", "64.0.0.0/2", "200.0.0.0/8"]


def brute_force(entries: list[dict[str, Any]], address: Any, port: int) -> bool:
    """AWS's own walk for one tcp packet: the first matching entry by number decides."""
    for item in sorted(entries, key=lambda e: e["RuleNumber"]):
        if item["Protocol"] not in ("-1", "6"):
            continue
        # Every protocol means every port: AWS ignores a port range given with -1.
        span = item.get("PortRange") if item["Protocol"] == "6" else None
        low, high = (span or {"From": 0, "To": 65535}).values()
        if not low <= port <= high or address not in ipaddress.ip_network(item["CidrBlock"]):
            continue
        return bool(item["RuleAction"] == "allow")
    return False


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 300),
            st.sampled_from(["allow", "deny"]),
            st.sampled_from(BLOCKS),
            st.sampled_from(["-1", "6"]),
            st.sampled_from([None, (22, 22), (0, 1000), (443, 443)]),
        ),
        max_size=6,
        unique_by=lambda t: t[0],
    ),
    st.sampled_from([22, 443, 999, 5000]),
)
def test_allowed_sources_agree_with_a_per_packet_walk(raw: list[Any], port: int) -> None:
    entries = [entry(n, a, c, p, r) for n, a, c, p, r in raw]
    allowed = [ipaddress.ip_network(s) for s in allowed_sources(_entries(entries), "tcp", port)]
    for address in SAMPLES:
        expected = brute_force(entries, address, port)
        assert any(address in n for n in allowed) is expected, (raw, port, address)


@pytest.mark.parametrize("action", [None, "", "permit"])
def test_an_entry_without_a_known_action_is_malformed_never_a_deny(action: Any) -> None:
    entry: dict[str, Any] = {"RuleNumber": 100, "Protocol": "-1", "CidrBlock": "0.0.0.0/0"}
    if action is not None:
        entry["RuleAction"] = action
    with pytest.raises(MalformedAclEntry, match="action"):
        _entries([entry])
