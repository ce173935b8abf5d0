"""Baselines: new/unchanged/fixed by (rule id, uid), whatever the message says."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from rules import load_rules
from scanner.baseline import compare, load_baseline
from scanner.engine import EvaluationConfig, evaluate
from scanner.errors import InputFileError
from scanner.model import Snapshot, Status
from scanner.output.json_report import JsonFormatter
from scanner.snapshot import read_snapshot
from tests.core.sample import RULES, snapshots
from tests.core.test_provider_seam import run, toy_registered  # noqa: F401  (fixture)

DEMO_AWS = Path(__file__).parents[1] / "data" / "snapshots" / "demo-aws.json"


class Everywhere:
    """A scan that looked in every account and region and read only `uids`."""

    def __init__(self, uids: frozenset[str] = frozenset()) -> None:
        self.uids = uids

    def holds(self, uid: str) -> bool:
        return uid in self.uids

    def looked_in(self, account: str, region: str) -> bool:
        return True


def previous_report(tmp_path: Path, **changes: str) -> Path:
    """The sample estate's JSON report, with some messages or rule ids rewritten."""
    document = json.loads(JsonFormatter().render(evaluate(snapshots(), RULES)))
    for finding in document["findings"]:
        # A PASS finding is compact (no name, no message): only FAILs are renamed here.
        key = f"{finding['rule_id']}:{finding['resource'].get('name')}"
        if key in changes:
            finding["rule_id"] = changes[key]
        if "message" in finding:
            finding["message"] = "worded differently last time"
    path = tmp_path / "previous.json"
    path.write_text(json.dumps(document))
    return path


def test_an_unchanged_estate_has_only_unchanged_failures(tmp_path: Path) -> None:
    baseline = load_baseline(previous_report(tmp_path))
    report = evaluate(snapshots(), RULES, EvaluationConfig(baseline=baseline))
    states = {f.baseline_state for f in report.findings if f.status is Status.FAIL}
    assert states == {"unchanged"}
    assert all(f.baseline_state is None for f in report.findings if f.status is not Status.FAIL)
    assert report.review.fixed == ()
    assert report.new_failures() == []


def test_a_version_1_report_is_still_a_baseline(tmp_path: Path) -> None:
    # Version 1 wrote PASS findings in full; reports written then stay usable baselines.
    def finding(rule_id: str, name: str, status: str) -> dict[str, object]:
        return {
            "rule_id": rule_id,
            "status": status,
            "severity": "high",
            "concern": "encryption-at-rest",
            "hipaa": ["164.312(a)(2)(iv)"],
            "resource": {"uid": f"arn:aws:s3:::{name}", "name": name, "kind": "storage.bucket"},
            "message": f"{name} said {status}",
            "evidence": {},
            "fingerprint": "0" * 64,
            "waiver": None,
        }

    path = tmp_path / "v1.json"
    path.write_text(
        json.dumps(
            {
                "format": "hipaa-scan-report",
                "schema_version": 1,
                "findings": [
                    finding("EAR-BKT-01", "archive", "FAIL"),
                    finding("EAR-BKT-01", "clean", "PASS"),
                ],
            }
        )
    )
    baseline = load_baseline(path)
    assert [(k, p.resource_name, p.message) for k, p in baseline.failures.items()] == [
        (("EAR-BKT-01", "arn:aws:s3:::archive"), "archive", "archive said FAIL")
    ]


def test_new_fixed_and_not_rechecked(tmp_path: Path) -> None:
    baseline = load_baseline(previous_report(tmp_path))
    findings = evaluate(snapshots(), RULES).findings
    archive = next(
        f for f in findings if f.rule_id == "EAR-BKT-01" and f.resource.name == "archive"
    )
    phi = next(f for f in findings if f.rule_id == "EAR-BKT-01" and f.resource.name == "phi-data")
    clean = next(f for f in findings if f.rule_id == "EAR-BKT-01" and f.resource.name == "clean")
    now = [
        dataclasses.replace(archive, status=Status.PASS),  # fixed
        dataclasses.replace(phi, status=Status.UNKNOWN),  # could not judge
        dataclasses.replace(clean, status=Status.FAIL),
    ]  # new
    comparison = compare(
        now, baseline, complete=True, rules_run={"EAR-BKT-01"}, coverage=Everywhere()
    )
    assert [(f.resource.name, f.baseline_state) for f in comparison.findings] == [
        ("archive", None),
        ("phi-data", None),
        ("clean", "new"),
    ]
    fixed = {(p.rule_id, p.resource_name) for p in comparison.fixed}
    assert ("EAR-BKT-01", "archive") in fixed
    assert ("EAR-BKT-01", "phi-data") in {
        (p.rule_id, p.resource_name) for p in comparison.not_rechecked
    }
    # Failures of rules that did not run are not "fixed"; neither is anything when the scan
    # was incomplete and the resource is simply missing.
    assert all(p.rule_id == "EAR-BKT-01" for p in comparison.fixed)
    incomplete = compare(
        [], baseline, complete=False, rules_run={"EAR-BKT-01"}, coverage=Everywhere()
    )
    assert incomplete.fixed == ()


def demo_baseline(tmp_path: Path) -> tuple[Snapshot, Path]:
    """The AWS demo snapshot (complete: no gaps) and its full JSON report as a baseline."""
    snapshot, _ = read_snapshot(DEMO_AWS)
    path = tmp_path / "demo-report.json"
    path.write_text(JsonFormatter().render(evaluate([snapshot], load_rules())))
    return snapshot, path


def fixed_and_not_rechecked(
    snapshot: Snapshot, baseline: Path, **config: object
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    review = evaluate(
        [snapshot],
        load_rules(),
        EvaluationConfig(baseline=load_baseline(baseline), **config),  # type: ignore[arg-type]
    ).review
    return (
        {(p.rule_id, p.resource_uid) for p in review.fixed},
        {(p.rule_id, p.resource_uid) for p in review.not_rechecked},
    )


def demo_failures(baseline: Path) -> set[tuple[str, str]]:
    return set(load_baseline(baseline).failures)


def test_a_resource_the_new_scan_read_but_did_not_judge_is_not_fixed(tmp_path: Path) -> None:
    # Narrowing the PHI scope leaves non-PHI resources unjudged by PHI-scoped rules: their
    # failures were not re-checked, and calling them fixed would tell an auditor a lie.
    snapshot, baseline = demo_baseline(tmp_path)
    fixed, not_rechecked = fixed_and_not_rechecked(
        snapshot, baseline, phi_tags=(("data-class", "phi"),)
    )
    assert fixed == set()
    unjudged = {k for k in demo_failures(baseline)} - {
        (f.rule_id, f.resource.uid)
        for f in evaluate(
            [snapshot], load_rules(), EvaluationConfig(phi_tags=(("data-class", "phi"),))
        ).findings
    }
    assert unjudged and not_rechecked == unjudged


def test_a_region_the_new_scan_did_not_cover_is_not_fixed(tmp_path: Path) -> None:
    snapshot, baseline = demo_baseline(tmp_path)
    east_only = dataclasses.replace(
        snapshot,
        scope=dataclasses.replace(snapshot.scope, regions=("us-east-1",)),
        resources=tuple(r for r in snapshot.resources if r.region != "eu-west-1"),
    )
    fixed, not_rechecked = fixed_and_not_rechecked(east_only, baseline)
    assert fixed == set()
    in_europe = {r.uid for r in snapshot.resources if r.region == "eu-west-1"}
    assert {uid for _, uid in not_rechecked} == in_europe & {
        uid for _, uid in demo_failures(baseline)
    }


def test_another_accounts_report_fixes_nothing(tmp_path: Path) -> None:
    snapshot, baseline = demo_baseline(tmp_path)
    elsewhere = dataclasses.replace(
        snapshot,
        scope=dataclasses.replace(snapshot.scope, accounts=("999999999999",)),
        resources=(),
    )
    fixed, not_rechecked = fixed_and_not_rechecked(elsewhere, baseline)
    assert fixed == set()
    assert not_rechecked == demo_failures(baseline)


def test_a_deleted_resource_in_a_scanned_region_is_fixed(tmp_path: Path) -> None:
    snapshot, baseline = demo_baseline(tmp_path)
    failing = sorted(uid for _, uid in demo_failures(baseline))
    gone = next(uid for uid in failing if ":s3:::" in uid)  # a bucket: "global" in AWS
    volume = next(uid for uid in failing if ":volume/" in uid)  # regional
    without = dataclasses.replace(
        snapshot, resources=tuple(r for r in snapshot.resources if r.uid not in {gone, volume})
    )
    fixed, not_rechecked = fixed_and_not_rechecked(without, baseline)
    assert fixed == {k for k in demo_failures(baseline) if k[1] in {gone, volume}}
    assert not_rechecked == set()


def test_a_baseline_that_does_not_say_where_fixes_nothing_by_absence(tmp_path: Path) -> None:
    snapshot, baseline = demo_baseline(tmp_path)
    document = json.loads(baseline.read_text())
    for finding in document["findings"]:
        finding["resource"].pop("account", None)
        finding["resource"].pop("region", None)
    baseline.write_text(json.dumps(document))
    fixed, _ = fixed_and_not_rechecked(dataclasses.replace(snapshot, resources=()), baseline)
    assert fixed == set()


def test_a_renamed_rule_id_is_the_same_rule(tmp_path: Path) -> None:
    path = previous_report(tmp_path, **{"EAR-BKT-01:archive": "EAR-OLDNAME-01"})
    baseline = load_baseline(
        path, resolve=lambda rule_id: {"EAR-OLDNAME-01": "EAR-BKT-01"}.get(rule_id, rule_id)
    )
    report = evaluate(snapshots(), RULES, EvaluationConfig(baseline=baseline))
    assert {f.baseline_state for f in report.findings if f.status is Status.FAIL} == {"unchanged"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not JSON (line 1"),
        ("[]", "not a hipaa-scan JSON report"),
        ('{"format": "hipaa-scan-report", "findings": 3}', "findings: expected a list"),
        (
            '{"format": "hipaa-scan-report", "findings": [{"rule_id": 1}]}',
            "findings[0]: expected rule_id, status and resource.uid",
        ),
    ],
)
def test_malformed_baselines(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(InputFileError) as raised:
        load_baseline(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def scheduled_run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    unencrypted: list[int],
    *extra: str,
) -> tuple[int, dict[str, object], dict[str, object]]:
    report, sarif = tmp_path / f"{name}.json", tmp_path / f"{name}.sarif"
    args = [
        "toy",
        "--widgets",
        "4",
        "--no-progress",
        "-f",
        "json",
        "-o",
        str(report),
        "-f",
        "sarif",
        "-o",
        str(sarif),
    ]
    for index in unencrypted:
        args += ["--unencrypted", str(index)]
    code, _, err = run([*args, *extra], capsys)
    assert "Traceback" not in err
    return code, json.loads(report.read_text()), json.loads(sarif.read_text())


def test_two_scheduled_runs_mark_new_and_fixed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    toy_registered: None,  # noqa: F811
) -> None:
    code, _, first_sarif = scheduled_run(tmp_path, capsys, "night1", [0, 1])
    assert code == 1
    previous = str(tmp_path / "night1.json")
    # Night 2: w1 was fixed, w2 appeared, w0 persists.
    code, second, sarif = scheduled_run(
        tmp_path, capsys, "night2", [0, 2], "--baseline", previous, "--fail-on-new"
    )
    assert code == 1  # because of w2 alone
    failing = {
        (f["resource"]["name"], f.get("baseline_state"))  # type: ignore[index]
        for f in second["findings"]
        if f["status"] == "FAIL"
    }  # type: ignore[index]
    assert failing == {("w0", "unchanged"), ("w2", "new")}
    baseline = second["review"]["baseline"]  # type: ignore[index]
    assert [p["resource_name"] for p in baseline["fixed"]] == ["w1"]
    results = {
        r["properties"]["resourceUid"].rsplit("/", 1)[-1]:  # type: ignore[index]
        (r["baselineState"], r["partialFingerprints"]["primaryLocationLineHash"])
        for run_ in sarif["runs"]
        for r in run_["results"]
    }  # type: ignore[index]
    before = {
        r["properties"]["resourceUid"].rsplit("/", 1)[-1]:  # type: ignore[index]
        r["partialFingerprints"]["primaryLocationLineHash"]
        for run_ in first_sarif["runs"]
        for r in run_["results"]
    }  # type: ignore[index]
    assert set(results) == {"w0", "w2"}
    assert results["w0"] == ("unchanged", before["w0"])
    assert results["w2"][0] == "new"

    # Night 3: nothing new (w0 and w2 persist): --fail-on-new passes, plain gating fails.
    code, _, _ = scheduled_run(
        tmp_path,
        capsys,
        "night3",
        [0, 2],
        "--baseline",
        str(tmp_path / "night2.json"),
        "--fail-on-new",
    )
    assert code == 0
    code, _, _ = scheduled_run(
        tmp_path, capsys, "night3b", [0, 2], "--baseline", str(tmp_path / "night2.json")
    )
    assert code == 1


def test_fail_on_new_needs_a_baseline(
    capsys: pytest.CaptureFixture[str],
    toy_registered: None,  # noqa: F811
) -> None:
    code, _, err = run(["toy", "--fail-on-new"], capsys)
    assert code == 2
    assert "--fail-on-new needs --baseline" in err
