"""Atomic, owner-only file writes: a crash never leaves a truncated report or snapshot."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from scanner.errors import InputFileError


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically with mode 0600 (snapshots reveal estate layout)."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise InputFileError(
            f"{path}: cannot write here ({exc.strerror}); choose another path"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            # The target is a directory, the disk is full...: the user's to fix, not a bug.
            raise InputFileError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


def read_text(path: Path, what: str) -> str:
    """Read a UTF-8 input file, or raise a clear `InputFileError` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{path}: {what} file not found; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: cannot read {what} file ({exc})") from None
