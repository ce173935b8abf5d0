"""Whether a backup service protects a resource: the lookup the per-service backup rules share.

A resource whose own backup setting is off (EFS automatic backups, DynamoDB point-in-time
recovery, RDS automated backups) may still be backed up by a backup plan. The
`backup.coverage` resource of the resource's account and region maps protected uids to
their last backup, so the lookup is one dictionary read per resource (the coverage
resources of an account are one per region). This module defines no rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from scanner.kinds.backup import BackupCoverage, ProtectedResource
from scanner.model import JSONValue, Resource, Status
from scanner.rule import RuleContext, Verdict

# A resource last backed up longer ago than this is listed but not kept backed up: the
# listing names every resource the service ever backed up, on-demand jobs included.
MAX_DAYS_SINCE_BACKUP = 7


class Coverage(enum.Enum):
    """What the backup service's listing says about one resource."""

    PROTECTED = "protected"
    # Backed up once (an on-demand job, a plan since removed) but not lately: listed, yet
    # no plan is keeping its backups current.
    STALE = "stale"
    NOT_PROTECTED = "not-protected"
    UNREADABLE = "unreadable"  # the listing failed: whether it is protected is unknown
    NOT_COLLECTED = "not-collected"  # no listing in the snapshot (service not scanned)


@dataclass(frozen=True)
class Lookup:
    """The coverage of one resource, and its last backup when protected."""

    coverage: Coverage
    found: ProtectedResource | None = None

    def evidence(self) -> dict[str, JSONValue]:
        """`aws_backup_protected` (None when unknown) and the days since the last backup."""
        if self.coverage is Coverage.NOT_COLLECTED:
            return {}
        protected = {
            Coverage.PROTECTED: True,
            Coverage.STALE: False,
            Coverage.NOT_PROTECTED: False,
            Coverage.UNREADABLE: None,
        }[self.coverage]
        evidence: dict[str, JSONValue] = {"aws_backup_protected": protected}
        if self.found is not None:
            evidence["days_since_last_backup"] = self.found.days_since_last_backup
        return evidence

    def last_backup(self) -> str:
        """``; last backup N days ago`` when the listing gave a date, else nothing."""
        days = self.found.days_since_last_backup if self.found else None
        return "" if days is None else f"; last backup {days} days ago"


def lookup(ctx: RuleContext, resource: Resource[Any]) -> Lookup:
    """Whether a backup plan protects `resource`, from its account and region's listing."""
    for coverage in ctx.of_kind(BackupCoverage.KIND, resource.account):
        if coverage.region != resource.region:
            continue
        protected = coverage.props.protected
        if protected is None:
            return Lookup(Coverage.UNREADABLE)
        found = protected.get(resource.uid)
        if found is None:
            return Lookup(Coverage.NOT_PROTECTED)
        days = found.days_since_last_backup
        if days is None:
            return Lookup(Coverage.UNREADABLE, found)
        if days > MAX_DAYS_SINCE_BACKUP:
            return Lookup(Coverage.STALE, found)
        return Lookup(Coverage.PROTECTED, found)
    return Lookup(Coverage.NOT_COLLECTED)


def overrule(own: Verdict, ctx: RuleContext, resource: Resource[Any], subject: str) -> Verdict:
    """`own` (a per-service backup verdict), passed or made UNKNOWN by backup-plan coverage.

    A FAIL or UNKNOWN becomes PASS when a backup plan protects the resource, and a FAIL
    becomes UNKNOWN when the protection listing failed (it might be protected). A PASS
    stands; every verdict gains the coverage evidence.
    """
    if own.status is Status.PASS or resource.provider != "aws":
        return own
    found = lookup(ctx, resource)
    evidence = {**own.evidence, **found.evidence()}
    if found.coverage is Coverage.PROTECTED:
        return Verdict.passed(
            f"{subject} is protected by a backup plan{found.last_backup()}. {own.message}",
            **evidence,
        )
    if found.coverage is Coverage.UNREADABLE and own.status is Status.FAIL:
        return Verdict.unknown(
            f"{own.message} Whether a backup plan protects it could not be read.",
            **evidence,
        )
    return Verdict(own.status, own.message, evidence, own.applicable)
