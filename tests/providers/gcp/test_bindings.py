"""Project IAM bindings to domains and identity pools, judged through the fake and the engine."""

from __future__ import annotations

from providers.gcp.demo_estate import PROD, policy
from providers.gcp.fake import FakeGoogle
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Snapshot
from tests.providers.gcp.conftest import Scan
from tests.rules.support import rule_by_id

BIND = f"//cloudresourcemanager.googleapis.com/projects/{PROD}/iamBindings/"
RULES = ("IAM-BINDING-01", "IAM-BINDING-02", "PUB-BINDING-01")
POOL = "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh/*"


def verdicts(snapshot: Snapshot) -> set[tuple[str, str, str]]:
    findings = evaluate([snapshot], [rule_by_id(r) for r in RULES], EvaluationConfig()).findings
    return {
        (f.rule_id, f.resource.uid.removeprefix(BIND), str(f.status))
        for f in findings
        if f.resource.uid.startswith(BIND)
    }


def test_owner_to_a_domain_and_a_pool_and_an_unknown_member(scan: Scan, fake: FakeGoogle) -> None:
    fake.projects[PROD]["iam_policy"] = policy(
        ("roles/owner", ["domain:nwh.example"]),
        ("roles/iam.serviceAccountTokenCreator", [POOL]),
        ("roles/editor", ["group:ops@nwh.example", "someNewKind:x"]),
    )
    assert verdicts(scan(PROD, collectors=("cloudresourcemanager",))) == {
        ("IAM-BINDING-01", "roles/owner/domain:nwh.example", "FAIL"),
        ("IAM-BINDING-02", "roles/owner/domain:nwh.example", "FAIL"),
        ("PUB-BINDING-01", "roles/owner/domain:nwh.example", "PASS"),
        ("IAM-BINDING-01", f"roles/iam.serviceAccountTokenCreator/{POOL}", "PASS"),
        ("IAM-BINDING-02", f"roles/iam.serviceAccountTokenCreator/{POOL}", "FAIL"),
        ("PUB-BINDING-01", f"roles/iam.serviceAccountTokenCreator/{POOL}", "PASS"),
        ("IAM-BINDING-01", "roles/editor/group:ops@nwh.example", "FAIL"),
        ("PUB-BINDING-01", "roles/editor/group:ops@nwh.example", "PASS"),
        ("IAM-BINDING-01", "roles/editor/someNewKind:x", "UNKNOWN"),
        ("IAM-BINDING-02", "roles/editor/someNewKind:x", "UNKNOWN"),
        ("PUB-BINDING-01", "roles/editor/someNewKind:x", "UNKNOWN"),
    }
