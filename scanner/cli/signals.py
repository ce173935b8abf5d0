"""Ctrl-C and SIGTERM: stop within two seconds, leave no temporary file, exit 130 / 143.

The first signal raises `Interrupted` in the main thread, so the command unwinds (an
atomic write removes its temporary file) while pending collector work is cancelled; a
watchdog ends the process if unwinding takes longer than `GRACE_SECONDS` (a call stuck
in a worker thread). A second signal ends the process at once. Either way every temporary
file still being written is removed first.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, NoReturn

from scanner.fileio import remove_temporary_files

GRACE_SECONDS = 1.5


class Interrupted(BaseException):
    """The process got SIGINT or SIGTERM; `code` is the exit code (128 + signal number).

    A `BaseException`, like `KeyboardInterrupt`, so that no `except Exception` in a
    collector or rule can swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.code = 128 + signum


def exit_now(code: int, message: str) -> NoReturn:
    """Remove temporary files, say why on stderr and end the process without unwinding.

    `os._exit`, because worker threads blocked in a network call would otherwise hold
    the interpreter's exit for as long as their call takes.
    """
    remove_temporary_files()
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def _handler() -> Callable[[int, FrameType | None], Any]:
    received: list[int] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if received:
            exit_now(128 + signum, f"hipaa-scan: {name} again: stopped at once")
        received.append(signum)
        watchdog = threading.Timer(
            GRACE_SECONDS, exit_now, (128 + signum, f"hipaa-scan: {name}: stopped")
        )
        watchdog.daemon = True
        watchdog.start()
        raise Interrupted(signum)

    return handle


@contextmanager
def handling_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handle = _handler()
    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
