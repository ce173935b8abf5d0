"""A report is written whole or not at all: stdout, a file, a FIFO, when encoding fails."""

from __future__ import annotations

import errno
import io
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.fileio import read_ends
from scanner.model import Finding
from scanner.output import json_report
from tests.core.test_cli_errors import run

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "snapshots" / "demo-aws.json"
BROKEN = "hipaa-scan: internal error: RuntimeError: the encoder broke at finding 12"


@pytest.fixture
def broken_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Encoding fails at the 12th finding, after two batches of 5 were already yielded."""
    real = json_report.encode_finding
    calls = 0

    def encode(finding: Finding) -> str:
        nonlocal calls
        calls += 1
        if calls == 12:
            raise RuntimeError("the encoder broke at finding 12")
        return real(finding)

    monkeypatch.setattr(json_report, "_BATCH", 5)
    monkeypatch.setattr(json_report, "encode_finding", encode)


def evaluate_json(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    return run(["evaluate", str(SNAPSHOT), "--quiet", "-f", "json", *extra], capsys)


def test_the_json_report_on_stdout_is_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_report, "_BATCH", 5)  # the same pieces as the failing runs
    code, out, err = evaluate_json(capsys)
    assert (code, err) == (1, "")
    document = json.loads(out)
    assert len(document["findings"]) > 12
    _, whole, _ = evaluate_json(capsys, "-o", "-")
    assert whole == out


@pytest.mark.usefixtures("broken_encoder")
@pytest.mark.parametrize("target", [(), ("-o", "-")], ids=["default", "dash"])
def test_a_json_report_that_fails_half_way_leaves_stdout_empty(
    capsys: pytest.CaptureFixture[str], target: tuple[str, ...]
) -> None:
    code, out, err = evaluate_json(capsys, *target)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"{BROKEN} (set HIPAA_SCAN_DEBUG=1 for the traceback, and please report it)"
    ]


@pytest.mark.usefixtures("broken_encoder")
@pytest.mark.parametrize("earlier", [None, "yesterday's report\n"], ids=["new", "existing"])
def test_a_json_file_that_fails_half_way_is_not_left_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], earlier: str | None
) -> None:
    path = tmp_path / "report.json"
    if earlier is not None:
        path.write_text(earlier)
    code, out, err = evaluate_json(capsys, "-o", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(BROKEN) and len(err.splitlines()) == 1
    # No partial file and no temporary file; an earlier report is untouched.
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if earlier is None else [path.name])
    if earlier is not None:
        assert path.read_text() == earlier


def read_fifo(fifo: Path, into: list[bytes]) -> Callable[[], None]:
    """A reader of `fifo` on a thread; the returned function ends it and waits for it."""

    def reader() -> None:
        with open(fifo, "rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()

    def finish() -> None:
        # Open the write end once ourselves (the reader may still wait for a writer), so
        # the reader sees end of file whatever the run did.
        deadline = time.monotonic() + 10
        while thread.is_alive() and time.monotonic() < deadline:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                break
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                time.sleep(0.02)
        thread.join(10)
        assert not thread.is_alive()

    return finish


def json_into_fifo(
    fifo: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str, list[bytes]]:
    """The JSON report written to a new FIFO at `fifo`: exit code, stdout, stderr, bytes read."""
    os.mkfifo(fifo)
    got: list[bytes] = []
    finish = read_fifo(fifo, got)
    code, out, err = evaluate_json(capsys, "-o", str(fifo))
    finish()
    return code, out, err, got


def test_a_fifo_gets_the_whole_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err, got = json_into_fifo(tmp_path / "report.fifo", capsys)
    assert (code, err) == (1, "")
    _, out, _ = evaluate_json(capsys)
    assert got == [out.encode()]


@pytest.mark.usefixtures("broken_encoder")
def test_a_fifo_gets_nothing_when_the_json_report_fails_half_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "report.fifo"
    code, out, err, got = json_into_fifo(fifo, capsys)
    assert (code, out) == (2, "")
    assert err.startswith(BROKEN) and len(err.splitlines()) == 1
    assert got == [b""]
    assert fifo.exists()  # a FIFO is never replaced


class FullDisk(io.BytesIO):
    """A temporary file on a disk that fills after the first write."""

    def write(self, data: bytes, /) -> int:  # type: ignore[override]
        if self.tell():
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            "refused",
            "hipaa-scan: error: stdout: cannot make a temporary file (Permission denied)",
        ),
        (
            "full",
            "hipaa-scan: error: stdout: cannot write the temporary file (No space left on "
            "device); set TMPDIR to a directory with room",
        ),
    ],
)
def test_a_temporary_file_that_fails_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, make: str, message: str
) -> None:
    def temporary_file() -> io.BytesIO:
        if make == "refused":
            raise PermissionError(errno.EACCES, "Permission denied")
        return FullDisk()

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    code, out, err = evaluate_json(capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [message]


def test_read_ends_reads_the_ends_of_the_file_it_was_told_of(tmp_path: Path) -> None:
    path, other = tmp_path / "a", tmp_path / "b"
    path.write_bytes(b"0123456789" * 10)
    other.write_bytes(b"x")
    assert read_ends(path, os.lstat(path), 4) == (b"0123", b"6789")
    assert read_ends(other, os.lstat(other), 4) == (b"x", b"x")
    # Swapped since it was looked at: not the file that was checked.
    assert read_ends(path, os.lstat(other), 4) is None
    link = tmp_path / "link"
    link.symlink_to(path)
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        read_ends(link, os.lstat(path), 4)
