"""Facts about managed databases: instances, clusters, snapshots and data warehouses.

The field names are provider-neutral so that GCP Cloud SQL and Azure SQL can reuse
`database.instance`. Every fact that could not be read is `None`; `False` (or an empty
tuple) always means "read, and off".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scanner.kinds.azure import AzureFlexibleServerDetail, AzureSqlDetail
from scanner.kinds.gcp import CloudSqlDetail


@dataclass(frozen=True)
class DatabaseSettings:
    """The engine, encryption and TLS settings instances and clusters both carry.

    Not a kind itself: `DatabaseInstance` and `DatabaseCluster` extend it, so these fields
    come first in both, in this order.
    """

    engine: str | None
    engine_version: str | None
    encrypted_at_rest: bool | None
    kms_key_id: str | None
    tls_enforced: bool | None
    tls_parameter: str | None
    tls_parameter_value: str | None
    tls_source: str | None
    parameter_group: str | None


@dataclass(frozen=True)
class DatabaseInstance(DatabaseSettings):
    """A managed database server (an RDS DB instance, a Cloud SQL instance...).

    When the instance belongs to a cluster (`cluster_uid` set, e.g. an Aurora member),
    the cluster decides storage encryption, TLS, backups, high availability, deletion
    protection and log exports: those facts are the cluster's, copied by the provider.
    `tls_source` says where `tls_enforced` came from: ``"parameter-group"`` (an explicit
    setting was read) or ``"engine-default"`` (the engine's documented default applies).
    """

    KIND: ClassVar[str] = "database.instance"

    publicly_accessible: bool | None
    backup_retention_days: int | None
    high_availability: bool | None
    deletion_protection: bool | None
    log_exports: tuple[str, ...] | None
    audit_log_exports: tuple[str, ...] | None
    cluster_uid: str | None = None
    # The instance (or cluster) this one is a read replica of; its backups are the source's.
    replica_source: str | None = None
    # Why the exported log types cannot decide whether access is audited (the engine
    # audits through another setting the scanner does not read, or is not in its table).
    audit_log_undecided: str | None = None
    # How far the parameter group's settings are applied (AWS: ``in-sync``,
    # ``pending-reboot``, ``applying``); a TLS setting not in sync is not yet in force.
    parameter_apply_status: str | None = None
    azure: AzureSqlDetail | None = None
    azure_flexible: AzureFlexibleServerDetail | None = None
    gcp: CloudSqlDetail | None = None


@dataclass(frozen=True)
class DatabaseCluster(DatabaseSettings):
    """A managed database cluster (an Aurora or Multi-AZ DB cluster) and its shared settings.

    `high_availability` is true when the cluster's instances span several availability
    zones. `audit_log_exports` are the exported log types that record connections or
    statements for this engine (see `tls_source` on `DatabaseInstance` for the TLS fields).
    """

    KIND: ClassVar[str] = "database.cluster"

    backup_retention_days: int | None
    high_availability: bool | None
    deletion_protection: bool | None
    log_exports: tuple[str, ...] | None
    audit_log_exports: tuple[str, ...] | None
    member_uids: tuple[str, ...] = ()
    audit_log_undecided: str | None = None


@dataclass(frozen=True)
class DatabaseSnapshot:
    """A manual snapshot of a database instance or cluster.

    `public` is true when anyone may restore it; `shared_with` lists the other accounts
    allowed to restore it (without the public marker).
    """

    KIND: ClassVar[str] = "database.snapshot"

    engine: str | None
    source_uid: str | None
    encrypted_at_rest: bool | None
    kms_key_id: str | None
    public: bool | None
    shared_with: tuple[str, ...] | None
    cluster_snapshot: bool = False


@dataclass(frozen=True)
class DatabaseWarehouse:
    """A data warehouse cluster (Amazon Redshift, later BigQuery or Synapse equivalents).

    `tls_enforced` comes from the cluster's parameter group (`require_ssl` on Redshift);
    `audit_logging_enabled` is whether connection and user logs are delivered somewhere.
    """

    KIND: ClassVar[str] = "database.warehouse"

    engine_version: str | None
    encrypted_at_rest: bool | None
    kms_key_id: str | None
    publicly_accessible: bool | None
    tls_enforced: bool | None
    tls_parameter_value: str | None
    parameter_group: str | None
    audit_logging_enabled: bool | None
    audit_log_destination: str | None
    backup_retention_days: int | None
