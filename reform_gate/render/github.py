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
and ``,`` in the properties (``file``, ``line``, ``title``).
"""

from __future__ import annotations

from typing import TextIO

from ..model import OUTCOMES, below
from ..requirements import shortfall
from ..verdict import Verdict
from . import Run
from .shared import blocking_findings, failing_gates, location, num, observed, posix, rule_url


def escape_data(text: str) -> str:
    """A message as a workflow command carries it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file``, ``title``) as a workflow command carries it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, file: str | None = None, line: int | None = None, title: str = "") -> str:
    """One workflow command line: ``::level file=..,line=..,title=..::message``."""
    props = []
    if file:
        props.append(f"file={escape_property(posix(file))}")
        if line is not None:
            props.append(f"line={line}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{escape_data(message)}\n"


def _verdict(v: Verdict, run: Run, out: TextIO) -> None:
    failing = below(v.outcome, run.fail_below)
    level = "error" if failing else "warning"
    gates = {f.rule for f in failing_gates(v)}
    tier = v.requested_tier
    for f in blocking_findings(v):
        file, line = location(v, f)
        what = f"gate {f.rule} blocks {tier}" if f.rule in gates else f"{f.rule} needed for {tier}"
        message = f"{v.proposal} ({v.outcome}): {f.title}. Observed {observed(f)}; needs {f.needed}."
        if f.remedy.strip():
            message += f"\nRemedy: {f.remedy.strip()}"
        page = rule_url(run.rule_docs, f.rule)
        if page is not None:
            message += f"\nRule page: {page}"
        out.write(command(level if f.rule in gates else "warning", message, file, line, f"reform-gate: {what}"))
    for r in v.blocking:
        if r.kind == "gate":
            continue
        file, line = location(v)
        message = f"{v.proposal} ({v.outcome}): {shortfall(r)}."
        out.write(command(level, message, file, line, f"reform-gate: {tier} requirement fails"))


def render(run: Run, out: TextIO) -> None:
    """Write the run as GitHub workflow-command annotations."""
    for v in run.verdicts:
        _verdict(v, run, out)
    for e in run.errors:
        out.write(command("error", e.render(), e.file, e.line, f"reform-gate: {e.kind}"))
    counts = {o: sum(1 for v in run.verdicts if v.outcome == o) for o in reversed(OUTCOMES)}
    summary = f"{len(run.verdicts)} scored: " + ", ".join(f"{n} {o}" for o, n in counts.items())
    if run.errors:
        summary += f"; {run.invalid_files} invalid"
    if len(run.verdicts) == 1 and not run.errors:
        v = run.verdicts[0]
        summary = f"{v.proposal}: {v.outcome} (requested {v.requested_tier}, supports "
        summary += f"{v.supported_tier or 'none'}, score {num(v.overall_score)})"
    out.write(command("notice", summary, title="reform-gate"))
