"""The JSON report: our own documented, versioned format, written as a stream.

The document follows `scanner/schemas/report.v2.schema.json` (draft-07). Every list is
sorted and keys are sorted, so two scans of the same estate render byte-identical text
apart from the timestamp fields (`scan.started_at`, `scan.finished_at`).

Layout: the document is indented, except that each finding is one compact line. The
findings are encoded one at a time (`JsonFormatter.stream`), so a report of 500,000
findings is never held as one object tree or one string.

Version 2 (version 1 wrote every finding in full): a PASS finding carries `rule_id`,
`status`, `fingerprint`, `evidence` and `resource` {`uid`, `account`, `region`}; its
severity, concern and citations are its rule's (in `rules`), and the message, the rest of
the resource and the null waiver are left out. That halves a PASS finding, which is most
of a large estate's report, and keeps the evidence auditors ask for. FAIL, UNKNOWN and
ERROR findings are written in full, as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scanner import TOOL_NAME
from scanner.baseline import PreviousFailure
from scanner.model import Finding, Gap, Status, Waiver
from scanner.output.common import (
    attestation_to_dict,
    gap_to_dict,
    rule_to_dict,
    scope_to_dict,
    sorted_findings,
    sorted_scopes,
)
from scanner.output.jsonenc import dumps_compact, has_float
from scanner.report import Report
from scanner.waivers import outcome_to_dict

FORMAT = "hipaa-scan-report"
SCHEMA_VERSION = 2
# Findings are written to the stream in batches of this many lines: one write per finding
# would cost more in calls than in encoding.
_BATCH = 2000
_FINDINGS_KEY = '"findings": []'


class JsonFormatter:
    """Renders a `Report` as the versioned JSON report document."""

    def __init__(self, *, indent: int = 2) -> None:
        """`indent` is the JSON indentation of everything but the one-line findings."""
        self.indent = indent

    def render(self, report: Report) -> str:
        """The report as key-sorted JSON text ending in a newline."""
        return "".join(self.stream(report))

    def stream(self, report: Report) -> Iterator[str]:
        """The same text as `render`, in pieces, encoding findings as they are written."""
        # Everything but the findings is small: render it whole with an empty findings
        # list, then write the findings where that empty list stands. A key at the top
        # level is the only text at this indentation, so the split is exact.
        text = json.dumps(
            report_to_dict(report, findings=False), indent=self.indent, sort_keys=True
        )
        marker = "\n" + " " * self.indent + _FINDINGS_KEY
        before, found, after = text.partition(marker)
        if not found:
            raise AssertionError("the report document has no findings key")
        yield before + marker[:-1]
        findings = sorted_findings(report.findings)
        if findings:
            pad = " " * (2 * self.indent)
            yield "\n"
            for start in range(0, len(findings), _BATCH):
                lines = [pad + encode_finding(f) for f in findings[start : start + _BATCH]]
                last = start + _BATCH >= len(findings)
                yield ",\n".join(lines) + ("\n" + " " * self.indent if last else ",\n")
        yield "]" + after + "\n"


def encode_finding(finding: Finding) -> str:
    """One finding as one line of compact, key-sorted JSON (what `json.dumps` would write)."""
    # Only the evidence can hold a float; the rest of a finding is strings and lists.
    return dumps_compact(finding_to_dict(finding), floats=has_float(finding.evidence))


def report_to_dict(report: Report, *, findings: bool = True) -> dict[str, Any]:
    """The JSON document of a report (see the module docstring for its guarantees).

    With `findings=False` the findings list is left empty, for `JsonFormatter.stream`.
    """
    document = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": report.tool_version},
        "scan": {
            "scopes": [scope_to_dict(s) for s in sorted_scopes(report.scopes)],
            "started_at": report.started_at,
            "finished_at": report.finished_at,
            "api_calls": report.api_calls,
            "resource_count": report.resource_count,
            "phi_scope": {
                "tags": sorted(report.phi.tags),
                "in_scope": report.phi.in_scope,
                "out_of_scope": report.phi.out_of_scope,
                "unknown_tags": report.phi.unknown_tags,
            },
            "snapshots": [{"file": f.name, "sha256": f.sha256} for f in sorted(report.snapshots)],
        },
        "complete": report.complete,
        "summary": _summary(report),
        "rules": [rule_to_dict(meta) for meta in sorted(report.rules, key=lambda m: m.id)],
        "findings": (
            [finding_to_dict(f) for f in sorted_findings(report.findings)] if findings else []
        ),
        "gaps": [gap_to_dict(g) for g in sorted(report.gaps, key=Gap.sort_key)],
        "attestations": [
            attestation_to_dict(a) for a in sorted(report.attestations, key=lambda a: a.id)
        ],
    }
    review = _review(report)
    if review:
        document["review"] = review
    return document


def _review(report: Report) -> dict[str, Any]:
    """Waiver states and the baseline comparison, present only when either was asked for."""
    review: dict[str, Any] = {}
    if report.review.waivers:
        review["waivers"] = [outcome_to_dict(w) for w in report.review.waivers]
    if report.review.baseline_source is not None:
        review["baseline"] = {
            "source": Path(report.review.baseline_source).name,
            "new": len(report.new_failures()),
            "fixed": [_previous(p) for p in report.review.fixed],
            "not_rechecked": [_previous(p) for p in report.review.not_rechecked],
        }
    return review


def _previous(failure: PreviousFailure) -> dict[str, str]:
    return {
        "rule_id": failure.rule_id,
        "resource_uid": failure.resource_uid,
        "resource_name": failure.resource_name,
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON object: a PASS compactly, any other status in full."""
    ref = finding.resource
    if finding.status is Status.PASS and finding.waiver is None:
        return {
            "rule_id": finding.rule_id,
            "status": finding.status.value,
            "resource": {"uid": ref.uid, "account": ref.account, "region": ref.region},
            "evidence": dict(finding.evidence),
            "fingerprint": finding.fingerprint,
        }
    return {
        "rule_id": finding.rule_id,
        "status": finding.status.value,
        "severity": finding.severity.label,
        "concern": finding.concern.value,
        "hipaa": list(finding.hipaa),
        "resource": {
            "uid": ref.uid,
            "name": ref.name,
            "kind": ref.kind,
            "native_type": ref.native_type,
            "provider": ref.provider,
            "account": ref.account,
            "region": ref.region,
        },
        "message": finding.message,
        "evidence": dict(finding.evidence),
        "fingerprint": finding.fingerprint,
        "waiver": _waiver(finding.waiver),
        **({"baseline_state": finding.baseline_state} if finding.baseline_state else {}),
    }


def _waiver(waiver: Waiver | None) -> dict[str, Any] | None:
    if waiver is None:
        return None
    return {"reason": waiver.reason, "expires": waiver.expires, "owner": waiver.owner}


def _summary(report: Report) -> dict[str, Any]:
    return {
        "by_status": report.status_counts(),
        "by_concern": report.concern_counts(),
        "failures_by_severity": report.failure_severity_counts(),
        "open_failures": len(report.open_failures()),
        "waived_failures": len(report.waived_failures()),
        "gaps": len(report.gaps),
        "attestations_owed": len(report.attestations),
    }
