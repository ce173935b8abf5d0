"""Which Elastic Load Balancing SSL policies let a client negotiate anything below TLS 1.2.

Pure data and helpers, no API calls. ELBv2 (ALB/NLB) policies are read live with
``DescribeSSLPolicies``; classic ELB policies are read from the load balancer's own
``SSLNegotiationPolicyType`` policy, whose ``Protocol-*`` attributes list the protocols.
When only a ``Reference-Security-Policy`` name is known (emulators, partial answers), the
table of AWS's predefined classic policies below gives the protocols.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

MODERN_PROTOCOLS = frozenset({"TLSv1.2", "TLSv1.3"})
LEGACY_PROTOCOLS = frozenset({"SSLv2", "SSLv3", "TLSv1", "TLSv1.1"})

# A classic HTTPS/SSL listener created without a policy gets this predefined policy.
DEFAULT_CLASSIC_POLICY = "ELBSecurityPolicy-2016-08"

_TLS10_UP = ("TLSv1", "TLSv1.1", "TLSv1.2")

# Predefined security policies for Classic Load Balancers and the protocols each enables
# (AWS docs, "Predefined SSL security policies for Classic Load Balancers"). Older sample
# policies (ELBSecurityPolicy-2011-08, ELBSample-*) are left out on purpose: an unknown name
# gives an unknown answer rather than a guessed one.
CLASSIC_PREDEFINED: Mapping[str, tuple[str, ...]] = {
    "ELBSecurityPolicy-TLS-1-2-2017-01": ("TLSv1.2",),
    "ELBSecurityPolicy-TLS-1-1-2017-01": ("TLSv1.1", "TLSv1.2"),
    "ELBSecurityPolicy-2016-08": _TLS10_UP,
    "ELBSecurityPolicy-2015-05": _TLS10_UP,
    "ELBSecurityPolicy-2015-03": _TLS10_UP,
    "ELBSecurityPolicy-2015-02": _TLS10_UP,
    "ELBSecurityPolicy-2014-10": _TLS10_UP,
    "ELBSecurityPolicy-2014-01": ("SSLv3", *_TLS10_UP),
}

_PROTOCOL_PREFIX = "Protocol-"
_REFERENCE = "Reference-Security-Policy"


def normalise_protocol(name: str) -> str:
    """One spelling per protocol: ``TLSv1.0`` and ``TLSv1`` are both ``TLSv1``."""
    cleaned = name.strip()
    return "TLSv1" if cleaned in ("TLSv1.0", "TLSv1_0") else cleaned


def sorted_protocols(protocols: Iterable[str]) -> tuple[str, ...]:
    """Protocols normalised, de-duplicated and ordered from oldest to newest."""
    order = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
    unique = {normalise_protocol(p) for p in protocols}
    return tuple(sorted(unique, key=lambda p: (order.index(p) if p in order else len(order), p)))


def allows_legacy_tls(protocols: Iterable[str]) -> bool:
    """True when any of `protocols` is older than TLS 1.2 (SSLv2/v3, TLS 1.0, TLS 1.1)."""
    return any(normalise_protocol(p) in LEGACY_PROTOCOLS for p in protocols)


def elbv2_policy_protocols(policies: Sequence[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Map each policy name in a ``DescribeSSLPolicies`` answer to its protocols."""
    return {
        str(policy["Name"]): sorted_protocols(str(p) for p in policy.get("SslProtocols") or [])
        for policy in policies
        if policy.get("Name")
    }


def classic_policy_protocols(attributes: Sequence[Mapping[str, Any]]) -> tuple[str, ...] | None:
    """The protocols a classic ``SSLNegotiationPolicyType`` policy enables, or None if unknown.

    Real AWS lists every ``Protocol-*`` attribute as ``true``/``false``; when none is listed
    the ``Reference-Security-Policy`` name is looked up in `CLASSIC_PREDEFINED`.
    """
    listed = {
        str(a.get("AttributeName", ""))[len(_PROTOCOL_PREFIX) :]: str(a.get("AttributeValue"))
        for a in attributes
        if str(a.get("AttributeName", "")).startswith(_PROTOCOL_PREFIX)
    }
    if listed:
        return sorted_protocols(p for p, value in listed.items() if value.lower() == "true")
    reference = next(
        (str(a.get("AttributeValue")) for a in attributes if a.get("AttributeName") == _REFERENCE),
        None,
    )
    return classic_predefined_protocols(reference) if reference else None


def classic_predefined_protocols(name: str) -> tuple[str, ...] | None:
    """The protocols of a predefined classic policy, or None for a name not in the table."""
    return CLASSIC_PREDEFINED.get(name)
