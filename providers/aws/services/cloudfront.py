"""CloudFront: every distribution of the account (a global service).

``ListDistributions`` (paged) already carries behaviors, origins and the viewer
certificate; the standard access-log setting is only in the full configuration, so
``GetDistributionConfig`` is called once per distribution, and ``ListTagsForResource``
once per distribution for the tags that put it in PHI scope.

Interpretation choices (pure helpers below, unit-tested):
* With the default ``*.cloudfront.net`` certificate CloudFront accepts TLSv1 whatever
  ``MinimumProtocolVersion`` says, so the effective minimum is ``TLSv1``.
* An S3 REST origin has no protocol setting: CloudFront reaches it with the protocol the
  viewer used (AWS: "match viewer, cannot be changed"). It and a ``match-viewer`` custom
  origin send plaintext only when a behavior routed to them (directly or through an origin
  group) allows HTTP viewers (``allow-all``). ``http-only`` always sends plaintext (S3
  website endpoints are custom origins and support nothing else).
* A VPC origin's protocol is a property of the separate VPC-origin resource, which is not
  read: its `sends_plaintext` is unknown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from providers.aws.task import GLOBAL, AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.delivery import CdnCacheBehavior, CdnDistribution, CdnOrigin
from scanner.model import Resource

CALLS = {
    "cloudfront.ListDistributions": "cloudfront:ListDistributions",
    "cloudfront.GetDistributionConfig": "cloudfront:GetDistributionConfig",
    "cloudfront.ListTagsForResource": "cloudfront:ListTagsForResource",
    # Standard logging v2 is a CloudWatch Logs delivery (read in us-east-1).
    "logs.DescribeDeliverySources": "logs:DescribeDeliverySources",
    "logs.DescribeDeliveries": "logs:DescribeDeliveries",
}

DEFAULT_CERTIFICATE_MINIMUM = "TLSv1"


@collector("cloudfront", fanout=Fanout.ACCOUNT, produces=(CdnDistribution.KIND,), calls=CALLS)
def distributions(task: AwsTask) -> Iterator[Resource[CdnDistribution]]:
    """Every CloudFront distribution, with its logging setting and tags."""
    client = task.client("cloudfront")
    summaries = _list(task, client)
    if not summaries:
        return
    delivered = _delivered_arns(task)
    for resource in task.map(lambda summary: _distribution(task, client, summary), summaries):
        yield dataclasses.replace(
            resource,
            props=dataclasses.replace(
                resource.props,
                delivery_logging=None if delivered is None else resource.uid in delivered,
            ),
        )


def _delivered_arns(task: AwsTask) -> set[str] | None:
    """Distributions whose access logs a CloudWatch Logs delivery takes (logging v2)."""
    logs = task.client("logs", "us-east-1")
    sources = task.paginate(logs, "describe_delivery_sources", "deliverySources")
    if sources is None:
        return None
    if not sources:
        return set()
    deliveries = task.paginate(logs, "describe_deliveries", "deliveries")
    if deliveries is None:
        return None
    wired = {str(d.get("deliverySourceName")) for d in deliveries}
    return {
        str(arn)
        for s in sources
        if str(s.get("service", "")).lower() == "cloudfront" and s.get("name") in wired
        for arn in s.get("resourceArns") or []
    }


def _list(task: AwsTask, client: Any) -> list[Mapping[str, Any]] | None:
    # Paged by hand: the items sit under a nested key (DistributionList.Items), which
    # `AwsTask.paginate` does not take, and a failed page must make the whole list unknown.
    summaries: list[Mapping[str, Any]] = []
    marker = ""
    while True:
        fetched = task.call(client, "list_distributions", **({"Marker": marker} if marker else {}))
        if not fetched.ok:
            return None
        page = fetched.get("DistributionList") or {}
        summaries.extend(page.get("Items") or [])
        marker = str(page.get("NextMarker") or "")
        if not page.get("IsTruncated") or not marker:
            return summaries


def _distribution(
    task: AwsTask, client: Any, summary: Mapping[str, Any]
) -> Resource[CdnDistribution]:
    arn = str(summary["ARN"])
    ident = str(summary["Id"])
    config = task.call(client, "get_distribution_config", resource_uid=arn, Id=ident)
    tags = task.call(client, "list_tags_for_resource", resource_uid=arn, Resource=arn)
    logging = (config.get("DistributionConfig") or {}).get("Logging") if config.ok else None
    props = interpret_distribution(summary, logging, config.ok)
    return task.resource(
        uid=arn,
        kind=CdnDistribution.KIND,
        native_type="AWS::CloudFront::Distribution",
        name=ident,
        props=props,
        tags=fetched_tags(tags, lambda f: tag_dict((f.get("Tags") or {}).get("Items"))),
        region=GLOBAL,
    )


def interpret_distribution(
    summary: Mapping[str, Any], logging: Mapping[str, Any] | None, logging_read: bool
) -> CdnDistribution:
    """A distribution summary (plus its ``Logging`` block, if read) as facts."""
    behaviors = cache_behaviors(summary)
    certificate = summary.get("ViewerCertificate") or {}
    default_cert = bool(certificate.get("CloudFrontDefaultCertificate"))
    configured = str(certificate.get("MinimumProtocolVersion") or DEFAULT_CERTIFICATE_MINIMUM)
    enabled_log = bool(logging.get("Enabled")) if logging is not None else False
    return CdnDistribution(
        enabled=bool(summary.get("Enabled")),
        domain_name=str(summary.get("DomainName") or ""),
        aliases=tuple(sorted(str(a) for a in (summary.get("Aliases") or {}).get("Items") or [])),
        cache_behaviors=behaviors,
        origins=interpret_origins(summary, behaviors),
        default_certificate=default_cert,
        minimum_protocol_version=configured,
        effective_minimum_protocol=DEFAULT_CERTIFICATE_MINIMUM if default_cert else configured,
        logging_enabled=enabled_log if logging_read else None,
        log_bucket=(
            str(logging.get("Bucket") or "") or None
            if logging is not None and enabled_log
            else None
        ),
        realtime_logging=_realtime(summary),
    )


def _realtime(summary: Mapping[str, Any]) -> bool:
    """True when every cache behavior (the default one included) sends real-time logs."""
    behaviors = [summary.get("DefaultCacheBehavior") or {}]
    behaviors += (summary.get("CacheBehaviors") or {}).get("Items") or []
    return all(b.get("RealtimeLogConfigArn") for b in behaviors)


def cache_behaviors(summary: Mapping[str, Any]) -> tuple[CdnCacheBehavior, ...]:
    """The default behavior (path ``*``) followed by the ordered behaviors."""
    default = summary.get("DefaultCacheBehavior") or {}
    found = [
        CdnCacheBehavior(
            path_pattern="*",
            target_origin_id=str(default.get("TargetOriginId") or ""),
            viewer_protocol_policy=str(default.get("ViewerProtocolPolicy")),
        )
    ]
    for item in (summary.get("CacheBehaviors") or {}).get("Items") or []:
        found.append(
            CdnCacheBehavior(
                path_pattern=str(item.get("PathPattern") or ""),
                target_origin_id=str(item.get("TargetOriginId") or ""),
                viewer_protocol_policy=str(item.get("ViewerProtocolPolicy")),
            )
        )
    return tuple(found)


def interpret_origins(
    summary: Mapping[str, Any], behaviors: Sequence[CdnCacheBehavior]
) -> tuple[CdnOrigin, ...]:
    """Every origin, and whether CloudFront may reach it over plain HTTP."""
    groups = {
        str(group.get("Id")): [
            str(m.get("OriginId")) for m in (group.get("Members") or {}).get("Items") or []
        ]
        for group in (summary.get("OriginGroups") or {}).get("Items") or []
    }
    plain_viewers: set[str] = set()
    for behavior in behaviors:
        if behavior.viewer_protocol_policy == "allow-all":
            target = behavior.target_origin_id
            plain_viewers.update(groups.get(target, [target]))
    return tuple(
        _origin(item, item.get("Id") in plain_viewers)
        for item in (summary.get("Origins") or {}).get("Items") or []
    )


# Origin protocols older than TLS 1.2 (CloudFront still offers SSLv3, TLSv1, TLSv1.1).
LEGACY_ORIGIN_PROTOCOLS = frozenset({"SSLv3", "TLSv1", "TLSv1.1"})


def _origin_tls(custom: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The OriginSslProtocols of a custom origin; None when the answer leaves them out."""
    block = custom.get("OriginSslProtocols")
    if not isinstance(block, Mapping) or block.get("Items") is None:
        return None
    return tuple(sorted(str(p) for p in block.get("Items") or []))


def _origin(item: Mapping[str, Any], reached_over_http: bool) -> CdnOrigin:
    ident, domain = str(item.get("Id")), str(item.get("DomainName") or "")
    custom = item.get("CustomOriginConfig")
    if custom is not None:
        policy = str(custom.get("OriginProtocolPolicy") or "")
        plaintext = policy == "http-only" or (policy == "match-viewer" and reached_over_http)
        protocols = _origin_tls(custom) if policy != "http-only" else ()
        return CdnOrigin(
            id=ident,
            domain_name=domain,
            origin_type="custom",
            protocol_policy=policy,
            sends_plaintext=plaintext,
            tls_protocols=protocols,
            allows_legacy_tls=None
            if protocols is None
            else bool(set(protocols) & LEGACY_ORIGIN_PROTOCOLS),
        )
    if item.get("VpcOriginConfig") is not None:
        return CdnOrigin(
            id=ident,
            domain_name=domain,
            origin_type="vpc",
            protocol_policy=None,
            sends_plaintext=None,
        )
    # S3 REST origin (emulators may omit an empty S3OriginConfig): match-viewer, always.
    return CdnOrigin(
        id=ident,
        domain_name=domain,
        origin_type="s3",
        protocol_policy="match-viewer",
        sends_plaintext=reached_over_http,
    )
