"""The rule reference (docs/rules.md, the SARIF helpUri target) and README counts are current."""

from __future__ import annotations

import re
from pathlib import Path

from rules import load_rules
from rules.attestations import attestations
from scanner.model import Concern
from scanner.output.catalog import render_catalog

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_reference_matches_the_registry() -> None:
    expected = render_catalog([r.meta for r in load_rules()], attestations(), "markdown")
    assert DOC.read_text(encoding="utf-8").rstrip("\n") == expected.rstrip("\n"), (
        "docs/rules.md is stale: regenerate it with "
        "'hipaa-scan rules --format markdown > docs/rules.md'"
    )


README = DOC.parent.parent / "README.md"


def test_readme_rule_counts_match_the_registry() -> None:
    """The README's totals, per-cloud counts and coverage table by concern are current."""
    text = README.read_text(encoding="utf-8")
    rules = load_rules()
    total = re.search(r"(\d+) rules in all", text)
    assert total is not None and int(total.group(1)) == len(rules), "README rule total is stale"
    for cloud in ("aws", "gcp", "azure"):
        claimed = re.search(rf"`hipaa-scan {cloud}`, (\d+) rules", text)
        actual = sum(cloud in r.meta.providers for r in rules)
        assert claimed is not None and int(claimed.group(1)) == actual, f"README {cloud} count"
    for concern in Concern:
        row = re.search(rf"^\| `{concern.value}` \| (\d+)", text, flags=re.MULTILINE)
        actual = sum(r.meta.concern is concern for r in rules)
        assert row is not None and int(row.group(1)) == actual, f"README row {concern.value}"
