"""LOG-AUDITEXPORT-01 against the fake: which sinks and buckets keep the audit logs."""

from __future__ import annotations

from typing import Any

from providers.gcp.demo_estate import DEV, PROD
from providers.gcp.fake import FakeGoogle
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Snapshot
from tests.providers.gcp.conftest import Scan
from tests.rules.support import rule_by_id

LOGS = "//logging.googleapis.com/projects/"


def verdicts(snapshot: Snapshot) -> set[tuple[str, str, str]]:
    findings = evaluate([snapshot], [rule_by_id("LOG-AUDITEXPORT-01")], EvaluationConfig()).findings
    return {(f.rule_id, f.resource.uid, str(f.status)) for f in findings}


def with_archive(fake: FakeGoogle, **archive: Any) -> None:
    sinks = fake.projects[PROD]["sinks"]
    (chosen,) = [s for s in sinks if s["name"] == "audit-archive"]
    chosen.update(archive)


def test_an_audit_export_passes(scan: Scan) -> None:
    assert verdicts(scan(PROD, DEV, collectors=("logging",))) == {
        ("LOG-AUDITEXPORT-01", f"{LOGS}{PROD}/exports", "PASS"),
        ("LOG-AUDITEXPORT-01", f"{LOGS}{DEV}/exports", "FAIL"),
    }


def test_a_sink_that_excludes_audit_logs_later_in_its_filter_is_no_export(
    scan: Scan, fake: FakeGoogle
) -> None:
    # Prod keeps only _Default (30 days) and _Required (400 days, no Data Access logs).
    with_archive(fake, filter='severity>=ERROR AND -logName:"cloudaudit.googleapis.com"')
    assert verdicts(scan(PROD, collectors=("logging",))) == {
        ("LOG-AUDITEXPORT-01", f"{LOGS}{PROD}/exports", "FAIL"),
    }


def test_a_disabled_sink_or_one_with_an_audit_exclusion_is_no_export(
    scan: Scan, fake: FakeGoogle
) -> None:
    with_archive(fake, disabled=True)
    assert verdicts(scan(PROD, collectors=("logging",))) == {
        ("LOG-AUDITEXPORT-01", f"{LOGS}{PROD}/exports", "FAIL"),
    }
    with_archive(
        fake,
        disabled=False,
        exclusions=[
            {"name": "no-reads", "filter": 'LOG_ID("cloudaudit.googleapis.com/data_access")'}
        ],
    )
    assert verdicts(scan(PROD, collectors=("logging",))) == {
        ("LOG-AUDITEXPORT-01", f"{LOGS}{PROD}/exports", "FAIL"),
    }
