"""Cloud SQL: instances (`database.instance`) with TLS, exposure, backups, keys and flags.

One listing (paged) returns every instance with its settings; nothing is read per
instance. A listing that answers with a warning about a region it could not reach (or a
result limit) is a gap for that region, and the instance rules say UNKNOWN there.
Replicas take their backups from the primary, so their backup facts are read but flagged
`replica` for the rules to skip.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from providers.base import Fanout, collector
from providers.gcp.task import GcpTask
from scanner import netcoverage
from scanner.kinds.database import DatabaseInstance
from scanner.kinds.gcp import CloudSqlDetail
from scanner.model import Resource

INSTANCE_TYPE = "sqladmin.googleapis.com/Instance"
CALLS = {"sql.instances.list": "cloudsql.instances.list"}
TLS_MODES = frozenset({"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"})
REPLICA_TYPES = frozenset({"READ_REPLICA_INSTANCE"})
# Flags that record connections or statements, per engine (Cloud SQL documentation:
# pgAudit, connection logging, the MySQL audit plugin). Values compare case-insensitively.
AUDIT_FLAGS = {
    "postgres": {
        "cloudsql.enable_pgaudit": "on",
        "log_connections": "on",
        "log_disconnections": "on",
    },
    "mysql": {"cloudsql_mysql_audit": "on"},
}


@collector("sqladmin", fanout=Fanout.ACCOUNT, produces=(DatabaseInstance.KIND,), calls=CALLS)
def sql_instances(task: GcpTask) -> Iterator[Resource[Any]]:
    """Every Cloud SQL instance of the project."""
    sql = task.service("sqladmin", "v1")
    warned: list[tuple[str, str, str]] = []
    items = task.pages(
        lambda token: sql.instances().list(project=task.project, pageToken=token),
        "items",
        on_page=lambda page: warned.extend(listing_warnings(page)),
    )
    if items is None:
        return
    for region, code, message in sorted(set(warned)):
        task.partial(
            "sql.instances.list", code, message, region=region, kinds=(DatabaseInstance.KIND,)
        )
    for item in items:
        yield instance_resource(task, item)


def listing_warnings(page: Mapping[str, Any]) -> Iterable[tuple[str, str, str]]:
    """(region, code, message) for each warning that the listing may have left some out.

    Only COMPROMISED_CREDENTIALS is about something else; any other code
    (REGION_UNREACHABLE, MAX_RESULTS_EXCEEDS_LIMIT, a code added later) may mean missing
    instances.
    """
    for warning in page.get("warnings") or []:
        if not isinstance(warning, Mapping):
            continue
        code = str(warning.get("code") or "SQL_API_WARNING_CODE_UNSPECIFIED")
        if code == "COMPROMISED_CREDENTIALS":
            continue
        region = str(warning.get("region") or "global")
        yield region, code, str(warning.get("message") or code)


def instance_resource(task: GcpTask, item: Mapping[str, Any]) -> Resource[DatabaseInstance]:
    """A `database.instance` from one listed Cloud SQL instance."""
    name = str(item.get("name", ""))
    settings = item.get("settings") or {}
    ip = settings.get("ipConfiguration") or {}
    backup = settings.get("backupConfiguration") or {}
    engine = engine_of(item.get("databaseVersion"))
    replica = str(item.get("instanceType", "")) in REPLICA_TYPES or bool(
        item.get("masterInstanceName")
    )
    networks = tuple(
        sorted(
            str(n.get("value", ""))
            for n in ip.get("authorizedNetworks") or []
            if isinstance(n, Mapping)
        )
    )
    public_ip = bool(ip.get("ipv4Enabled", False))
    flags = {
        str(f.get("name", "")): str(f.get("value", ""))
        for f in settings.get("databaseFlags") or []
        if isinstance(f, Mapping)
    }
    backup_on = bool(backup.get("enabled", False))
    pitr = bool(backup.get("pointInTimeRecoveryEnabled") or backup.get("binaryLogEnabled"))
    retained = (backup.get("backupRetentionSettings") or {}).get("retainedBackups", 7)
    key = (item.get("diskEncryptionConfiguration") or {}).get("kmsKeyName") or ""
    ssl_mode = ip.get("sslMode") or None
    require_ssl = bool(ip.get("requireSsl", False))
    tls = ssl_mode in TLS_MODES if ssl_mode else require_ssl
    audit = audit_flags_on(engine, flags)
    if engine == "sqlserver":
        bucket = (settings.get("sqlServerAuditConfig") or {}).get("bucket")
        audit = ("sql-server-audit",) if bucket else ()
    detail = CloudSqlDetail(
        instance_type=item.get("instanceType"),
        replica=replica,
        ssl_mode=ssl_mode,
        require_ssl=require_ssl,
        public_ip=public_ip,
        authorized_networks=networks,
        internet_exposed=public_ip and covers_internet(networks),
        backup_enabled=backup_on,
        point_in_time_recovery=pitr,
        database_flags=tuple(f"{k}={v}" for k, v in sorted(flags.items())),
    )
    return task.resource(
        uid=f"//sqladmin.googleapis.com/projects/{task.project}/instances/{name}",
        kind=DatabaseInstance.KIND,
        native_type=INSTANCE_TYPE,
        name=name,
        region=str(item.get("region") or "global"),
        tags={str(k): str(v) for k, v in (settings.get("userLabels") or {}).items()},
        props=DatabaseInstance(
            engine=engine,
            engine_version=item.get("databaseVersion"),
            # Cloud SQL encrypts all storage; the key is Google's unless one is named.
            encrypted_at_rest=True,
            kms_key_id=key,
            tls_enforced=tls,
            tls_parameter="sslMode" if ssl_mode else "requireSsl",
            tls_parameter_value=ssl_mode or str(require_ssl).lower(),
            tls_source="instance-setting",
            parameter_group=None,
            publicly_accessible=detail.internet_exposed,
            backup_retention_days=(int(retained) if backup_on else 0) if not replica else None,
            replica_source=_source_uid(task.project, item) if replica else None,
            high_availability=settings.get("availabilityType") == "REGIONAL",
            deletion_protection=bool(settings.get("deletionProtectionEnabled", False)),
            # Cloud SQL sends whatever the engine logs to Cloud Logging on its own: the
            # audit logs turned on are the ones exported.
            log_exports=audit,
            audit_log_exports=audit,
            gcp=detail,
        ),
    )


def _source_uid(project: str, item: Mapping[str, Any]) -> str:
    """The uid of the primary a replica copies (``project:instance`` in the API)."""
    source = str(item.get("masterInstanceName") or "")
    owner, _, name = source.rpartition(":")
    return f"//sqladmin.googleapis.com/projects/{owner or project}/instances/{name}"


def engine_of(version: Any) -> str | None:
    """``postgres``, ``mysql`` or ``sqlserver`` from a ``databaseVersion`` (POSTGRES_15)."""
    text = str(version or "").lower()
    for engine in ("postgres", "mysql", "sqlserver"):
        if text.startswith(engine):
            return engine
    return text or None


def audit_flags_on(engine: str | None, flags: Mapping[str, str]) -> tuple[str, ...] | None:
    """The audit-logging flags set on for this engine; None for an engine without any."""
    wanted = AUDIT_FLAGS.get(engine or "")
    if wanted is None:
        return None
    return tuple(
        sorted(name for name, value in wanted.items() if flags.get(name, "").lower() == value)
    )


def covers_internet(blocks: Iterable[str]) -> bool:
    """True when the authorized networks together are the internet.

    The threshold is `scanner.netcoverage`'s, the same on every cloud: all of IPv4 (or
    IPv6), however it is split (0.0.0.0/1 + 128.0.0.0/1), or one public block wider than
    a /8 (``128.0.0.0/1`` is half the internet, not "somebody"). Malformed entries are
    ignored (the API rejects them anyway).
    """
    return netcoverage.is_internet(blocks)
