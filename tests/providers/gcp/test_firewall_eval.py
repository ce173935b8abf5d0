"""GCP firewall evaluation: priority, deny before allow, targets, disabled rules, coverage."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.gcp.firewall_eval import (
    covers_destinations,
    covers_targets,
    difference,
    internet_ingress,
    parse_rule,
)
from scanner.kinds.network import InternetIngress, canonical_protocol


def rule(
    name: str,
    *,
    allow: bool = True,
    priority: int = 1000,
    ports: tuple[str, ...] = (),
    protocol: str = "tcp",
    sources: tuple[str, ...] | None = ("0.0.0.0/0",),
    tags: tuple[str, ...] = (),
    accounts: tuple[str, ...] = (),
    disabled: bool = False,
    direction: str = "INGRESS",
    source_tags: tuple[str, ...] = (),
    network: str = "default",
    destinations: tuple[str, ...] = (),
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "network": f"projects/p/global/networks/{network}",
        "priority": priority,
        "direction": direction,
        "disabled": disabled,
        "allowed" if allow else "denied": [
            {"IPProtocol": protocol, **({"ports": list(ports)} if ports else {})}
        ],
    }
    if sources is not None:
        body["sourceRanges"] = list(sources)
    if tags:
        body["targetTags"] = list(tags)
    if accounts:
        body["targetServiceAccounts"] = list(accounts)
    if source_tags:
        body["sourceTags"] = list(source_tags)
    if destinations:
        body["destinationRanges"] = list(destinations)
    return body


def open_of(target: str, *items: dict[str, Any]) -> set[tuple[str, int | None, int | None]]:
    rules = [parse_rule(i) for i in items]
    (chosen,) = [r for r in rules if r.name == target]
    return {(i.protocol, i.from_port, i.to_port) for i in internet_ingress(chosen, rules)}


def test_an_allow_from_the_internet_is_open() -> None:
    assert open_of("ssh", rule("ssh", ports=("22",))) == {("tcp", 22, 22)}


def test_a_higher_priority_deny_overrides_it() -> None:
    assert (
        open_of(
            "ssh",
            rule("ssh", ports=("22",)),
            rule("no-ssh", allow=False, priority=900, ports=("22",)),
        )
        == set()
    )


def test_a_deny_of_equal_priority_wins() -> None:
    assert (
        open_of(
            "rdp",
            rule("rdp", ports=("3389",), priority=500),
            rule("no-rdp", allow=False, priority=500, ports=("3389",)),
        )
        == set()
    )


def test_a_lower_priority_deny_does_not() -> None:
    assert open_of(
        "ssh", rule("ssh", ports=("22",)), rule("no-ssh", allow=False, priority=2000, ports=("22",))
    ) == {("tcp", 22, 22)}


def test_a_deny_for_other_targets_does_not() -> None:
    assert open_of(
        "ssh",
        rule("ssh", ports=("22",), tags=("ops",)),
        rule("no-ssh", allow=False, priority=100, ports=("22",), tags=("db",)),
    ) == {("tcp", 22, 22)}
    # A deny on a subset of the allow's instances leaves the others open.
    assert open_of(
        "ssh",
        rule("ssh", ports=("22",)),
        rule("no-ssh", allow=False, priority=100, ports=("22",), tags=("db",)),
    ) == {("tcp", 22, 22)}
    # A deny naming every tag of the allow covers it; one with no target covers everything.
    assert (
        open_of(
            "ssh",
            rule("ssh", ports=("22",), tags=("ops",)),
            rule("no-ssh", allow=False, priority=100, ports=("22",), tags=("ops", "db")),
        )
        == set()
    )


def test_a_deny_in_another_network_or_disabled_or_egress_does_not() -> None:
    base = rule("ssh", ports=("22",))
    for deny in (
        rule("d", allow=False, priority=1, ports=("22",), network="other"),
        rule("d", allow=False, priority=1, ports=("22",), disabled=True),
        rule("d", allow=False, priority=1, ports=("22",), direction="EGRESS"),
    ):
        assert open_of("ssh", base, deny) == {("tcp", 22, 22)}


def test_a_partial_deny_splits_the_ports() -> None:
    assert open_of(
        "wide",
        rule("wide", ports=("20-25",)),
        rule("no-ssh", allow=False, priority=10, ports=("22",)),
    ) == {("tcp", 20, 21), ("tcp", 23, 25)}


def test_denies_that_add_up_to_the_internet_close_the_port() -> None:
    assert (
        open_of(
            "ssh",
            rule("ssh", ports=("22",)),
            rule("d1", allow=False, priority=10, ports=("22",), sources=("0.0.0.0/1",)),
            rule("d2", allow=False, priority=10, ports=("22",), sources=("128.0.0.0/1",)),
        )
        == set()
    )


def test_a_deny_of_a_small_block_leaves_the_internet_open() -> None:
    assert open_of(
        "ssh",
        rule("ssh", ports=("22",)),
        rule("d", allow=False, priority=10, ports=("22",), sources=("203.0.113.0/24",)),
    ) == {("tcp", 22, 22)}


def test_sources_that_add_up_to_the_internet_are_the_internet() -> None:
    assert open_of("db", rule("db", ports=("5432",), sources=("0.0.0.0/1", "128.0.0.0/1"))) == {
        ("tcp", 5432, 5432)
    }


@pytest.mark.parametrize("sources", [("10.0.0.0/8",), ("10.0.0.0/9", "10.128.0.0/9")])
def test_private_sources_are_not(sources: tuple[str, ...]) -> None:
    assert open_of("internal", rule("internal", protocol="all", sources=sources)) == set()


def test_source_tags_only_are_internal_and_no_source_is_everyone() -> None:
    assert (
        open_of("tagged", rule("tagged", ports=("22",), sources=None, source_tags=("bastion",)))
        == set()
    )
    assert open_of("bare", rule("bare", ports=("22",), sources=None)) == {("tcp", 22, 22)}


def test_disabled_allow_is_ignored() -> None:
    assert open_of("old", rule("old", protocol="all", disabled=True)) == set()


def test_all_protocols_stay_all_unless_a_deny_carves_them() -> None:
    assert open_of("any", rule("any", protocol="all")) == {("all", None, None)}
    assert open_of(
        "any", rule("any", protocol="all"), rule("d", allow=False, priority=10, ports=("22",))
    ) == {("tcp", 0, 21), ("tcp", 23, 65535), ("udp", 0, 65535)}


def test_only_https_open_is_reported_as_such() -> None:
    found = [parse_rule(rule("https", ports=("443",), tags=("web",)))]
    assert internet_ingress(found[0], found) == (InternetIngress("tcp", 443, 443, ("0.0.0.0/0",)),)


def test_difference() -> None:
    assert [str(n) for n in difference(["0.0.0.0/0"], ["0.0.0.0/1"])] == ["128.0.0.0/1"]
    assert difference(["10.0.0.0/8"], ["10.0.0.0/8"]) == ()
    assert [str(n) for n in difference(["::/0"], ["0.0.0.0/0"])] == ["::/0"]


def test_a_deny_aimed_at_one_destination_leaves_the_rest_open() -> None:
    # The near miss: the deny only matches packets to 10.0.0.5; every other instance of
    # the network still takes ssh from anywhere.
    assert open_of(
        "ssh",
        rule("ssh", ports=("22",)),
        rule("d", allow=False, priority=10, ports=("22",), destinations=("10.0.0.5/32",)),
    ) == {("tcp", 22, 22)}


@pytest.mark.parametrize(
    ("allowed_to", "denied_to", "expected"),
    [
        # The allow's destinations all lie inside the deny's: every packet it admits is denied.
        (("10.0.0.5/32",), ("10.0.0.0/24",), set()),
        (("10.0.0.0/25", "10.0.0.128/25"), ("10.0.0.0/24",), set()),
        # The allow reaches addresses the deny does not.
        (("10.0.0.0/24",), ("10.0.0.5/32",), {("tcp", 22, 22)}),
        (("10.0.0.5/32", "10.0.1.5/32"), ("10.0.0.0/24",), {("tcp", 22, 22)}),
        (("not-an-address",), ("0.0.0.0/0",), {("tcp", 22, 22)}),
        # An allow aimed at one destination still exposes it.
        (("10.0.0.5/32",), (), set()),
        (("10.0.0.5/32",), ("10.0.9.0/24",), {("tcp", 22, 22)}),
    ],
)
def test_destination_ranges_of_allow_and_deny(
    allowed_to: tuple[str, ...], denied_to: tuple[str, ...], expected: set[Any]
) -> None:
    assert (
        open_of(
            "ssh",
            rule("ssh", ports=("22",), destinations=allowed_to),
            rule("d", allow=False, priority=10, ports=("22",), destinations=denied_to),
        )
        == expected
    )


def test_an_allow_aimed_at_one_destination_is_still_open() -> None:
    assert open_of("ssh", rule("ssh", ports=("22",), destinations=("10.0.0.5/32",))) == {
        ("tcp", 22, 22)
    }


@pytest.mark.parametrize(
    ("allow_targets", "deny_targets", "expected"),
    [
        # A deny on some service accounts leaves an allow on every instance open.
        ({}, {"accounts": ("a@p.iam.gserviceaccount.com",)}, {("tcp", 22, 22)}),
        # Tags and service accounts never cover each other.
        ({"tags": ("web",)}, {"accounts": ("a@p.iam.gserviceaccount.com",)}, {("tcp", 22, 22)}),
        ({"accounts": ("a@p.iam.gserviceaccount.com",)}, {"tags": ("web",)}, {("tcp", 22, 22)}),
        # A deny naming every account the allow targets covers it.
        (
            {"accounts": ("a@p.iam.gserviceaccount.com",)},
            {"accounts": ("a@p.iam.gserviceaccount.com", "b@p.iam.gserviceaccount.com")},
            set(),
        ),
        ({"accounts": ("a@p.iam.gserviceaccount.com",)}, {}, set()),
        # An allow on two tags with a deny on one: instances with the other stay open.
        ({"tags": ("web", "ops")}, {"tags": ("web",)}, {("tcp", 22, 22)}),
    ],
)
def test_target_service_accounts_and_tags(
    allow_targets: dict[str, Any], deny_targets: dict[str, Any], expected: set[Any]
) -> None:
    assert (
        open_of(
            "ssh",
            rule("ssh", ports=("22",), **allow_targets),
            rule("d", allow=False, priority=10, ports=("22",), **deny_targets),
        )
        == expected
    )


@pytest.mark.parametrize(
    ("protocol", "ports", "expected"),
    [
        ("6", ("22",), {("tcp", 22, 22)}),
        ("17", ("53",), {("udp", 53, 53)}),
        ("TCP", ("22",), {("tcp", 22, 22)}),
        ("ALL", (), {("all", None, None)}),
        ("1", (), {("icmp", None, None)}),
        ("132", ("22",), {("sctp", None, None)}),
        ("47", (), {("47", None, None)}),
    ],
)
def test_protocol_numbers_are_the_protocols_they_name(
    protocol: str, ports: tuple[str, ...], expected: set[Any]
) -> None:
    assert open_of("r", rule("r", protocol=protocol, ports=ports)) == expected


def test_a_deny_by_number_closes_an_allow_by_name_and_back() -> None:
    assert (
        open_of(
            "ssh",
            rule("ssh", ports=("22",)),
            rule("d", allow=False, priority=10, protocol="6", ports=("22",)),
        )
        == set()
    )
    assert open_of(
        "any",
        rule("any", protocol="all"),
        rule("d", allow=False, priority=10, protocol="17"),
    ) == {("tcp", 0, 65535)}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6", "tcp"),
        (" Tcp ", "tcp"),
        ("17", "udp"),
        ("-1", "all"),
        ("all", "all"),
        ("1", "icmp"),
        ("58", "icmpv6"),
        ("132", "sctp"),
        ("47", "47"),
        ("esp", "esp"),
    ],
)
def test_canonical_protocol(raw: str, expected: str) -> None:
    assert canonical_protocol(raw) == expected


def test_an_entry_written_with_a_number_still_covers_its_ports() -> None:
    # Defence in depth: a provider that passes the number through is still judged.
    assert InternetIngress("6", 22, 22, ("0.0.0.0/0",)).covers_port(22)
    assert InternetIngress("17", 0, 65535, ("0.0.0.0/0",)).all_ports
    assert InternetIngress("-1", None, None, ("0.0.0.0/0",)).covers_port(3389)
    assert not InternetIngress("1", None, None, ("0.0.0.0/0",)).covers_port(22)


BLOCKS = st.builds(
    lambda third, last, prefix: f"10.0.{third}.{last}/{prefix}",
    st.integers(0, 3),
    st.sampled_from((0, 64, 128, 192)),
    st.sampled_from((24, 25, 26, 32)),
)
TARGETS = st.sampled_from(
    ({}, {"tags": ("web",)}, {"tags": ("web", "db")}, {"accounts": ("a@p.iam",)})
)


@settings(max_examples=300, deadline=None)
@given(
    allowed_to=st.lists(BLOCKS, max_size=3),
    denied_to=st.lists(BLOCKS, max_size=3),
    allow_targets=TARGETS,
    deny_targets=TARGETS,
)
def test_a_deny_subtracts_only_what_it_provably_covers(
    allowed_to: list[str],
    denied_to: list[str],
    allow_targets: dict[str, Any],
    deny_targets: dict[str, Any],
) -> None:
    allow = rule("ssh", ports=("22",), destinations=tuple(allowed_to), **allow_targets)
    deny = rule("d", allow=False, priority=10, ports=("22",), destinations=tuple(denied_to))
    deny.update(rule("d", allow=False, priority=10, ports=("22",), **deny_targets))
    if denied_to:
        deny["destinationRanges"] = list(denied_to)
    allow_rule, deny_rule = parse_rule(allow), parse_rule(deny)
    # Ground truth on addresses: every address the allow reaches is one the deny matches.
    reached, denied = addresses(allowed_to), addresses(denied_to)
    every_address = not denied_to or (bool(allowed_to) and reached <= denied)
    assert covers_destinations(deny_rule, allow_rule) is every_address
    closed = every_address and covers_targets(deny_rule, allow_rule)
    assert open_of("ssh", allow, deny) == (set() if closed else {("tcp", 22, 22)})


def addresses(blocks: list[str]) -> set[int]:
    """Every address of the blocks, one by one (they are at most a few /24s)."""
    return {int(a) for b in blocks for a in ipaddress.ip_network(b, strict=False)}
