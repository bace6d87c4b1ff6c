"""What the CI formats share: which findings block, where each points, and words for verdicts.

Every format draws "blocking findings" the same way, so a SARIF error, a JUnit failure, a
GitHub annotation and a Markdown bullet always name the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..checks import show_value
from ..files import rule_page_url
from ..numbers import show
from ..verdict import Evidence, Finding, RequirementResult, Verdict

__all__ = [
    "OUTCOME_WORDS",
    "blocking_findings",
    "elsewhere",
    "failing_gates",
    "headline",
    "location",
    "num",
    "observed",
    "posix",
    "rule_url",
    "score_requirements",
]

OUTCOME_WORDS = {"supported": "Supported", "revise": "Revise", "scale-back": "Scale back", "rejected": "Rejected"}


def num(x: float) -> str:
    """A score as every output shows it: one decimal (``docs/scoring.md``, "Scores")."""
    return show(x, 1)


def headline(v: Verdict, name: Callable[[str], str] = str, upto: bool = True) -> str:
    """The verdict in one sentence; ``name`` draws a tier's id (Markdown makes it bold).

    With ``upto``, a supported or revised proposal whose evidence reaches higher than the tier it
    asks for says how high.
    """
    t, s = name(v.requested_tier), name(v.supported_tier or "none")
    reach = t if v.supported_tier == v.requested_tier or not upto else f"{t} (and up to {s})"
    if v.outcome == "supported":
        return f"The evidence supports {reach}, and the proposal's own safeguards hold."
    if v.outcome == "revise":
        return f"The evidence supports {reach}, but the proposal's own safeguards fall short: revise the proposal."
    if v.outcome == "scale-back":
        return f"The evidence does not support {t}; the highest tier it supports is {s}."
    return f"The evidence supports no tier of engagement; {t} is out of reach."


def observed(f: Finding) -> str:
    """The finding's counted observations, or why there are none."""
    seen = ", ".join(f"{e.indicator} = {show_value(e.value)}" for e in f.evidence if e.counted)
    return seen or "no usable evidence"


def failing_gates(v: Verdict) -> list[Finding]:
    """Gates the requested tier needs that fail."""
    gates = [r.subject for r in v.blocking if r.kind == "gate"]
    return [v.finding(g) for g in gates]


def blocking_findings(v: Verdict) -> list[Finding]:
    """The rules that stand between the proposal and its tier, in the order to fix them.

    Failing gates of the requested tier first, then the other rules of the gap (the fewest rules
    to raise so that every requirement holds). Empty when the outcome is ``supported``.
    """
    out = failing_gates(v)
    seen = {f.rule for f in out}
    for step in v.gap.steps if v.gap else ():
        if step.rule not in seen:
            seen.add(step.rule)
            out.append(v.finding(step.rule))
    return out


def score_requirements(v: Verdict) -> list[RequirementResult]:
    """Blocking requirements that are not a single gate: score minimums, ``min_met``, ``any_of``."""
    return [r for r in v.blocking if r.kind != "gate"]


def location(v: Verdict, f: Finding | None = None) -> tuple[str, int | None]:
    """Where a finding points in the proposal: its first observation, else the ``[proposal]`` table."""
    line = f.line if f is not None and f.line is not None else v.line
    return v.file, line


def rule_url(base: str | None, rule: str) -> str | None:
    """The page of ``rule`` under ``--rule-docs BASE``: ``BASE + RULE-ID + .md``, or ``None`` without a base.

    Every format links through this one function, so that a SARIF ``helpUri``, a Markdown link, a
    JUnit detail, an annotation and a GitLab issue name the same page (and so does the rule
    catalogue, through :func:`reform_gate.files.rule_page_url`). ``BASE`` is an absolute URL (the
    command line checks it); a ``/`` is put after it when it has none. The page name is the one
    :mod:`reform_gate.authoring.rule_docs` writes.
    """
    return rule_page_url(base, rule)


def elsewhere(v: Verdict, e: Evidence) -> str | None:
    """``file:line`` of an entry written outside the proposal (in an evidence file), else ``None``.

    A finding always points into the proposal (``location``); an entry from an evidence file
    points there too, at the ``proposal.evidence`` element that reads it, and the formats name the
    evidence file's own place beside it (``docs/output-formats.md``, "Locations").
    """
    if not e.file or e.file == v.file:
        return None
    return posix(e.file) + (f":{e.line}" if e.line is not None else "")


def posix(path: str) -> str:
    """A path with forward slashes, as CI systems expect."""
    return Path(path).as_posix() if path else path
