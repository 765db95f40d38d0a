"""Pausing the cyclic garbage collector during bulk construction.

Building a graph or a plan allocates many small containers that all stay alive; CPython's
collector keeps re-scanning them as they survive generations, which costs up to half of the
build time of a large graph. Pausing it for those phases (and restoring the caller's setting)
changes nothing else: reference counting still frees everything that is not cyclic garbage.
"""

from __future__ import annotations

import gc


class collector_paused:
    """Disable the cyclic GC inside the block; re-enable it after, if it was enabled.

    A class rather than ``contextlib.contextmanager``: ``contextlib`` is not otherwise needed
    when importing hamilton.
    """

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._was_enabled:
            gc.enable()
