"""Shard partitions are disjoint, complete and stable; merges name what they miss."""

from __future__ import annotations

import random

import pytest

from scanner.errors import UsageError
from scanner.model import Scope, Snapshot
from scanner.shards import Shard, check_shards, parse_shard, plan_digest, select


def accounts(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.randrange(10**11, 10**12):012d}" for _ in range(count)]


@pytest.mark.parametrize("count", [1, 2, 3, 7, 20])
def test_shards_are_disjoint_and_cover_every_account(count: int) -> None:
    every = accounts(300, seed=count)
    parts = [select(every, Shard(i, count)) for i in range(1, count + 1)]
    assert sorted(a for part in parts for a in part) == sorted(every)
    assert sum(len(part) for part in parts) == len(set(every))


@pytest.mark.parametrize("seed", range(5))
def test_reordering_or_growing_the_list_moves_no_account(seed: int) -> None:
    every = accounts(200, seed=seed)
    shuffled = list(every)
    random.Random(seed).shuffle(shuffled)
    grown = [*every, "999999999999"]
    for index in range(1, 4):
        shard = Shard(index, 3)
        assert set(select(shuffled, shard)) == set(select(every, shard))
        assert set(select(grown, shard)) - {"999999999999"} == set(select(every, shard))


def test_shards_are_reasonably_balanced() -> None:
    every = accounts(3000)
    sizes = [len(select(every, Shard(i, 3))) for i in range(1, 4)]
    assert min(sizes) > 900


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "2", "", "1/3/4"])
def test_bad_shard_specs_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="must be I/N"):
        parse_shard(text)


def test_parse_and_print_round_trip() -> None:
    assert str(parse_shard("2/3")) == "2/3"
    assert plan_digest(["b", "a"]) == plan_digest(["a", "b", "a"])


def snapshot(shard: str | None, plan: str | None = "p1") -> Snapshot:
    scope = Scope(
        provider="aws",
        accounts=("111111111111",),
        regions=("us-east-1",),
        shard=shard,
        plan=plan if shard else None,
    )
    return Snapshot("t", scope, "s", "f", (), ())


def test_a_complete_merge_has_no_gap() -> None:
    assert check_shards([snapshot("1/3"), snapshot("2/3"), snapshot("3/3")]) == []
    assert check_shards([snapshot(None), snapshot(None)]) == []


def test_a_missing_shard_is_a_gap_naming_it() -> None:
    (gap,) = check_shards([snapshot("1/3"), snapshot("3/3")])
    assert (gap.service, gap.error_code) == ("shards", "MissingShard")
    assert "shard(s) 2/3 of plan p1 are missing" in gap.message


def test_shards_of_different_plans_are_a_gap() -> None:
    (gap,) = check_shards([snapshot("1/2", "p1"), snapshot("2/2", "p2")])
    assert gap.error_code == "ShardPlanMismatch"
    (gap,) = check_shards([snapshot("1/2"), snapshot("2/3")])
    assert gap.error_code == "ShardPlanMismatch"
