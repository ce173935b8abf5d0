"""The demo's compliance report, end to end: one row per failure, a traceable digest, one page.

`hipaa-scan demo` writes the JSON, HTML and markdown reports of one scan; the HTML's
failure tables hold each open failure once, its evidence digest is the one the JSON report
gives, and (when Chromium is installed) its first page prints on one Letter and one A4 sheet.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest

from tests.core.test_output_compliance import NS, SCRIPT, _chromium, by_id, table_rows, tables_in
from tests.e2e.conftest import load_json, run_cli


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("demo-compliance")
    paths = {fmt: tmp / f"report.{fmt}" for fmt in ("json", "html", "markdown")}
    args = ["demo", "--no-progress", "--format", "json,html,markdown"]
    for path in paths.values():
        args += ["-o", str(path)]
    result = run_cli(args, tmp)
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    return paths


def test_demo_lists_each_open_failure_once_and_its_digest_is_traceable(
    demo_reports: dict[str, Path],
) -> None:
    data = load_json(demo_reports["json"])
    # A live scan that saved no snapshot names none (with --snapshot-out it names that file).
    assert data["scan"]["snapshots"] == []
    open_failures = {
        (f["rule_id"], f["resource"]["uid"])
        for f in data["findings"]
        if f["status"] == "FAIL" and f["waiver"] is None
    }
    text = demo_reports["html"].read_text(encoding="utf-8")
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)
    failures = by_id(tree, "failures")
    listed = []
    for heading in failures.iter(f"{NS}h3"):
        assert heading.get("id", "").startswith("rule-")
    for table in tables_in(failures):
        listed += [row[0] for row in table_rows(table)[1:]]
    # Each failure appears once (a resource failing two rules appears once per rule).
    assert len(listed) == len(open_failures)
    lines = sorted(f"{f['fingerprint']} {f['status']}\n" for f in data["findings"])
    digest = hashlib.sha256("".join(lines).encode()).hexdigest()
    assert f"sha256:{digest}" in text.replace('<span class="digest">', "")
    markdown = demo_reports["markdown"].read_text(encoding="utf-8")
    assert f"sha256:{digest}" in markdown
    assert f"**Open failures: {len(open_failures)}**" in markdown


@pytest.mark.skipif(
    _chromium() is None,
    reason="chromium not installed (Debian: apt-get "
    "install chromium); the demo's printed first page is not measured",
)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_demo_first_page_prints_on_one_sheet(
    demo_reports: dict[str, Path], tmp_path: Path, paper: str
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            str(demo_reports["html"]),
            "--out-dir",
            str(tmp_path),
            "--paper",
            paper,
            "--check-first-page",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["first_page_pages"] == 1
