"""Tier requirements: what a rung of the ladder asks, and every way of putting it into words.

A tier's TOML keys (``min_score``, ``min_pillar``, ``min_pillar_points``, ``gates``, ``min_met``,
``any_of``) compile to
a list of :class:`Requirement` leaves, plus one :class:`Alternatives` for ``any_of`` (at least one
group of leaves must hold). The engine measures them against a proposal's standing; the verdict
carries each measured one as a :class:`~reform_gate.verdict.RequirementResult`. Their words live
here and nowhere else: :func:`statement` says what a requirement asks ("civil-liberties score >=
30"), :func:`shortfall` what a failing one lacks ("civil-liberties score 1.9, needs 30") and
:func:`measured` what was observed ("now 1.9"). See ``docs/scoring.md``, "Tiers and the outcome".
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Literal, TypeAlias

from attrs import frozen

from .model import Criteria, PillarKind, RequirementGroup, Rule, Tier
from .numbers import exact, show
from .verdict import RequirementResult

__all__ = [
    "Alternatives",
    "Requirement",
    "RequirementKind",
    "TierRequirement",
    "compile_group",
    "compile_tier",
    "feeds",
    "gates_of",
    "measured",
    "pillar_total",
    "shortfall",
    "statement",
]

RequirementKind = Literal["min_score", "min_pillar", "min_pillar_points", "gate", "min_met"]


@frozen
class Requirement:
    """One thing a tier asks: a score, a pillar score, a pillar's points, a gate, or a count of rules met.

    ``scope`` says whether it reads the counterpart's record (``reform``) or the proposal's own
    design (``safeguard``). ``needed`` is the bound: a score, points of the pillar's total rule
    weight, a gate's credit, or a count.
    """

    kind: RequirementKind
    scope: PillarKind
    subject: str
    needed: float
    among: tuple[str, ...] = ()


@frozen
class Alternatives:
    """A tier's ``any_of``: at least one group must hold entirely."""

    scope: PillarKind
    groups: tuple[tuple[Requirement, ...], ...]


TierRequirement: TypeAlias = Requirement | Alternatives


def pillar_total(c: Criteria, pillar: str) -> Fraction:
    """The pillar's total rule weight, exactly as written: what its points are counted out of."""

    def build() -> dict[str, Fraction]:
        totals = {p.id: Fraction(0) for p in c.pillars}
        for r in c.rules:
            totals[r.pillar] = totals.get(r.pillar, Fraction(0)) + exact(r.weight)
        return totals

    return c.derived.get("pillar-totals", build).get(pillar, Fraction(0))


def compile_group(group: RequirementGroup, c: Criteria) -> list[Requirement]:
    """The leaf requirements of one group, in a fixed order: score, pillars, points, gates, count."""
    kind_of_rule = {r.id: c.pillar(r.pillar).kind for r in c.rules}
    out: list[Requirement] = []
    if group.min_score is not None:
        out.append(Requirement("min_score", "reform", "", group.min_score))
    for pillar, minimum in group.min_pillar.items():
        out.append(Requirement("min_pillar", c.pillar(pillar).kind, pillar, minimum))
    for pillar, points in group.min_pillar_points.items():
        out.append(Requirement("min_pillar_points", c.pillar(pillar).kind, pillar, points))
    gates = [r.id for r in c.rules if r.gate] if group.gates == "all" else list(group.gates or ())
    for rule in gates:
        out.append(Requirement("gate", kind_of_rule[rule], rule, c.rule(rule).gate_min))
    if group.min_met is not None:
        among = group.min_met.among or tuple(r.id for r in c.rules if kind_of_rule[r.id] == "reform")
        scope: PillarKind = kind_of_rule[among[0]] if among else "reform"
        out.append(Requirement("min_met", scope, "", float(group.min_met.count), tuple(among)))
    return out


def compile_tier(tier: Tier, c: Criteria) -> list[TierRequirement]:
    """All requirements of a tier; its ``any_of`` becomes one :class:`Alternatives`."""
    reqs: list[TierRequirement] = list(compile_group(tier.own_group(), c))
    if tier.any_of:
        groups = tuple(tuple(compile_group(g, c)) for g in tier.any_of)
        reqs.append(Alternatives(groups[0][0].scope, groups))
    return reqs


def gates_of(reqs: list[TierRequirement]) -> set[str]:
    """Every gate a tier names, in its own requirements or in an ``any_of`` group."""
    leaves = [r for r in reqs if isinstance(r, Requirement)]
    leaves += [x for r in reqs if isinstance(r, Alternatives) for g in r.groups for x in g]
    return {r.subject for r in leaves if r.kind == "gate"}


def feeds(req: Requirement, rule: Rule, c: Criteria) -> bool:
    """Whether ``rule``'s credit counts towards ``req``."""
    if req.kind == "gate":
        return req.subject == rule.id
    if req.kind in ("min_pillar", "min_pillar_points"):
        return req.subject == rule.pillar
    if req.kind == "min_score":
        return c.pillar(rule.pillar).kind == "reform"
    return rule.id in req.among


# --- words -----------------------------------------------------------------------------------


def statement(req: TierRequirement, c: Criteria) -> str:
    """What the requirement asks: ``civil-liberties score >= 30``, ``gate CT-1 passes (...)``."""
    if isinstance(req, Alternatives):
        return "any of: " + " | ".join(" and ".join(statement(r, c) for r in g) for g in req.groups)
    if req.kind == "min_score":
        return f"overall reform score >= {show(req.needed)}"
    if req.kind == "min_pillar":
        return f"{req.subject} score >= {show(req.needed)}"
    if req.kind == "min_pillar_points":
        return f"{req.subject} points >= {show(req.needed)} of {show(float(pillar_total(c, req.subject)))}"
    if req.kind == "gate":
        return f"gate {req.subject} passes ({c.rule(req.subject).title})"
    count = int(req.needed)
    if len(req.among) == sum(1 for r in c.rules if c.pillar(r.pillar).kind == req.scope):
        return f"at least {count} {req.scope} rule{'s' if count != 1 else ''} met"
    if count == len(req.among):
        return ("rule " if count == 1 else "rules ") + ", ".join(req.among) + " met"
    return f"at least {count} of {', '.join(req.among)} met"


def shortfall(r: RequirementResult) -> str:
    """A failing requirement, observed against needed: ``civil-liberties score 1.9, needs 30``."""
    if r.kind == "min_pillar":
        return f"{r.subject} score {show(r.observed, 1)}, needs {show(r.needed)}"
    if r.kind == "min_score":
        return f"overall reform score {show(r.observed, 1)}, needs {show(r.needed)}"
    if r.kind == "min_pillar_points":
        return f"{r.subject} points {_points(r.observed, r.needed)}, needs {show(r.needed)}"
    if r.kind == "min_met":
        return f"{r.text}: {show(r.observed)} met now"
    if r.kind == "gate":
        return r.text
    parts = " | ".join("; ".join(shortfall(x) for x in group) for group in r.groups)
    return f"none of these holds: {parts}"


def _points(observed: float, short_of: float | None) -> str:
    """Points with two decimals; a value short of its bar is rounded down, so that a miss by 0.001
    never reads as ``30.00, needs 30`` (points are compared exactly)."""
    text = show(observed, 2)
    if short_of is not None and float(text) >= short_of:
        text = show(math.floor(observed * 100) / 100, 2)
    return text


def measured(r: RequirementResult) -> str:
    """What was observed for one requirement: ``now 12.3``, ``2 met``, ``passes``."""
    if r.kind == "min_met":
        return f"{show(r.observed)} met"
    if r.kind == "gate":
        return "passes" if r.holds else "fails"
    if r.kind == "min_pillar_points":
        return f"now {_points(r.observed, None if r.holds else r.needed)} points"
    return f"now {show(r.observed, 1)}"
