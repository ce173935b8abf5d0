"""The `Report`: the one object every formatter and the exit code are computed from.

Summaries live here, once, so that no formatter re-derives counts on its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from scanner import __version__
from scanner.baseline import PreviousFailure
from scanner.model import Concern, Finding, Gap, Scope, Severity, Status
from scanner.rule import Attestation, RuleMeta
from scanner.waivers import WaiverOutcome, WaiverState


@dataclass(frozen=True)
class Review:
    """What waivers and the baseline made of the findings.

    `waivers` is the state of every waiver entry (active, stale or expired); `fixed` are
    the previous failures that now pass (or whose resource is gone from a complete scan);
    `not_rechecked` the previous failures this scan could not judge.
    """

    waivers: tuple[WaiverOutcome, ...] = ()
    baseline_source: str | None = None
    fixed: tuple[PreviousFailure, ...] = ()
    not_rechecked: tuple[PreviousFailure, ...] = ()

    def waivers_in(self, state: WaiverState) -> list[WaiverOutcome]:
        """The waiver entries in `state`, in file order."""
        return [w for w in self.waivers if w.state is state]


@dataclass(frozen=True)
class PhiScope:
    """How `--phi-tag` split the data-holding resources.

    `unknown_tags` counts the resources in scope only because their tags could not be
    read (fail closed); they are included in `in_scope`.
    """

    tags: tuple[str, ...]
    in_scope: int
    out_of_scope: int
    unknown_tags: int = 0


@dataclass(frozen=True, order=True)
class SnapshotFile:
    """A snapshot file a report was computed from: its name and the sha256 of its bytes.

    `sha256` is taken over the bytes as stored on disk (what ``sha256sum FILE`` prints):
    for `hipaa-scan evaluate`, the bytes it read; for a scan with ``--snapshot-out``, the
    bytes it wrote. `name` is the file name without its directory.
    """

    name: str
    sha256: str


@dataclass(frozen=True)
class Report:
    """The result of evaluating one or more snapshots."""

    scopes: tuple[Scope, ...]
    started_at: str
    finished_at: str
    rules: tuple[RuleMeta, ...]
    findings: tuple[Finding, ...]
    gaps: tuple[Gap, ...]
    resource_count: int
    phi: PhiScope
    attestations: tuple[Attestation, ...] = ()
    api_calls: int = 0
    tool_version: str = __version__
    review: Review = field(default_factory=Review)
    snapshots: tuple[SnapshotFile, ...] = ()

    @cached_property
    def complete(self) -> bool:
        """False when any gap was recorded or any rule raised."""
        return not self.gaps and not self.status_counts()[Status.ERROR.value]

    def status_counts(self) -> dict[str, int]:
        """Findings per status, every status present (zero when none)."""
        return dict(self._status_counts)

    @cached_property
    def _status_counts(self) -> dict[str, int]:
        # Every formatter and the exit code ask; count the (possibly 100k) findings once.
        counts = Counter(f.status.value for f in self.findings)
        return {status.value: counts.get(status.value, 0) for status in Status}

    def concern_counts(self) -> dict[str, dict[str, int]]:
        """Findings per concern and status, every concern and status present."""
        counts = Counter((f.concern.value, f.status.value) for f in self.findings)
        return {
            concern.value: {s.value: counts.get((concern.value, s.value), 0) for s in Status}
            for concern in Concern
        }

    def failure_severity_counts(self) -> dict[str, int]:
        """Unwaived failures per severity, most severe first."""
        counts = Counter(f.severity.label for f in self.open_failures())
        return {sev.label: counts.get(sev.label, 0) for sev in sorted(Severity, reverse=True)}

    def open_failures(self, at_least: Severity = Severity.INFO) -> list[Finding]:
        """Unwaived FAIL findings at or above a severity."""
        if at_least is Severity.INFO:
            return list(self._open_failures)
        return [f for f in self._open_failures if f.severity >= at_least]

    @cached_property
    def _open_failures(self) -> tuple[Finding, ...]:
        # The summary, the exit code and several formatters each ask: scan the findings once.
        return tuple(f for f in self.findings if f.status is Status.FAIL and f.waiver is None)

    def new_failures(self, at_least: Severity = Severity.INFO) -> list[Finding]:
        """Unwaived FAILs at or above a severity that the baseline did not have."""
        return [f for f in self.open_failures(at_least) if f.baseline_state == "new"]

    def waived_failures(self) -> list[Finding]:
        """FAIL findings that carry a waiver."""
        return [f for f in self.findings if f.status is Status.FAIL and f.waiver is not None]

    def rule_meta(self, rule_id: str) -> RuleMeta:
        """The metadata of a rule that took part in this report; `KeyError` otherwise."""
        return self._rules_by_id[rule_id]

    @cached_property
    def _rules_by_id(self) -> dict[str, RuleMeta]:
        return {meta.id: meta for meta in self.rules}
