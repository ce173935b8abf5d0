"""Normalised resource kinds and the fact dataclasses that describe them.

Each submodule holds the frozen dataclasses of one domain (`storage`, `iam`, `logging`...).
A fact class names its kind in a `KIND` class variable, e.g. ``KIND = "storage.bucket"``;
`kind_registry` discovers them by walking this package, so adding a kind is adding a class.
Facts that could not be read are `None`; `False` always means "read, and off".
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil


@functools.cache
def kind_registry() -> dict[str, type]:
    """Map every kind name (`storage.bucket`) to its fact dataclass."""
    registry: dict[str, type] = {}
    for info in pkgutil.iter_modules(__path__, prefix=f"{__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            kind = getattr(value, "KIND", None)
            if isinstance(value, type) and dataclasses.is_dataclass(value) and kind:
                if kind in registry and registry[kind] is not value:
                    raise RuntimeError(f"kind {kind!r} is declared twice")
                registry[kind] = value
    return registry


def fact_type(kind: str) -> type:
    """The fact dataclass for `kind`; raises `KeyError` for an unknown kind."""
    return kind_registry()[kind]
