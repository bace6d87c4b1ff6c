"""What the CI formats share: which findings block, where each points, and words for verdicts.

Every format draws "blocking findings" the same way, so a SARIF error, a JUnit failure, a
GitHub annotation and a Markdown bullet always name the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..checks import show_value
from ..numbers import show
from ..verdict import Evidence, Finding, Gap, GapStep, RequirementResult, Verdict

__all__ = [
    "OUTCOME_WORDS",
    "PROBLEM_WORDS",
    "blocking_findings",
    "failing_gates",
    "gap_title",
    "headline",
    "location",
    "num",
    "observed",
    "posix",
    "score_requirements",
    "source_key",
    "sources",
    "step_needs",
    "unreachable",
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
        if v.design_score is None:
            # A set without safeguard pillars judges no design: say nothing about safeguards.
            return f"The evidence supports {reach}."
        return f"The evidence supports {reach}, and the proposal's own safeguards hold."
    if v.outcome == "revise":
        return f"The evidence supports {reach}, but the proposal's own safeguards fall short: revise the proposal."
    if v.outcome == "scale-back":
        return f"The evidence does not support {t}; the highest tier it supports is {s}."
    if v.supported_tier is not None:
        # The ladder does not rise: a higher tier holds although this one and all below it fail.
        return f"The evidence supports neither {t} nor any tier below it."
    # The headline must agree with the gap printed under it: "out of reach" only when it is.
    if v.gap is None:
        return "The evidence supports no tier of engagement."
    if not v.gap.reachable:
        return f"The evidence supports no tier of engagement; {t} is out of reach {unreachable(v)}."
    n = len(v.gap.steps)
    rules = f"{n} rule{'s' if n != 1 else ''}"
    return f"The evidence supports no tier of engagement yet; reaching {t} would take {rules} raised."


def unreachable(v: Verdict) -> str:
    """How far an unreachable gap was tried: every rule, or every rule the set offers as a remedy."""
    if any(not f.in_gap for f in v.findings):
        return "even with every rule open to remedy met"
    return "even with every rule met"


def gap_title(g: Gap) -> str:
    """``3 rules raised to full credit``, or ``3 rules raised, 1 of them only in part``."""
    n = len(g.steps)
    partial = sum(1 for step in g.steps if step.partial)
    rules = f"{n} rule{'s' if n != 1 else ''} raised"
    if not partial:
        return rules + " to full credit"
    return rules + (", only in part" if partial == n else f", {partial} of them only in part")


def step_needs(step: GapStep) -> str:
    """What a step asks for, and for a partial raise the credit that is enough."""
    if step.partial:
        return f"{step.needed} (credit {show(step.credit, 2)} is enough)"
    return step.needed


def source_key(e: Evidence) -> tuple[str, str, str, str]:
    """What makes two observations cite the same source: its words, date, grade and link."""
    return (e.source, e.as_of.isoformat(), e.reliability, e.url or "")


def sources(v: Verdict) -> list[Evidence]:
    """The verdict's sources, each once, in the order the findings first cite them (a bibliography)."""
    seen: dict[tuple[str, str, str, str], Evidence] = {}
    for f in v.findings:
        for e in f.evidence:
            seen.setdefault(source_key(e), e)
    return list(seen.values())


#: How an observation that does not count is flagged, by its problem.
PROBLEM_WORDS = {
    "future": "not yet known",
    "weak": "too weak to count",
    "stale": "stale",
    "stale-unknown": "too old to count",
}


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


def posix(path: str) -> str:
    """A path with forward slashes, as CI systems expect."""
    return Path(path).as_posix() if path else path
