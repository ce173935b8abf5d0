"""Network security groups evaluated as Azure evaluates them (pure functions)."""

from __future__ import annotations

from typing import Any

from providers.azure.nsg import inbound, open_ports

DEFAULTS = [
    {"name": "AllowVnetInBound", "properties": {
        "priority": 65000, "direction": "Inbound", "access": "Allow", "protocol": "*",
        "sourceAddressPrefix": "VirtualNetwork", "destinationPortRange": "*"}},
    {"name": "AllowAzureLoadBalancerInBound", "properties": {
        "priority": 65001, "direction": "Inbound", "access": "Allow", "protocol": "*",
        "sourceAddressPrefix": "AzureLoadBalancer", "destinationPortRange": "*"}},
    {"name": "DenyAllInBound", "properties": {
        "priority": 65500, "direction": "Inbound", "access": "Deny", "protocol": "*",
        "sourceAddressPrefix": "*", "destinationPortRange": "*"}},
]


def rule(name: str, priority: int, access: str, port: str, source: str = "*",
         protocol: str = "Tcp", **extra: Any) -> dict[str, Any]:
    return {"name": name, "properties": {
        "priority": priority, "direction": "Inbound", "access": access, "protocol": protocol,
        "sourceAddressPrefix": source, "destinationPortRange": port, **extra}}


def tcp(*rules: dict[str, Any]) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    return open_ports(inbound([*rules, *DEFAULTS]), "tcp")


def test_default_rules_open_nothing() -> None:
    assert tcp() == []


def test_allow_from_internet_opens_the_port() -> None:
    assert tcp(rule("ssh", 100, "Allow", "22", "Internet")) == [((22, 22), ("ssh",))]
    assert tcp(rule("web", 100, "Allow", "80-443", "0.0.0.0/0")) == [((80, 443), ("web",))]


def test_higher_priority_deny_overrides_a_lower_priority_allow() -> None:
    assert tcp(rule("deny-ssh", 100, "Deny", "22"), rule("ssh", 200, "Allow", "22")) == []
    # The other way round the Allow decides first.
    assert tcp(rule("ssh", 100, "Allow", "22"), rule("deny-ssh", 200, "Deny", "22")) == [
        ((22, 22), ("ssh",))]


def test_a_deny_of_part_of_a_range_splits_it() -> None:
    assert tcp(rule("deny-3389", 100, "Deny", "3389"), rule("all", 200, "Allow", "*")) == [
        ((0, 3388), ("all",)), ((3390, 65535), ("all",))]


def test_halves_of_the_internet_add_up() -> None:
    assert tcp(rule("low", 100, "Allow", "5432", "0.0.0.0/1"),
               rule("high", 110, "Allow", "5432", "128.0.0.0/1")) == [
        ((5432, 5432), ("low", "high"))]
    assert tcp(rule("low", 100, "Allow", "5432", "0.0.0.0/1")) == []


def test_private_sources_service_tags_and_udp_do_not_count() -> None:
    assert tcp(rule("vnet", 100, "Allow", "22", "10.0.0.0/8"),
               rule("lb", 110, "Allow", "22", "AzureLoadBalancer"),
               rule("dns", 120, "Allow", "53", protocol="Udp")) == []
    assert open_ports(inbound([rule("dns", 120, "Allow", "53", protocol="Udp"), *DEFAULTS]),
                      "udp") == [((53, 53), ("dns",))]


def test_prefix_lists_and_port_lists() -> None:
    assert tcp(rule("db", 100, "Allow", "", "", destinationPortRanges=["1433", "3306"],
                    sourceAddressPrefixes=["0.0.0.0/1", "128.0.0.0/1"])) == [
        ((1433, 1433), ("db",)), ((3306, 3306), ("db",))]


def test_outbound_rules_are_ignored() -> None:
    out = rule("egress", 100, "Allow", "*")
    out["properties"]["direction"] = "Outbound"
    assert tcp(out) == []
