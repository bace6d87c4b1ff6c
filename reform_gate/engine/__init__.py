"""The engine: a checked proposal and its criteria set in, a verdict out.

It imports only the model, the verdict, the requirements and the small helpers beneath them,
never the loader or a renderer (``docs/architecture.md``). :func:`score` is pure: it reads no
file and no clock, and the same inputs give the same verdict. :func:`timeline` and
:func:`record_on` read the record over time (:mod:`.history`).
"""

from __future__ import annotations

from .history import change_points, dates_between, record_on, timeline
from .score import score

__all__ = ["change_points", "dates_between", "record_on", "score", "timeline"]
