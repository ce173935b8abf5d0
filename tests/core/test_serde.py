"""Fact (de)serialisation: round trips, and clear errors that name the place."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from scanner.errors import SnapshotError
from scanner.serde import from_json, to_json


class Mode(enum.StrEnum):
    ON = "on"
    OFF = "off"


@dataclass(frozen=True)
class Inner:
    name: str
    ratio: float


@dataclass(frozen=True)
class Outer:
    flag: bool | None
    count: int
    mode: Mode
    items: tuple[Inner, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    optional: Inner | None = None


SAMPLE = Outer(
    flag=None,
    count=3,
    mode=Mode.OFF,
    items=(Inner("a", 0.5), Inner("b", 2.0)),
    labels={"z": "1", "a": "2"},
    optional=Inner("c", 1.0),
)


def test_round_trip_keeps_none_distinct_from_false() -> None:
    data = to_json(SAMPLE)
    assert data == {
        "flag": None,
        "count": 3,
        "mode": "off",
        "items": [{"name": "a", "ratio": 0.5}, {"name": "b", "ratio": 2.0}],
        "labels": {"a": "2", "z": "1"},
        "optional": {"name": "c", "ratio": 1.0},
    }
    assert from_json(Outer, data, "x") == SAMPLE
    assert from_json(Outer, {**data, "flag": False}, "x").flag is False


def test_integers_are_accepted_where_floats_are_expected() -> None:
    assert from_json(Inner, {"name": "a", "ratio": 1}, "x") == Inner("a", 1.0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "a"}, "x: missing field 'ratio'"),
        ({"name": "a", "ratio": 1.0, "extra": 1}, "x: unknown field(s) extra"),
        ({"name": 5, "ratio": 1.0}, "x.name: expected str, got int"),
        ({"name": "a", "ratio": "high"}, "x.ratio: expected a number, got str"),
        ([], "x: expected dict, got list"),
    ],
)
def test_errors_name_the_place(data: object, message: str) -> None:
    with pytest.raises(SnapshotError) as caught:
        from_json(Inner, data, "x")
    assert str(caught.value) == message


def test_bad_enum_and_bool_for_int() -> None:
    base = to_json(SAMPLE)
    assert isinstance(base, dict)
    with pytest.raises(SnapshotError, match=r"x.mode: 'maybe' is not a valid Mode"):
        from_json(Outer, {**base, "mode": "maybe"}, "x")
    with pytest.raises(SnapshotError, match=r"x.count: expected int, got bool"):
        from_json(Outer, {**base, "count": True}, "x")
