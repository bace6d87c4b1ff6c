"""``reform-gate criteria lint``: what is legal in a criteria set but almost surely not meant.

A set that loads is consistent: every id resolves, every number is in range. The lint looks for
what still defeats the author's intent, using the engine's own arithmetic (the standing and the gap
search) and the sets of achievable scores (:mod:`.achievable`). Each finding has an id, the line
and key path it points at, what is wrong, and a fix. The checks, defined precisely in
``docs/cli.md`` ("reform-gate criteria lint"):

====  ========================  ==============================================================
L001  unreachable-tier          a tier no record can reach, even with every rule at full credit
L002  ladder-not-rising         a higher tier asks less than the one below it on the record
L003  waivable-not-gate         ``waivable = true`` on a rule that is not a gate
L004  full-credit-impossible    no value the indicator allows earns the rule full credit
L005  credit-never-zero         every value the indicator allows earns the rule some credit
L006  bar-between-scores        a bar strictly between two achievable values
L007  unread-indicator          an indicator that no rule reads
L008  unused-gate               a gate that no tier names
L009  inert-rule                a rule whose result cannot change any tier
====  ========================  ==============================================================
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

from attrs import frozen

from .. import checks
from ..engine.gap import fewest_rules
from ..engine.standing import Standing, holds_one, measure
from ..errors import ReformGateError
from ..load import load_criteria
from ..load.convert import PathPart, format_path
from ..model import Criteria, RequirementGroup, Rule, Tier
from ..numbers import TOLERANCE, exact, show
from ..requirements import Alternatives, Requirement, TierRequirement, compile_group, compile_tier, feeds, statement
from ..requirements import pillar_total as _pillar_total
from ..safe_text import json_inert, printable
from . import achievable

__all__ = ["CHECKS", "LINT_FORMAT", "Finding", "Report", "lint", "lint_files", "render_json", "render_text"]

#: The ``format`` of the JSON document ``criteria lint --format json`` writes.
LINT_FORMAT = "reform-gate/lint/1"

#: Every finding id: its name and what it means, in one line.
CHECKS: dict[str, tuple[str, str]] = {
    "L001": ("unreachable-tier", "a tier that no record can reach, even with every rule at full credit"),
    "L002": ("ladder-not-rising", "a higher tier asks less of the record than a tier below it"),
    "L003": ("waivable-not-gate", "waivable = true on a rule that is not a gate: a waiver of it changes nothing"),
    "L004": ("full-credit-impossible", "no value the indicator allows earns the rule full credit"),
    "L005": ("credit-never-zero", "every value the indicator allows earns the rule credit"),
    "L006": ("bar-between-scores", "a bar strictly between two achievable values: the next one is the bar in force"),
    "L007": ("unread-indicator", "an indicator that no rule reads"),
    "L008": ("unused-gate", "a gate that no tier names"),
    "L009": ("inert-rule", "a rule whose result cannot change any tier"),
}


@frozen
class Finding:
    """One thing the lint found: where, what, and how to fix it."""

    id: str
    path: str
    line: int | None
    message: str
    fix: str
    #: The key path as parts (``("tiers", 2, "min_pillar", "security")``), for programs.
    keys: tuple[PathPart, ...] = ()
    #: For L006: the value the fix proposes for the bar.
    suggested: float | None = None

    @property
    def name(self) -> str:
        return CHECKS[self.id][0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
            "suggested": self.suggested,
        }


@frozen
class Report:
    """The findings for one criteria file."""

    file: str
    criteria: str
    version: str
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "criteria": self.criteria,
            "version": self.version,
            "findings": [f.to_dict() for f in self.findings],
        }


class _Found:
    """Collects findings for one set, each at the line of its key path."""

    def __init__(self, c: Criteria) -> None:
        self.c = c
        self.items: list[Finding] = []
        self._data = {"rules": [{"id": r.id} for r in c.rules], "tiers": [{"id": t.id} for t in c.tiers]}

    def add(
        self, ident: str, path: Sequence[PathPart], message: str, fix: str, suggested: float | None = None
    ) -> None:
        line = self.c.origin.line(tuple(path)) if self.c.origin is not None else None
        shown = format_path(list(path), self._data)
        self.items.append(Finding(ident, shown, line, message, fix, tuple(path), suggested))


def lint(c: Criteria) -> list[Finding]:
    """Every finding for a loaded criteria set, by line, then id."""
    found = _Found(c)
    _unreachable(c, found)
    _not_rising(c, found)
    _waivable(c, found)
    _credit_bounds(c, found)
    _bars(c, found)
    _unread(c, found)
    _unused_gates(c, found)
    _inert(c, found)
    return sorted(found.items, key=lambda f: (f.line is None, f.line or 0, f.id, f.path))


# --- L001 -------------------------------------------------------------------------------------------


def _all_met(c: Criteria) -> Standing:
    return Standing(c, {r.id: 1.0 for r in c.rules}, {r.id: True for r in c.rules})


def _unreachable(c: Criteria, found: _Found) -> None:
    best = _all_met(c)
    for i, t in enumerate(c.tiers):
        reqs = compile_tier(t, c)
        if fewest_rules(reqs, best).reachable:
            continue
        failing = [r for r in reqs if not holds_one(r, best)]
        words = "; ".join(_at_best(r, best, c) for r in failing)
        empty = sorted(
            {r.subject for r in failing if isinstance(r, Requirement) and r.subject in {p.id for p in c.pillars}}
            - {r.pillar for r in c.rules}
        )
        fix = "lower each bar to at most what full credit gives"
        if empty:
            fix = f"add rules to {', '.join(empty)} (a pillar without rules scores 0), or {fix}"
        found.add(
            "L001", ["tiers", i], f"tier {t.id} can never be reached, even with every rule at full credit: {words}", fix
        )


def _at_best(req: TierRequirement, best: Standing, c: Criteria) -> str:
    if isinstance(req, Alternatives):
        return statement(req, c) + " (no group holds)"
    return f"{statement(req, c)} (at best {show(measure(req, best), 2 if req.kind == 'min_pillar_points' else 1)})"


# --- L002 -------------------------------------------------------------------------------------------


def _bar(req: Requirement, c: Criteria) -> Fraction:
    """A score or pillar requirement's bar as an exact pillar score, points as their share."""
    if req.kind == "min_pillar_points":
        total = _pillar_total(c, req.subject)
        return exact(req.needed) * 100 / total if total > 0 else Fraction(0)
    return exact(req.needed)


def _trivial(req: Requirement, c: Criteria) -> bool:
    return req.kind != "gate" and _bar(req, c) <= 0


def _covers(higher: Sequence[Requirement], req: Requirement, c: Criteria) -> bool:
    """Whether ``higher`` asks at least what ``req`` asks (``docs/cli.md``, L002)."""
    if _trivial(req, c):
        return True
    for h in higher:
        if req.kind == "gate":
            if h.kind == "gate" and h.subject == req.subject:
                return True
        elif req.kind == "min_met":
            if h.kind == "min_met" and set(h.among) <= set(req.among) and h.needed >= req.needed:
                return True
        elif req.kind == "min_score":
            if h.kind == "min_score" and _bar(h, c) >= _bar(req, c):
                return True
        elif h.kind in ("min_pillar", "min_pillar_points") and h.subject == req.subject and _bar(h, c) >= _bar(req, c):
            return True
    return False


def _reform(reqs: list[TierRequirement]) -> tuple[list[Requirement], list[tuple[tuple[Requirement, ...], ...]]]:
    """A tier's reform requirements: its own leaves, and the groups of a reform ``any_of``."""
    own = [r for r in reqs if isinstance(r, Requirement) and r.scope == "reform"]
    groups = [r.groups for r in reqs if isinstance(r, Alternatives) and r.scope == "reform"]
    return own, groups


def _not_rising(c: Criteria, found: _Found) -> None:
    ladder = [(t, _reform(compile_tier(t, c))) for t in c.tiers]
    for (low, (low_own, low_groups)), (i, (high, (high_own, high_groups))) in zip(
        ladder, enumerate(ladder[1:], start=1), strict=False
    ):
        choices = list(itertools.product(*high_groups)) if high_groups else [()]
        missing: dict[str, Requirement] = {}
        alternatives_uncovered = False
        for choice in choices:
            asked = high_own + [r for group in choice for r in group]
            for req in low_own:
                if not _covers(asked, req, c):
                    missing.setdefault(statement(req, c), req)
            for groups in low_groups:
                if not any(all(_covers(asked, r, c) for r in g) for g in groups):
                    alternatives_uncovered = True
        for words in missing:
            found.add(
                "L002",
                ["tiers", i],
                f"tier {high.id} asks less of the record than {low.id} below it: {low.id} needs {words}, "
                f"{high.id} does not",
                f"add {words} (or more) to {high.id}, or lower it in {low.id}",
            )
        if alternatives_uncovered:
            words = " | ".join(" and ".join(statement(r, c) for r in g) for groups in low_groups for g in groups)
            found.add(
                "L002",
                ["tiers", i],
                f"tier {high.id} asks less of the record than {low.id} below it: {low.id} needs one of "
                f"{words}, and {high.id} does not guarantee any of them",
                f"make every way of meeting {high.id} include one of {low.id}'s alternatives",
            )


# --- L003 -------------------------------------------------------------------------------------------


def _waivable(c: Criteria, found: _Found) -> None:
    for i, r in enumerate(c.rules):
        if r.waivable and not r.gate:
            found.add(
                "L003",
                ["rules", i, "waivable"],
                f"rule {r.id} is waivable but not a gate: a waiver only ever lets a gate pass, so it changes nothing",
                f"remove waivable = true, or make {r.id} a gate (gate = true) that a tier names",
            )


# --- L004, L005 -------------------------------------------------------------------------------------


def _leaves(check: checks.Check, path: list[PathPart]) -> list[tuple[checks.Leaf, list[PathPart]]]:
    if isinstance(check, checks.AllOf | checks.AnyOf):
        key = checks.key_of(check)
        return [x for j, part in enumerate(checks.parts_of(check)) for x in _leaves(part, [*path, key, j])]
    return [(check, path)]


def _credit_bounds(c: Criteria, found: _Found) -> None:
    for i, r in enumerate(c.rules):
        spans = achievable.credits(r.check, c.indicators)
        low, high = spans[0][0], spans[-1][1]
        leaves = _leaves(r.check, ["rules", i, "check"])
        if high < 1:
            culprit = next(
                (x for x in leaves if achievable.credit_range(x[0], c.indicators.get(x[0].indicator))[1] < 1),
                leaves[0],
            )
            found.add(
                "L004",
                culprit[1],
                f"rule {r.id} can never be met: its best credit is {show(float(high), 2)} "
                f"({_range_words(culprit[0], c)})",
                "move the full-credit end of the check inside the indicator's range (or widen the range), "
                "or give some level a credit of 1",
            )
        if low > 0:
            culprit = next(
                (x for x in leaves if achievable.credit_range(x[0], c.indicators.get(x[0].indicator))[0] > 0),
                leaves[0],
            )
            found.add(
                "L005",
                culprit[1],
                f"rule {r.id} earns credit whatever is observed: its worst credit is {show(float(low), 2)} "
                f"({_range_words(culprit[0], c)})",
                "move the no-credit end of the check inside the indicator's range, or give the worst level 0",
            )


def _range_words(check: checks.Leaf, c: Criteria) -> str:
    ind = c.indicators.get(check.indicator)
    need = checks.needed(check, c.indicators)
    if ind is not None and ind.type == "number":
        return f"{need}; {check.indicator} runs from {checks.show_bound(ind.min)} to {checks.show_bound(ind.max)}"
    if ind is not None and ind.type == "level":
        return f"{need}; levels {', '.join(ind.levels or ())}"
    return need


# --- L006 -------------------------------------------------------------------------------------------


def _groups(t: Tier) -> list[tuple[list[PathPart], RequirementGroup]]:
    """The tier's own requirements and each ``any_of`` group, with the key path below the tier."""
    out: list[tuple[list[PathPart], RequirementGroup]] = [([], t.own_group())]
    out += [(["any_of", j], g) for j, g in enumerate(t.any_of)]
    return out


def _bars(c: Criteria, found: _Found) -> None:
    pillar_sets: dict[str, list[achievable.Span] | None] = {}
    overall: list[list[achievable.Span] | None] = []
    for i, t in enumerate(c.tiers):
        for where, group in _groups(t):
            base: list[PathPart] = ["tiers", i, *where]
            if group.min_score is not None:
                if not overall:
                    overall.append(achievable.overall_scores(c))
                _bar_check(found, [*base, "min_score"], overall[0], exact(group.min_score), "overall reform score", "")
            for key in ("min_pillar", "min_pillar_points"):
                for pillar, needed in getattr(group, key).items():
                    if pillar not in pillar_sets:
                        pillar_sets[pillar] = achievable.pillar_scores(c, pillar)
                    spans = pillar_sets[pillar]
                    total = _pillar_total(c, pillar)
                    if key == "min_pillar_points" and spans is not None:
                        spans = achievable.merged((a * total / 100, b * total / 100) for a, b in spans)
                    what = f"{pillar} {'points' if key == 'min_pillar_points' else 'score'}"
                    _bar_check(found, [*base, key, pillar], spans, exact(needed), what, pillar, total)
    for i, r in enumerate(c.rules):
        if r.gate and r.gate_min < 1:
            spans = achievable.credits(r.check, c.indicators)
            _bar_check(found, ["rules", i, "gate_min"], spans, exact(r.gate_min), f"credit of {r.id}", "")


def _bar_check(
    found: _Found,
    path: list[PathPart],
    spans: list[achievable.Span] | None,
    bar: Fraction,
    what: str,
    pillar: str,
    total: Fraction | None = None,
) -> None:
    if spans is None:
        return
    # Scores and credits are compared with a tolerance, points exactly (docs/scoring.md).
    slack = Fraction(0) if "points" in what else exact(TOLERANCE)
    gap = achievable.gap_around(spans, bar, slack)
    if gap is None:
        return
    below, above = gap
    fix = f"write {show(float(above))}, the lowest achievable {what} at or above the bar"
    if pillar and total and "points" not in what:
        fix += f" (or min_pillar_points = {{ {pillar} = {show(float(above * total / 100))} }}, exactly)"
    found.add(
        "L006",
        path,
        f"the bar {show(float(bar))} lies between two achievable values of the {what}, "
        f"{show(float(below))} and {show(float(above))}: any bar above {show(float(below))} up to "
        f"{show(float(above))} gives the same verdicts",
        fix,
        _at_most(above),
    )


def _at_most(x: Fraction) -> float:
    """The largest float whose written decimal is at most ``x`` (a bar suggested at an achievable
    value must not land a hair above it: points are compared exactly)."""
    f = float(x)
    while exact(f) > x:
        f = math.nextafter(f, -math.inf)
    return f


# --- L007, L008, L009 -------------------------------------------------------------------------------


def _unread(c: Criteria, found: _Found) -> None:
    read = {i for r in c.rules for i in checks.indicators_of(r.check)}
    for ident in c.indicators:
        if ident not in read:
            found.add(
                "L007",
                ["indicators", ident],
                f"no rule reads the indicator {ident}: observations of it are checked but never scored",
                f"add a rule that reads {ident}, or remove the indicator",
            )


def _unused_gates(c: Criteria, found: _Found) -> None:
    for i, r in enumerate(c.rules):
        if r.gate and not any(g.names_gate(r) for t in c.tiers for g in (t.own_group(), *t.any_of)):
            found.add(
                "L008",
                ["rules", i, "gate"],
                f'rule {r.id} is a gate, but no tier names it (in gates, or through gates = "all")',
                f"name {r.id} in the gates of the tiers it should hold back, or remove gate = true",
            )


def _reads(req: Requirement, rule: Rule, c: Criteria) -> bool:
    """Whether ``rule``'s result can move ``req``: it feeds it, with a weight that counts."""
    if not feeds(req, rule, c):
        return False
    if req.kind == "gate":
        return True
    if req.kind == "min_met":
        return req.needed > 0
    if _bar(req, c) <= 0 or rule.weight <= 0:
        return False
    return req.kind != "min_score" or c.pillar(rule.pillar).weight > 0


def _inert(c: Criteria, found: _Found) -> None:
    leaves = [r for t in c.tiers for g in (t.own_group(), *t.any_of) for r in compile_group(g, c)]
    for i, r in enumerate(c.rules):
        if any(_reads(q, r, c) for q in leaves):
            continue
        why = (
            "its weight is 0 and no tier names it as a gate or counts it in min_met"
            if r.weight <= 0
            else (
                f"no tier sets a minimum on {r.pillar}"
                + (" or on the overall score" if c.pillar(r.pillar).kind == "reform" else "")
                + ", names it as a gate or counts it in min_met"
            )
        )
        found.add(
            "L009",
            ["rules", i, "weight"],
            f"rule {r.id} cannot change any tier: {why}",
            f"give a tier a requirement that reads {r.id} or its pillar, or remove the rule",
        )


# --- files and output -------------------------------------------------------------------------------


def lint_files(refs: Sequence[str], errors: list[ReformGateError]) -> list[Report]:
    """Lint each criteria set named (a shipped id or a path); a set that does not load goes to ``errors``."""
    out = []
    for ref in refs:
        try:
            c = load_criteria(ref, Path.cwd(), "")
        except ReformGateError as err:
            errors.append(err)
            continue
        out.append(Report(c.file, c.id, c.criteria.version, tuple(lint(c))))
    return out


def render_text(reports: Sequence[Report], out: TextIO) -> None:
    """Each finding as ``file:line: ID name: path``, what is wrong, and the fix; then a count."""
    for report in reports:
        for f in report.findings:
            # A criteria file may come from a pull request: its words are printed inert.
            place = printable(report.file) + (f":{f.line}" if f.line is not None else "")
            out.write(f"{place}: {f.id} {f.name}: {printable(f.path)}\n  {printable(f.message)}\n")
            out.write(f"  fix: {printable(f.fix)}\n")
    count = sum(len(r.findings) for r in reports)
    sets = len(reports)
    out.write(
        f"{count} finding{'s' if count != 1 else ''} in {sets} criteria set{'s' if sets != 1 else ''}\n"
        if count
        else f"no findings in {sets} criteria set{'s' if sets != 1 else ''}\n"
    )


def render_json(reports: Sequence[Report], errors: Sequence[dict[str, Any]], out: TextIO) -> None:
    """``{"format": "reform-gate/lint/1", "sets": [...], "errors": [...]}``, keys sorted."""
    data = {"format": LINT_FORMAT, "sets": [r.to_dict() for r in reports], "errors": list(errors)}
    out.write(json_inert(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)) + "\n")
