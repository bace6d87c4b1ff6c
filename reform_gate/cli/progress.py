"""A progress line on stderr for long batches: only on a terminal, and only once it is worth it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

from ..safe_text import printable

__all__ = ["Progress"]


class Progress:
    """``scoring 120/500 proposals/x.toml`` redrawn in place, then erased.

    Silent when ``stream`` is not a terminal (CI logs, pipes) or ``TERM`` is ``dumb``, with ``-q``
    (the command turns it off), and for short batches: it shows
    only when there are more than ``min_files`` files or the batch has taken ``min_seconds``.
    """

    def __init__(
        self,
        total: int,
        stream: TextIO | None = None,
        *,
        min_files: int = 50,
        min_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.min_files = min_files
        self.min_seconds = min_seconds
        self.clock = clock
        # TERM=dumb gets no control sequence at all, and a progress line is made of them.
        self.enabled = _isatty(self.stream) and os.environ.get("TERM") != "dumb"
        self.shown = False
        self._start = clock()
        self._last = float("-inf")

    def step(self, done: int, label: str = "") -> None:
        """Report that ``done`` of ``total`` files are finished (``label``: the current one)."""
        if not self.enabled:
            return
        now = self.clock()
        if not self.shown and self.total <= self.min_files and now - self._start < self.min_seconds:
            return
        if self.shown and now - self._last < 0.1 and done < self.total:
            return
        self._last = now
        self.shown = True
        label = printable(label)  # a file name: it may hold anything but a slash
        if len(label) > 50:
            label = "..." + label[-47:]
        self.stream.write(f"\rscoring {done}/{self.total} {label}\x1b[K")
        self.stream.flush()

    def on_file(self, done: int, total: int, label: str) -> None:
        """:meth:`step`, for :func:`reform_gate.batch.score_files`'s ``on_file``."""
        self.total = total
        self.step(done, label)

    def close(self) -> None:
        """Erase the line, so what follows starts clean."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
