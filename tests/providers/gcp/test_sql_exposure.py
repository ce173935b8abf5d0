"""PUB-DB-01 on Cloud SQL through the fake: the shared internet threshold, not "exactly /0"."""

from __future__ import annotations

from providers.gcp.demo_estate import PROD, sql
from providers.gcp.fake import FakeGoogle
from scanner.engine import EvaluationConfig, evaluate
from tests.providers.gcp.conftest import Scan
from tests.rules.support import rule_by_id

SQL = f"//sqladmin.googleapis.com/projects/{PROD}/instances/"


def test_half_the_internet_is_the_internet(scan: Scan, fake: FakeGoogle) -> None:
    fake.projects[PROD]["sql_instances"] = [
        sql("half-open", public_ip=True, networks=("128.0.0.0/1",)),
        sql("office-only", public_ip=True, networks=("203.0.113.0/24",)),
        sql("private-half", public_ip=False, networks=("128.0.0.0/1",)),
    ]
    snapshot = scan(PROD, collectors=("sqladmin",))
    findings = evaluate([snapshot], [rule_by_id("PUB-DB-01")], EvaluationConfig()).findings
    assert {(f.rule_id, f.resource.uid.removeprefix(SQL), str(f.status)) for f in findings} == {
        ("PUB-DB-01", "half-open", "FAIL"),
        ("PUB-DB-01", "office-only", "PASS"),
        ("PUB-DB-01", "private-half", "PASS"),
    }
