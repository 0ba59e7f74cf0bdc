"""Pausing Python's cycle collector around work that makes millions of objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Work that builds millions of tuples, lists and rows (generated referrals, the statistics'
    reading of every person record) forms no reference cycles, so the cycle collector has
    nothing to find; left on, it rescans the ever-growing set of live objects and costs a fifth
    to a third of the time. Reference counting still frees everything as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
