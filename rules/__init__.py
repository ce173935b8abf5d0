"""HIPAA rule modules, one folder per concern, the catalog they cite, and their remediation.

`load_rules` imports every module below the concern folders and returns the `Rule`
objects they define, each with its remediation attached from
``rules/remediation/<provider>/<RULE-ID>.toml``; nothing registers itself at import time.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
import tomllib
from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable

from rules.aliases import ALIASES
from scanner.rule import ProviderFix, Rule, RuleDefinitionError, with_remediation

CONCERN_PACKAGES = (
    "encryption_at_rest",
    "encryption_in_transit",
    "audit_logging",
    "public_exposure",
    "access_control",
    "backup_recovery",
    "agreements",
)

# The folder of remediation data files, one sub-folder per cloud.
REMEDIATION_FOLDER = "remediation"


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule defined under `rules/`, ordered by id, with its remediation and aliases.

    Raises `RuleDefinitionError` on a duplicate id, a claimed cloud without a remediation
    file, a file for a rule or cloud that does not claim it, a malformed file, or an alias
    that is a current id or points to no rule.
    """
    found = _with_aliases(_defined_rules(), ALIASES)
    fixes = load_remediation()
    orphans = sorted(f"{p}/{rule_id}" for rule_id, p in fixes if rule_id not in found)
    if orphans:
        raise RuleDefinitionError(f"remediation for unknown rule id(s): {', '.join(orphans)}")
    attached = [
        with_remediation(r, {p: fix for (rule_id, p), fix in fixes.items() if rule_id == r.id})
        for r in found.values()
    ]
    return tuple(sorted(attached, key=lambda r: r.id))


def _defined_rules() -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for package_name in CONCERN_PACKAGES:
        package = importlib.import_module(f"{__name__}.{package_name}")
        for info in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if not isinstance(value, Rule):
                    continue
                other = found.get(value.id)
                if other is not None and other is not value:
                    raise RuleDefinitionError(f"rule id {value.id} is defined twice")
                found[value.id] = value
    return found


def _with_aliases(found: dict[str, Rule], aliases: Mapping[str, str]) -> dict[str, Rule]:
    clashes = sorted(old for old in aliases if old in found)
    dangling = sorted(old for old, new in aliases.items() if new not in found)
    if clashes or dangling:
        raise RuleDefinitionError(
            f"alias table: {', '.join(clashes) or 'no'} old id(s) are current ids; "
            f"{', '.join(dangling) or 'no'} old id(s) point to no rule"
        )
    return {
        rule_id: Rule(
            meta=dataclasses.replace(
                r.meta, aliases=tuple(sorted(o for o, n in aliases.items() if n == rule_id))
            ),
            check=r.check,
        )
        for rule_id, r in found.items()
    }


def remediation_files(root: Traversable | None = None) -> Iterator[tuple[str, str, Traversable]]:
    """Every remediation data file as (rule id, provider, file), in no particular order.

    `root` defaults to the folder shipped in this package; tests pass another one.
    """
    if root is None:
        root = resources.files(__name__).joinpath(REMEDIATION_FOLDER)
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name.endswith(".toml"):
                yield entry.name.removesuffix(".toml"), folder.name, entry


def load_remediation(root: Traversable | None = None) -> Mapping[tuple[str, str], ProviderFix]:
    """Every remediation data file parsed, keyed by (rule id, provider)."""
    fixes: dict[tuple[str, str], ProviderFix] = {}
    for rule_id, provider, entry in remediation_files(root):
        source = f"{__name__}/{REMEDIATION_FOLDER}/{provider}/{entry.name}"
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RuleDefinitionError(f"{source}: not valid TOML: {exc}") from exc
        fixes[rule_id, provider] = ProviderFix.from_mapping(data, source)
    return fixes
