"""Audit-trail facts: trails (CloudTrail today), what they record, and per-region coverage.

`logging.trail` is one trail with its status and event selection, already interpreted by
the provider; `logging.audit_coverage` is the account singleton that says, per scanned
region, whether a logging trail records that region's management events. A fact that
could not be read is `None`; `False` or an empty tuple means "read, and not configured".

HIPAA audit controls (164.312(b)) ask who *read* and who *changed* ePHI, so a bucket counts
as covered by object-level data events only when both read and write events are recorded
for the whole bucket (one selector with both, or a read-only plus a write-only selector).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar


class Access(enum.StrEnum):
    """The two halves of a data-event selection."""

    READ = "read"
    WRITE = "write"


class Coverage(enum.StrEnum):
    """How much of one bucket a selection records."""

    FULL = "full"  # every object in the bucket
    PARTIAL = "partial"  # some objects, or only some events (a prefix, an event-name filter)
    NONE = "none"


@dataclass(frozen=True)
class S3DataSelector:
    """One event selector's S3 object-level (data event) scope.

    `arn_prefixes` are object-ARN prefixes the selector is limited to (``arn:aws:s3:::b/``
    is the whole bucket ``b``; an empty tuple means every bucket); `excluded_prefixes` are
    ``NotStartsWith`` exclusions. `narrowed` is True when other conditions (event names,
    principals, exact object ARNs...) mean only some events on the matched objects are
    recorded, so the selector never covers a bucket in full.
    """

    read: bool
    write: bool
    arn_prefixes: tuple[str, ...] = ()
    excluded_prefixes: tuple[str, ...] = ()
    narrowed: bool = False

    def coverage(self, bucket_arn: str, access: Access) -> Coverage:
        """How much of the bucket (``arn:aws:s3:::name``) this selector records for `access`."""
        if not (self.read if access is Access.READ else self.write):
            return Coverage.NONE
        root = f"{bucket_arn}/"
        if self.arn_prefixes and not any(_overlap(p, root) for p in self.arn_prefixes):
            return Coverage.NONE
        if any(root.startswith(e) for e in self.excluded_prefixes):
            return Coverage.NONE
        whole = not self.arn_prefixes or any(root.startswith(p) for p in self.arn_prefixes)
        carved = any(e.startswith(root) for e in self.excluded_prefixes)
        return Coverage.FULL if whole and not carved and not self.narrowed else Coverage.PARTIAL


def _overlap(prefix: str, root: str) -> bool:
    return prefix.startswith(root) or root.startswith(prefix)


@dataclass(frozen=True)
class EventSelection:
    """What a trail records: management events (read / write) and S3 data events."""

    management_read: bool
    management_write: bool
    s3_data: tuple[S3DataSelector, ...] = ()

    @property
    def management_read_write(self) -> bool:
        """True when both read and write management events are recorded."""
        return self.management_read and self.management_write

    def s3_coverage(self, bucket_arn: str, access: Access) -> Coverage:
        """The best coverage any selector gives the bucket for `access`."""
        return best_coverage(s.coverage(bucket_arn, access) for s in self.s3_data)


_RANK = {Coverage.NONE: 0, Coverage.PARTIAL: 1, Coverage.FULL: 2}


def best_coverage(values: Iterable[Coverage]) -> Coverage:
    """The widest of several coverages (`NONE` when there are none)."""
    best = Coverage.NONE
    for value in values:
        if _RANK[value] > _RANK[best]:
            best = value
    return best


@dataclass(frozen=True)
class Trail:
    """One audit trail (a CloudTrail trail) and the facts HIPAA rules judge.

    `logging` is None when the trail status could not be read; `events` is None when its
    event selectors could not be read. `kms_key_id` is ``""`` when log files are encrypted
    with S3-managed keys only (the trail description always states the key, so "no key" is
    a definite answer). `organization_trail` trails may belong to the management account:
    `owner_account` names the account that owns (and alone can change) the trail.
    """

    KIND: ClassVar[str] = "logging.trail"

    home_region: str
    multi_region: bool
    organization_trail: bool
    log_file_validation: bool
    kms_key_id: str
    s3_bucket: str
    logging: bool | None = None
    events: EventSelection | None = None
    owner_account: str | None = None
    # Where the trail also delivers its events for alerting: the log group's uid ("" when
    # it delivers to none); None when not read. The age is whole hours from the latest
    # delivery there to collection, None when unread or never delivered.
    cloudwatch_log_group: str | None = None
    cloudwatch_delivery_age_hours: int | None = None

    def covers_region(self, region: str) -> bool:
        """True when the trail records events that happen in `region`."""
        return self.multi_region or self.home_region == region

    @property
    def records_management_events(self) -> bool | None:
        """True when the trail is logging read and write management events (None: unknown)."""
        if self.logging is False:
            return False
        if self.events is not None and not self.events.management_read_write:
            return False
        if self.logging is None or self.events is None:
            return None
        return True


@dataclass(frozen=True)
class RegionCoverage:
    """Whether one region's management events are recorded by a logging trail.

    `multi_region_trail` counts only multi-region trails (they also cover regions enabled
    later); `any_trail` also counts single-region trails whose home is this region. Both are
    None when no trail was seen to cover the region and something needed was unreadable.
    `trails` lists the ARNs of the trails seen recording it.
    """

    region: str
    multi_region_trail: bool | None
    any_trail: bool | None
    trails: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditCoverage:
    """The account's audit-trail coverage, one entry per scanned region."""

    KIND: ClassVar[str] = "logging.audit_coverage"

    regions: tuple[RegionCoverage, ...] = ()


@dataclass(frozen=True)
class ServiceAuditLogging:
    """Which audit-log types one service records (GCP ``auditConfigs`` entry).

    `service` is the service name (``storage.googleapis.com``) or ``allServices``;
    `data_read` / `data_write` are the Data Access log types, `admin_read` the admin
    reads. `exempted_members` are the identities whose access is not recorded.
    """

    service: str
    data_read: bool
    data_write: bool
    admin_read: bool = False
    exempted_members: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditLogConfig:
    """An account's (project's) audit-log configuration: what data access is recorded.

    `services` is None when the configuration could not be read; an empty tuple means
    nothing beyond the cloud's always-on admin-activity logs is configured.
    """

    KIND: ClassVar[str] = "logging.audit_config"

    services: tuple[ServiceAuditLogging, ...] | None

    def records(self, service: str, access: Access) -> bool | None:
        """Whether `access` to `service` is recorded (by its own entry or ``allServices``)."""
        if self.services is None:
            return None
        return any(
            (entry.data_read if access is Access.READ else entry.data_write)
            for entry in self.services
            if entry.service in (service, "allServices")
        )

    def exempted(self, service: str) -> tuple[str, ...]:
        """Members exempted from logging `service` (its own entry and ``allServices``)."""
        found = {
            m
            for entry in self.services or ()
            if entry.service in (service, "allServices")
            for m in entry.exempted_members
        }
        return tuple(sorted(found))


@dataclass(frozen=True)
class DiagnosticSetting:
    """Where one resource sends its own logs.

    An Azure diagnostic setting: the kind every cloud with per-resource log routing fills.

    `target_uid` is the uid of the resource whose logs are routed (the subscription for the
    activity log). `categories` are the enabled log categories (``StorageRead``,
    ``AuditEvent``, ``Administrative``...); `category_groups` the enabled groups (``audit``,
    ``allLogs``). `destinations` are the uids of the workspaces, storage accounts or event
    hubs that receive them; an empty tuple means the setting sends nowhere.
    """

    KIND: ClassVar[str] = "logging.diagnostic_setting"

    target_uid: str
    categories: tuple[str, ...]
    category_groups: tuple[str, ...]
    destinations: tuple[str, ...]
    retention_days: int | None = None
