"""A v1 snapshot written by release 0.1.0 gives today the verdicts of a v2 scan.

`tests/data/snapshots/demo.v1.json` was written by the 0.1.0 release and
`demo.v2.json` by this code, both scanning one moto server seeded with the demo estate
(`bench/make_migration_pair.py` rewrites them when a kind changes shape). Two kinds of
difference are intended, and only those: a fact 0.1.0 did not read is missing from the
v1 snapshot, so rules that need it say UNKNOWN (never a guess); and the demo's traps for
the verdicts corrected since 0.1.0 were interpreted by the 0.1.0 collector, whose facts
cannot be reinterpreted after the fact (listed below with the correction).
"""

from __future__ import annotations

from pathlib import Path

from rules import load_rules
from scanner.engine import evaluate
from scanner.snapshot import load_snapshot

DATA = Path(__file__).resolve().parent.parent / "data" / "snapshots"

# (rule id, end of resource uid): the 0.1.0 collector's facts led to the old verdict.
REINTERPRETED = {
    ("BAK-DB-01", ":db:nwh-ehr-db-replica"),  # a read replica has no backups to judge
    ("EIT-LB-01", "/nwh-scheduling"),  # a listener rule forwards plain HTTP
    ("IAM-POLICY-01", ":policy/nwh-analytics-all"),  # * on arn:aws:*:*:*:* is every resource
    ("IAM-POLICY-03", ":policy/nwh-analytics-all"),  # ... so it is no longer the lower finding
    ("IAM-POLICY-02", ":policy/nwh-key-operators"),  # kms:* on every key ARN
    ("IAM-ROLE-01", ":role/nwh-ci-deploy"),  # web-identity trust without a pinned sub
    ("PUB-FIREWALL-02", None),  # wider database port list (one group opens one of them)
}


def verdicts(name: str) -> dict[tuple[str, str], tuple[str, object]]:
    report = evaluate([load_snapshot(DATA / name)], load_rules())
    return {
        (f.rule_id, f.resource.uid): (f.status.value, dict(f.evidence)) for f in report.findings
    }


def _reinterpreted(rule_id: str, uid: str) -> bool:
    return any(rule_id == rid and (end is None or end in uid) for rid, end in REINTERPRETED)


def test_a_migrated_v1_snapshot_gives_the_verdicts_of_a_v2_scan() -> None:
    old, new = verdicts("demo.v1.json"), verdicts("demo.v2.json")
    assert len(old) > 200
    unexplained = {
        key: (old.get(key, ("-",))[0], new.get(key, ("-",))[0])
        for key in set(old) | set(new)
        if old.get(key, ("-",))[0] != new.get(key, ("-",))[0]
        and old.get(key, ("-",))[0] != "UNKNOWN"
        and not _reinterpreted(*key)
    }
    assert unexplained == {}
    # Most verdicts agree to the evidence (new evidence fields explain the rest).
    same = [key for key in old if old[key] == new.get(key)]
    assert len(same) > 0.75 * len(old)


def test_the_pair_really_is_one_v1_and_one_v2_document() -> None:
    assert '"schema_version": 1' in (DATA / "demo.v1.json").read_text()
    assert '"schema_version": 2' in (DATA / "demo.v2.json").read_text()
    assert '"kind": "iam.account"' in (DATA / "demo.v1.json").read_text()
