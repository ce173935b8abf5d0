"""Shards: split an organization's accounts across parallel jobs, then merge the results.

`--shard I/N` takes a stable part of the account (project, subscription) list: an account
belongs to shard ``sha256(id) mod N``, so the partition does not change when the list is
reordered, and growing the list by one moves no other account. Each shard's snapshot
records its shard and a digest of the full list it was planned from; `check_shards` finds
what a merge is missing (a shard that never arrived, or shards planned from different
lists) so the merged report is marked incomplete and names them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scanner.errors import UsageError
from scanner.model import Gap, Snapshot


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        """``I/N``, as given on the command line and recorded in snapshots."""
        return f"{self.index}/{self.count}"

    def owns(self, account: str) -> bool:
        """Whether `account` belongs to this shard."""
        digest = hashlib.sha256(account.encode()).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


def parse_shard(text: str) -> Shard:
    """``I/N`` with 1 <= I <= N; a `UsageError` otherwise."""
    shard = shard_or_none(text)
    if shard is None:
        raise UsageError(f"--shard {text!r} must be I/N with 1 <= I <= N, e.g. --shard 2/3")
    return shard


def shard_or_none(text: str) -> Shard | None:
    """``I/N`` with 1 <= I <= N, else None."""
    index_text, sep, count_text = text.partition("/")
    try:
        index, count = int(index_text), int(count_text)
    except ValueError:
        return None
    if not sep or count < 1 or not 1 <= index <= count:
        return None
    return Shard(index, count)


def plan_digest(accounts: Iterable[str]) -> str:
    """A short digest of the full (unsharded) account list a shard was cut from."""
    joined = "\n".join(sorted(set(accounts)))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def select(accounts: Sequence[str], shard: Shard | None) -> list[str]:
    """The accounts of `shard` (all of them without one), in the given order."""
    return [a for a in accounts if shard is None or shard.owns(a)]


def check_shards(snapshots: Sequence[Snapshot]) -> list[Gap]:
    """Gaps for what a merge of sharded snapshots lacks (none for unsharded ones)."""
    sharded = [s for s in snapshots if s.scope.shard]
    if not sharded:
        return []
    gaps = []
    by_provider: dict[str, list[Snapshot]] = {}
    for snapshot in sharded:
        by_provider.setdefault(snapshot.scope.provider, []).append(snapshot)
    for provider, group in sorted(by_provider.items()):
        plans = sorted({s.scope.plan or "" for s in group})
        counts = sorted({parse_shard(s.scope.shard or "").count for s in group})
        if len(plans) > 1 or len(counts) > 1:
            gaps.append(
                _gap(
                    provider,
                    "ShardPlanMismatch",
                    f"the shards were planned from different account lists "
                    f"(plans {', '.join(plans)}; shard counts "
                    f"{', '.join(map(str, counts))}): re-run every shard together",
                )
            )
            continue
        have = {parse_shard(s.scope.shard or "").index for s in group}
        missing = [f"{i}/{counts[0]}" for i in range(1, counts[0] + 1) if i not in have]
        if missing:
            gaps.append(
                _gap(
                    provider,
                    "MissingShard",
                    f"shard(s) {', '.join(missing)} of plan {plans[0]} are missing "
                    "from the merge: their accounts were not evaluated",
                )
            )
    return gaps


def _gap(provider: str, code: str, message: str) -> Gap:
    # No account: the gap belongs to every account of the provider (every SARIF run).
    return Gap(
        provider=provider,
        account="",
        region="global",
        service="shards",
        operation="merge",
        error_code=code,
        message=message,
    )
