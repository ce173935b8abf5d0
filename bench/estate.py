"""A large organization's snapshot, made from a demo snapshot copied into many accounts.

Each copy is another account (an AWS account, a GCP project, an Azure subscription): its
account ids are rewritten everywhere in the copy (uids, ARNs, policy documents, props), and
so are its buckets' names, which are global in every cloud. Cross-resource references (the
trail's bucket, the log group of an alarm, a role's account) therefore resolve inside the
copy, as in a real organization, and no lookup finds every copy by accident.

Used by `bench/bench_eval.py` and by the linearity test (`tests/core/test_linear.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

# Kinds whose names are global in their cloud (an S3 or GCS bucket, an Azure storage
# account): each copy needs its own, or `RuleContext.named` would find every copy.
GLOBAL_NAME_KINDS = frozenset({"storage.bucket"})


def organization(document: dict[str, Any], copies: int) -> dict[str, Any]:
    """`document` (a snapshot) with its accounts copied `copies` times (copy 0 is itself)."""
    accounts = list(document["scope"]["accounts"])
    resources: list[dict[str, Any]] = []
    gaps: list[dict[str, Any]] = []
    scoped: list[str] = []
    for copy in range(copies):
        rename = _renamer(document, accounts, copy)
        resources += rename(document["resources"])
        gaps += rename(document["gaps"])
        scoped += [_account(account, copy) for account in accounts]
    _make_uids_unique(resources)
    return {
        **document,
        "scope": {**document["scope"], "accounts": sorted(scoped)},
        "resources": resources,
        "gaps": gaps,
    }


def replicate(document: dict[str, Any], count: int) -> dict[str, Any]:
    """`document` copied into as many accounts as it takes to hold `count` resources."""
    per_copy = max(1, len(document["resources"]))
    copies = -(-count // per_copy)
    whole = organization(document, copies)
    kept = whole["resources"][:count]
    accounts = sorted({resource["account"] for resource in kept})
    scope = {**whole["scope"], "accounts": accounts}
    return {**whole, "scope": scope, "resources": kept}


def _renamer(document: dict[str, Any], accounts: list[str], copy: int) -> Callable[[Any], Any]:
    """A function rewriting a JSON value for copy `copy` (the identity for copy 0)."""
    if copy == 0:
        return lambda value: json.loads(json.dumps(value))
    names = {
        resource["name"]
        for resource in document["resources"]
        if resource["kind"] in GLOBAL_NAME_KINDS and resource["name"]
    }
    # A name is replaced where it stands alone (a whole string, an ARN's last field, a
    # path's first segment), never inside a longer name that merely starts with it.
    pattern = (
        re.compile(
            r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")"
            r"(?![\w.-])"
        )
        if names
        else None
    )

    # One pass over every account id: replacing them one after another could turn a
    # copy's new id into the next account's original and rename it twice.
    new_ids = {account: _account(account, copy) for account in accounts}
    ids = (
        re.compile("|".join(map(re.escape, sorted(new_ids, key=len, reverse=True))))
        if new_ids
        else None
    )

    def rename(value: Any) -> Any:
        text = json.dumps(value)
        if ids is not None:
            text = ids.sub(lambda match: new_ids[match.group(0)], text)
        if pattern is not None:
            text = pattern.sub(lambda match: f"{match.group(1)}-c{copy}", text)
        return json.loads(text)

    return rename


def _account(account: str, copy: int) -> str:
    """Copy `copy`'s id for `account`, shaped like the original (12 digits, a GUID...)."""
    if copy == 0:
        return account
    if account.isdigit():
        return f"{(int(account) + copy) % 10 ** len(account):0{len(account)}d}"
    if re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", account):
        return f"{account[:24]}{copy:012x}"
    return f"{account}-c{copy}"


def _make_uids_unique(resources: list[dict[str, Any]]) -> None:
    """Suffix the uids that no rewrite changed (a uid naming neither account nor bucket)."""
    seen: set[str] = set()
    for index, resource in enumerate(resources):
        if resource["uid"] in seen:
            resource["uid"] = f"{resource['uid']}#{index}"
        seen.add(resource["uid"])
