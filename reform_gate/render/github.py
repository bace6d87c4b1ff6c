"""GitHub Actions workflow commands: annotations on the proposal files of a pull request.

One annotation per blocking finding: each gate the requested tier needs that fails, and each
other rule that "what it would take" names, at the line of the observation the rule reads (or of
the ``[proposal]`` table when there is none); one per other failing requirement of the tier (a
score minimum, ``min_met``, ``any_of``), at the ``[proposal]`` table; one per invalid file, at the
line of the problem. Levels follow the SARIF format: a failing gate and a failing requirement of
the tier are ``error`` when the outcome is below ``--fail-below`` (the job fails), else
``warning``; the other rules to raise are ``warning``. A last ``notice`` sums up the run. Sample::

    ::error file=seeds/ru-formal-recognition.toml,line=18,title=reform-gate%3A gate CT-1 blocks \
recognition::ru-formal-recognition-2025: Listed terrorist groups ...; observed safe_haven_denied = false; ...

Values are escaped as the runner reads them: ``%``, CR and LF in the message; those and ``:``
and ``,`` in the properties (``file``, ``line``, ``title``). Before that, every string from the
files is made printable (``docs/security.md``): the only line breaks in a message are the ones
written here, and no control character reaches the log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO

from ..errors import ReformGateError
from ..model import OUTCOMES, below
from ..requirements import shortfall
from ..safe_text import UNSAFE, folded, printable
from ..verdict import Verdict
from . import Run
from .shared import blocking_findings, failing_gates, from_root, location, num, observed, printable_data, rule_url

#: Control characters other than CR and LF, which the runner's own escapes carry (a last guard:
#: the strings from the files were made printable before the message was put together).
_CONTROL = re.compile(UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x09\x0b\x0c\x0e-\x1f"))


def _controls(text: str) -> str:
    return _CONTROL.sub(lambda m: printable(m.group()), text)


def escape_data(text: str) -> str:
    """A message as a workflow command carries it."""
    return _controls(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file``, ``title``) as a workflow command carries it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(
    level: str, message: str, file: str | None = None, line: int | None = None, title: str = "", root: str = ""
) -> str:
    """One workflow command line: ``::level file=..,line=..,title=..::message``; ``file`` is
    given from the repository ``root`` ("": the working folder), as GitHub reads it."""
    props = []
    if file:
        props.append(f"file={escape_property(from_root(file, root))}")
        if line is not None:
            props.append(f"line={line}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{escape_data(message)}\n"


def _verdict(v: Verdict, run: Run, out: TextIO) -> None:
    v = printable_data(v)
    failing = below(v.outcome, run.fail_below)
    level = "error" if failing else "warning"
    gates = {f.rule for f in failing_gates(v)}
    tier = v.requested_tier
    for f in blocking_findings(v):
        file, line = location(v, f)
        what = f"gate {f.rule} blocks {tier}" if f.rule in gates else f"{f.rule} needed for {tier}"
        message = f"{v.proposal} ({v.outcome}): {f.title}. Observed {observed(f)}; needs {f.needed}."
        if f.remedy.strip():
            message += f"\nRemedy: {folded(f.remedy)}"
        page = rule_url(run.rule_docs, f.rule)
        if page is not None:
            message += f"\nRule page: {page}"
        level_here = level if f.rule in gates else "warning"
        out.write(command(level_here, message, file, line, f"reform-gate: {what}", run.root))
    for r in v.blocking:
        if r.kind == "gate":
            continue
        file, line = location(v)
        message = f"{v.proposal} ({v.outcome}): {shortfall(r)}."
        out.write(command(level, message, file, line, f"reform-gate: {tier} requirement fails", run.root))


class Writer:
    """Annotations drawn verdict by verdict (:func:`reform_gate.render.open_writer`); the summing
    notice comes last."""

    def __init__(self, run: Run, out: TextIO) -> None:
        self.run = run
        self.out = out
        self.counts = dict.fromkeys(reversed(OUTCOMES), 0)
        self.total = 0
        self.last = ""

    def add(self, v: Verdict) -> None:
        _verdict(v, self.run, self.out)
        self.counts[v.outcome] += 1
        self.total += 1
        # What the notice says when the run scored this one proposal alone.
        self.last = f"{v.proposal}: {v.outcome} (requested {v.requested_tier}, supports "
        self.last += f"{v.supported_tier or 'none'}, score {num(v.overall_score)})"

    def close(self, errors: Sequence[ReformGateError]) -> None:
        out = self.out
        for e in errors:
            out.write(command("error", e.render(), printable(e.file), e.line, f"reform-gate: {e.kind}", self.run.root))
        summary = f"{self.total} scored: " + ", ".join(f"{n} {o}" for o, n in self.counts.items())
        if errors:
            summary += f"; {len({e.file for e in errors})} invalid"
        if self.total == 1 and not errors:
            summary = printable(self.last)
        out.write(command("notice", summary, title="reform-gate"))


def render(run: Run, out: TextIO) -> None:
    """Write the run as GitHub workflow-command annotations."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
