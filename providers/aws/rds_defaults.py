"""What each RDS engine does when nobody set its TLS parameter, and which logs record access.

Why a table: an instance on an AWS `default.*` parameter group (which cannot be modified),
or on a custom group that never set the parameter, runs with the engine's default. The
API that reports those defaults (DescribeEngineDefaultParameters) is missing in moto and
needs a family name per call; the defaults are documented and change only with major
versions, so they are kept here, version-aware, with their sources.

An engine this table does not know (Oracle and Db2 enforce TLS through option groups or
listeners, not a parameter) gives `None`: the TLS rule then says UNKNOWN, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

FORCE_SSL = "rds.force_ssl"
REQUIRE_SECURE_TRANSPORT = "require_secure_transport"
DOCDB_TLS = "tls"
NEPTUNE_ENFORCE_SSL = "neptune_enforce_ssl"


@dataclass(frozen=True)
class TlsDefault:
    """The TLS parameter of an engine and its default, by minimum engine version.

    `defaults` is ordered by version; the last entry whose version is <= the engine's
    version applies. A default of `None` means "not verified for these versions".
    """

    parameter: str
    defaults: tuple[tuple[tuple[int, ...], bool | None], ...]


TLS_DEFAULTS: Mapping[str, TlsDefault] = {
    # RDS for PostgreSQL: rds.force_ssl defaults to 1 from major version 15, 0 before.
    # Source: Amazon RDS User Guide, "Using SSL with a PostgreSQL DB instance" >
    # "Requiring an SSL connection to a PostgreSQL DB instance".
    "postgres": TlsDefault(FORCE_SSL, (((0,), False), ((15,), True))),
    # Aurora PostgreSQL: rds.force_ssl (a cluster parameter) defaults to 0. Source: Aurora
    # User Guide, "Updating applications to connect to Aurora PostgreSQL DB clusters using
    # new SSL/TLS certificates" ("By default, the rds.force_ssl parameter is set to 0").
    # Versions from 17 are left unverified (None -> UNKNOWN) rather than assumed off.
    "aurora-postgresql": TlsDefault(FORCE_SSL, (((0,), False), ((17,), None))),
    # RDS for SQL Server: rds.force_ssl defaults to 0 in every edition and version.
    # Source: Amazon RDS User Guide, "Using SSL with a Microsoft SQL Server DB instance".
    "sqlserver": TlsDefault(FORCE_SSL, (((0,), False),)),
    # MySQL: require_secure_transport defaults to 0 (OFF) for MySQL 8.4 and lower, and to
    # 1 (ON) for MySQL 9.7. Source: Amazon RDS User Guide, "Requiring SSL/TLS for all
    # connections to a MySQL DB instance on Amazon RDS" (checked 2026-12). Majors the page
    # does not name (8.5-9.6, after 9.7) are left unknown, not guessed.
    "mysql": TlsDefault(
        REQUIRE_SECURE_TRANSPORT, (((0,), False), ((8, 5), None), ((9, 7), True), ((9, 8), None))
    ),
    # MariaDB: the parameter exists from 10.5; it defaults to OFF for 11.4 and earlier and
    # to ON from 11.8. Before 10.5 TLS cannot be required server-side at all, which is "not
    # enforced" too. Source: Amazon RDS User Guide, "Requiring SSL/TLS for all connections
    # to a MariaDB DB instance on Amazon RDS" (checked 2026-12). 11.5-11.7 (no RDS major)
    # and majors after 11.8 are left unknown.
    "mariadb": TlsDefault(
        REQUIRE_SECURE_TRANSPORT, (((0,), False), ((11, 5), None), ((11, 8), True), ((11, 9), None))
    ),
    # Aurora MySQL: require_secure_transport is a cluster parameter (version 2 and later)
    # and defaults to OFF. Source: Aurora User Guide, "Security with Amazon Aurora MySQL" >
    # "Requiring a TLS connection to an Aurora MySQL DB cluster".
    "aurora-mysql": TlsDefault(REQUIRE_SECURE_TRANSPORT, (((0,), False),)),
    # DocumentDB (through the RDS API, engine "docdb"): the `tls` cluster parameter
    # defaults to "enabled" (TLS required) in every version. Source: Amazon DocumentDB
    # Developer Guide, "Encrypting data in transit" ("By default, encryption in transit is
    # enabled for newly created Amazon DocumentDB clusters").
    "docdb": TlsDefault(DOCDB_TLS, (((0,), True),)),
    # Neptune: from engine 1.0.4.0 every endpoint accepts HTTPS only; before it, the
    # default depended on the region, so it is left unknown. Source: Neptune User Guide,
    # "Encrypting connections to your Amazon Neptune database with SSL/HTTPS".
    "neptune": TlsDefault(NEPTUNE_ENFORCE_SSL, (((0,), None), ((1, 0, 4, 0), True))),
}

# The exported log types that record connections or statements, per engine. SQL Server
# exports only `error` and `agent` logs and Db2 `diag.log`/`notify.log`: none records
# access; those engines audit through an option group option (`AUDIT_OPTIONS`). For an
# engine not listed, exported logs decide nothing (`audit_log_undecided` says why).
AUDIT_LOG_TYPES: Mapping[str, frozenset[str]] = {
    "sqlserver": frozenset(),
    "db2": frozenset(),
    "postgres": frozenset({"postgresql"}),
    "aurora-postgresql": frozenset({"postgresql"}),
    "mysql": frozenset({"audit", "general"}),
    "mariadb": frozenset({"audit", "general"}),
    "aurora-mysql": frozenset({"audit", "general"}),
    "oracle": frozenset({"audit"}),
    "docdb": frozenset({"audit"}),
    "neptune": frozenset({"audit"}),
}

# DocumentDB's `tls` takes "enabled", "tls1.2+", "tls1.3+", "fips-140-3" (all require TLS)
# or "disabled" (DocumentDB Developer Guide, API reference, "Parameter").
_ENFORCING = {"1", "on", "true", "enabled", "tls1.2+", "tls1.3+", "fips-140-3"}
_NOT_ENFORCING = {"0", "off", "false", "disabled"}


def engine_family(engine: str | None) -> str | None:
    """The table key for an RDS engine name (``sqlserver-ee`` -> ``sqlserver``)."""
    if not engine:
        return None
    engine = engine.lower()
    if engine == "aurora":  # Aurora MySQL 5.6, the original "aurora" engine name
        return "aurora-mysql"
    for prefix in ("sqlserver", "oracle", "db2", "custom-sqlserver", "custom-oracle"):
        if engine.startswith(prefix + "-"):
            return prefix
    return engine


def parse_version(version: str | None) -> tuple[int, ...] | None:
    """The leading numeric parts of an engine version (``8.0.mysql_aurora.3.04`` -> (8, 0))."""
    if not version:
        return None
    match = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in match.group(0).split(".")) if match else None


def tls_parameter(engine: str | None) -> str | None:
    """The parameter that requires TLS on this engine, or `None` when the table has none."""
    entry = TLS_DEFAULTS.get(engine_family(engine) or "")
    return entry.parameter if entry else None


def default_tls_enforced(engine: str | None, version: str | None) -> bool | None:
    """Whether the engine requires TLS when its parameter was never set (None: unknown)."""
    entry = TLS_DEFAULTS.get(engine_family(engine) or "")
    parsed = parse_version(version)
    if entry is None or parsed is None:
        return None
    chosen: bool | None = None
    for minimum, value in entry.defaults:
        if parsed >= minimum:
            chosen = value
    return chosen


def value_enforces_tls(value: str | None) -> bool | None:
    """Interpret a TLS parameter value: ``1``/``ON``/``true`` enforce; anything odd is None."""
    if value is None:
        return None
    text = value.strip().lower()
    if text in _ENFORCING:
        return True
    if text in _NOT_ENFORCING:
        return False
    return None


def is_default_group(name: str) -> bool:
    """AWS-managed parameter groups are named ``default.<family>`` and cannot be changed."""
    return name.startswith("default.")


# Engines that record audits through an option of their option group instead of an
# exported log: SQL Server Audit (RDS User Guide, "SQL Server Audit") and Db2 audit
# logging (RDS User Guide, "Db2 audit logging"), both delivered to S3.
AUDIT_OPTIONS: Mapping[str, str] = {"sqlserver": "SQLSERVER_AUDIT", "db2": "DB2_AUDIT"}


# DocumentDB and Neptune write audit events only when a cluster parameter turns them on;
# it is off by default, and an exported "audit" log without it stays empty. Sources:
# DocumentDB Developer Guide, "Auditing Amazon DocumentDB events" (`audit_logs`, default
# "disabled"); Neptune User Guide, "Using audit logs with Amazon Neptune clusters"
# (`neptune_enable_audit_log`, default 0).
AUDIT_SWITCHES: Mapping[str, tuple[str, frozenset[str]]] = {
    "docdb": ("audit_logs", frozenset({"disabled", "none"})),
    "neptune": ("neptune_enable_audit_log", frozenset({"0"})),
}


def audit_switch_on(
    engine: str | None, group: str | None, explicit: Mapping[str, str] | None
) -> bool | None:
    """Whether the engine's audit parameter is on (True for engines that have none).

    `explicit` holds the group's user-set parameters (None: not read). A ``default.*``
    group, or a custom group that never set the parameter, has it off.
    """
    switch = AUDIT_SWITCHES.get(engine_family(engine) or "")
    if switch is None:
        return True
    if group is None:
        return None
    if is_default_group(group):
        return False
    if explicit is None:
        return None
    name, off = switch
    value = explicit.get(name)
    return value is not None and value.strip().lower() not in off


def audit_log_exports(
    engine: str | None, exports: tuple[str, ...], switch_on: bool | None = True
) -> tuple[str, ...]:
    """The exported log types that record access for this engine (none, if unknown).

    With the engine's audit parameter off (or unread: `switch_on` None) nothing exported
    is an audit record.
    """
    if not switch_on:
        return ()
    wanted = AUDIT_LOG_TYPES.get(engine_family(engine) or "", frozenset())
    return tuple(e for e in exports if e in wanted)


def audit_log_undecided(
    engine: str | None, exports: tuple[str, ...] | None, switch_on: bool | None = True
) -> str | None:
    """Why the exported logs cannot settle "no audit log" for this engine (None: they can).

    SQL Server and Db2 audit through an option-group option the scanner does not read; an
    engine the table does not know may record access in the logs it exports; DocumentDB and
    Neptune record only when a cluster parameter, here unread, turns auditing on.
    """
    family = engine_family(engine) or ""
    if switch_on is None and family in AUDIT_SWITCHES:
        return (
            f"whether its {AUDIT_SWITCHES[family][0]} cluster parameter turns auditing on "
            "could not be read"
        )
    option = AUDIT_OPTIONS.get(family)
    if option:
        return (
            f"{engine} records audits through the {option} option of its option group, "
            "which is not read"
        )
    if family not in AUDIT_LOG_TYPES and exports:
        return f"which exported logs of engine {engine or 'unknown'} record access is not known"
    return None
