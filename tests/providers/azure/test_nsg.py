"""Network security groups evaluated as Azure evaluates them (pure functions).

Beyond the worked cases, a property test checks `open_ports` against a per-packet reference
that walks the rules for every (destination host, source port, source block) as Azure does:
whatever the reference finds open to the internet for some host, `open_ports` must report.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from providers.azure.nsg import inbound, open_ports
from scanner import netcoverage

DEFAULTS = [
    {
        "name": "AllowVnetInBound",
        "properties": {
            "priority": 65000,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "*",
            "sourceAddressPrefix": "VirtualNetwork",
            "sourcePortRange": "*",
            "destinationAddressPrefix": "VirtualNetwork",
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
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
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
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
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
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
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


def test_a_deny_aimed_at_one_host_leaves_the_others_open() -> None:
    ssh = rule("ssh", 200, "Allow", "22")
    one_host = rule(
        "deny-one-host", 100, "Deny", "22", "Internet", destinationAddressPrefix="10.0.0.5/32"
    )
    assert tcp(one_host, ssh) == [((22, 22), ("*",))]
    # The near miss: the same Deny aimed at every destination closes the port.
    everywhere = rule("deny-all-hosts", 100, "Deny", "22", "Internet")
    assert tcp(everywhere, ssh) == []
    vnet = rule(
        "deny-vnet", 100, "Deny", "22", "Internet", destinationAddressPrefix="VirtualNetwork"
    )
    assert tcp(vnet, ssh) == []


def test_a_deny_on_some_hosts_asgs_or_source_ports_removes_nothing() -> None:
    ssh = rule("ssh", 200, "Allow", "22")
    narrow = [
        rule(
            "hosts",
            100,
            "Deny",
            "22",
            destinationAddressPrefix="",
            destinationAddressPrefixes=["10.0.0.0/8", "172.16.0.0/12"],
        ),
        rule(
            "asg",
            100,
            "Deny",
            "22",
            destinationAddressPrefix="",
            destinationApplicationSecurityGroups=[{"id": "/asg/web"}],
        ),
        rule("src-port", 100, "Deny", "22", sourcePortRange="1024-65535"),
        rule(
            "src-ports",
            100,
            "Deny",
            "22",
            sourcePortRange="",
            sourcePortRanges=["0-1023", "1025-65535"],
        ),
    ]
    for deny in narrow:
        assert tcp(deny, ssh) == [((22, 22), ("*",))], deny["name"]
    # Source ports that add up to every port are every port.
    split = rule(
        "split", 100, "Deny", "22", sourcePortRange="", sourcePortRanges=["0-1023", "1024-65535"]
    )
    assert tcp(split, ssh) == []


def test_a_deny_on_one_address_family_removes_only_that_family() -> None:
    ssh = rule("ssh", 200, "Allow", "22")
    v4 = rule("deny-v4-hosts", 100, "Deny", "22", destinationAddressPrefix="0.0.0.0/0")
    assert tcp(v4, ssh) == [((22, 22), ("*",))]
    both = rule(
        "deny-both",
        100,
        "Deny",
        "22",
        destinationAddressPrefix="",
        destinationAddressPrefixes=["0.0.0.0/0", "::/0"],
    )
    assert tcp(both, ssh) == []


def test_an_allow_aimed_at_one_host_still_exposes_it() -> None:
    one_host = rule(
        "ssh-one", 100, "Allow", "22", "Internet", destinationAddressPrefix="10.0.0.5/32"
    )
    assert tcp(one_host) == [((22, 22), ("Internet",))]
    asg = rule(
        "ssh-asg",
        100,
        "Allow",
        "22",
        destinationAddressPrefix="",
        destinationApplicationSecurityGroups=[{"id": "/asg/web"}],
    )
    assert tcp(asg) == [((22, 22), ("*",))]


# --- property: no port open to the internet for some host is missed --------------------
SOURCES = (
    "*",
    "Internet",
    "0.0.0.0/1",
    "128.0.0.0/1",
    "203.0.113.0/24",
    "10.0.0.0/8",
    "::/0",
    "VirtualNetwork",
)
DESTINATIONS = ("*", "VirtualNetwork", "10.0.0.5/32", "10.0.0.0/24", "0.0.0.0/0", "::/0", "asg")
SOURCE_PORTS = ("*", "1024-65535", "0-65535")
# Hosts: (IPv4 address, IPv6 address, in the application security group).
HOSTS = (
    ("10.0.0.5", "fd00::5", True),
    ("10.0.0.6", "fd00::6", False),
    ("10.1.0.9", "fd00::9", False),
)
# Blocks that every SOURCES entry is a union of (IPv4 cut at the blocks named above).
ATOMS = (
    "10.0.0.0/8",
    "0.0.0.0/5",
    "8.0.0.0/7",
    "11.0.0.0/8",
    "12.0.0.0/6",
    "16.0.0.0/4",
    "32.0.0.0/3",
    "64.0.0.0/2",
    "203.0.113.0/24",
    "128.0.0.0/2",
    "192.0.0.0/5",
    "200.0.0.0/7",
    "202.0.0.0/8",
    "203.0.0.0/18",
    "203.0.64.0/19",
    "203.0.96.0/20",
    "203.0.112.0/24",
    "203.0.114.0/23",
    "203.0.116.0/22",
    "203.0.120.0/21",
    "203.0.128.0/17",
    "203.1.0.0/16",
    "203.2.0.0/15",
    "203.4.0.0/14",
    "203.8.0.0/13",
    "203.16.0.0/12",
    "203.32.0.0/11",
    "203.64.0.0/10",
    "203.128.0.0/9",
    "204.0.0.0/6",
    "208.0.0.0/4",
    "224.0.0.0/3",
    "::/0",
)


def _source_has(text: str, atom: str) -> bool:
    block = ipaddress.ip_network(atom)
    if text.lower() in ("*", "internet"):
        return True
    if text == "VirtualNetwork":
        return False
    named = ipaddress.ip_network(text)
    return named.version == block.version and block.subnet_of(named)  # type: ignore[arg-type]


def _destination_has(text: str, host: tuple[str, str, bool], version: int) -> bool:
    if text in ("*", "VirtualNetwork"):
        return True
    if text == "asg":
        return host[2]
    address = ipaddress.ip_address(host[0] if version == 4 else host[1])
    return address in ipaddress.ip_network(text)


def _source_port_has(text: str, port: int) -> bool:
    if text == "*":
        return True
    low, high = text.split("-")
    return int(low) <= port <= int(high)


def _reference_open(rules: list[tuple[int, bool, str, str, str]]) -> bool:
    """Port 22 open to the internet on some host from some source port, packet by packet."""
    for host in HOSTS:
        for source_port in (80, 5000):
            admitted = []
            for atom in ATOMS:
                version = ipaddress.ip_network(atom).version
                for _, allow, source, destination, src_ports in sorted(rules, key=lambda r: r[0]):
                    if (
                        _source_has(source, atom)
                        and _destination_has(destination, host, version)
                        and _source_port_has(src_ports, source_port)
                    ):
                        if allow:
                            admitted.append(atom)
                        break
            if netcoverage.is_internet(admitted):
                return True
    return False


def _as_arm(index: int, spec: tuple[int, bool, str, str, str]) -> dict[str, Any]:
    priority, allow, source, destination, src_ports = spec
    extra: dict[str, Any] = {"sourcePortRange": src_ports}
    if destination == "asg":
        extra |= {
            "destinationAddressPrefix": "",
            "destinationApplicationSecurityGroups": [{"id": "/asg/web"}],
        }
    else:
        extra["destinationAddressPrefix"] = destination
    return rule(f"r{index}", priority, "Allow" if allow else "Deny", "22", source, **extra)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(100, 4096),
            st.booleans(),
            st.sampled_from(SOURCES),
            st.sampled_from(DESTINATIONS),
            st.sampled_from(SOURCE_PORTS),
        ),
        max_size=5,
        unique_by=lambda r: r[0],
    )
)
def test_open_ports_misses_no_host_open_to_the_internet(
    specs: list[tuple[int, bool, str, str, str]],
) -> None:
    reported = tcp(*(_as_arm(i, s) for i, s in enumerate(specs)))
    opened = any(low <= 22 <= high for (low, high), _ in reported)
    if _reference_open(specs):
        assert opened
    everywhere = all(d in ("*", "VirtualNetwork") and p != "1024-65535" for _, _, _, d, p in specs)
    if everywhere:
        # Rules that apply to every host and source port are judged exactly.
        assert opened == _reference_open(specs)
