"""Agreements: the AGR-BAA-01 rule on hand-built resources, and the manual attestations."""

from __future__ import annotations

import re

from rules import load_rules
from rules.attestations import attestations
from rules.hipaa import (
    BUSINESS_ASSOCIATE_CONTRACTS,
    MEDIA_BACKUP_AND_STORAGE,
    WRITTEN_CONTRACT,
    catalog,
)
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.agreements import AccountAgreements, CustomerAgreement
from scanner.model import PROVIDERS, Concern, Finding, Scope, Snapshot, Status
from tests.rules.support import ACCOUNT, aws_resource, snapshot_of

UID = f"arn:aws:artifact::{ACCOUNT}:customer-agreements"
BAA = CustomerAgreement("AWS Business Associate Addendum", "ACTIVE", "DEFAULT", False, True)
NDA = CustomerAgreement("AWS Nondisclosure Agreement", "ACTIVE", "DEFAULT", False, False)


def judge(props: AccountAgreements, phi_tags: tuple[tuple[str, str], ...] = ()) -> Finding:
    native_type = "AWS::Artifact::CustomerAgreements"
    resource = aws_resource(UID, native_type, "customer-agreements", props, region="global")
    (rule,) = [r for r in load_rules() if r.id == "AGR-BAA-01"]
    config = EvaluationConfig(phi_tags=phi_tags)
    (finding,) = evaluate([snapshot_of((resource,))], [rule], config).findings
    return finding


def test_baa_pass() -> None:
    finding = judge(AccountAgreements(True, (BAA, NDA)), phi_tags=(("phi", "yes"),))
    assert finding.status is Status.PASS
    assert finding.evidence["agreements"] == [
        "AWS Business Associate Addendum (ACTIVE)",
        "AWS Nondisclosure Agreement (ACTIVE)",
    ]


def test_baa_fail() -> None:
    terminated = CustomerAgreement(
        "AWS Business Associate Addendum", "CUSTOMER_TERMINATED", "DEFAULT", False, True
    )
    finding = judge(AccountAgreements(False, (NDA, terminated)))
    assert finding.status is Status.FAIL
    assert finding.evidence["baa_active"] is False
    assert judge(AccountAgreements(False, ())).status is Status.FAIL


def test_baa_unknown_says_what_to_do() -> None:
    finding = judge(AccountAgreements(None, None))
    assert finding.status is Status.UNKNOWN
    assert "the AWS Artifact API did not answer; confirm the BAA in the AWS Artifact console" in (
        finding.message
    )


def test_baa_rule_metadata() -> None:
    (rule,) = [r for r in load_rules() if r.id == "AGR-BAA-01"]
    assert rule.meta.citations == (BUSINESS_ASSOCIATE_CONTRACTS, WRITTEN_CONTRACT)
    assert rule.meta.phi_scoped is False
    assert rule.meta.concern is Concern.AGREEMENTS


# --- manual attestations -----------------------------------------------------------------------

ALL = attestations()


def test_attestation_ids_are_unique_well_formed_and_not_rule_ids() -> None:
    ids = [a.id for a in ALL]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"MAN-[A-Z]+-\d{2}", i) for i in ids), ids
    assert ids == sorted(ids)
    assert not set(ids) & {r.id for r in load_rules()}
    assert 5 <= len(ALL) <= 8


def test_attestations_cite_the_catalog_and_name_their_providers() -> None:
    entries = set(catalog())
    for item in ALL:
        assert item.citations, item.id
        assert set(item.citations) <= entries, item.id
        assert len(set(item.citations)) == len(item.citations)
        assert item.providers and item.providers <= set(PROVIDERS), item.id
        assert item.title and not item.title.endswith(".")
        assert len(item.description) >= 40


def test_the_required_attestations_are_there() -> None:
    by_id = {a.id: a for a in ALL}
    exit_plan = by_id["MAN-EXIT-01"]
    assert {BUSINESS_ASSOCIATE_CONTRACTS, WRITTEN_CONTRACT, MEDIA_BACKUP_AND_STORAGE} <= set(
        exit_plan.citations
    )
    # AWS has an API for the BAA (AGR-BAA-01); the others do not.
    assert by_id["MAN-BAA-01"].providers == frozenset({"gcp", "azure"})
    sections = {c.section for a in ALL for c in a.citations}
    assert {"164.308(a)(5)(i)", "164.308(a)(7)(ii)(D)", "164.308(a)(1)(ii)(A)"} <= sections


def test_attestations_are_never_findings() -> None:
    snapshot = Snapshot(
        tool_version="t",
        scope=Scope("aws", (ACCOUNT,), ("us-east-1",)),
        started_at="",
        finished_at="",
        resources=(),
        gaps=(),
    )
    report = evaluate([snapshot], list(load_rules()), attestations=ALL)
    assert report.attestations == ALL
    assert not any(f.rule_id.startswith("MAN-") for f in report.findings)
