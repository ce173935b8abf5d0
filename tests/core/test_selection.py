"""Rule selection: filters, unknown ids, and old ids resolved through the alias table."""

from __future__ import annotations

import dataclasses

import pytest

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.errors import UsageError
from scanner.model import Concern, Resource, Severity
from scanner.rule import Rule, RuleContext, Verdict, rule
from scanner.selection import RuleSelection, alias_table, resolve_rule_id


def _make(rule_id: str, aliases: tuple[str, ...] = (), severity: Severity = Severity.HIGH) -> Rule:
    @rule(
        id=rule_id,
        title="t",
        severity=severity,
        concern=Concern.ENCRYPTION_AT_REST,
        citations=(ENCRYPTION_AND_DECRYPTION,),
        kinds=("test.thing",),
        providers=("aws",),
    )
    def check(resource: Resource[object], ctx: RuleContext) -> Verdict:
        """A rule that only exists to be selected."""
        return Verdict.passed("ok")

    return Rule(meta=dataclasses.replace(check.meta, aliases=aliases), check=check.check)


DB = _make("EAR-DB-01", aliases=("EAR-DBCLUSTER-01",))
TABLE = _make("EAR-TABLE-01", aliases=("EAR-DYNAMODB-01",), severity=Severity.LOW)
VOLUME = _make("EAR-VOLUME-01")
RULES = (DB, TABLE, VOLUME)


def ids(chosen: list[Rule]) -> list[str]:
    return [r.id for r in chosen]


def test_resolve_rule_id_follows_the_table_and_leaves_other_ids_alone() -> None:
    table = {"EAR-DYNAMODB-01": "EAR-TABLE-01"}
    assert resolve_rule_id("EAR-DYNAMODB-01", table) == "EAR-TABLE-01"
    assert resolve_rule_id("EAR-TABLE-01", table) == "EAR-TABLE-01"
    assert resolve_rule_id("NOPE-1", table) == "NOPE-1"


def test_alias_table_comes_from_the_rules() -> None:
    assert alias_table(RULES) == {
        "EAR-DBCLUSTER-01": "EAR-DB-01",
        "EAR-DYNAMODB-01": "EAR-TABLE-01",
    }


def test_old_ids_select_and_exclude_their_current_rule() -> None:
    assert ids(RuleSelection(include=("EAR-DYNAMODB-01",)).apply(RULES)) == ["EAR-TABLE-01"]
    assert ids(RuleSelection(include=("EAR-DBCLUSTER-01", "EAR-DB-01")).apply(RULES)) == [
        "EAR-DB-01"
    ]
    assert ids(RuleSelection(exclude=("EAR-DBCLUSTER-01",)).apply(RULES)) == [
        "EAR-TABLE-01",
        "EAR-VOLUME-01",
    ]


def test_other_filters_still_apply() -> None:
    chosen = RuleSelection(severities=(Severity.LOW,)).apply(RULES)
    assert ids(chosen) == ["EAR-TABLE-01"]


def test_unknown_ids_are_still_usage_errors() -> None:
    with pytest.raises(UsageError, match=r"unknown rule id\(s\): EAR-EBS-99, NOPE-1;"):
        RuleSelection(include=("EAR-DYNAMODB-01", "NOPE-1"), exclude=("EAR-EBS-99",)).apply(RULES)
