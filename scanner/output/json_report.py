"""The JSON report: our own documented, versioned format.

The document follows `scanner/schemas/report.v1.schema.json` (draft-07). Every list is
sorted and keys are sorted, so two scans of the same estate render byte-identical text
apart from the timestamp fields (`scan.started_at`, `scan.finished_at`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scanner import TOOL_NAME
from scanner.baseline import PreviousFailure
from scanner.model import Finding, Gap, Waiver
from scanner.output.common import (
    attestation_to_dict,
    gap_to_dict,
    rule_to_dict,
    scope_to_dict,
    sorted_findings,
    sorted_scopes,
)
from scanner.report import Report
from scanner.waivers import outcome_to_dict

FORMAT = "hipaa-scan-report"
SCHEMA_VERSION = 1


class JsonFormatter:
    """Renders a `Report` as the versioned JSON report document."""

    def __init__(self, *, indent: int = 2) -> None:
        """`indent` is the JSON indentation (2 by default)."""
        self.indent = indent

    def render(self, report: Report) -> str:
        """The report as key-sorted JSON text ending in a newline."""
        return json.dumps(report_to_dict(report), indent=self.indent, sort_keys=True) + "\n"


def report_to_dict(report: Report) -> dict[str, Any]:
    """The JSON document of a report (see the module docstring for its guarantees)."""
    findings = sorted_findings(report.findings)
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
        "findings": [finding_to_dict(f) for f in findings],
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
    """One finding as a JSON object."""
    ref = finding.resource
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
