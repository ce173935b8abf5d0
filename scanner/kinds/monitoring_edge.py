"""Monitoring and edge facts: posture, external access, log alarms, certificates, WAF.

* `monitoring.security_center` (region singleton): whether the cloud's security posture
  service (AWS Security Hub) is enabled.
* `monitoring.access_analysis` (region singleton): the external-access analyzers (IAM
  Access Analyzer) of the region; `monitoring.external_access` is one resource another
  account or the public can reach, as the analyzer reported it (its active findings).
* `monitoring.log_alerting` (region singleton): the metric filters on log groups, already
  interpreted into the security events each one matches, and the alarms on metrics.
* `network.tls_certificate`: a managed TLS certificate, its expiry and what uses it.
* `network.web_acl`: one web application firewall ACL, what it protects and whether it
  logs; `network.web_acl_coverage` (region singleton) lists everything any web ACL of the
  region protects, so a rule can tell "no firewall" from "not read".

A fact that could not be read is `None`; `False` or an empty tuple means "read, and not
configured". Ages and times to expiry are whole units counted at collection time, so an
offline re-evaluation of a snapshot gives the same findings.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class SecurityCenter:
    """A region's security posture service (AWS Security Hub).

    `enabled` is False when the account is definitely not subscribed in the region, None
    when that could not be read (AccessDenied, throttling).
    """

    KIND: ClassVar[str] = "monitoring.security_center"

    enabled: bool | None = None
    subscribed_at: str | None = None


class AnalyzerScope(enum.StrEnum):
    """Whose resources an external-access analyzer judges trust against."""

    ACCOUNT = "account"
    ORGANIZATION = "organization"
    OTHER = "other"  # unused-access or internal-access analyzers: not external access


@dataclass(frozen=True)
class Analyzer:
    """One access analyzer of a region.

    `findings_listed` is True when its active findings were read, None when that failed
    (and for analyzers whose findings are not external access, which are not read).
    """

    name: str
    scope: AnalyzerScope
    status: str
    findings_listed: bool | None = None

    @property
    def external_access(self) -> bool:
        """True for an active analyzer that reports external access (account or org)."""
        return self.scope is not AnalyzerScope.OTHER and self.status.upper() == "ACTIVE"


@dataclass(frozen=True)
class AccessAnalysis:
    """The access analyzers of one region (None when they could not be listed).

    `organization_id` is the AWS Organization the account belongs to: an organization
    analyzer lives in the management or delegated administrator account and covers every
    member, though a member's own listing does not show it. ``""`` means the account is in
    no organization; None that it could not be read (or a snapshot older than the fact).
    """

    KIND: ClassVar[str] = "monitoring.access_analysis"

    analyzers: tuple[Analyzer, ...] | None = None
    organization_id: str | None = None

    @property
    def organization_analyzer(self) -> Analyzer | None:
        """The first active organization analyzer listed here (None without one)."""
        return next(
            (
                a
                for a in self.analyzers or ()
                if a.scope is AnalyzerScope.ORGANIZATION and a.external_access
            ),
            None,
        )


@dataclass(frozen=True)
class ExternalAccessGrant:
    """One active finding: who outside the zone of trust can do what.

    `principals` are ``"<type>=<value>"`` pairs as the analyzer named them (``AWS=*``,
    ``AWS=111122223333``); `condition_keys` the condition keys that limit the grant.
    """

    finding_id: str
    analyzer: str
    is_public: bool
    principals: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    condition_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExternalAccess:
    """A resource that an external-access analyzer reports as reachable from outside.

    `resource_uid` is the resource the findings name (it may also be in the snapshot as a
    resource of its own kind); `owner_account` the account that owns it.
    """

    KIND: ClassVar[str] = "monitoring.external_access"

    resource_uid: str
    resource_type: str
    owner_account: str
    grants: tuple[ExternalAccessGrant, ...]


class SecurityEvent(enum.StrEnum):
    """The security-relevant audit events a log alarm is expected to catch."""

    ROOT_USAGE = "root-usage"
    CONSOLE_SIGNIN_FAILURE = "console-signin-failure"
    IAM_POLICY_CHANGE = "iam-policy-change"
    SECURITY_GROUP_CHANGE = "security-group-change"
    NETWORK_ACL_CHANGE = "network-acl-change"
    ROUTE_TABLE_CHANGE = "route-table-change"
    NETWORK_GATEWAY_CHANGE = "network-gateway-change"


# The four network changes a network-change alarm must cover between them.
NETWORK_CHANGES = (
    SecurityEvent.SECURITY_GROUP_CHANGE,
    SecurityEvent.NETWORK_ACL_CHANGE,
    SecurityEvent.ROUTE_TABLE_CHANGE,
    SecurityEvent.NETWORK_GATEWAY_CHANGE,
)


@dataclass(frozen=True)
class MetricFilter:
    """One metric filter on a log group, as the provider interpreted its pattern.

    `matches` are the security events whose every representative audit record the pattern
    matches; `parsed` is False when the pattern could not be understood (then `matches` is
    empty and says nothing). `metrics` are ``namespace/name`` of the metrics it feeds.
    """

    name: str
    log_group_uid: str
    pattern: str
    metrics: tuple[str, ...]
    matches: tuple[SecurityEvent, ...]
    parsed: bool = True


@dataclass(frozen=True)
class MetricAlarm:
    """One alarm on one or more metrics (``namespace/name``).

    `notifies` is True when its actions are enabled and it has at least one alarm action
    (a notification or an automated response).
    """

    name: str
    metrics: tuple[str, ...]
    notifies: bool


@dataclass(frozen=True)
class LogAlerting:
    """The metric filters and alarms of one region (each None when unreadable).

    `log_group_prefix` is the uid prefix every log group of this account and region
    shares, so a rule can tell whether a log group is in this region's scope.
    """

    KIND: ClassVar[str] = "monitoring.log_alerting"

    log_group_prefix: str
    filters: tuple[MetricFilter, ...] | None = None
    alarms: tuple[MetricAlarm, ...] | None = None


@dataclass(frozen=True)
class TlsCertificate:
    """A managed TLS certificate.

    `days_to_expiry` is whole days from collection to `not_after` (negative: expired);
    both None when the certificate has no validity yet (not issued). `in_use_by` are the
    uids of the load balancers, distributions and APIs that serve it (None: unreadable).
    """

    KIND: ClassVar[str] = "network.tls_certificate"

    domain_name: str
    status: str
    certificate_type: str
    not_after: str | None
    days_to_expiry: int | None
    in_use_by: tuple[str, ...] | None


@dataclass(frozen=True)
class WebAcl:
    """One web application firewall ACL (AWS WAF web ACL).

    `scope` is ``regional`` or ``global`` (CloudFront). `protected` are the uids of the
    resources it is associated with (None: unreadable); `logging_enabled` whether its
    traffic is logged (None: unreadable), to `log_destinations`.
    """

    KIND: ClassVar[str] = "network.web_acl"

    scope: str
    protected: tuple[str, ...] | None
    logging_enabled: bool | None
    log_destinations: tuple[str, ...] = ()


@dataclass(frozen=True)
class WebAclCoverage:
    """Everything the web ACLs of one region protect.

    `complete` is False when the ACLs, or the associations of one of them, could not be
    read: then a resource missing from `protected` may still be protected.
    """

    KIND: ClassVar[str] = "network.web_acl_coverage"

    protected: tuple[str, ...]
    complete: bool
