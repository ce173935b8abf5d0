"""Fewer glibc malloc arenas for the scan's worker threads.

glibc gives each thread that allocates while another holds the main arena an arena of its
own, up to eight per core. A live scan runs 16 workers whose SDK clients parse answers and
build requests in C (SSL, zlib, JSON) outside the interpreter lock, so the process ends up
with a dozen arenas, each holding freed memory it cannot hand to the others: on a
1,000-resource AWS scan the peak RSS is about 138 MiB with the default and 110 MiB with
two arenas, at the same CPU per call (`bench/bench_cpu_per_call.py`). Python's own small
objects come from its arena allocator under the interpreter lock either way.
"""

from __future__ import annotations

import ctypes
import os
import sys

# mallopt's parameter number for the arena limit (<malloc.h>: M_ARENA_MAX).
M_ARENA_MAX = -8
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas at `arenas`; whether the cap was set.

    Left alone when ``MALLOC_ARENA_MAX`` is set (the operator's choice wins) and off glibc
    (another C library has no such knob, and its `mallopt`, if any, means other things).
    Call it before threads start: arenas already made stay.
    """
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(None)
        if not libc.gnu_get_libc_version:
            return False
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        # Not glibc (musl has no gnu_get_libc_version), or no C library to ask.
        return False
