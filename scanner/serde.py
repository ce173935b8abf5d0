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
from collections.abc import Callable, Mapping
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
        return {name: to_json(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, tuple | list | frozenset):
        return [to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in sorted(value.items())}
    raise TypeError(f"cannot serialise {type(value).__name__}")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    # Rules serialise facts into evidence once per resource: look the fields up once.
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(tp: Any, data: object, where: str) -> Any:
    """Rebuild a value of type `tp` from its JSON form; `where` names the place for errors."""
    return _decoder(tp)(data, where)


Decoder = Callable[[object, str], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """A function that decodes JSON data into `tp`, built once per type.

    A large snapshot rebuilds hundreds of thousands of facts: inspecting the type hints
    once per type instead of once per value keeps loading linear and cheap.
    """
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(tp)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])

        def tuple_of(data: object, where: str) -> Any:
            items = _expect(data, list, where)
            return tuple(item(value, f"{where}[{i}]") for i, value in enumerate(items))

        return tuple_of
    if origin in (dict, Mapping, typing.Mapping):
        value_decoder = _decoder(typing.get_args(tp)[1])

        def mapping_of(data: object, where: str) -> Any:
            obj = _expect(data, dict, where)
            return {str(k): value_decoder(v, f"{where}.{k}") for k, v in obj.items()}

        return mapping_of
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_decoder(tp)
    return _scalar_decoder(tp)


def _union_decoder(tp: Any) -> Decoder:
    options = typing.get_args(tp)
    non_null = [o for o in options if o is not type(None)]
    if len(non_null) != 1:
        raise TypeError(f"unsupported union {tp}")
    inner = _decoder(non_null[0])
    nullable = type(None) in options

    def optional(data: object, where: str) -> Any:
        if data is None and nullable:
            return None
        return inner(data, where)

    return optional


def _enum_decoder(tp: type[enum.Enum]) -> Decoder:
    def member(data: object, where: str) -> Any:
        try:
            return tp(data)
        except ValueError:
            raise SnapshotError(f"{where}: {data!r} is not a valid {tp.__name__}") from None

    return member


def _scalar_decoder(tp: Any) -> Decoder:
    if tp is float:

        def number(data: object, where: str) -> Any:
            if isinstance(data, int | float) and not isinstance(data, bool):
                return float(data)
            raise SnapshotError(f"{where}: expected a number, got {type(data).__name__}")

        return number
    if tp in (str, int, bool):

        def scalar(data: object, where: str) -> Any:
            if isinstance(data, tp) and not (tp is int and isinstance(data, bool)):
                return data
            raise SnapshotError(f"{where}: expected {tp.__name__}, got {type(data).__name__}")

        return scalar
    if tp is Any or tp is object:
        return lambda data, where: data
    raise TypeError(f"unsupported fact type {tp}")


def _plain(tp: Any) -> tuple[type | None, bool]:
    """The exact scalar type a value of `tp` may simply be taken as, and whether None may.

    ``str``, ``int``, ``bool`` and their ``| None`` forms: a value of exactly that type
    (or None when allowed) needs no decoding, so `instance` takes it without building the
    error location its decoder needs. Anything else goes through the decoder.
    """
    nullable = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        non_null = [o for o in options if o is not type(None)]
        if len(non_null) != 1:
            return None, False
        nullable = len(non_null) < len(options)
        tp = non_null[0]
    return (tp if tp in (str, int, bool) else None), nullable


def _dataclass_decoder(cls: type) -> Decoder:
    hints = _hints(cls)
    fields = [
        (
            f.name,
            _decoder(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            *_plain(hints[f.name]),
        )
        for f in dataclasses.fields(cls)
    ]
    names = frozenset(name for name, *_ in fields)

    def instance(data: object, where: str) -> Any:
        obj = _expect(data, dict, where)
        kwargs: dict[str, Any] = {}
        for name, decode, required, plain, nullable in fields:
            if name in obj:
                value = obj[name]
                # `type(...) is` and not isinstance: True is an int, and is no int fact.
                if (plain is not None and type(value) is plain) or (value is None and nullable):
                    kwargs[name] = value
                else:
                    kwargs[name] = decode(value, f"{where}.{name}")
            elif required:
                raise SnapshotError(f"{where}: missing field {name!r}")
        if len(obj) > len(kwargs):
            unknown = set(obj) - names
            if unknown:
                raise SnapshotError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        return cls(**kwargs)

    return instance


def _expect(data: object, tp: type, where: str) -> Any:
    if not isinstance(data, tp):
        raise SnapshotError(f"{where}: expected {tp.__name__}, got {type(data).__name__}")
    return data
