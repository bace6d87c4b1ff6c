"""The engine: a checked proposal and its criteria set in, a verdict out.

It imports only the model, the verdict, the requirements and the small helpers beneath them,
never the loader or a renderer (``docs/architecture.md``). :func:`score` is pure: it reads no
file and no clock, and the same inputs give the same verdict. :func:`timeline` and
:func:`record_on` read the record over time (:mod:`.history`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .score import score

if TYPE_CHECKING:
    from .history import change_points, dates_between, record_on, timeline

__all__ = ["change_points", "dates_between", "record_on", "score", "timeline"]

#: The record over time (:mod:`.history`, and with it :mod:`reform_gate.history`) is imported only
#: when one of these is first used: scoring one file does without it (start-up time).
_LATER = {"change_points", "dates_between", "record_on", "timeline"}


def __getattr__(name: str) -> Any:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(".history", __name__), name)
    globals()[name] = value
    return value
