"""Renderers: one module per output format behind one signature.

Each module has ``render(run: Run, out: TextIO) -> None``. A :class:`Run` is what one command
produced: the verdicts in input order, and the problems of the files that could not be scored.
Each module also has a ``Writer(run, out)``: the same output drawn verdict by verdict
(:meth:`Writer.add`), then finished with the errors (:meth:`Writer.close`), so that a batch
never holds its verdicts, whatever its size; ``render`` is a writer fed ``run.verdicts``. For a
writer the run gives the options (``single``, ``fail_below``, ...), not the verdicts.
A format's module is imported only when it is asked for (start-up time matters in CI). Adding a
format is one module here and one line in :data:`FORMATS` (``docs/architecture.md``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from typing import Protocol, TextIO

from attrs import field, frozen

from ..errors import ReformGateError
from ..model import Outcome
from ..verdict import Verdict

__all__ = ["FORMATS", "Run", "Writer", "open_writer", "render_to", "shows_gap"]

#: Output formats by ``--format`` name -> module under ``reform_gate.render``.
FORMATS = {
    "text": "text",
    "json": "json_",
    "markdown": "markdown",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "html": "html",
    "gitlab": "gitlab",
}


def shows_gap(fmt: str, single: bool, details: bool = False) -> bool:
    """Whether the writer of ``fmt`` reads what it would take (a verdict's ``gap`` and
    ``gap_to_supported``), so that a run whose formats all leave it out can score without it.

    Every format shows it, in a finding's level or in the verdict drawn in full, except the text
    summary table of a batch (``single`` false, without ``details``), which shows each proposal's
    outcome, tiers and score (``docs/performance.md``).
    """
    return not (fmt == "text" and not single and not details)


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
    #: ``--rule-docs``: the absolute URL under which each rule's page is ``<RULE-ID>.md``; ``None``: no links
    #: (:func:`reform_gate.render.shared.rule_url` builds them).
    rule_docs: str | None = None
    #: The repository root, which SARIF and GitHub annotations give paths from ("": the working folder).
    root: str = ""

    @property
    def invalid_files(self) -> int:
        """How many files could not be scored."""
        return len({e.file for e in self.errors})


class Writer(Protocol):
    """A format drawn verdict by verdict: ``add`` each verdict, then ``close`` with the errors."""

    def add(self, verdict: Verdict) -> None:
        """Draw (or set aside, on disk) one more verdict."""

    def close(self, errors: Sequence[ReformGateError]) -> None:
        """Finish the output: the errors, and whatever waits for the end of the run."""


def open_writer(fmt: str, run: Run, out: TextIO, details: bool = False) -> Writer:
    """A :class:`Writer` for format ``fmt`` to ``out``; the module is imported only now.

    ``run`` gives the options; ``details`` asks the text format to draw every verdict of a batch
    in full before its table.
    """
    module = importlib.import_module(f".{FORMATS[fmt]}", __name__)
    if fmt == "text":
        return module.Writer(run, out, details)  # type: ignore[no-any-return]
    return module.Writer(run, out)  # type: ignore[no-any-return]


def render_to(fmt: str, run: Run, out: TextIO, details: bool = False) -> None:
    """Render ``run`` in format ``fmt`` (through its writer).

    ``details`` asks the text format to draw every verdict of a batch in full before its table.
    """
    writer = open_writer(fmt, run, out, details)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
