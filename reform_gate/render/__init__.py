"""Renderers: one module per output format behind one signature (STYLE 7).

Each module has ``render(run: Run, out: TextIO) -> None``. A :class:`Run` is what one command
produced: the verdicts in input order, and the files that could not be scored.
"""

from __future__ import annotations

from attrs import field, frozen

from ..errors import ReformGateError
from ..verdict import Verdict

__all__ = ["FORMATS", "Run"]

#: Output formats by ``--format`` name -> module under ``reform_gate.render``.
FORMATS = {"text": "text", "json": "json_"}


@frozen
class Run:
    """The verdicts of one command, and the errors of files that could not be scored."""

    verdicts: tuple[Verdict, ...]
    errors: tuple[ReformGateError, ...] = ()
    #: True when the user named exactly one file: renderers then draw one verdict, not a batch.
    single: bool = False
    color: bool = field(default=False)
