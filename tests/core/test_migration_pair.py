"""A v1 snapshot written by release 0.1.0 gives today the verdicts of a v2 scan.

`tests/data/snapshots/demo.v1.json` was written by the 0.1.0 release and
`demo.v2.json` by this code, both scanning one moto server seeded with the demo estate
(`bench/make_migration_pair.py` rewrites them when a kind changes shape).
"""

from __future__ import annotations

from pathlib import Path

from rules import load_rules
from scanner.engine import evaluate
from scanner.snapshot import load_snapshot

DATA = Path(__file__).resolve().parent.parent / "data" / "snapshots"


def verdicts(name: str) -> dict[tuple[str, str], tuple[str, object]]:
    report = evaluate([load_snapshot(DATA / name)], load_rules())
    return {(f.rule_id, f.resource.uid): (f.status.value, dict(f.evidence))
            for f in report.findings}


def test_a_migrated_v1_snapshot_gives_the_verdicts_of_a_v2_scan() -> None:
    old, new = verdicts("demo.v1.json"), verdicts("demo.v2.json")
    assert len(old) > 150
    assert old == new


def test_the_pair_really_is_one_v1_and_one_v2_document() -> None:
    assert '"schema_version": 1' in (DATA / "demo.v1.json").read_text()
    assert '"schema_version": 2' in (DATA / "demo.v2.json").read_text()
    assert '"kind": "iam.account"' in (DATA / "demo.v1.json").read_text()
