"""Traffic-delivery facts: load balancers and content-delivery (CDN) distributions.

Load balancers come in two kinds. `network.load_balancer` is a modern load balancer
(AWS ELBv2: application and network load balancers); `network.classic_load_balancer` is an
AWS classic ELB. They share every listener and logging fact, so rules about transport
encryption and access logs judge both kinds; only the modern kind has a deletion-protection
switch, so the deletion-protection rule targets it alone and a classic ELB is never judged
on a setting it cannot have (the engine has no "not applicable" status, and a PASS or
UNKNOWN there would be untrue).

A fact that could not be read is `None`; `False` or an empty tuple means "read, and off".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class LoadBalancerListener:
    """One listener (front-end port) of a load balancer, as the provider interpreted it.

    `default_action` is the terminal default action: ``forward``, ``redirect-https``,
    ``redirect`` (to a non-HTTPS location), ``fixed-response`` or ``authenticate``.
    `forwards_plaintext` is True for a plain-HTTP listener that passes requests on (anything
    but a redirect to HTTPS or a fixed response), by its default action or by any of its
    rules (`rule_actions`, the terminal action of each rule); `None` when the default does
    not forward and the rules could not be read. `encrypted` is True for HTTPS/TLS/SSL
    listeners; only those carry an `ssl_policy`, its `tls_protocols` and
    `allows_legacy_tls` (below TLS 1.2), which are None when the policy could not be read.
    Unencrypted listeners have an empty `tls_protocols` and `allows_legacy_tls` False.
    """

    port: int
    protocol: str
    default_action: str
    forwards_plaintext: bool | None
    encrypted: bool
    ssl_policy: str | None
    tls_protocols: tuple[str, ...] | None
    allows_legacy_tls: bool | None
    rule_actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class _LoadBalancerFacts:
    """The facts every load balancer kind shares (no KIND: not a kind of its own)."""

    lb_type: str
    scheme: str
    listeners: tuple[LoadBalancerListener, ...] | None
    access_logs_enabled: bool | None
    access_log_bucket: str | None


@dataclass(frozen=True)
class LoadBalancer(_LoadBalancerFacts):
    """A modern load balancer (AWS ELBv2 application or network load balancer).

    `lb_type` is ``application`` or ``network``; `deletion_protection` is the
    ``deletion_protection.enabled`` attribute.
    """

    KIND: ClassVar[str] = "network.load_balancer"

    deletion_protection: bool | None


@dataclass(frozen=True)
class ClassicLoadBalancer(_LoadBalancerFacts):
    """An AWS classic Elastic Load Balancer (`lb_type` ``classic``): no deletion protection."""

    KIND: ClassVar[str] = "network.classic_load_balancer"


@dataclass(frozen=True)
class CdnCacheBehavior:
    """One cache behavior: which path it serves, from which origin, over which protocols.

    `path_pattern` is ``*`` for the default behavior. `viewer_protocol_policy` is the API
    value: ``allow-all``, ``redirect-to-https`` or ``https-only``.
    """

    path_pattern: str
    target_origin_id: str
    viewer_protocol_policy: str


@dataclass(frozen=True)
class CdnOrigin:
    """One origin and whether the CDN may reach it over plain HTTP.

    `origin_type` is ``s3`` (an S3 REST endpoint), ``custom`` or ``vpc``. `protocol_policy`
    is the custom origin's ``OriginProtocolPolicy`` (``http-only``, ``https-only``,
    ``match-viewer``); S3 REST origins always behave as ``match-viewer``. `sends_plaintext`
    is True for ``http-only``, or ``match-viewer`` reached from a behavior that allows HTTP
    viewers; None when it cannot be told from the distribution (VPC origins).
    """

    id: str
    domain_name: str
    origin_type: str
    protocol_policy: str | None
    sends_plaintext: bool | None


@dataclass(frozen=True)
class CdnDistribution:
    """A content-delivery distribution (AWS CloudFront).

    `minimum_protocol_version` is the configured viewer TLS policy;
    `effective_minimum_protocol` is what viewers can actually negotiate (with the default
    ``*.cloudfront.net`` certificate CloudFront ignores the setting and accepts TLSv1).
    `logging_enabled` is the standard access log setting.
    """

    KIND: ClassVar[str] = "network.cdn_distribution"

    enabled: bool
    domain_name: str
    aliases: tuple[str, ...]
    cache_behaviors: tuple[CdnCacheBehavior, ...]
    origins: tuple[CdnOrigin, ...]
    default_certificate: bool
    minimum_protocol_version: str
    effective_minimum_protocol: str
    logging_enabled: bool | None
    log_bucket: str | None
