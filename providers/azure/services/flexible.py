"""Azure Database for PostgreSQL and MySQL flexible servers as `database.instance`.

Per server: the TLS server parameters and the firewall rules. The server object itself
carries public network access, backup retention, geo-redundant backup and the
customer-managed key, if any. Storage is always encrypted at rest by the platform.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from providers.azure.services.sql import ALLOW_AZURE, internet_rules
from providers.azure.task import AzureTask, tags_of, uid
from providers.base import Fanout, collector
from scanner.kinds.azure import AzureFlexibleServerDetail, SqlFirewallRule
from scanner.kinds.database import DatabaseInstance
from scanner.model import Resource


@dataclass(frozen=True)
class Engine:
    """One flexible-server family: its ARM namespace, api-version and TLS parameter."""

    engine: str
    namespace: str
    api_version: str
    tls_parameter: str

    @property
    def native_type(self) -> str:
        """The ARM resource type."""
        return f"{self.namespace}/flexibleServers"

    def calls(self) -> dict[str, str]:
        """What a collector of this family reads."""
        base = self.native_type
        return {
            f"GET {base}": f"{base}/read",
            f"GET {base}/configurations": f"{base}/configurations/read",
            f"GET {base}/firewallRules": f"{base}/firewallRules/read",
        }


POSTGRES = Engine("postgres", "Microsoft.DBforPostgreSQL", "2022-12-01", "ssl_min_protocol_version")
MYSQL = Engine("mysql", "Microsoft.DBforMySQL", "2023-12-30", "tls_version")


@collector(
    "postgresql", fanout=Fanout.ACCOUNT, produces=(DatabaseInstance.KIND,), calls=POSTGRES.calls()
)
def postgresql_servers(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every PostgreSQL flexible server of the subscription."""
    yield from _servers(task, POSTGRES)


@collector("mysql", fanout=Fanout.ACCOUNT, produces=(DatabaseInstance.KIND,), calls=MYSQL.calls())
def mysql_servers(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every MySQL flexible server of the subscription."""
    yield from _servers(task, MYSQL)


def _servers(task: AzureTask, engine: Engine) -> Iterator[Resource[Any]]:
    listed = task.list(f"{task.sub_path}/providers/{engine.native_type}", engine.api_version)
    for server, detail in zip(
        listed or [], task.map(lambda s: _detail(task, engine, s), listed or []), strict=True
    ):
        yield _resource(task, engine, server, detail)


def _parameter(task: AzureTask, engine: Engine, server_id: str, name: str) -> str | None:
    answer = task.get(
        f"{server_id}/configurations/{name}", engine.api_version, resource_uid=uid(server_id)
    )
    value = answer.props().get("value")
    return None if not answer.ok or value is None else str(value)


def lowest_tls(value: str | None) -> str | None:
    """The lowest version in a parameter value (``TLSv1.2,TLSv1.3`` -> ``TLSv1.2``)."""
    if value is None:
        return None
    versions = [v.strip() for v in value.split(",") if v.strip()]
    return min(versions, key=lambda v: v.lower().replace("tlsv", "")) if versions else None


def _rules(items: Sequence[Mapping[str, Any]] | None) -> tuple[SqlFirewallRule, ...] | None:
    if items is None:
        return None
    return tuple(
        sorted(
            (
                SqlFirewallRule(
                    str(r.get("name") or ""),
                    str((r.get("properties") or {}).get("startIpAddress") or ""),
                    str((r.get("properties") or {}).get("endIpAddress") or ""),
                )
                for r in items
            ),
            key=lambda r: r.name,
        )
    )


def _detail(
    task: AzureTask, engine: Engine, server: Mapping[str, Any]
) -> AzureFlexibleServerDetail:
    server_id = str(server["id"])
    props = server.get("properties") or {}
    network = props.get("network") or {}
    backup = props.get("backup") or {}
    secure = _parameter(task, engine, server_id, "require_secure_transport")
    rules = _rules(
        task.list(f"{server_id}/firewallRules", engine.api_version, resource_uid=uid(server_id))
    )
    retention = backup.get("backupRetentionDays")
    return AzureFlexibleServerDetail(
        public_network_access=str(network.get("publicNetworkAccess") or "Enabled"),
        require_secure_transport=None if secure is None else secure.lower() == "on",
        minimum_tls_version=lowest_tls(_parameter(task, engine, server_id, engine.tls_parameter)),
        firewall_rules=rules,
        internet_rules=None if rules is None else internet_rules(rules),
        allows_azure_services=None
        if rules is None
        else any((r.start_ip, r.end_ip) == ALLOW_AZURE for r in rules),
        backup_retention_days=int(retention) if isinstance(retention, int) else None,
        geo_redundant_backup=str(backup.get("geoRedundantBackup") or "Disabled").lower()
        == "enabled",
    )


def _resource(
    task: AzureTask, engine: Engine, server: Mapping[str, Any], detail: AzureFlexibleServerDetail
) -> Resource[DatabaseInstance]:
    props = server.get("properties") or {}
    encryption = props.get("dataEncryption") or {}
    key = encryption.get("primaryKeyURI") or None
    ha = str((props.get("highAvailability") or {}).get("mode") or "Disabled")
    public = detail.public_network_access
    return task.resource(
        uid=uid(str(server["id"])),
        kind=DatabaseInstance.KIND,
        native_type=engine.native_type,
        name=str(server.get("name") or server["id"]),
        region=str(server.get("location") or "global"),
        tags=tags_of(server),
        props=DatabaseInstance(
            engine=engine.engine,
            engine_version=props.get("version"),
            # The platform encrypts flexible-server storage at rest; it cannot be turned off.
            encrypted_at_rest=True,
            kms_key_id=str(key) if key else None,
            tls_enforced=detail.require_secure_transport,
            tls_parameter="require_secure_transport",
            tls_parameter_value=None
            if detail.require_secure_transport is None
            else ("on" if detail.require_secure_transport else "off"),
            tls_source="server-parameter",
            parameter_group=None,
            publicly_accessible=None if public is None else public.lower() != "disabled",
            backup_retention_days=detail.backup_retention_days,
            high_availability=ha.lower() != "disabled",
            deletion_protection=None,
            log_exports=None,
            audit_log_exports=None,
            azure_flexible=detail,
        ),
    )
