"""Compute Engine networking: VPC firewall rules (`network.firewall`) and subnet flow logs.

The project's firewall rules are listed once (paged) and evaluated together, as Google
evaluates them (`providers.gcp.firewall_eval`): each enabled ingress allow rule becomes a
`network.firewall` whose `internet_ingress` is what it still lets in from the internet
after the deny rules that win over it. Deny, egress and disabled rules decide those
verdicts but are not judged themselves. Subnets are listed once across regions; each
subnet becomes a `network.vpc` with its own flow log (Google enables flow logs per subnet;
there is no network-level flow log), named ``network/subnet``.

The aggregated subnet listing can answer without some regions: they are named in
``unreachables``, or their scope carries a warning other than "no results". Each such
region is a gap whose rules (over `network.vpc`) say UNKNOWN there; the subnets of the
regions that answered are judged as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from providers.base import Fanout, collector
from providers.gcp.firewall_eval import internet_ingress, parse_rule
from providers.gcp.task import GcpTask
from scanner.kinds.network import Firewall, FlowLog, Vpc
from scanner.model import Resource

FIREWALL_TYPE = "compute.googleapis.com/Firewall"
SUBNET_TYPE = "compute.googleapis.com/Subnetwork"
CALLS = {
    "compute.firewalls.list": "compute.firewalls.list",
    "compute.subnetworks.aggregatedList": "compute.subnetworks.list",
}
SUBNETS_CALL = "compute.subnetworks.aggregatedList"
# Scope warnings that describe the scope's resources, not a listing that left some out.
BENIGN_WARNINGS = frozenset(
    {
        "NO_RESULTS_ON_PAGE",
        "DEPRECATED_RESOURCE_USED",
        "DEPRECATED_TYPE_USED",
        "EXPERIMENTAL_TYPE_USED",
    }
)


@collector("compute", fanout=Fanout.ACCOUNT, produces=(Firewall.KIND, Vpc.KIND), calls=CALLS)
def compute_network(task: GcpTask) -> Iterator[Resource[Any]]:
    """The project's effective firewall exposure and its networks' flow logging."""
    compute = task.service("compute", "v1")
    items = task.pages(
        lambda token: compute.firewalls().list(project=task.project, pageToken=token), "items"
    )
    if items is not None:
        rules = [parse_rule(item) for item in items if isinstance(item, Mapping)]
        for rule in rules:
            if rule.allow and rule.ingress and not rule.disabled:
                yield task.resource(
                    uid=f"//compute.googleapis.com/projects/{task.project}/global/firewalls/"
                    f"{rule.name}",
                    kind=Firewall.KIND,
                    native_type=FIREWALL_TYPE,
                    name=rule.name,
                    props=Firewall(
                        group_id=rule.name,
                        group_name=rule.name,
                        network_id=rule.network,
                        internet_ingress=internet_ingress(rule, rules),
                    ),
                )
    unread: list[tuple[str, str, str]] = []
    scopes = task.pages(
        lambda token: compute.subnetworks().aggregatedList(project=task.project, pageToken=token),
        "items",
        merge=_merge_scopes,
        on_page=lambda page: unread.extend(unread_scopes(page)),
    )
    if scopes is None:
        return
    for region, code, message in sorted(set(unread)):
        task.partial(SUBNETS_CALL, code, message, region=region, kinds=(Vpc.KIND,))
    yield from _networks(task, scopes)


def unread_scopes(page: Mapping[str, Any]) -> Iterable[tuple[str, str, str]]:
    """(region, code, message) for each scope an aggregated page answered without.

    ``unreachables`` names scopes that did not answer; a scope (or the whole page) with a
    warning other than the benign ones may be incomplete. A scope that is not a region
    (or the page itself) is reported as ``global``.
    """
    for scope in page.get("unreachables") or []:
        yield _region_of(str(scope)), "Unreachable", f"{scope} did not answer the listing"
    warned: list[tuple[str, Any]] = [("global", page.get("warning"))]
    items = page.get("items")
    if isinstance(items, Mapping):
        warned.extend(
            (str(scope), scoped.get("warning"))
            for scope, scoped in items.items()
            if isinstance(scoped, Mapping)
        )
    for scope, warning in warned:
        if not isinstance(warning, Mapping):
            continue
        code = str(warning.get("code") or "UNKNOWN_WARNING")
        if code not in BENIGN_WARNINGS:
            message = str(warning.get("message") or code)
            yield _region_of(scope), code, f"{scope}: {message}"


def _region_of(scope: str) -> str:
    """``europe-west1`` from ``regions/europe-west1`` (or a URL ending so), else global."""
    parts = scope.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] in ("regions", "zones"):
        return parts[-1]
    return "global"


def _merge_scopes(page: Any) -> list[Any]:
    """The subnets of one aggregated page (a map of region scope to subnets)."""
    found: list[Any] = []
    for scoped in (page or {}).values():
        if isinstance(scoped, Mapping):
            found.extend(s for s in scoped.get("subnetworks") or [] if isinstance(s, Mapping))
    return found


def _networks(task: GcpTask, subnets: list[Any]) -> Iterator[Resource[Any]]:
    """One `network.vpc` per subnet: Google enables flow logs per subnet, not per network."""
    for subnet in subnets:
        region = str(subnet.get("region", "")).rsplit("/", 1)[-1]
        name = str(subnet.get("name", ""))
        network = str(subnet.get("network", "")).rsplit("/", 1)[-1]
        yield task.resource(
            uid=f"//compute.googleapis.com/projects/{task.project}/regions/{region}/"
            f"subnetworks/{name}",
            kind=Vpc.KIND,
            native_type=SUBNET_TYPE,
            name=f"{network}/{name}",
            region=region,
            props=Vpc(
                vpc_id=f"{network}/{name}",
                is_default=network == "default",
                cidr_blocks=(str(subnet.get("ipCidrRange", "")),),
                flow_logs=_flow_logs(subnet),
                # The subnet is the resource itself: it has no subnets of its own.
                subnet_flow_logs={},
            ),
        )


def _flow_logs(subnet: Mapping[str, Any]) -> tuple[FlowLog, ...]:
    config = subnet.get("logConfig") or {}
    enabled = bool(config.get("enable", subnet.get("enableFlowLogs", False)))
    if not enabled:
        return ()
    # Google samples flows of every kind (accepted and denied) for a subnet with logging on;
    # entries go to Cloud Logging.
    return (
        FlowLog(
            flow_log_id=str(subnet.get("name", "")),
            status="ACTIVE",
            traffic_type="ALL",
            delivery_status=None,
            destination_type="cloud-logging",
            destination=None,
        ),
    )
