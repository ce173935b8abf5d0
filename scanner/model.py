"""The core value types every layer shares: severities, statuses, resources, gaps, snapshots.

Providers build `Resource` and `Gap` objects into a `Snapshot`; the engine turns a snapshot
into `Finding` objects gathered in a `Report`. Everything here is immutable and carries only
JSON-friendly data, so a snapshot or report can be written, read back and compared.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

JSONScalar = str | int | float | bool | None
JSONValue = JSONScalar | list["JSONValue"] | dict[str, "JSONValue"]

P = TypeVar("P")

PROVIDERS = ("aws", "gcp", "azure")


class Severity(enum.IntEnum):
    """How bad a failing rule is; ordered so thresholds compare naturally (`>= HIGH`)."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """The lower-case name used in every output and on the command line."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a severity from its label (`high`), case-insensitively."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r}; choose one of {choices}") from None


class Status(enum.StrEnum):
    """The outcome of one rule on one resource.

    `UNKNOWN` means the facts the rule needs could not be read (a gap); `ERROR` means the
    rule itself raised. Neither is ever silently turned into a pass or a failure.
    """

    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"
    ERROR = "ERROR"


class Concern(enum.StrEnum):
    """The fixed vocabulary of what a rule protects, used in outputs and by `--concern`."""

    ENCRYPTION_AT_REST = "encryption-at-rest"
    ENCRYPTION_IN_TRANSIT = "encryption-in-transit"
    AUDIT_LOGGING = "audit-logging"
    PUBLIC_EXPOSURE = "public-exposure"
    ACCESS_CONTROL = "access-control"
    BACKUP_RECOVERY = "backup-recovery"
    AGREEMENTS = "agreements"


@dataclass(frozen=True)
class Resource(Generic[P]):
    """One cloud resource (or account-level singleton) and the facts read about it.

    `props` is an instance of the fact dataclass registered for `kind` (see
    `scanner.kinds`). A fact that could not be read is `None` in `props`, never `False`.
    """

    uid: str
    provider: str
    kind: str
    native_type: str
    account: str
    region: str
    name: str
    props: P
    # None: the tags could not be read (the resource stays in every PHI scope).
    tags: Mapping[str, str] | None = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    """Something the provider could not read, and why (AccessDenied, throttling, 5xx...).

    `kinds` is set when a whole listing failed: the kinds that call would have listed in
    (`account`, `region`). Every rule over one of them then reports UNKNOWN for that scope,
    so a denied listing can never read as "nothing there".
    """

    provider: str
    account: str
    region: str
    service: str
    operation: str
    error_code: str
    message: str
    resource_uid: str | None = None
    kinds: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, ...]:
        """A total order so every output lists gaps the same way."""
        return (
            self.provider,
            self.account,
            self.region,
            self.service,
            self.operation,
            self.resource_uid or "",
            self.error_code,
            self.message,
        )


# The region of an account-wide resource or read (IAM, an S3 bucket listing, a project).
GLOBAL_REGION = "global"


@dataclass(frozen=True)
class Scope:
    """What a snapshot covers. Holds names only: never a credential or token."""

    provider: str
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    profile: str | None = None
    endpoint_url: str | None = None
    shard: str | None = None  # "I/N" when this collection was one shard of a plan
    plan: str | None = None  # digest of the full account list the shard was cut from


@dataclass(frozen=True)
class Snapshot:
    """Everything one collection read: the only contract between clouds and rules."""

    tool_version: str
    scope: Scope
    started_at: str
    finished_at: str
    resources: tuple[Resource[object], ...]
    gaps: tuple[Gap, ...]
    api_calls: int = 0

    @property
    def complete(self) -> bool:
        """True when nothing was left unread."""
        return not self.gaps


@dataclass(frozen=True)
class Waiver:
    """An accepted risk attached to a FAIL; the finding stays a FAIL with this attached."""

    reason: str
    expires: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """The identity of the resource a finding is about, as every output shows it."""

    uid: str
    name: str
    kind: str
    native_type: str
    provider: str
    account: str
    region: str

    @classmethod
    def of(cls, resource: Resource[object]) -> ResourceRef:
        """The reference for `resource`."""
        return cls(
            uid=resource.uid,
            name=resource.name,
            kind=resource.kind,
            native_type=resource.native_type,
            provider=resource.provider,
            account=resource.account,
            region=resource.region,
        )


# Findings' order (rule id, then resource uid) as a C-level getter: the engine sorts every
# finding of the estate with it.
FINDING_ORDER = operator.attrgetter("rule_id", "resource.uid")


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one resource, with the evidence that decided it.

    Slotted: a large estate holds hundreds of thousands of them at once.
    """

    rule_id: str
    status: Status
    severity: Severity
    concern: Concern
    hipaa: tuple[str, ...]
    resource: ResourceRef
    message: str
    evidence: Mapping[str, JSONValue]
    fingerprint: str
    waiver: Waiver | None = None
    baseline_state: str | None = None  # "new" or "unchanged" for a FAIL under --baseline

    def sort_key(self) -> tuple[str, str]:
        """Findings are ordered by rule id, then resource uid."""
        order: tuple[str, str] = FINDING_ORDER(self)
        return order
