"""Owner-only file writes that never clobber: atomic for files, direct for devices and FIFOs.

A report or snapshot path is checked before any collection starts (`check_output`), so a
typo costs a second, not an hour-long organization scan. Regular files are replaced
atomically (a crash, a full disk or a signal never leaves a truncated report, and the
temporary file is removed); a symlink is followed and its target replaced; a character
device (``/dev/stdout``) or a FIFO is written directly, never replaced by a regular file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from scanner.errors import InputFileError, UsageError

# Temporary files being written right now: a signal handler removes them before the
# process ends without unwinding (`remove_temporary_files`).
_LIVE: set[str] = set()
_LIVE_LOCK = threading.Lock()


def _resolved(path: Path) -> Path:
    # Through every symlink: the target is what gets written.
    return Path(os.path.realpath(path))


def check_output(path: Path, flag: str) -> None:
    """A `UsageError` unless `path` can be written (checked before a scan starts)."""
    target = _resolved(path)
    if target.is_dir():
        raise UsageError(f"{flag} {path}: is a directory; give a file name")
    if target.exists() and not target.is_file():
        if not os.access(target, os.W_OK):
            raise UsageError(f"{flag} {path}: not writable")
        return
    directory = target.parent
    if not directory.is_dir():
        raise UsageError(f"{flag} {path}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {path}: directory {directory} is not writable")


def check_distinct(outputs: Iterable[tuple[str, Path]], inputs: Iterable[Path] = ()) -> None:
    """A `UsageError` when two outputs, or an output and an input, are the same file."""
    seen: dict[Path, str] = {}
    for path in inputs:
        seen[_resolved(path)] = f"input {path}"
    for flag, path in outputs:
        key = _resolved(path)
        other = seen.get(key)
        if other is not None:
            raise UsageError(
                f"{flag} {path} is the same file as {other}; each output needs "
                "its own path, never an input's"
            )
        seen[key] = f"{flag} {path}"


def write_private(path: Path, text: str | Iterable[str]) -> None:
    """Write `text` to `path` with mode 0600 (snapshots reveal estate layout).

    `text` is a string or an iterable of pieces (a streamed report), written as they come;
    a piece that raises leaves no file behind. A regular file (or a new one) is replaced
    atomically; a device or FIFO is written in place; a symlink is followed to its target.
    """
    target = _resolved(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot write ({exc.strerror or exc})") from None
    if mode is not None and not stat.S_ISREG(mode):
        _write_special(path, target, text)
    else:
        _write_atomic(path, target, text)


def _write_pieces(handle: TextIO, text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        handle.write(text)
        return
    for piece in text:
        handle.write(piece)


def _write_special(path: Path, target: Path, text: str | Iterable[str]) -> None:
    if stat.S_ISDIR(target.stat().st_mode):
        raise InputFileError(f"{path}: is a directory; give a file name")
    try:
        with open(target, "w", encoding="utf-8") as handle:
            _write_pieces(handle, text)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _write_atomic(path: Path, target: Path, text: str | Iterable[str]) -> None:
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise InputFileError(
            f"{path}: cannot write here ({exc.strerror}); choose another path"
        ) from None
    with _LIVE_LOCK:
        _LIVE.add(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            _write_pieces(handle, text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            # The disk is full, the directory vanished...: the user's to fix, not a bug.
            raise InputFileError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(tmp_name)


def remove_temporary_files() -> None:
    """Remove every temporary file still being written (called when a signal ends us)."""
    with _LIVE_LOCK:
        names = list(_LIVE)
        _LIVE.clear()
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(name)


def read_text(path: Path, what: str) -> str:
    """Read a UTF-8 input file, or raise a clear `InputFileError` naming it."""
    return decode_text(read_bytes(path, what), path, what)


def read_bytes(path: Path, what: str) -> bytes:
    """Read an input file's bytes, or raise a clear `InputFileError` naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: {what} file not found; check the path") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read {what} file ({exc})") from None


def decode_text(data: bytes, path: Path, what: str) -> str:
    """`data` read from `path` as UTF-8, or a clear `InputFileError` naming the file."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: cannot read {what} file ({exc})") from None
