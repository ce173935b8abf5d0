"""Baselines: what changed since a previous scan (`--baseline PREVIOUS.json`).

Findings are matched by rule id and resource uid only (the fingerprint's inputs), never by
message, so rewording a message never makes a finding new; a rule id renamed since the
previous report is resolved through the alias table. Every FAIL of the new report is
`new` or `unchanged`; a FAIL of the previous report that now passes, or whose resource is
gone from a complete scan that covered the resource's account and region, is `fixed`. A
previous FAIL the new scan could not judge is not called fixed: the rule now says UNKNOWN
or did not run, the scan was incomplete, the resource is still there but the rule no
longer judged it (outside the PHI scope, say), or its account or region was not scanned
(a narrower scan, or another estate's report given as the baseline).
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from scanner.errors import InputFileError
from scanner.fileio import read_text
from scanner.model import Finding, Status

Key = tuple[str, str]  # (current rule id, resource uid)


class BaselineState(enum.StrEnum):
    """How a FAIL compares with the previous scan (SARIF `baselineState` values)."""

    NEW = "new"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PreviousFailure:
    """A FAIL of the previous report, as it was named there."""

    rule_id: str
    resource_uid: str
    resource_name: str
    message: str
    # Where the resource was; None in a report that did not say (it is never "fixed" by
    # being gone, as nothing shows the new scan looked where it was).
    account: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Baseline:
    """The failures of a previous report, keyed by (current rule id, resource uid)."""

    source: str
    failures: dict[Key, PreviousFailure]


def load_baseline(path: Path, resolve: Callable[[str], str] = lambda rule_id: rule_id) -> Baseline:
    """Read a previous JSON report (written by `--format json`); errors name the place."""
    text = read_text(path, "baseline report")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = (
            f" (line {exc.lineno}, column {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise InputFileError(
            f"{path}: not JSON{detail}; pass a report written by --format json"
        ) from None
    if not isinstance(data, dict) or data.get("format") != "hipaa-scan-report":
        raise InputFileError(
            f"{path}: not a hipaa-scan JSON report (its 'format' is not "
            "hipaa-scan-report); pass a report written by --format json"
        )
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise InputFileError(f"{path}: findings: expected a list")
    failures: dict[Key, PreviousFailure] = {}
    for index, raw in enumerate(findings):
        previous = _previous(raw, f"{path}: findings[{index}]")
        if previous is not None:
            failures[(resolve(previous.rule_id), previous.resource_uid)] = previous
    return Baseline(str(path), failures)


def _previous(raw: object, where: str) -> PreviousFailure | None:
    try:
        assert isinstance(raw, dict)
        resource = raw["resource"]
        assert isinstance(resource, dict)
        status, rule_id, uid = raw["status"], raw["rule_id"], resource["uid"]
        assert isinstance(rule_id, str) and isinstance(uid, str) and isinstance(status, str)
    except (AssertionError, KeyError):
        raise InputFileError(f"{where}: expected rule_id, status and resource.uid") from None
    if status != Status.FAIL.value:
        return None
    return PreviousFailure(
        rule_id,
        uid,
        str(resource.get("name", "")),
        str(raw.get("message", "")),
        _text_or_none(resource.get("account")),
        _text_or_none(resource.get("region")),
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class BaselineComparison:
    """The findings marked new/unchanged, and the failures fixed since the baseline."""

    findings: list[Finding]
    fixed: tuple[PreviousFailure, ...]
    not_rechecked: tuple[PreviousFailure, ...]


class Coverage(Protocol):
    """What the new scan read: the resources it holds and the places it looked."""

    def holds(self, uid: str) -> bool:
        """Whether the new scan read a resource with this uid."""
        ...

    def looked_in(self, account: str, region: str) -> bool:
        """Whether the new scan covered this account and region."""
        ...


def compare(
    findings: Sequence[Finding],
    baseline: Baseline,
    *,
    complete: bool,
    rules_run: Collection[str],
    coverage: Coverage,
) -> BaselineComparison:
    """Mark every FAIL `new` or `unchanged` and list what the baseline had that is gone."""
    current = {(f.rule_id, f.resource.uid): f for f in findings}
    marked = [
        dataclasses.replace(
            f,
            baseline_state=(
                BaselineState.UNCHANGED
                if (f.rule_id, f.resource.uid) in baseline.failures
                else BaselineState.NEW
            ).value,
        )
        if f.status is Status.FAIL
        else f
        for f in findings
    ]
    fixed: list[PreviousFailure] = []
    not_rechecked: list[PreviousFailure] = []
    for key, previous in sorted(baseline.failures.items()):
        now = current.get(key)
        if now is not None and now.status is Status.FAIL:
            continue
        if (now is not None and now.status is Status.PASS) or (
            now is None and complete and key[0] in rules_run and _gone(previous, coverage)
        ):
            fixed.append(previous)
        else:
            not_rechecked.append(previous)
    return BaselineComparison(marked, tuple(fixed), tuple(not_rechecked))


def _gone(previous: PreviousFailure, coverage: Coverage) -> bool:
    """Whether the scan looked where the resource was and found it no longer there."""
    if previous.account is None or previous.region is None:
        return False
    return not coverage.holds(previous.resource_uid) and coverage.looked_in(
        previous.account, previous.region
    )
