"""Fewer cyclic garbage collections while a live scan collects.

CPython starts a young collection every 700 net container allocations and, every 100 of
those, a full one once the heap has grown by a quarter. A live scan allocates constantly
(each API answer becomes thousands of small objects) while its heap grows by the SDK's
service models, tens of MiB of dicts that every full collection walks again. On a
1,000-resource AWS scan that was about 0.37 s of its 4.9 s of CPU, 0.12 s with a young
threshold of 10,000 (`bench/bench_cpu_per_call.py`), at the same peak memory.

The multipliers are kept, so full collections still happen, only about 14 times more
rarely: clients of accounts an organization scan has finished hold reference cycles, and
those must still be collected while hundreds of accounts go by.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_THRESHOLD = 10_000


@contextlib.contextmanager
def fewer_cyclic_collections(young_threshold: int = YOUNG_THRESHOLD) -> Iterator[None]:
    """Raise the young generation's threshold to `young_threshold` for the block.

    A threshold already higher (an embedding program's choice) is left alone, as is a
    collector switched off; the previous thresholds come back when the block ends.
    """
    before = gc.get_threshold()
    if before[0] == 0 or before[0] >= young_threshold:
        # 0 means automatic collection is off; a higher threshold is someone's choice.
        yield
        return
    gc.set_threshold(young_threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
