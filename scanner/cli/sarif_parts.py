"""The files of a split SARIF: their names, and the stale parts an earlier run left.

A SARIF written with ``-o hipaa.sarif`` is ``hipaa.sarif``, then ``hipaa.2.sarif``,
``hipaa.3.sarif``... A run that writes fewer parts than an earlier one would leave the
earlier run's higher parts beside its own, and a CI job that uploads ``hipaa*.sarif``
would upload another day's findings (alerts that were fixed would reopen). After a
successful write, `remove_stale_parts` removes them, but only what is certainly ours:
a regular file (never through a symlink) named exactly like a part of this output and
whose first and last bytes are those of a SARIF part hipaa-scan writes. Anything else
named like a part is left alone and returned, for the caller to report.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from scanner.fileio import read_ends
from scanner.output.sarif import SNIFF_HEAD_BYTES, SNIFF_TAIL_BYTES, written_by_hipaa_scan


@dataclass(frozen=True)
class Leftover:
    """A file named like a stale part that was left in place, and why."""

    path: Path
    reason: str


def sarif_part_paths(target: Path, parts: int) -> list[Path]:
    """Where the parts of a split SARIF go: the target, then ``<stem>.2<suffix>``..."""
    return [
        target,
        *(target.with_name(f"{target.stem}.{n}{target.suffix}") for n in range(2, parts + 1)),
    ]


def part_number(target: Path, name: str) -> int | None:
    """The part number (2 or more) `name` has as a part of `target`, else None.

    Exactly the names `sarif_part_paths` makes: ``hipaa.02.sarif``, ``hipaa.1.sarif``,
    ``hipaa.2.sarif.bak`` or ``other.2.sarif`` are not parts of ``hipaa.sarif``.
    """
    pattern = rf"{re.escape(target.stem)}\.([2-9]|[1-9][0-9]+){re.escape(target.suffix)}"
    found = re.fullmatch(pattern, name)
    return int(found.group(1)) if found else None


def remove_stale_parts(target: Path, written: Collection[Path]) -> list[Leftover]:
    """Remove the parts of `target` an earlier run wrote and this one (`written`) did not.

    Returns what looked stale but was left in place (a symlink, a directory, a file that
    is not hipaa-scan's SARIF, one that could not be read or removed), in part order.
    """
    directory = target.parent
    mine = {path.name for path in written}
    try:
        with os.scandir(directory) as entries:
            names = [e.name for e in entries if e.name not in mine]
    except OSError as exc:
        return [Leftover(directory, f"cannot list the directory ({exc.strerror or exc})")]
    numbered = sorted(
        (number, name) for name in names if (number := part_number(target, name)) is not None
    )
    leftovers = []
    for _, name in numbered:
        path = directory / name
        reason = _remove_if_ours(path)
        if reason is not None:
            leftovers.append(Leftover(path, reason))
    return leftovers


def _remove_if_ours(path: Path) -> str | None:
    """Remove `path` if it is a SARIF part hipaa-scan wrote; else why it was left."""
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot inspect it ({exc.strerror or exc})"
    if stat.S_ISLNK(before.st_mode):
        return "it is a symbolic link (never followed)"
    if not stat.S_ISREG(before.st_mode):
        return "it is not a regular file"
    try:
        ends = read_ends(path, before, max(SNIFF_HEAD_BYTES, SNIFF_TAIL_BYTES))
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if ends is None:
        return "it changed while it was being checked"
    if not written_by_hipaa_scan(*ends):
        return "it is not a SARIF part written by hipaa-scan"
    try:
        os.unlink(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot remove it ({exc.strerror or exc})"
    return None
