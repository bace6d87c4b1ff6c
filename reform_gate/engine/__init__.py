"""The engine: a checked proposal and its criteria set in, a verdict out.

It imports only the model, the verdict, the requirements and the small helpers beneath them,
never the loader or a renderer (``docs/architecture.md``). :func:`score` is pure: it reads no
file and no clock, and the same inputs give the same verdict.
"""

from __future__ import annotations

from .score import score

__all__ = ["score"]
