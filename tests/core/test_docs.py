"""The committed rule reference (docs/rules.md, the target of SARIF helpUri) is current."""

from __future__ import annotations

from pathlib import Path

from rules import load_rules
from rules.attestations import attestations
from scanner.output.catalog import render_catalog

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_reference_matches_the_registry() -> None:
    expected = render_catalog([r.meta for r in load_rules()], attestations(), "markdown")
    assert DOC.read_text(encoding="utf-8").rstrip("\n") == expected.rstrip("\n"), (
        "docs/rules.md is stale: regenerate it with "
        "'hipaa-scan rules --format markdown > docs/rules.md'"
    )
