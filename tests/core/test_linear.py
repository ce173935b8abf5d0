"""Evaluation and every report format do work linear in the estate (issue 14).

Not timed: time on a shared machine proves nothing. The work is counted instead, on the
three demos' snapshots copied into 3 and then 30 accounts each (an organization scan: every
copy is another account, with its own ids and bucket names, so cross-resource references
resolve inside the account; see `bench/estate.py`):

* what each rule is handed: its invocations, and every resource, gap or lookup the rule
  context returns to it. A rule that asks for a whole kind across the estate once per
  resource makes this grow a hundredfold for ten times the estate;
* every Python line executed by the engine and by each formatter (`sys.settrace`), which
  also catches a formatter that filters all findings again for each account or rule.

Ten times the estate may cost at most twelve times the work.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from bench.estate import organization
from rules import load_rules
from rules.attestations import attestations
from scanner import engine
from scanner.engine import evaluate
from scanner.model import Gap, Resource, Snapshot
from scanner.output import FORMATTERS, SarifFormatter
from scanner.report import Report
from scanner.snapshot import snapshot_from_dict

SNAPSHOTS = Path(__file__).resolve().parent.parent / "data" / "snapshots"
# The three demos' snapshots, as `hipaa-scan demo --cloud C --snapshot-out` writes them today
# (regenerate them when a collector fills a new kind: `test_the_estate_holds_every_kind`).
DEMOS = tuple(SNAPSHOTS / f"demo-{cloud}.json" for cloud in ("aws", "gcp", "azure"))
# Kinds some rule judges that no demo holds, and why.
NOT_IN_ANY_DEMO = {
    "network.classic_load_balancer": "moto's server cannot create the classic load balancers "
    "the demo would need in both regions; tests/providers/aws cover the kind",
}
SMALL, LARGE = 3, 30
MAX_RATIO = 12.0


@functools.cache
def estate(copies: int) -> tuple[Snapshot, ...]:
    """Each demo's snapshot copied into `copies` accounts per account of the demo."""
    return tuple(
        snapshot_from_dict(organization(json.loads(path.read_text("utf-8")), copies), str(path))
        for path in DEMOS
    )


def test_the_estate_holds_every_kind() -> None:
    held = {resource.kind for snapshot in estate(1) for resource in snapshot.resources}
    judged = {kind for rule in load_rules() for kind in rule.meta.kinds}
    assert judged - held == set(NOT_IN_ANY_DEMO)


def test_copies_are_separate_accounts() -> None:
    one, three = estate(1), estate(3)
    for single, triple in zip(one, three, strict=True):
        assert len(triple.resources) == 3 * len(single.resources)
        assert len(triple.scope.accounts) == 3 * len(single.scope.accounts)
        assert len({r.uid for r in triple.resources}) == len(triple.resources)
        assert {r.account for r in triple.resources} <= set(triple.scope.accounts)


class CountingContext(engine._Context):
    """The engine's rule context, counting what it hands to rules."""

    handed = 0

    def named(self, kind: str, name: str) -> Sequence[Resource[Any]]:
        found = super().named(kind, name)
        CountingContext.handed += 1 + len(found)
        return found

    def keyed(self, kind: str, key: Any, value: Any) -> Sequence[Resource[Any]]:
        found = super().keyed(kind, key, value)
        CountingContext.handed += 1 + len(found)
        return found

    def get(self, uid: str) -> Resource[Any] | None:
        CountingContext.handed += 1
        return super().get(uid)

    def of_kind(self, kind: str, account: str | None = None) -> Sequence[Resource[Any]]:
        found = super().of_kind(kind, account)
        CountingContext.handed += 1 + len(found)
        return found

    def gaps(self, account: str, service: str, region: str | None = None) -> Sequence[Gap]:
        found = super().gaps(account, service, region)
        CountingContext.handed += 1 + len(found)
        return found


def rule_work(copies: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Per rule: its invocations plus everything the context returned to it."""
    work: dict[str, int] = {}
    counted = []
    for rule in load_rules():

        def check(resource: Any, ctx: Any, _rule: Any = rule) -> Any:
            before = CountingContext.handed
            try:
                return _rule.check(resource, ctx)
            finally:
                work[_rule.id] = work.get(_rule.id, 0) + 1 + CountingContext.handed - before

        counted.append(dataclasses.replace(rule, check=check))
    monkeypatch.setattr(engine, "_Context", CountingContext)
    CountingContext.handed = 0
    evaluate(estate(copies), counted)
    return work


@contextmanager
def counting_lines() -> Iterator[list[int]]:
    """Count every Python line executed inside the block (into the yielded list)."""
    count = [0]

    def trace(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        if event == "line":
            count[0] += 1
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        yield count
    finally:
        sys.settrace(previous)


def report_of(copies: int) -> Report:
    return evaluate(estate(copies), load_rules(), attestations=attestations())


# Rules known to scan a whole kind per resource, with what to do about each. The test
# checks they still do (so this list cannot go stale) and that no other rule does.
# Rules known to do a per-resource scan of the estate, with where to fix them (none now:
# LOG-TRAIL-04 finds its trail's bucket with ctx.named, the index).
KNOWN_QUADRATIC: dict[str, str] = {}


def test_rules_get_linear_work_from_the_context(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = rule_work(SMALL, monkeypatch), rule_work(LARGE, monkeypatch)
    assert small.keys() == large.keys() and len(small) > 50
    ratios = {rule_id: large[rule_id] / small[rule_id] for rule_id in small}
    quadratic = {rule_id for rule_id, ratio in ratios.items() if ratio > MAX_RATIO}
    assert quadratic == set(KNOWN_QUADRATIC), {r: ratios[r] for r in quadratic}
    linear = [rule_id for rule_id in small if rule_id not in KNOWN_QUADRATIC]
    total = sum(large[r] for r in linear) / sum(small[r] for r in linear)
    assert total <= MAX_RATIO


def test_the_engine_does_linear_work() -> None:
    snapshots = {n: estate(n) for n in (SMALL, LARGE)}
    rules = load_rules()
    evaluate(snapshots[SMALL], rules)  # warm: imports and caches are not the estate's work
    lines = {}
    for n in (SMALL, LARGE):
        with counting_lines() as count:
            evaluate(snapshots[n], rules, attestations=attestations())
        lines[n] = count[0]
    assert lines[LARGE] / lines[SMALL] <= MAX_RATIO, lines


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_every_format_does_linear_work(fmt: str) -> None:
    reports = {n: report_of(n) for n in (SMALL, LARGE)}
    FORMATTERS[fmt]().render(reports[SMALL])  # warm: templates compile once (3 accounts)
    lines = {}
    for n, report in reports.items():
        formatter = FORMATTERS[fmt]()
        # 30 accounts are more runs than one SARIF upload takes: render every part.
        render = (
            formatter.render_parts if isinstance(formatter, SarifFormatter) else formatter.render
        )
        with counting_lines() as count:
            render(report)
        lines[n] = count[0]
    assert lines[LARGE] / lines[SMALL] <= MAX_RATIO, lines
