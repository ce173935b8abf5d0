"""Waivers: accepted risks that expire, read from a YAML or JSON file and applied to findings.

A waiver names rule ids (renamed ids are resolved through the alias table), resources by
uid glob, and optionally accounts, regions and tags; it must say why (`reason`), who
accepted the risk (`owner`) and until when (`expires`, a date). A waived FAIL stays a FAIL
with its waiver attached; an expired waiver no longer applies and is reported as expired;
an active waiver that matched no failure is reported as stale. "Today" is always passed in,
so applying waivers is as deterministic as the engine. File format::

    waivers:
      - rules: [PUB-BUCKET-01]          # or `rule: PUB-BUCKET-01`
        resources: ["arn:aws:s3:::nwh-public-site*"]   # uid globs; default: every resource
        accounts: ["111111111111"]      # optional
        regions: ["us-east-1"]          # optional
        tags: {purpose: website}        # optional: every tag must match
        reason: Public website assets; no ePHI is ever written there
        owner: web-team@example.org
        expires: 2027-03-31

The schema is `scanner/schemas/waivers.v1.schema.json`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import fnmatch
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scanner.errors import InputFileError
from scanner.fileio import read_text
from scanner.model import Finding, Status, Waiver

_FIELDS = {
    "rule",
    "rules",
    "resources",
    "accounts",
    "regions",
    "tags",
    "reason",
    "owner",
    "expires",
}


class WaiverState(enum.StrEnum):
    """What became of one waiver entry in one evaluation."""

    ACTIVE = "active"  # in force and matched at least one failure
    STALE = "stale"  # in force but matched no failure: the risk it accepted is gone
    EXPIRED = "expired"  # past its date: it no longer applies


@dataclass(frozen=True)
class WaiverEntry:
    """One entry of a waivers file, validated."""

    source: str
    index: int
    rules: tuple[str, ...]
    resources: tuple[str, ...]
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    tags: Mapping[str, str]
    reason: str
    owner: str
    expires: dt.date

    @property
    def where(self) -> str:
        """`file: waivers[i]`, how every message names this entry."""
        return f"{self.source}: waivers[{self.index}]"

    def matches(self, finding: Finding, tags: Mapping[str, str] | None) -> bool:
        """Whether this entry covers `finding` (whose resource carries `tags`)."""
        ref = finding.resource
        if finding.rule_id not in self.rules:
            return False
        if not any(fnmatch.fnmatchcase(ref.uid, pattern) for pattern in self.resources):
            return False
        if self.accounts and ref.account not in self.accounts:
            return False
        if self.regions and ref.region not in self.regions:
            return False
        # A resource whose tags could not be read matches no tag condition: a waiver must
        # never widen because a read failed.
        return all((tags or {}).get(key) == value for key, value in self.tags.items())


@dataclass(frozen=True)
class WaiverOutcome:
    """One entry's state after an evaluation, and how many failures it waived."""

    entry: WaiverEntry
    state: WaiverState
    matched: int


def load_waivers(
    path: Path,
    known_rules: Collection[str],
    resolve: Callable[[str], str] = lambda rule_id: rule_id,
) -> tuple[WaiverEntry, ...]:
    """Read and validate a waivers file (YAML or JSON); errors name file, entry and field."""
    text = read_text(path, "waivers")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise InputFileError(
            f"{path}: not valid YAML or JSON{where}; see the README's 'Waivers' section"
        ) from None
    except ValueError as exc:
        # YAML reads 2027-02-30 as a date and fails building it, with no position.
        raise InputFileError(
            f"{path}: a value cannot be read ({exc}); dates are YYYY-MM-DD and must exist"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        raise InputFileError(f"{path}: expected a top-level 'waivers' list")
    # YAML keys need not be text (`1:`), nor of one type: sort them as text.
    unknown = sorted(set(data) - {"waivers"}, key=str)
    if unknown:
        raise InputFileError(f"{path}: unknown top-level key {unknown[0]!r}")
    return tuple(
        _entry(str(path), index, raw, known_rules, resolve)
        for index, raw in enumerate(data["waivers"])
    )


def _entry(
    source: str,
    index: int,
    raw: object,
    known_rules: Collection[str],
    resolve: Callable[[str], str],
) -> WaiverEntry:
    where = f"{source}: waivers[{index}]"
    if not isinstance(raw, dict):
        raise InputFileError(f"{where}: each waiver must be a mapping")
    unknown = sorted(set(raw) - _FIELDS, key=str)
    if unknown:
        raise InputFileError(
            f"{where}.{unknown[0]}: unknown field; expected one of {', '.join(sorted(_FIELDS))}"
        )
    rules = _rules(raw, where, known_rules, resolve)
    return WaiverEntry(
        source=source,
        index=index,
        rules=rules,
        resources=_globs(raw.get("resources", ["*"]), f"{where}.resources"),
        accounts=_texts(raw.get("accounts", []), f"{where}.accounts"),
        regions=_texts(raw.get("regions", []), f"{where}.regions"),
        tags=_tags(raw.get("tags", {}), f"{where}.tags"),
        reason=_required_text(raw, "reason", where),
        owner=_required_text(raw, "owner", where),
        expires=_date(raw.get("expires"), f"{where}.expires"),
    )


def _rules(
    raw: Mapping[str, Any], where: str, known: Collection[str], resolve: Callable[[str], str]
) -> tuple[str, ...]:
    if ("rule" in raw) == ("rules" in raw):
        raise InputFileError(
            f"{where}: give exactly one of 'rule' (an id) or 'rules' (a list of ids)"
        )
    given = [raw["rule"]] if "rule" in raw else raw["rules"]
    field = "rule" if "rule" in raw else "rules"
    ids = _texts(given, f"{where}.{field}")
    if not ids:
        raise InputFileError(f"{where}.{field}: name at least one rule id")
    resolved = []
    for rule_id in ids:
        current = resolve(rule_id)
        if current not in known:
            raise InputFileError(
                f"{where}.{field}: unknown rule id {rule_id!r}; run "
                "'hipaa-scan rules' to list the rule ids"
            )
        resolved.append(current)
    return tuple(dict.fromkeys(resolved))


def _texts(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputFileError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _globs(value: object, where: str) -> tuple[str, ...]:
    patterns = _texts(value, where)
    for pattern in patterns:
        # fnmatch reads an unclosed '[' literally; a waiver that silently matches nothing
        # (or something else) is worse than an error.
        if pattern.count("[") != pattern.count("]"):
            raise InputFileError(
                f"{where}: {pattern!r} is not a valid glob (unbalanced "
                "'['); use '*' and '?' wildcards or a closed [set]"
            )
    return patterns


def _tags(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InputFileError(f"{where}: expected a mapping of tag names to string values")
    return dict(value)


def _required_text(raw: Mapping[str, Any], field: str, where: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InputFileError(
            f"{where}.{field}: required; say "
            + ("why the risk is accepted" if field == "reason" else "who accepted the risk")
        )
    return value.strip()


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InputFileError(f"{where}: expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputFileError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}")


def apply_waivers(
    findings: Sequence[Finding],
    entries: Sequence[WaiverEntry],
    today: dt.date,
    tags_of: Callable[[str], Mapping[str, str] | None],
) -> tuple[list[Finding], tuple[WaiverOutcome, ...]]:
    """Attach the first active waiver that covers each FAIL; report every entry's state.

    A waiver is in force through its `expires` day and expired from the day after.
    `tags_of` gives a resource's tags by uid (None when they could not be read).
    """
    active = [e for e in entries if e.expires >= today]
    matched = dict.fromkeys(((e.source, e.index) for e in entries), 0)
    waived: list[Finding] = []
    for finding in findings:
        entry = None
        if finding.status is Status.FAIL:
            tags = tags_of(finding.resource.uid)
            entry = next((e for e in active if e.matches(finding, tags)), None)
        if entry is None:
            waived.append(finding)
            continue
        matched[(entry.source, entry.index)] += 1
        waived.append(
            dataclasses.replace(
                finding,
                waiver=Waiver(
                    reason=entry.reason, expires=entry.expires.isoformat(), owner=entry.owner
                ),
            )
        )
    outcomes = tuple(
        WaiverOutcome(
            entry,
            _state(entry, today, matched[(entry.source, entry.index)]),
            matched[(entry.source, entry.index)],
        )
        for entry in entries
    )
    return waived, outcomes


def _state(entry: WaiverEntry, today: dt.date, matched: int) -> WaiverState:
    if entry.expires < today:
        return WaiverState.EXPIRED
    return WaiverState.ACTIVE if matched else WaiverState.STALE


def outcome_to_dict(outcome: WaiverOutcome) -> dict[str, Any]:
    """One waiver outcome as the JSON report and the other formats show it."""
    entry = outcome.entry
    return {
        "entry": f"{Path(entry.source).name}#{entry.index}",
        "state": outcome.state.value,
        "matched": outcome.matched,
        "rules": list(entry.rules),
        "resources": list(entry.resources),
        "reason": entry.reason,
        "owner": entry.owner,
        "expires": entry.expires.isoformat(),
    }
