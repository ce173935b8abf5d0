"""Network security groups evaluated as Azure evaluates them (pure functions)."""

from __future__ import annotations

from typing import Any

from providers.azure.nsg import inbound, open_ports

DEFAULTS = [
    {
        "name": "AllowVnetInBound",
        "properties": {
            "priority": 65000,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "*",
            "sourceAddressPrefix": "VirtualNetwork",
            "destinationPortRange": "*",
        },
    },
    {
        "name": "AllowAzureLoadBalancerInBound",
        "properties": {
            "priority": 65001,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "*",
            "sourceAddressPrefix": "AzureLoadBalancer",
            "destinationPortRange": "*",
        },
    },
    {
        "name": "DenyAllInBound",
        "properties": {
            "priority": 65500,
            "direction": "Inbound",
            "access": "Deny",
            "protocol": "*",
            "sourceAddressPrefix": "*",
            "destinationPortRange": "*",
        },
    },
]


def rule(
    name: str,
    priority: int,
    access: str,
    port: str,
    source: str = "*",
    protocol: str = "Tcp",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "properties": {
            "priority": priority,
            "direction": "Inbound",
            "access": access,
            "protocol": protocol,
            "sourceAddressPrefix": source,
            "destinationPortRange": port,
            **extra,
        },
    }


def tcp(*rules: dict[str, Any]) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    return open_ports(inbound([*rules, *DEFAULTS]), "tcp")


def test_default_rules_open_nothing() -> None:
    assert tcp() == []


def test_allow_from_internet_opens_the_port() -> None:
    assert tcp(rule("ssh", 100, "Allow", "22", "Internet")) == [((22, 22), ("Internet",))]
    assert tcp(rule("web", 100, "Allow", "80-443", "0.0.0.0/0")) == [((80, 443), ("0.0.0.0/0",))]
    assert tcp(rule("v6", 100, "Allow", "22", "::/0")) == [((22, 22), ("::/0",))]


def test_higher_priority_deny_overrides_a_lower_priority_allow() -> None:
    assert tcp(rule("deny-ssh", 100, "Deny", "22"), rule("ssh", 200, "Allow", "22")) == []
    # The other way round the Allow decides first.
    assert tcp(rule("ssh", 100, "Allow", "22"), rule("deny-ssh", 200, "Deny", "22")) == [
        ((22, 22), ("*",))
    ]


def test_a_deny_of_part_of_a_range_splits_it() -> None:
    assert tcp(rule("deny-3389", 100, "Deny", "3389"), rule("all", 200, "Allow", "*")) == [
        ((0, 3388), ("*",)),
        ((3390, 65535), ("*",)),
    ]


def test_a_narrow_deny_does_not_close_an_internet_allow() -> None:
    # The internet less one address is still the internet (scanner.netcoverage).
    assert tcp(
        rule("deny-one", 100, "Deny", "22", "203.0.113.7"), rule("ssh", 200, "Allow", "22")
    ) == [((22, 22), ("*",))]
    # A Deny of every IPv4 address leaves IPv6 open.
    assert tcp(
        rule("deny-v4", 100, "Deny", "22", "0.0.0.0/0"), rule("ssh", 200, "Allow", "22")
    ) == [((22, 22), ("*",))]


def test_halves_of_the_internet_add_up() -> None:
    assert tcp(
        rule("low", 100, "Allow", "5432", "0.0.0.0/1"),
        rule("high", 110, "Allow", "5432", "128.0.0.0/1"),
    ) == [((5432, 5432), ("0.0.0.0/1", "128.0.0.0/1"))]
    # Half of IPv4 is still far wider than the netcoverage threshold: the internet.
    assert tcp(rule("low", 100, "Allow", "5432", "0.0.0.0/1")) == [((5432, 5432), ("0.0.0.0/1",))]
    assert tcp(rule("one", 100, "Allow", "5432", "203.0.113.0/24")) == []


def test_private_sources_service_tags_and_udp_do_not_count() -> None:
    assert (
        tcp(
            rule("vnet", 100, "Allow", "22", "10.0.0.0/8"),
            rule("lb", 110, "Allow", "22", "AzureLoadBalancer"),
            rule("dns", 120, "Allow", "53", protocol="Udp"),
        )
        == []
    )
    assert open_ports(
        inbound([rule("dns", 120, "Allow", "53", protocol="Udp"), *DEFAULTS]), "udp"
    ) == [((53, 53), ("*",))]


def test_prefix_lists_and_port_lists() -> None:
    assert tcp(
        rule(
            "db",
            100,
            "Allow",
            "",
            "",
            destinationPortRanges=["1433", "3306"],
            sourceAddressPrefixes=["1.0.0.0-9.255.255.255", "11.0.0.0/8"],
        )
    ) == [
        ((1433, 1433), ("1.0.0.0-9.255.255.255", "11.0.0.0/8")),
        ((3306, 3306), ("1.0.0.0-9.255.255.255", "11.0.0.0/8")),
    ]


def test_outbound_rules_are_ignored() -> None:
    out = rule("egress", 100, "Allow", "*")
    out["properties"]["direction"] = "Outbound"
    assert tcp(out) == []
