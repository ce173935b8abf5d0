"""Meta-tests over the whole rule registry and the HIPAA catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rules import load_rules
from rules.hipaa import catalog
from scanner.kinds import kind_registry
from scanner.model import Concern
from scanner.rule import Rule

TESTS = Path(__file__).resolve().parent.parent
RULES = load_rules()
CONCERN_PREFIX = {
    Concern.ENCRYPTION_AT_REST: "EAR",
    Concern.ENCRYPTION_IN_TRANSIT: "EIT",
    Concern.AUDIT_LOGGING: "LOG",
    Concern.PUBLIC_EXPOSURE: "PUB",
    Concern.ACCESS_CONTROL: "IAM",
    Concern.BACKUP_RECOVERY: "BAK",
    Concern.AGREEMENTS: "AGR",
}
ID_PATTERN = re.compile(r"^(EAR|EIT|LOG|PUB|IAM|BAK|AGR)-[A-Z0-9]+-\d{2}$")


def test_catalog_sections_are_unique_and_well_formed() -> None:
    sections = [c.section for c in catalog()]
    assert len(sections) == len(set(sections))
    for citation in catalog():
        assert re.match(
            r"^164\.3(08|10|12|16)\([a-z]\)(\(\d+\))?(\([ivx]+\))?(\([A-E]\))?$", citation.section
        ), citation.section
        assert citation.title and citation.safeguard


def test_there_are_rules_in_every_concern_but_agreements_and_more() -> None:
    concerns = {r.meta.concern for r in RULES}
    assert concerns == set(Concern)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata_is_complete(rule: Rule) -> None:
    meta = rule.meta
    assert ID_PATTERN.match(meta.id), meta.id
    assert meta.id.split("-")[0] == CONCERN_PREFIX[meta.concern]
    assert re.match(r"^[a-z][a-z0-9_]+$", meta.name)
    assert meta.title and not meta.title.endswith(".")
    assert len(meta.description) >= 30
    assert meta.precision in {"very-high", "high", "medium", "low"}
    assert meta.providers and meta.providers <= {"aws", "gcp", "azure"}
    for provider in meta.providers:
        assert meta.remediation[provider].console, f"{meta.id} lacks {provider} remediation"
    json.dumps(dict(meta.params))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_cites_catalog_entries_without_duplicates(rule: Rule) -> None:
    entries = set(catalog())
    assert rule.meta.citations, f"{rule.id} cites nothing"
    assert len(set(rule.meta.citations)) == len(rule.meta.citations)
    for citation in rule.meta.citations:
        assert citation in entries, f"{rule.id} cites {citation.section}, not in the catalog"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_kinds_are_registered(rule: Rule) -> None:
    registry = kind_registry()
    for kind in rule.meta.kinds:
        assert kind in registry, f"{rule.id} judges unknown kind {kind}"


def test_every_rule_is_exercised_by_some_test() -> None:
    corpus = "\n".join(
        p.read_text(encoding="utf-8")
        for p in TESTS.rglob("test_*.py")
        if p.name != "test_catalog.py"
    )
    missing = [r.id for r in RULES if r.id not in corpus]
    assert missing == []
