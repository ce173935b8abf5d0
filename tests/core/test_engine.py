"""The engine: statuses, errors, PHI scope, parameters and ordering, on synthetic rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pytest

from rules.hipaa import AUDIT_CONTROLS, ENCRYPTION_AND_DECRYPTION
from scanner.engine import EvaluationConfig, _Context, evaluate, fingerprint
from scanner.model import Concern, Gap, Resource, Scope, Severity, Snapshot, Status
from scanner.output.common import phi_scope_text
from scanner.output.compliance import HtmlFormatter, MarkdownFormatter
from scanner.output.json_report import report_to_dict
from scanner.output.text import TextFormatter
from scanner.report import PhiScope
from scanner.rule import RuleContext, Verdict, rule


@dataclass(frozen=True)
class Thing:
    encrypted: bool | None
    size: int = 0


def thing(
    uid: str,
    encrypted: bool | None,
    tags: dict[str, str] | None = None,
    provider: str = "aws",
    kind: str = "test.thing",
    size: int = 0,
) -> Resource[Any]:
    return Resource(
        uid=uid,
        provider=provider,
        kind=kind,
        native_type="AWS::Test::Thing",
        account="111111111111",
        region="us-east-1",
        name=uid.rsplit(":", 1)[-1],
        props=Thing(encrypted, size),
        tags=tags or {},
    )


@rule(
    id="EAR-TEST-01",
    title="Thing is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=["test.thing"],
    providers=["aws"],
)
def thing_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Things must be encrypted."""
    if resource.props.encrypted is None:
        return Verdict.unknown("encryption unknown")
    if resource.props.encrypted:
        return Verdict.passed("encrypted", encrypted=True)
    return Verdict.fail("not encrypted", encrypted=False)


@rule(
    id="LOG-TEST-01",
    title="Thing is small",
    severity=Severity.LOW,
    concern=Concern.AUDIT_LOGGING,
    citations=[AUDIT_CONTROLS],
    kinds=["test.thing"],
    providers=["aws"],
    phi_scoped=False,
    params={"max_size": 10},
)
def thing_small(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Things must be small; account-level, so PHI scope does not apply."""
    if resource.props.size > ctx.param("max_size"):
        return Verdict.fail("too big", size=resource.props.size)
    return Verdict.passed("small enough", size=resource.props.size)


@rule(
    id="EAR-TEST-02",
    title="Rule that raises",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=["test.thing"],
    providers=["aws"],
)
def thing_broken(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A rule with a bug."""
    raise ZeroDivisionError("boom")


def snap(*resources: Resource[Any], gaps: tuple[Gap, ...] = ()) -> Snapshot:
    return Snapshot(
        tool_version="0",
        scope=Scope("aws", ("111111111111",), ("us-east-1",)),
        started_at="2026-01-01T00:00:00Z",
        finished_at="2026-01-01T00:01:00Z",
        resources=tuple(resources),
        gaps=gaps,
    )


def triples(report: Any) -> set[tuple[str, str, str]]:
    return {(f.rule_id, f.resource.uid, f.status.value) for f in report.findings}


def test_statuses_and_rule_errors_are_reported_per_resource() -> None:
    gap = Gap(
        "aws", "111111111111", "us-east-1", "test", "GetThing", "AccessDenied", "no", "arn:t:c"
    )
    report = evaluate(
        [
            snap(
                thing("arn:t:a", True), thing("arn:t:b", False), thing("arn:t:c", None), gaps=(gap,)
            )
        ],
        [thing_encrypted, thing_broken],
    )
    assert triples(report) == {
        ("EAR-TEST-01", "arn:t:a", "PASS"),
        ("EAR-TEST-01", "arn:t:b", "FAIL"),
        ("EAR-TEST-01", "arn:t:c", "UNKNOWN"),
        ("EAR-TEST-02", "arn:t:a", "ERROR"),
        ("EAR-TEST-02", "arn:t:b", "ERROR"),
        ("EAR-TEST-02", "arn:t:c", "ERROR"),
    }
    unknown = next(f for f in report.findings if f.status is Status.UNKNOWN)
    assert unknown.evidence == {"gaps": ["test:GetThing AccessDenied"]}
    error = next(f for f in report.findings if f.status is Status.ERROR)
    assert "ZeroDivisionError: boom" in error.message
    assert not report.complete


def test_phi_scope_limits_resource_rules_but_not_account_rules() -> None:
    resources = (
        thing("arn:t:phi", False, {"data": "phi"}, size=50),
        thing("arn:t:other", False, {"data": "public"}, size=1),
    )
    report = evaluate(
        [snap(*resources)],
        [thing_encrypted, thing_small],
        EvaluationConfig(phi_tags=(("data", "phi"),)),
    )
    assert triples(report) == {
        ("EAR-TEST-01", "arn:t:phi", "FAIL"),
        ("LOG-TEST-01", "arn:t:phi", "FAIL"),
        ("LOG-TEST-01", "arn:t:other", "PASS"),
    }
    assert (report.phi.in_scope, report.phi.out_of_scope) == (1, 1)
    assert report.phi.tags == ("data=phi",)


def test_phi_tags_matching_no_data_resource_are_a_gap_in_every_output() -> None:
    resources = (thing("arn:t:a", False, {"data": "phi"}), thing("arn:t:b", False))
    report = evaluate(
        [snap(*resources)],
        [thing_encrypted, thing_small],
        EvaluationConfig(phi_tags=(("dataclass", "phi"),)),
    )
    # Resource-level rules judged nothing: only the account-level rule has findings.
    assert triples(report) == {
        ("LOG-TEST-01", "arn:t:a", "PASS"),
        ("LOG-TEST-01", "arn:t:b", "PASS"),
    }
    assert [(g.provider, g.account, g.service, g.error_code, g.message) for g in report.gaps] == [
        (
            "aws",
            "",
            "scope",
            "NoResourceInPhiScope",
            "0 of 2 data resources carry dataclass=phi: resource-level rules judged nothing "
            "(check the --phi-tag key and value)",
        )
    ]
    assert not report.complete
    # A tag that matches one resource, or no --phi-tag at all, is no gap.
    for config in (EvaluationConfig(phi_tags=(("data", "phi"),)), EvaluationConfig()):
        assert evaluate([snap(*resources)], [thing_encrypted], config).gaps == ()
    # Nor is an estate without data resources, whatever the tags.
    assert (
        evaluate([snap()], [thing_encrypted], EvaluationConfig(phi_tags=(("x", "y"),))).gaps == ()
    )


def test_unreadable_tags_keep_a_resource_in_phi_scope() -> None:
    unread = dataclasses.replace(thing("arn:t:unread", False), tags=None)
    resources = (
        thing("arn:t:phi", True, {"data": "phi"}),
        unread,
        thing("arn:t:other", False, {"data": "public"}),
    )
    report = evaluate(
        [snap(*resources)], [thing_encrypted], EvaluationConfig(phi_tags=(("data", "phi"),))
    )
    # Fails closed: the resource whose tags could not be read is judged, and counted.
    assert triples(report) == {
        ("EAR-TEST-01", "arn:t:phi", "PASS"),
        ("EAR-TEST-01", "arn:t:unread", "FAIL"),
    }
    assert report.phi == PhiScope(tags=("data=phi",), in_scope=2, out_of_scope=1, unknown_tags=1)
    text = phi_scope_text(report.phi)
    assert text == (
        "PHI scope data=phi: 2 in scope (1 only because their tags could not be "
        "read), 1 out of scope"
    )
    for formatter in (TextFormatter(color=False), MarkdownFormatter(), HtmlFormatter()):
        rendered = formatter.render(report)
        assert "1 only because their tags could not be read" in rendered, formatter
    assert report_to_dict(report)["scan"]["phi_scope"] == {
        "tags": ["data=phi"],
        "in_scope": 2,
        "out_of_scope": 1,
        "unknown_tags": 1,
    }
    # Without --phi-tag nothing is counted as scoped by unknown tags.
    plain = evaluate([snap(*resources)], [thing_encrypted])
    assert (plain.phi.in_scope, plain.phi.unknown_tags) == (3, 0)


def test_params_default_and_override() -> None:
    resource = thing("arn:t:a", True, size=20)
    assert triples(evaluate([snap(resource)], [thing_small])) == {
        ("LOG-TEST-01", "arn:t:a", "FAIL")
    }
    overridden = evaluate(
        [snap(resource)], [thing_small], EvaluationConfig(params={"LOG-TEST-01": {"max_size": 100}})
    )
    assert triples(overridden) == {("LOG-TEST-01", "arn:t:a", "PASS")}


def test_rules_only_judge_their_providers_and_kinds() -> None:
    report = evaluate(
        [
            snap(
                thing("arn:t:gcp", False, provider="gcp"),
                thing("arn:t:other-kind", False, kind="test.other"),
            )
        ],
        [thing_encrypted],
    )
    assert report.findings == ()


def test_order_and_fingerprints_are_deterministic() -> None:
    a, b = thing("arn:t:a", False), thing("arn:t:b", True)
    first = evaluate([snap(a, b)], [thing_small, thing_encrypted])
    second = evaluate([snap(b, a)], [thing_encrypted, thing_small])
    assert first.findings == second.findings
    assert [f.rule_id for f in first.findings] == ["EAR-TEST-01"] * 2 + ["LOG-TEST-01"] * 2
    assert first.findings[0].fingerprint == fingerprint("EAR-TEST-01", "arn:t:a")
    assert fingerprint("EAR-TEST-01", "arn:t:a") != fingerprint("EAR-TEST-01", "arn:t:b")


def test_merging_snapshots_unions_resources_and_gaps() -> None:
    gap = Gap("aws", "222222222222", "eu-west-1", "s3", "ListBuckets", "Throttling", "slow")
    report = evaluate(
        [snap(thing("arn:t:a", True)), snap(thing("arn:t:b", False), gaps=(gap,))],
        [thing_encrypted],
    )
    assert triples(report) == {
        ("EAR-TEST-01", "arn:t:a", "PASS"),
        ("EAR-TEST-01", "arn:t:b", "FAIL"),
    }
    assert report.gaps == (gap,)
    assert report.open_failures(Severity.HIGH)[0].resource.uid == "arn:t:b"
    assert report.open_failures(Severity.CRITICAL) == []


@rule(
    id="EAR-TEST-03",
    title="Only big things",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=["test.thing"],
    providers=["aws"],
)
def big_thing_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Only things bigger than 5 are judged; the others are not applicable."""
    if resource.props.size <= 5:
        return Verdict.not_applicable("small things hold no data")
    return Verdict.passed("big and fine")


def test_not_applicable_verdicts_make_no_finding() -> None:
    report = evaluate(
        [snap(thing("arn:t:small", True, size=1), thing("arn:t:big", True, size=9))],
        [big_thing_encrypted],
    )
    assert triples(report) == {("EAR-TEST-03", "arn:t:big", "PASS")}


@rule(
    id="EAR-TEST-04",
    title="Only users",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=["test.thing"],
    providers=["aws"],
    where={"size": 7},
)
def user_thing(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Judges only things whose size fact is 7, whatever their native type."""
    return Verdict.passed("size seven")


def test_where_narrows_a_kind_by_facts_not_native_types() -> None:
    seven = Resource(
        uid="arn:t:seven",
        provider="aws",
        kind="test.thing",
        native_type="AWS::Test::Other",
        account="111111111111",
        region="us-east-1",
        name="seven",
        props=Thing(True, 7),
    )
    report = evaluate([snap(seven, thing("arn:t:eight", True, size=8))], [user_thing])
    assert triples(report) == {("EAR-TEST-04", "arn:t:seven", "PASS")}
    assert user_thing.meta.selects(Thing(None, 7)) and not user_thing.meta.selects(Thing(None))


def test_where_naming_a_fact_the_props_lack_is_a_rule_bug() -> None:
    with pytest.raises(AttributeError):
        user_thing.meta.selects(object())


def test_named_finds_resources_by_kind_and_name_in_any_account() -> None:
    a = thing("arn:t:a", True)
    twin = dataclasses.replace(thing("arn:t2:a", False), account="222222222222")
    other_kind = thing("arn:t:o", True, kind="test.other")
    other_kind = dataclasses.replace(other_kind, name="a")
    ctx = _Context([a, twin, other_kind, thing("arn:t:b", True)], [], ())
    assert [r.uid for r in ctx.named("test.thing", "a")] == ["arn:t:a", "arn:t2:a"]
    assert [r.uid for r in ctx.named("test.other", "a")] == ["arn:t:o"]
    assert ctx.named("test.thing", "missing") == []
