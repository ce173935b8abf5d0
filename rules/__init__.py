"""HIPAA rule modules, one folder per concern, and the catalog they cite.

`load_rules` imports every module below the concern folders and returns the `Rule`
objects they define; nothing registers itself at import time.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from scanner.rule import Rule

CONCERN_PACKAGES = (
    "encryption_at_rest",
    "encryption_in_transit",
    "audit_logging",
    "public_exposure",
    "access_control",
    "backup_recovery",
    "agreements",
)


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule defined under `rules/`, ordered by id; raises on a duplicate id."""
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
                    raise RuntimeError(f"rule id {value.id} is defined twice")
                found[value.id] = value
    return tuple(sorted(found.values(), key=lambda r: r.id))
