"""How a long-running process of the app keeps the garbage collector out of its way."""

from __future__ import annotations

import gc

GC_NEW_OBJECTS = 50_000


def settle_memory() -> None:
    """Once started, move every object so far (modules, Qt wrappers, mappers, the library)
    out of the garbage collector's reach. They live as long as the app, and without this each
    full collection walks them all again: pauses of about 0.1 s measured while results or
    big score sheets are built. And the collector's first pass waits for 50,000 new objects
    rather than 700: a big campaign's read makes hundreds of thousands, none in cycles, and
    the default had it walk them again and again (a tenth of the Results screen's read)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_NEW_OBJECTS, 20, 100)
