"""Renderers: one module per output format behind one signature.

Each module has ``render(run: Run, out: TextIO) -> None``. A :class:`Run` is what one command
produced: the verdicts in input order, and the problems of the files that could not be scored.
A format's module is imported only when it is asked for (start-up time matters in CI). Adding a
format is one module here and one line in :data:`FORMATS` (``docs/architecture.md``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TextIO

from attrs import field, frozen

from ..errors import ReformGateError
from ..model import Outcome
from ..verdict import Verdict

__all__ = ["FORMATS", "Run", "render_to"]

#: Output formats by ``--format`` name -> module under ``reform_gate.render``.
FORMATS = {
    "text": "text",
    "json": "json_",
    "markdown": "markdown",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "html": "html",
}


def _each_problem(errors: Iterable[ReformGateError]) -> tuple[ReformGateError, ...]:
    return tuple(p for e in errors for p in e.problems())


@frozen
class Run:
    """The verdicts of one command, and the errors of files that could not be scored."""

    verdicts: tuple[Verdict, ...]
    #: Every problem found, one entry each (a file with several problems has several entries).
    errors: tuple[ReformGateError, ...] = field(default=(), converter=_each_problem)
    #: True when the user named exactly one file: renderers then draw one verdict, not a batch.
    single: bool = False
    color: bool = field(default=False)
    #: The least outcome that passes (``--fail-below``): formats that pass or fail (JUnit) follow it.
    fail_below: Outcome = "supported"
    #: Where each rule's page lives: ``<rule_docs><RULE-ID>.md`` (a path from the repository root or a URL).
    rule_docs: str = "docs/rules/"

    @property
    def invalid_files(self) -> int:
        """How many files could not be scored."""
        return len({e.file for e in self.errors})


def render_to(fmt: str, run: Run, out: TextIO, details: bool = False) -> None:
    """Render ``run`` in format ``fmt``; the module is imported only now.

    ``details`` asks the text format to draw every verdict of a batch in full before its table.
    """
    module = importlib.import_module(f".{FORMATS[fmt]}", __name__)
    if fmt == "text" and details and not run.single:
        for v in run.verdicts:
            module.render_verdict(v, out, run.color)
    module.render(run, out)
