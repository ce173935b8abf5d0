"""A live scan collects with fewer cyclic collections, and gives the thresholds back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from scanner.cli import main
from scanner.cli.gctuning import YOUNG_THRESHOLD, fewer_cyclic_collections
from tests.core.test_provider_seam import toy_registered  # noqa: F401  (fixture: the toy cloud and its rule)
from tests.core.toy_provider import PROVIDER


@pytest.fixture(autouse=True)
def default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_the_young_threshold_is_raised_for_the_block_only() -> None:
    with fewer_cyclic_collections():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_the_thresholds_come_back_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), fewer_cyclic_collections():
        raise RuntimeError("collector crashed")
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("chosen", [(YOUNG_THRESHOLD, 5, 5), (50_000, 20, 30), (0, 10, 10)])
def test_a_higher_or_switched_off_threshold_is_left_alone(chosen: tuple[int, int, int]) -> None:
    gc.set_threshold(*chosen)
    with fewer_cyclic_collections():
        assert gc.get_threshold() == chosen
    assert gc.get_threshold() == chosen


def test_nested_blocks_restore_the_outer_state() -> None:
    with fewer_cyclic_collections(2_000):
        with fewer_cyclic_collections():
            assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
        assert gc.get_threshold() == (2_000, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_scan_command_collects_with_the_raised_threshold(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[tuple[int, int, int]] = []
    real_collect = PROVIDER.collect

    def collect(options: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_threshold())
        return real_collect(options, **kwargs)

    monkeypatch.setattr(PROVIDER, "collect", collect)
    with pytest.raises(SystemExit):
        main(["toy", "--widgets", "1", "--no-progress", "--format", "json", "--quiet"])
    capsys.readouterr()
    assert seen == [(YOUNG_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)
