"""The IP rules of an Azure resource firewall (``networkAcls``) as the addresses they admit.

Storage accounts and Key Vaults share the shape: ``defaultAction`` (``Allow``/``Deny``),
virtual-network rules, and ``ipRules`` of ``{"value": "203.0.113.0/24", "action":
"Allow"}`` (Key Vault's entries carry no action: every IP rule allows). With the default
action Deny, the IP rules are what the internet can still reach the resource from; whether
they add up to the internet is `scanner.netcoverage`'s judgement, the same on every cloud.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner import netcoverage


def allowed_ip_rules(acls: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The values of the Allow IP rules as listed; None when an entry cannot be read.

    An absent ``ipRules`` is ARM's way of saying there are none. A value that is not an
    address or a CIDR block makes the whole list unknown: what it admits cannot be judged.
    """
    rules = acls.get("ipRules")
    if rules is None:
        return ()
    if not isinstance(rules, list):
        return None
    found: list[str] = []
    for item in rules:
        if not isinstance(item, Mapping):
            return None
        if str(item.get("action") or "Allow").lower() != "allow":
            continue
        value = str(item.get("value") or "").strip()
        if netcoverage.parse_network(value) is None:
            return None
        found.append(value)
    return tuple(found)
