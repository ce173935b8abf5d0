"""Turn the frozen fact dataclasses into JSON values and back, driven by their type hints.

Only the shapes the fact types use are supported: `str`, `int`, `float`, `bool`, `None`,
`X | None`, `tuple[X, ...]`, `Mapping[str, X]`/`dict[str, X]`, string enums and nested
dataclasses. Anything else is a programming error caught by the kind meta-tests.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

from scanner.errors import SnapshotError
from scanner.model import JSONValue


def to_json(value: object) -> JSONValue:
    """The JSON form of a fact value (dataclasses become objects keyed by field name)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list | frozenset):
        return [to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in sorted(value.items())}
    raise TypeError(f"cannot serialise {type(value).__name__}")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(tp: Any, data: object, where: str) -> Any:
    """Rebuild a value of type `tp` from its JSON form; `where` names the place for errors."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        if data is None and type(None) in options:
            return None
        non_null = [o for o in options if o is not type(None)]
        if len(non_null) == 1:
            return from_json(non_null[0], data, where)
        raise TypeError(f"unsupported union {tp}")
    if origin is tuple:
        item_type = typing.get_args(tp)[0]
        items = _expect(data, list, where)
        return tuple(from_json(item_type, item, f"{where}[{i}]") for i, item in enumerate(items))
    if origin in (dict, Mapping, typing.Mapping):
        value_type = typing.get_args(tp)[1]
        obj = _expect(data, dict, where)
        return {str(k): from_json(value_type, v, f"{where}.{k}") for k, v in obj.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_from_json(tp, data, where)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(data)
        except ValueError:
            raise SnapshotError(f"{where}: {data!r} is not a valid {tp.__name__}") from None
    if tp is float:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        raise SnapshotError(f"{where}: expected a number, got {type(data).__name__}")
    if tp in (str, int, bool):
        if isinstance(data, tp) and not (tp is int and isinstance(data, bool)):
            return data
        raise SnapshotError(f"{where}: expected {tp.__name__}, got {type(data).__name__}")
    if tp is Any or tp is object:
        return data
    raise TypeError(f"unsupported fact type {tp}")


def _dataclass_from_json(cls: type, data: object, where: str) -> Any:
    obj = _expect(data, dict, where)
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in obj:
            kwargs[f.name] = from_json(hints[f.name], obj[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise SnapshotError(f"{where}: missing field {f.name!r}")
    unknown = set(obj) - {f.name for f in dataclasses.fields(cls)}
    if unknown:
        raise SnapshotError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return cls(**kwargs)


def _expect(data: object, tp: type, where: str) -> Any:
    if not isinstance(data, tp):
        raise SnapshotError(f"{where}: expected {tp.__name__}, got {type(data).__name__}")
    return data
