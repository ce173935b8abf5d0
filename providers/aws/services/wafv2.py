"""AWS WAF (v2): regional web ACLs, the load balancers they protect, and their logging.

Per region: ``ListWebACLs`` (scope REGIONAL) and ``ListLoggingConfigurations`` (every
logging configuration of the region in one listing), then one
``ListResourcesForWebACL`` per web ACL for the application load balancers it is associated
with: never one call per load balancer. wafv2 has no botocore paginators, so the
``NextMarker`` pages are followed here.

Besides one `network.web_acl` per ACL, each region gets a `network.web_acl_coverage`
singleton listing every protected load balancer, marked incomplete when a listing failed,
so that an unprotected-looking load balancer is only judged when the answer is whole.
CloudFront-scope web ACLs (us-east-1, scope CLOUDFRONT) are not read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.monitoring_edge import WebAcl, WebAclCoverage
from scanner.model import Resource

NATIVE_TYPE = "AWS::WAFv2::WebACL"
_SCOPE = "REGIONAL"
_MAX_PAGES = 1000  # a fake that repeats its marker must not loop forever


@collector(
    "wafv2",
    fanout=Fanout.REGION,
    produces=(WebAcl.KIND, WebAclCoverage.KIND),
    calls={
        "wafv2.ListWebACLs": "wafv2:ListWebACLs",
        "wafv2.ListLoggingConfigurations": "wafv2:ListLoggingConfigurations",
        "wafv2.ListResourcesForWebACL": "wafv2:ListResourcesForWebACL",
    },
)
def web_acls(task: AwsTask) -> Iterator[Resource[Any]]:
    """Every regional web ACL, then the region's coverage singleton."""
    client = task.client("wafv2")
    coverage_uid = f"arn:{task.partition}:wafv2:{task.region}:{task.account}:regional/coverage"
    # The listing names no resource: when it fails, the engine reports the web ACL rules
    # UNKNOWN for the region (no web ACL was listed to judge).
    acls = _pages(task, client, "list_web_acls", "WebACLs", None)
    logging = _pages(
        task, client, "list_logging_configurations", "LoggingConfigurations", coverage_uid
    )
    destinations = None if logging is None else logging_destinations(logging)
    named = [a for a in acls or () if isinstance(a, Mapping) and a.get("ARN")]
    unnamed = len(acls or ()) - len(named)
    if unnamed:
        # An entry without an ARN may guard some load balancer: coverage is then not known.
        task.gap("ListWebACLs", "MalformedAnswer", f"{unnamed} web ACL(s) without an ARN")
    found = task.map(lambda acl: _acl(task, client, acl, destinations), named)
    yield from found
    protected = sorted({uid for acl in found for uid in acl.props.protected or ()})
    complete = (
        acls is not None and not unnamed and all(acl.props.protected is not None for acl in found)
    )
    yield task.resource(
        uid=coverage_uid,
        kind=WebAclCoverage.KIND,
        native_type="AWS::WAFv2::WebACLAssociations",
        name="web-acl-coverage",
        props=WebAclCoverage(protected=tuple(protected), complete=complete),
    )


def _pages(task: AwsTask, client: Any, method: str, key: str, uid: str | None) -> list[Any] | None:
    items: list[Any] = []
    marker: str | None = None
    for _ in range(_MAX_PAGES):
        params: dict[str, Any] = {"Scope": _SCOPE}
        if marker:
            params["NextMarker"] = marker
        fetched = task.call(client, method, resource_uid=uid, **params)
        if fetched.failed:
            return None
        items.extend(fetched.get(key, []))
        marker = fetched.get("NextMarker")
        if not marker:
            return items
    # Still a marker after the last page allowed: the listing is not whole, and judging
    # the pages read as all of it would pass what the rest may hold.
    task.gap(
        client.meta.method_to_api_mapping[method],
        "MalformedAnswer",
        f"more than {_MAX_PAGES} pages (a repeating NextMarker?)",
        uid,
    )
    return None


def logging_destinations(configurations: list[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Web ACL ARN -> where its logs go, from ListLoggingConfigurations."""
    return {
        str(c["ResourceArn"]): tuple(sorted(str(d) for d in c.get("LogDestinationConfigs") or ()))
        for c in configurations
        if c.get("ResourceArn")
    }


def _acl(
    task: AwsTask,
    client: Any,
    summary: Mapping[str, Any],
    destinations: Mapping[str, tuple[str, ...]] | None,
) -> Resource[WebAcl]:
    arn = str(summary["ARN"])
    associated = task.call(
        client,
        "list_resources_for_web_acl",
        resource_uid=arn,
        WebACLArn=arn,
        ResourceType="APPLICATION_LOAD_BALANCER",
    )
    protected = (
        None
        if associated.failed
        else tuple(sorted(str(a) for a in associated.get("ResourceArns", [])))
    )
    logged = None if destinations is None else destinations.get(arn, ())
    props = WebAcl(
        scope="regional",
        protected=protected,
        logging_enabled=None if logged is None else bool(logged),
        log_destinations=logged or (),
    )
    return task.resource(
        uid=arn,
        kind=WebAcl.KIND,
        native_type=NATIVE_TYPE,
        name=str(summary.get("Name") or arn.rsplit("/", 2)[-2]),
        props=props,
    )
