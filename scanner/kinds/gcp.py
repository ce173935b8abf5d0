"""Google Cloud facts that have no neutral counterpart (yet), and GCP detail of neutral kinds.

The detail dataclasses (`GcsDetail`, `CloudSqlDetail`, `KmsKeyDetail`) hang off the
neutral kinds as an optional ``gcp`` field; the kinds here live under the ``gcp.``
namespace. As everywhere, a fact that could not be read is `None`, and `False` or an
empty tuple means "read, and off / none".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class GcsDetail:
    """What only a Cloud Storage bucket has.

    `public_access_prevention` is the bucket's own setting as the API spells it
    (``enforced``, ``inherited``); `public_iam_members` are the bucket IAM grants to
    ``allUsers``/``allAuthenticatedUsers`` as ``member:role``; `public_acl_entries` the
    bucket ACL and default object ACL entries for them (``bucket:allUsers:READER``,
    ``default-object:allUsers:READER``), empty when uniform bucket-level access turns ACLs
    off. Ages and periods are whole days.
    """

    location: str | None = None
    location_type: str | None = None
    uniform_bucket_level_access: bool | None = None
    public_access_prevention: str | None = None
    soft_delete_retention_days: int | None = None
    retention_period_days: int | None = None
    retention_locked: bool | None = None
    public_iam_members: tuple[str, ...] | None = None
    public_acl_entries: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CloudSqlDetail:
    """What only a Cloud SQL instance has.

    `ssl_mode` is ``settings.ipConfiguration.sslMode`` (``ALLOW_UNENCRYPTED_AND_ENCRYPTED``,
    ``ENCRYPTED_ONLY``, ``TRUSTED_CLIENT_CERTIFICATE_REQUIRED``; None when the instance
    does not say), `require_ssl` the legacy switch. `authorized_networks` are the CIDR
    blocks allowed to reach the public IP; `internet_exposed` is True when the instance
    has a public IP and those blocks together are the internet (`scanner.netcoverage`'s
    threshold: ``128.0.0.0/1`` is, ``203.0.113.0/24`` is not). `replica` instances
    take their backups from the primary. `database_flags` are ``name=value``.
    """

    instance_type: str | None = None
    replica: bool | None = None
    ssl_mode: str | None = None
    require_ssl: bool | None = None
    public_ip: bool | None = None
    authorized_networks: tuple[str, ...] | None = None
    internet_exposed: bool | None = None
    backup_enabled: bool | None = None
    point_in_time_recovery: bool | None = None
    database_flags: tuple[str, ...] | None = None


@dataclass(frozen=True)
class KmsKeyDetail:
    """What only a Cloud KMS key has.

    `rotation_period_days` is None when the key has no automatic rotation (`rotation_set`
    False) or when the key could not be read (`rotation_set` None). `public_iam_members`
    joins the key's and its key ring's grants to ``allUsers``/``allAuthenticatedUsers``;
    `destroy_scheduled_versions` names the versions in ``DESTROY_SCHEDULED`` state.
    """

    purpose: str | None = None
    protection_level: str | None = None
    rotation_set: bool | None = None
    rotation_period_days: int | None = None
    public_iam_members: tuple[str, ...] | None = None
    destroy_scheduled_versions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ServiceAccountKey:
    """One user-managed key of a service account (its id and dates, never key material)."""

    key_id: str
    age_days: int | None
    disabled: bool
    expires: str | None = None


@dataclass(frozen=True)
class ServiceAccount:
    """A service account and its user-managed keys (Google-managed keys rotate themselves)."""

    KIND: ClassVar[str] = "gcp.service_account"

    email: str
    disabled: bool | None
    user_managed_keys: tuple[ServiceAccountKey, ...] | None


@dataclass(frozen=True)
class BigQueryDataset:
    """A BigQuery dataset: who it is shared with and the key its tables default to.

    `public_members` are access entries for ``allUsers``/``allAuthenticatedUsers`` as
    ``member:role``; `kms_key_name` is ``""`` when the dataset names no default key
    (Google-managed encryption), None when the dataset could not be read.
    """

    KIND: ClassVar[str] = "gcp.bigquery_dataset"

    public_members: tuple[str, ...] | None
    kms_key_name: str | None


@dataclass(frozen=True)
class LogSink:
    """One log sink: where it exports, and whether its filter takes audit logs."""

    name: str
    destination: str
    disabled: bool
    exports_audit_logs: bool
    filter: str = ""


@dataclass(frozen=True)
class LogBucket:
    """One Cloud Logging bucket and how long it keeps entries."""

    name: str
    retention_days: int | None
    locked: bool | None = None


@dataclass(frozen=True)
class LogExports:
    """A project's log sinks and log buckets, for the "audit logs are kept" rule.

    The built-in ``_Default`` and ``_Required`` sinks route to the project's own buckets;
    they are listed but are not exports.
    """

    KIND: ClassVar[str] = "gcp.log_exports"

    sinks: tuple[LogSink, ...] | None
    buckets: tuple[LogBucket, ...] | None
