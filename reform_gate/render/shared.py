"""What the CI formats share: which findings block, where each points, and words for verdicts.

Every format draws "blocking findings" the same way, so a SARIF error, a JUnit failure, a
GitHub annotation and a Markdown bullet always name the same rules.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

import attrs

from ..files import rule_page_url
from ..numbers import show
from ..safe_text import printable
from ..verdict import Evidence, Finding, Gap, GapStep, RequirementResult, Verdict, observed

__all__ = [
    "OUTCOME_WORDS",
    "PROBLEM_WORDS",
    "Spool",
    "blocking_findings",
    "elsewhere",
    "failing_gates",
    "from_root",
    "gap_title",
    "headline",
    "location",
    "num",
    "observed",
    "posix",
    "printable_data",
    "rule_url",
    "score_requirements",
    "source_key",
    "sources",
    "step_needs",
    "unreachable",
]

T = TypeVar("T")

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
    if v.outside_ladder:
        # A track beside the ladder reads no record (docs/scoring.md, "Tracks outside the ladder").
        if v.outcome == "supported":
            return f"{t} stands beside the ladder and is judged on its design: the proposal's own safeguards hold."
        return f"{t} stands beside the ladder and is judged on its design, which falls short: revise the proposal."
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


def from_root(path: str, root: str = "") -> str:
    """``path`` (as given, from the working folder) from the repository ``root`` ("": the
    working folder), with forward slashes; a path outside it, absolute. Code scanning and
    annotations read paths from the repository root, wherever the command ran."""
    if not path:
        return path
    full = os.path.abspath(path)
    base = os.path.abspath(root or os.curdir)
    try:
        inside = os.path.commonpath([full, base]) == base
    except ValueError:  # another drive
        inside = False
    return Path(os.path.relpath(full, base) if inside else full).as_posix()


def printable_data(value: T) -> T:
    """``value`` with every string in it made printable (:func:`reform_gate.safe_text.printable`).

    A verdict (any attrs object), a tuple, list or dict of them, or diff data: the one place the
    text formats make what came from files safe to print, before drawing it. Objects without a
    string to change are returned as they are.
    """
    return _printable(value)  # type: ignore[no-any-return]


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple | list):
        items = [_printable(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        changed = {k: _printable(v) for k, v in value.items()}
        return value if all(changed[k] is value[k] for k in value) else changed
    if attrs.has(type(value)):
        changes = {}
        for a in attrs.fields(type(value)):
            old = getattr(value, a.name)
            new = _printable(old)
            if new is not old:
                changes[a.name] = new
        return attrs.evolve(value, **changes) if changes else value
    return value


class Spool(Generic[T]):
    """Objects set aside on disk while a batch runs, then read back in the order they came.

    A writer that can only finish at the end of the run (a summary table's widths, SARIF's rule
    catalogue, JUnit's totals, Markdown's worst-first details) keeps its verdicts or rows here,
    not in memory. The temporary file has no name on disk (it is gone when closed, or when the
    process ends however it ends). Read it back once every object is added.
    """

    def __init__(self) -> None:
        # Closed by close(), not by a with-block: it outlives this call.
        self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self.count = 0

    def add(self, item: T) -> None:
        """Set one more object aside."""
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[T]:
        self._file.seek(0)
        for _ in range(self.count):
            item: T = pickle.load(self._file)  # our own file, written just now
            yield item
        self._file.seek(0, 2)

    def close(self) -> None:
        """Drop everything set aside."""
        self._file.close()
