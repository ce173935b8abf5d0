"""Output files: checked before a scan, never clobbering, no temporary file left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scanner import fileio
from scanner.errors import InputFileError, UsageError
from scanner.fileio import check_distinct, check_output, remove_temporary_files, write_private


def test_a_new_file_is_private_and_complete(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    write_private(target, "{}\n")
    assert target.read_text() == "{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_symlink_keeps_pointing_at_its_rewritten_target(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_private(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.txt"
    target.write_text("old")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_private(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_temporary_files_in_flight_are_removed_on_demand(tmp_path: Path) -> None:
    stray = tmp_path / ".r.txt.abc"
    stray.write_text("partial")
    with fileio._LIVE_LOCK:
        fileio._LIVE.add(str(stray))
    remove_temporary_files()
    assert not stray.exists()


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("missing/r.txt", "does not exist"),
        (".", "is a directory"),
    ],
)
def test_unwritable_outputs_are_usage_errors(tmp_path: Path, relative: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        check_output(tmp_path / relative, "--output")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_directory_is_a_usage_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(UsageError, match="is not writable"):
        check_output(locked / "r.txt", "--output")


def test_outputs_must_differ_from_each_other_and_from_inputs(tmp_path: Path) -> None:
    snapshot = tmp_path / "s.json"
    snapshot.write_text("{}")
    alias = tmp_path / "alias.json"
    alias.symlink_to(snapshot)
    with pytest.raises(UsageError, match="same file as input"):
        check_distinct([("--output", alias)], [snapshot])
    with pytest.raises(UsageError, match="same file as --output"):
        check_distinct([("--output", tmp_path / "a"), ("--snapshot-out", tmp_path / "a")])
    check_distinct([("--output", tmp_path / "a"), ("--snapshot-out", tmp_path / "b")], [snapshot])


def test_a_directory_target_is_an_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="is a directory"):
        write_private(tmp_path, "x")
