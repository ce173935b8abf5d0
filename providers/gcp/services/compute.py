"""Compute Engine networking: VPC firewall rules (`network.firewall`) and subnet flow logs.

The project's firewall rules are listed once (paged) and evaluated together, as Google
evaluates them (`providers.gcp.firewall_eval`): each enabled ingress allow rule becomes a
`network.firewall` whose `internet_ingress` is what it still lets in from the internet
after the deny rules that win over it. Deny, egress and disabled rules decide those
verdicts but are not judged themselves. Subnets are listed once across regions; each
subnet becomes a `network.vpc` with its own flow log (Google enables flow logs per subnet;
there is no network-level flow log), named ``network/subnet``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
    scopes = task.pages(
        lambda token: compute.subnetworks().aggregatedList(project=task.project, pageToken=token),
        "items",
        merge=_merge_scopes,
    )
    if scopes is None:
        return
    yield from _networks(task, scopes)


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
