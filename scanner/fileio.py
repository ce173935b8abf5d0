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
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

from scanner.errors import InputFileError, OutputError, UsageError

# Temporary files being written right now: a signal handler removes them before the
# process ends without unwinding (`remove_temporary_files`).
_LIVE: set[str] = set()
_LIVE_LOCK = threading.Lock()
# A spooled report is copied to its destination in pieces of this size.
COPY_CHUNK = 1 << 20


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
        if isinstance(text, str):
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
            return
        # A device or FIFO cannot be replaced atomically: the stream is made whole first,
        # so a piece that raises leaves nothing written rather than half a document.
        with spool(text, "utf-8", "strict", path) as data, open(target, "wb") as raw:
            shutil.copyfileobj(data, raw, COPY_CHUNK)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot write ({exc.strerror or exc})") from None


def spool(pieces: Iterable[str], encoding: str, errors: str, what: object) -> BinaryIO:
    """`pieces` encoded into an unnamed temporary file, rewound; nothing else is written.

    The file lives in the system's temporary directory (``$TMPDIR``), never beside an
    output, and disappears when closed. If a piece raises, the file is closed and the
    exception goes on: the caller has written nothing yet. Memory stays one piece deep.
    An `OutputError` naming `what` when the temporary file cannot be written.
    """
    try:
        # Returned open: the caller copies it and closes it (a `with` block).
        handle = tempfile.TemporaryFile()  # noqa: SIM115
    except OSError as exc:
        raise OutputError(f"{what}: cannot make a temporary file ({exc.strerror or exc})") from None
    try:
        for piece in pieces:
            handle.write(piece.encode(encoding, errors))
        handle.seek(0)
    except BaseException as exc:
        handle.close()
        if isinstance(exc, OSError):
            raise OutputError(
                f"{what}: cannot write the temporary file ({exc.strerror or exc}); set "
                "TMPDIR to a directory with room"
            ) from None
        raise
    return handle


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


def read_ends(path: Path, expected: os.stat_result, size: int) -> tuple[bytes, bytes] | None:
    """The first and last `size` bytes of the regular file `path`, never through a symlink.

    `expected` is what `os.lstat` said of `path`: None when the file opened is no longer
    that regular file (replaced or swapped for a FIFO in between). An `OSError` when it
    cannot be read. Never reads more than twice `size` bytes, whatever the file's size.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    fd = os.open(path, flags)
    try:
        found = os.fstat(fd)
        same = (found.st_dev, found.st_ino) == (expected.st_dev, expected.st_ino)
        if not same or not stat.S_ISREG(found.st_mode):
            return None
        return os.pread(fd, size, 0), os.pread(fd, size, max(0, found.st_size - size))
    finally:
        os.close(fd)


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
