"""`hipaa-scan.toml`: rule parameters, rule selection and PHI tags kept beside the code.

The file is found in the working directory (or given with `--config`); command-line flags
override it. Every key is checked: an unknown key or a value of the wrong type is an input
error naming the file, the key and what was expected, never silently ignored. Example::

    [scan]
    phi_tags = ["phi=true"]          # like --phi-tag (repeatable)
    fail_on = "high"                 # like --fail-on
    rules = []                       # like --rule
    exclude_rules = ["LOG-CDN-01"]   # like --exclude-rule
    concerns = []                    # like --concern
    severities = []                  # like --severity
    waivers = "waivers.yaml"         # like --waivers (relative to this file)

    [rules.PUB-FIREWALL-01]          # parameters of one rule (see `hipaa-scan rules`)
    ports = [22, 3389, 5900]

Parameter values are checked against the rule's declared defaults in `check_params`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.errors import InputFileError
from scanner.fileio import read_text
from scanner.model import JSONValue
from scanner.rule import RuleMeta

CONFIG_NAME = "hipaa-scan.toml"

_SCAN_KEYS: dict[str, str] = {
    "phi_tags": "a list of KEY=VALUE strings",
    "fail_on": "a severity (critical, high, medium, low, info)",
    "rules": "a list of rule ids",
    "exclude_rules": "a list of rule ids",
    "concerns": "a list of concerns",
    "severities": "a list of severities",
    "waivers": "the path of a waivers file (relative to this file)",
}


@dataclass(frozen=True)
class Config:
    """The settings read from a configuration file (empty when there is none)."""

    source: str | None = None
    phi_tags: tuple[str, ...] = ()
    fail_on: str | None = None
    rules: tuple[str, ...] = ()
    exclude_rules: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    waivers: Path | None = None
    params: Mapping[str, Mapping[str, JSONValue]] = field(default_factory=dict)


def find_config(explicit: Path | None, cwd: Path) -> Path | None:
    """The configuration file to read: `explicit`, else `hipaa-scan.toml` in `cwd` if any."""
    if explicit is not None:
        return explicit
    candidate = cwd / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(path: Path | None) -> Config:
    """Read and check a configuration file; `Config()` when `path` is None."""
    if path is None:
        return Config()
    text = read_text(path, "configuration")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(
            f"{path}: not valid TOML ({exc}); see the README's 'Configuration file' section"
        ) from None
    return _parse(data, str(path))


def _parse(data: Mapping[str, Any], source: str) -> Config:
    unknown = sorted(set(data) - {"scan", "rules"})
    if unknown:
        raise InputFileError(
            f"{source}: unknown top-level key {unknown[0]!r}; "
            "expected [scan] and [rules.<RULE-ID>] tables"
        )
    scan = _table(data.get("scan", {}), source, "scan")
    for key in scan:
        if key not in _SCAN_KEYS:
            raise InputFileError(
                f"{source}: unknown key scan.{key}; expected one of {', '.join(_SCAN_KEYS)}"
            )
    fail_on = scan.get("fail_on")
    if fail_on is not None and not isinstance(fail_on, str):
        raise InputFileError(f"{source}: scan.fail_on must be {_SCAN_KEYS['fail_on']}")
    waivers = scan.get("waivers")
    if waivers is not None and (not isinstance(waivers, str) or not waivers):
        raise InputFileError(f"{source}: scan.waivers must be {_SCAN_KEYS['waivers']}")
    rules = _table(data.get("rules", {}), source, "rules")
    params = {
        rule_id: dict(_table(values, source, f"rules.{rule_id}"))
        for rule_id, values in rules.items()
    }
    return Config(
        source=source,
        phi_tags=_strings(scan, "phi_tags", source),
        fail_on=fail_on,
        rules=_strings(scan, "rules", source),
        exclude_rules=_strings(scan, "exclude_rules", source),
        concerns=_strings(scan, "concerns", source),
        severities=_strings(scan, "severities", source),
        waivers=Path(source).parent / waivers if waivers else None,
        params=params,
    )


def _table(value: object, source: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputFileError(f"{source}: {key} must be a table ([{key}])")
    return value


def _strings(table: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputFileError(f"{source}: scan.{key} must be {_SCAN_KEYS[key]}")
    return tuple(value)


def check_params(
    config: Config,
    rules: Sequence[RuleMeta],
    resolve: Callable[[str], str] = lambda rule_id: rule_id,
) -> dict[str, dict[str, JSONValue]]:
    """The rule parameters of `config`, keyed by current rule id and checked.

    Each value must have the JSON type of the rule's declared default (list items that of
    the default's first item).

    `resolve` maps a renamed (aliased) rule id to its current id.
    """
    by_id = {meta.id: meta for meta in rules}
    checked: dict[str, dict[str, JSONValue]] = {}
    for given_id, values in sorted(config.params.items()):
        rule_id = resolve(given_id)
        meta = by_id.get(rule_id)
        if meta is None:
            raise InputFileError(
                f"{config.source}: [rules.{given_id}]: unknown rule id; "
                "run 'hipaa-scan rules' to list the rule ids"
            )
        for name, value in values.items():
            if name not in meta.params:
                declared = ", ".join(sorted(meta.params)) or "none"
                raise InputFileError(
                    f"{config.source}: rules.{given_id}.{name}: rule "
                    f"{rule_id} has no such parameter (it has: {declared})"
                )
            _check_type(value, meta.params[name], f"{config.source}: rules.{given_id}.{name}")
        checked[rule_id] = dict(values)
    return checked


def _check_type(value: object, default: JSONValue, where: str) -> None:
    expected = _type_name(default)
    if _type_name(value) != expected and not (
        expected == "number" and _type_name(value) == "integer"
    ):
        raise InputFileError(f"{where}: expected {expected} like {default!r}, got {value!r}")
    if isinstance(default, list) and default and isinstance(value, list):
        for item in value:
            _check_type(item, default[0], f"{where}[]")


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__
