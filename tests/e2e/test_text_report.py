"""The demo's text report fits 80 and 120 columns on every cloud; reports name their snapshots.

For each cloud, `hipaa-scan demo` writes a snapshot plus JSON and 80-column text reports, and
`hipaa-scan evaluate` re-reads that snapshot into 120-column text, JSON and markdown. Every
text line fits its width, every rule with an open failure heads a block with its fix, and
both JSON reports carry the sha256 of the snapshot file's bytes (written, then read).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import load_json, run_cli

CLOUDS = ("aws", "gcp", "azure")


@pytest.fixture(scope="module", params=CLOUDS)
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cloud = str(request.param)
    tmp = tmp_path_factory.mktemp(f"text-{cloud}")
    scan = [
        "demo",
        "--cloud",
        cloud,
        "--no-progress",
        "--snapshot-out",
        str(tmp / "snap.json"),
        "--format",
        "json,text",
        "-o",
        str(tmp / "scan.json"),
        "-o",
        str(tmp / "scan-80.txt"),
        "--width",
        "80",
    ]
    result = run_cli(scan, tmp)
    assert result.code == 1, result.stderr
    again = [
        "evaluate",
        str(tmp / "snap.json"),
        "-q",
        "--format",
        "json,text,markdown",
        "-o",
        str(tmp / "eval.json"),
        "-o",
        str(tmp / "eval-120.txt"),
        "-o",
        str(tmp / "eval.md"),
        "--width",
        "120",
    ]
    result = run_cli(again, tmp)
    assert result.code == 1, result.stderr
    return tmp


def _failing_rules(report: Any) -> set[str]:
    return {
        f["rule_id"] for f in report["findings"] if f["status"] == "FAIL" and f["waiver"] is None
    }


@pytest.mark.parametrize(("name", "width"), [("scan-80.txt", 80), ("eval-120.txt", 120)])
def test_every_line_fits_and_every_failing_rule_heads_a_block(
    demo: Path, name: str, width: int
) -> None:
    text = (demo / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    too_wide = [line for line in lines if len(line) > width]
    assert too_wide == []
    assert "\x1b" not in text  # a file never gets colour
    severities = "critical|high|medium|low|info"
    heads = {m[1] for line in lines if (m := re.match(rf"(?:{severities}) +([A-Z0-9-]+)  ", line))}
    assert heads == _failing_rules(load_json(demo / "scan.json"))
    # Counts and completeness come before the first failure; the footer points to JSON.
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(h))
        for h in ("OPEN FAILURES BY SEVERITY", "COMPLETENESS", "FAILURES BY RULE", "Result:")
    ]
    assert order == sorted(order)
    assert "--format json" in lines[-1] or "--format json" in lines[-2]


def test_both_reports_carry_the_digest_of_the_snapshot_bytes(demo: Path) -> None:
    digest = hashlib.sha256((demo / "snap.json").read_bytes()).hexdigest()
    expected = [{"file": "snap.json", "sha256": digest}]
    assert load_json(demo / "scan.json")["scan"]["snapshots"] == expected
    assert load_json(demo / "eval.json")["scan"]["snapshots"] == expected
    markdown = (demo / "eval.md").read_text(encoding="utf-8")
    assert f"- Snapshot: snap.json, sha256:{digest} (of the file's bytes)." in markdown
    assert f"| snap.json | {digest} |" in markdown


def test_several_snapshots_are_each_named_with_their_own_digest(demo: Path) -> None:
    # Same estate, one more byte: a different file to the digest, the same facts to the engine.
    copy = demo / "copy.json"
    copy.write_bytes((demo / "snap.json").read_bytes() + b"\n")
    result = run_cli(["evaluate", str(demo / "snap.json"), str(copy), "-q", "-f", "json"], demo)
    assert result.code == 1, result.stderr
    assert json.loads(result.stdout)["scan"]["snapshots"] == [
        {"file": "copy.json", "sha256": hashlib.sha256(copy.read_bytes()).hexdigest()},
        {
            "file": "snap.json",
            "sha256": hashlib.sha256((demo / "snap.json").read_bytes()).hexdigest(),
        },
    ]
