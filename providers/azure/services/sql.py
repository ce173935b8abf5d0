"""Azure SQL logical servers as `database.instance`, with their databases' TDE.

Per server: the databases (TDE state of each user database), the server auditing
policy and the server firewall rules; each read on the task's bounded pool. Azure SQL
always encrypts connections, so TLS is enforced by the platform and the minimum TLS
version is the setting that matters.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from providers.azure.task import Answer, AzureTask, tags_of, uid
from providers.base import Fanout, collector
from scanner import netcoverage
from scanner.kinds.azure import AzureSqlDetail, SqlFirewallRule
from scanner.kinds.database import DatabaseInstance
from scanner.model import Resource

API_VERSION = "2021-11-01"
NATIVE_TYPE = "Microsoft.Sql/servers"
ALLOW_AZURE = ("0.0.0.0", "0.0.0.0")  # noqa: S104  (ARM's "Allow Azure services" rule)

CALLS = {
    "GET Microsoft.Sql/servers": "Microsoft.Sql/servers/read",
    "GET Microsoft.Sql/servers/databases": "Microsoft.Sql/servers/databases/read",
    "GET Microsoft.Sql/servers/databases/transparentDataEncryption": "Microsoft.Sql/servers/databases/transparentDataEncryption/read",  # noqa: E501
    "GET Microsoft.Sql/servers/auditingSettings": "Microsoft.Sql/servers/auditingSettings/read",
    "GET Microsoft.Sql/servers/firewallRules": "Microsoft.Sql/servers/firewallRules/read",
}


@dataclass(frozen=True)
class _Raw:
    server: Mapping[str, Any]
    tde: dict[str, bool | None] | None  # database name -> TDE on (None: unreadable)
    auditing: Answer
    rules: list[dict[str, Any]] | None


@collector("sql", fanout=Fanout.ACCOUNT, produces=(DatabaseInstance.KIND,), calls=CALLS)
def sql_servers(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every Azure SQL logical server of the subscription."""
    listed = task.list(f"{task.sub_path}/providers/Microsoft.Sql/servers", API_VERSION)
    for raw in task.map(lambda server: _read(task, server), listed or []):
        yield _resource(task, raw)


def _read(task: AzureTask, server: Mapping[str, Any]) -> _Raw:
    server_id = str(server["id"])
    me = uid(server_id)
    databases = task.list(f"{server_id}/databases", API_VERSION, resource_uid=me)
    tde: dict[str, bool | None] | None = None
    if databases is not None:
        user = [d for d in databases if str(d.get("name") or "").lower() != "master"]
        states = task.map(lambda d: _tde(task, str(d["id"]), me), user)
        tde = {str(d.get("name")): state for d, state in zip(user, states, strict=True)}
    auditing = task.get(f"{server_id}/auditingSettings/default", API_VERSION, resource_uid=me)
    rules = task.list(f"{server_id}/firewallRules", API_VERSION, resource_uid=me)
    return _Raw(server, tde, auditing, rules)


def _tde(task: AzureTask, database_id: str, server_uid: str) -> bool | None:
    answer = task.get(
        f"{database_id}/transparentDataEncryption/current", API_VERSION, resource_uid=server_uid
    )
    if not answer.ok:
        return None
    return str(answer.props().get("state") or "").lower() == "enabled"


def _blocks(rule: SqlFirewallRule) -> list[ipaddress.IPv4Network]:
    try:
        start = ipaddress.IPv4Address(rule.start_ip)
        end = ipaddress.IPv4Address(rule.end_ip)
    except ValueError:
        return []
    if start > end:
        return []
    return list(ipaddress.summarize_address_range(start, end))


def internet_rules(rules: Sequence[SqlFirewallRule]) -> tuple[str, ...]:
    """The rules whose ranges together are the internet (empty when they are not).

    "The internet" is `scanner.netcoverage`'s judgement, the same on every cloud (and for
    network security groups): the union of the rules' ranges is collapsed, and the rules
    named are those reaching into a collapsed block that is the internet on its own. The
    0.0.0.0-0.0.0.0 rule is Azure's "Allow Azure services" switch, not an address range:
    it is reported as `allows_azure_services` and never counted here.
    """
    ranges = {
        rule.name: _blocks(rule) for rule in rules if (rule.start_ip, rule.end_ip) != ALLOW_AZURE
    }
    wide = [
        block
        for block in netcoverage.union(b for blocks in ranges.values() for b in blocks)
        if netcoverage.is_internet([block])
    ]
    return tuple(
        sorted(
            name
            for name, blocks in ranges.items()
            if any(b.overlaps(w) for b in blocks for w in wide)
        )
    )


def _detail(raw: _Raw) -> AzureSqlDetail:
    props = raw.server.get("properties") or {}
    rules = (
        None
        if raw.rules is None
        else tuple(
            sorted(
                (
                    SqlFirewallRule(
                        str(r.get("name") or ""),
                        str((r.get("properties") or {}).get("startIpAddress") or ""),
                        str((r.get("properties") or {}).get("endIpAddress") or ""),
                    )
                    for r in raw.rules
                ),
                key=lambda r: r.name,
            )
        )
    )
    audit = raw.auditing.props()
    destinations: list[str] = []
    if audit.get("storageEndpoint"):
        destinations.append("storage")
    if audit.get("isAzureMonitorTargetEnabled"):
        destinations.append("azure-monitor")
    without_tde = None
    if raw.tde is not None and None not in raw.tde.values():
        without_tde = tuple(sorted(name for name, on in raw.tde.items() if not on))
    return AzureSqlDetail(
        public_network_access=str(props.get("publicNetworkAccess") or "Enabled"),
        minimal_tls_version=str(props.get("minimalTlsVersion") or "None"),
        auditing_enabled=None
        if not raw.auditing.ok
        else str(audit.get("state") or "").lower() == "enabled",
        audit_destinations=None if not raw.auditing.ok else tuple(destinations),
        firewall_rules=rules,
        internet_rules=None if rules is None else internet_rules(rules),
        allows_azure_services=None
        if rules is None
        else any((r.start_ip, r.end_ip) == ALLOW_AZURE for r in rules),
        databases_without_tde=without_tde,
    )


def _resource(task: AzureTask, raw: _Raw) -> Resource[DatabaseInstance]:
    server = raw.server
    props = server.get("properties") or {}
    detail = _detail(raw)
    return task.resource(
        uid=uid(str(server["id"])),
        kind=DatabaseInstance.KIND,
        native_type=NATIVE_TYPE,
        name=str(server.get("name") or server["id"]),
        region=str(server.get("location") or "global"),
        tags=tags_of(server),
        props=DatabaseInstance(
            engine="sqlserver",
            engine_version=props.get("version"),
            encrypted_at_rest=None
            if detail.databases_without_tde is None
            else not detail.databases_without_tde,
            kms_key_id=None,
            # Azure SQL refuses unencrypted connections whatever is configured.
            tls_enforced=True,
            tls_parameter="minimalTlsVersion",
            tls_parameter_value=detail.minimal_tls_version,
            tls_source="platform",
            parameter_group=None,
            publicly_accessible=detail.public_network_access.lower() != "disabled"
            if detail.public_network_access
            else None,
            backup_retention_days=None,
            high_availability=None,
            deletion_protection=None,
            log_exports=None,
            audit_log_exports=None
            if detail.auditing_enabled is None
            else (("auditing",) if detail.auditing_enabled else ()),
            azure=detail,
        ),
    )
