"""Renderers: one module per output format behind one signature (STYLE 7).

Each module has ``render(run: Run, out: TextIO) -> None``. A :class:`Run` is what one command
produced: the verdicts in input order, and the files that could not be scored. The command line
imports a format's module only when it is asked for (startup time matters in CI).
"""

from __future__ import annotations

from attrs import field, frozen

from ..errors import ReformGateError
from ..model import Outcome
from ..verdict import Verdict

__all__ = ["FORMATS", "Run"]

#: Output formats by ``--format`` name -> module under ``reform_gate.render``.
FORMATS = {
    "text": "text",
    "json": "json_",
    "markdown": "markdown",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
}


@frozen
class Run:
    """The verdicts of one command, and the errors of files that could not be scored."""

    verdicts: tuple[Verdict, ...]
    errors: tuple[ReformGateError, ...] = ()
    #: True when the user named exactly one file: renderers then draw one verdict, not a batch.
    single: bool = False
    color: bool = field(default=False)
    #: The least outcome that passes (``--fail-below``): formats that pass or fail (JUnit) follow it.
    fail_below: Outcome = "supported"
    #: Where each rule's page lives: ``<rule_docs><RULE-ID>.md`` (a path from the repository root or a URL).
    rule_docs: str = "docs/rules/"
