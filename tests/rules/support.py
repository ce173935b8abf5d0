"""Shared builders for rule unit tests: a hand-made AWS resource, a snapshot, one rule run."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rules import load_rules
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Finding, Gap, JSONValue, Resource, Scope, Snapshot
from scanner.rule import Rule

ACCOUNT = "123456789012"


def aws_resource(
    uid: str,
    native_type: str,
    name: str,
    props: Any,
    *,
    region: str = "us-east-1",
    kind: str | None = None,
    tags: dict[str, str] | None = None,
) -> Resource[Any]:
    """A resource of the test account; its kind is `props.KIND` unless given."""
    return Resource(
        uid=uid,
        provider="aws",
        kind=kind or props.KIND,
        native_type=native_type,
        account=ACCOUNT,
        region=region,
        name=name,
        props=props,
        tags=tags or {},
    )


def snapshot_of(
    resources: Iterable[Resource[Any]],
    regions: tuple[str, ...] = ("us-east-1",),
    gaps: tuple[Gap, ...] = (),
) -> Snapshot:
    """A snapshot of the test account holding `resources` (and `gaps`)."""
    return Snapshot(
        tool_version="test",
        scope=Scope("aws", (ACCOUNT,), regions),
        started_at="",
        finished_at="",
        resources=tuple(resources),
        gaps=gaps,
    )


def rule_by_id(rule_id: str) -> Rule:
    """The one loaded rule with this id."""
    (chosen,) = [r for r in load_rules() if r.id == rule_id]
    return chosen


def findings_of(
    rule_id: str,
    snapshot: Snapshot,
    params: dict[str, JSONValue] | None = None,
    phi_tags: tuple[tuple[str, str], ...] = (),
) -> list[Finding]:
    """Every finding one rule gives on a snapshot, through the real engine."""
    config = EvaluationConfig(phi_tags=phi_tags, params={rule_id: params or {}})
    return list(evaluate([snapshot], [rule_by_id(rule_id)], config).findings)


def judge_one(
    rule_id: str,
    resource: Resource[Any],
    params: dict[str, JSONValue] | None = None,
    phi_tags: tuple[tuple[str, str], ...] = (),
    regions: tuple[str, ...] = ("us-east-1",),
) -> Finding:
    """The single finding one rule gives on a snapshot of one resource."""
    (finding,) = findings_of(rule_id, snapshot_of((resource,), regions), params, phi_tags)
    return finding
