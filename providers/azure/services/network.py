"""Network security groups as `network.firewall`, judged as Azure applies their rules.

One list per subscription: ARM embeds every group's own and default rules in it. Which
ports are open to the internet is decided in `providers.azure.nsg` (priority order, first
match wins, Deny before a lower-priority Allow, sources adding up to the internet).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.azure import nsg
from providers.azure.task import AzureTask, tags_of, uid
from providers.base import Fanout, collector
from scanner.kinds.network import Firewall, InternetIngress
from scanner.model import Resource

API_VERSION = "2023-09-01"
NATIVE_TYPE = "Microsoft.Network/networkSecurityGroups"

CALLS = {
    "GET Microsoft.Network/networkSecurityGroups": "Microsoft.Network/networkSecurityGroups/read"
}


@collector("network", fanout=Fanout.ACCOUNT, produces=(Firewall.KIND,), calls=CALLS)
def network_security_groups(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every network security group of the subscription with its internet-open ports."""
    listed = task.list(
        f"{task.sub_path}/providers/Microsoft.Network/networkSecurityGroups", API_VERSION
    )
    for group in listed or []:
        yield _resource(task, group)


def internet_ingress(group: Mapping[str, Any]) -> tuple[InternetIngress, ...]:
    """The tcp/udp port ranges the group opens to the whole internet."""
    props = group.get("properties") or {}
    rules = nsg.inbound(
        [*(props.get("securityRules") or []), *(props.get("defaultSecurityRules") or [])]
    )
    found = [
        InternetIngress(protocol=protocol, from_port=low, to_port=high, sources=texts)
        for protocol in ("tcp", "udp")
        for (low, high), texts in nsg.open_ports(rules, protocol)
    ]
    return tuple(found)


def _network(group: Mapping[str, Any]) -> str | None:
    for subnet in (group.get("properties") or {}).get("subnets") or []:
        subnet_id = str(subnet.get("id") or "")
        if "/subnets/" in subnet_id.lower():
            return uid(subnet_id[: subnet_id.lower().index("/subnets/")])
    return None


def _resource(task: AzureTask, group: Mapping[str, Any]) -> Resource[Firewall]:
    group_id = str(group["id"])
    return task.resource(
        uid=uid(group_id),
        kind=Firewall.KIND,
        native_type=NATIVE_TYPE,
        name=str(group.get("name") or group_id),
        region=str(group.get("location") or "global"),
        tags=tags_of(group),
        props=Firewall(
            group_id=uid(group_id),
            group_name=str(group.get("name") or ""),
            network_id=_network(group),
            internet_ingress=internet_ingress(group),
        ),
    )
