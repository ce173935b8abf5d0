"""The provider seam is real: a provider known only to this test runs through every command.

`tests.core.toy_provider` is registered for the test's duration; collection, the snapshot,
`evaluate`, `permissions`, `demo` and every output format go through the registry and the
generic CLI, and no file outside the tests knows the toy cloud.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import providers
from providers.base import progress_due
from rules import load_rules
from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.cli import main
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule
from tests.core.toy_provider import PROVIDER
from tests.sarif_github import check_github, validate_schema


@rule(
    id="EAR-TOYWIDGET-01",
    title="Widget is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Bucket.KIND,),
    providers=("toy",),
)
def widget_encrypted(resource: Resource[Bucket], ctx: RuleContext) -> Verdict:
    """A toy rule that judges the toy cloud's widgets."""
    del ctx
    encryption = resource.props.encryption
    if encryption is None:
        return Verdict.unknown("unreadable")
    if encryption.enabled:
        return Verdict.passed(f"{resource.name} is encrypted")
    return Verdict.fail(f"{resource.name} is not encrypted")


@pytest.fixture(autouse=True)
def toy_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(providers.REGISTRY, "toy", "tests.core.toy_provider:PROVIDER")
    every = (*load_rules(), widget_encrypted)
    monkeypatch.setattr("scanner.cli.report.load_rules", lambda: every)
    yield


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def triples(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["rule_id"], f["resource"]["uid"], f["status"]) for f in report["findings"]}


EXPECTED = {
    ("EAR-TOYWIDGET-01", "toy://toy-account-1/widgets/w0", "PASS"),
    ("EAR-TOYWIDGET-01", "toy://toy-account-1/widgets/w1", "PASS"),
    ("EAR-TOYWIDGET-01", "toy://toy-account-1/widgets/w2", "FAIL"),
}


def test_scan_evaluate_and_every_format_through_the_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    formats = ["json", "sarif", "text", "markdown", "html"]
    outputs = [tmp_path / f"report.{fmt}" for fmt in formats]
    snapshot = tmp_path / "toy.json"
    args = [
        "toy",
        "--widgets",
        "3",
        "--unencrypted",
        "2",
        "--no-progress",
        "--snapshot-out",
        str(snapshot),
    ]
    for fmt, out in zip(formats, outputs, strict=True):
        args += ["--format", fmt, "--output", str(out)]
    code, _, err = run(args, capsys)
    assert code == 1, err  # a high-severity FAIL
    report = json.loads(outputs[0].read_text())
    assert triples(report) == EXPECTED
    sarif = json.loads(outputs[1].read_text())
    assert validate_schema(sarif) == []
    assert check_github(sarif) == []
    assert [run_["automationDetails"]["id"].rsplit("/", 1)[0] for run_ in sarif["runs"]] == [
        "hipaa-scan/toy/toy-account-1"
    ]
    assert "w2" in outputs[2].read_text()
    assert "EAR-TOYWIDGET-01" in outputs[3].read_text()
    assert "EAR-TOYWIDGET-01" in outputs[4].read_text()

    # Offline re-evaluation of the toy snapshot gives the same findings.
    code, out, _ = run(["evaluate", str(snapshot), "--format", "json", "--no-progress"], capsys)
    assert code == 1
    assert triples(json.loads(out)) == EXPECTED


def test_permissions_and_demo_are_generic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["permissions", "toy"], capsys)
    assert code == 0
    assert out.splitlines() == ["allow widgets.get", "allow widgets.list"]
    assert all(PROVIDER.is_read_only(p) for p in PROVIDER.permissions())

    code, out, _ = run(["demo", "--cloud", "toy", "--format", "json", "--quiet"], capsys)
    assert code == 1
    assert {(r, u.rsplit("/", 1)[-1], s) for r, u, s in triples(json.loads(out))} == {
        ("EAR-TOYWIDGET-01", "w0", "PASS"),
        ("EAR-TOYWIDGET-01", "w1", "FAIL"),
        ("EAR-TOYWIDGET-01", "w2", "PASS"),
    }


def test_help_lists_the_toy_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    assert "toy" in out
    code, out, _ = run(["toy", "--help"], capsys)
    assert code == 0
    assert "--widgets" in out and "--phi-tag" in out


def test_unknown_provider_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["permissions", "nimbus"], capsys)
    assert code == 2
    assert "unknown provider 'nimbus'" in err


@given(st.integers(min_value=1, max_value=5000))
def test_progress_lines_are_at_most_ten_and_the_last_task_has_one(total: int) -> None:
    due = [done for done in range(1, total + 1) if progress_due(done, total)]
    assert due[-1] == total
    assert len(due) == min(total, 10)
