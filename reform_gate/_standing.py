"""Scores from credits, and tier requirements measured against them (DESIGN 4.2, 4.4).

A :class:`Standing` is each rule's credit and whether it counts. Scoring builds one from the
evidence; the gap analysis builds hypothetical ones ("what if these rules were met?"). Keeping the
arithmetic in one place means the verdict and the gap can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from attrs import frozen

from ._cache import derived
from .model import Criteria, Pillar, PillarKind, RequirementGroup, Rule, Tier

TOLERANCE = 1e-9

ReqKind = Literal["min_score", "min_pillar", "gate", "min_met"]


class Standing:
    """Each rule's credit and whether it counts; from it, pillar, overall and design scores."""

    def __init__(
        self,
        criteria: Criteria,
        credits: dict[str, float],
        counted: dict[str, bool],
        waived: frozenset[str] = frozenset(),
    ) -> None:
        self.criteria = criteria
        self.credits = credits
        self.counted = counted
        self.waived = waived
        self._won: dict[str, float] = {p.id: 0.0 for p in criteria.pillars}
        self._weight: dict[str, float] = {p.id: 0.0 for p in criteria.pillars}
        self._count: dict[str, int] = {p.id: 0 for p in criteria.pillars}
        for rule in criteria.rules:
            if counted[rule.id]:
                self._won[rule.pillar] += rule.weight * credits[rule.id]
                self._weight[rule.pillar] += rule.weight
                self._count[rule.pillar] += 1

    def raised(self, rules: Iterable[str]) -> Standing:
        """The standing if each of ``rules`` were met with usable evidence.

        The gap analysis raises rules one at a time, so only the pillars of the raised rules are
        summed again, each in rule order as ``__init__`` sums it: the same floats, less work.
        """
        credits = dict(self.credits)
        counted = dict(self.counted)
        pillars_of, rules_in = _layout(self.criteria)
        touched: set[str] = set()
        for rule in rules:
            credits[rule] = 1.0
            counted[rule] = True
            touched.update(pillars_of.get(rule, ()))
        out = object.__new__(Standing)
        out.criteria, out.credits, out.counted, out.waived = self.criteria, credits, counted, self.waived
        out._won, out._weight, out._count = dict(self._won), dict(self._weight), dict(self._count)
        for pillar in touched:
            won, weight, count = 0.0, 0.0, 0
            for r in rules_in[pillar]:
                if counted[r.id]:
                    won += r.weight * credits[r.id]
                    weight += r.weight
                    count += 1
            out._won[pillar], out._weight[pillar], out._count[pillar] = won, weight, count
        return out

    def pillar_score(self, pillar: str) -> float:
        """100 * sum(w*c) / sum(w) over counted rules; 0 when none counts."""
        weight = self._weight[pillar]
        # Rounding can lift a perfect score one ulp above 100 (a single met rule of weight 0.69).
        return min(100.0 * self._won[pillar] / weight, 100.0) if weight > 0 else 0.0

    def pillar_weight(self, pillar: str) -> float:
        """Sum of the weights of the pillar's counted rules."""
        return self._weight[pillar]

    def counted_rules(self, pillar: str) -> int:
        """How many of the pillar's rules count."""
        return self._count[pillar]

    def _mean(self, kind: PillarKind) -> float | None:
        pillars, total = pillars_of_kind(self.criteria)[kind]
        if not pillars or total <= 0:
            return None
        mean = sum(p.weight * self.pillar_score(p.id) for p in pillars) / total
        # Rounding can lift a mean of perfect scores one ulp above 100 (pillar weights 0.1, 0.1, 0.7).
        return min(mean, 100.0)

    def overall(self) -> float:
        """The weighted mean of reform pillar scores."""
        return self._mean("reform") or 0.0

    def design(self) -> float | None:
        """The weighted mean of safeguard pillar scores: the proposal's design score."""
        return self._mean("safeguard")

    def met(self, rule: str) -> bool:
        return self.counted[rule] and self.credits[rule] >= 1.0 - TOLERANCE


def pillars_of_kind(c: Criteria) -> dict[PillarKind, tuple[tuple[Pillar, ...], float]]:
    """Each pillar kind's pillars, in file order, and their total weight (computed once per set)."""

    def build() -> dict[PillarKind, tuple[tuple[Pillar, ...], float]]:
        out: dict[PillarKind, tuple[tuple[Pillar, ...], float]] = {}
        for kind in ("reform", "safeguard"):
            pillars = tuple(p for p in c.pillars if p.kind == kind)
            out[kind] = (pillars, sum(p.weight for p in pillars))
        return out

    return derived(c, "pillars-of-kind", build)


def _layout(c: Criteria) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[Rule, ...]]]:
    """Each rule id's pillar(s), and each pillar's rules in file order (computed once per set)."""

    def build() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[Rule, ...]]]:
        pillars_of: dict[str, tuple[str, ...]] = {}
        rules_in: dict[str, tuple[Rule, ...]] = {}
        for r in c.rules:
            if r.pillar not in pillars_of.get(r.id, ()):
                pillars_of[r.id] = (*pillars_of.get(r.id, ()), r.pillar)
            rules_in[r.pillar] = (*rules_in.get(r.pillar, ()), r)
        return pillars_of, rules_in

    return derived(c, "standing-layout", build)


@frozen
class Req:
    """One leaf requirement of a tier."""

    kind: ReqKind
    scope: PillarKind
    subject: str
    needed: float
    among: tuple[str, ...] = ()

    def measure(self, s: Standing) -> float:
        """The observed quantity this requirement compares with ``needed``."""
        if self.kind == "min_score":
            return s.overall()
        if self.kind == "min_pillar":
            return s.pillar_score(self.subject)
        if self.kind == "gate":
            return s.credits[self.subject]
        return float(sum(1 for r in self.among if s.met(r)))

    def holds(self, s: Standing) -> bool:
        if self.kind == "gate" and self.subject in s.waived:
            return True
        return self.measure(s) >= self.needed - TOLERANCE


@frozen
class AnyOfReq:
    """At least one group must hold entirely."""

    scope: PillarKind
    groups: tuple[tuple[Req, ...], ...]

    def holds(self, s: Standing) -> bool:
        return any(all(r.holds(s) for r in g) for g in self.groups)


Requirement = Req | AnyOfReq


def compile_group(group: RequirementGroup, c: Criteria) -> list[Req]:
    """The leaf requirements of one group, in a fixed order: score, pillars, gates, count."""
    kind_of_rule = {r.id: c.pillar(r.pillar).kind for r in c.rules}
    out: list[Req] = []
    if group.min_score is not None:
        out.append(Req("min_score", "reform", "", group.min_score))
    for pillar, minimum in group.min_pillar.items():
        out.append(Req("min_pillar", c.pillar(pillar).kind, pillar, minimum))
    gates = [r.id for r in c.rules if r.gate] if group.gates == "all" else list(group.gates or ())
    for rule in gates:
        out.append(Req("gate", kind_of_rule[rule], rule, c.rule(rule).gate_min))
    if group.min_met is not None:
        among = group.min_met.among or tuple(r.id for r in c.rules if kind_of_rule[r.id] == "reform")
        scope: PillarKind = kind_of_rule[among[0]] if among else "reform"
        out.append(Req("min_met", scope, "", float(group.min_met.count), tuple(among)))
    return out


def compile_tier(tier: Tier, c: Criteria) -> list[Requirement]:
    """All requirements of a tier; each ``any_of`` becomes one :class:`AnyOfReq`."""
    reqs: list[Requirement] = list(compile_group(tier.own_group(), c))
    if tier.any_of:
        groups = tuple(tuple(compile_group(g, c)) for g in tier.any_of)
        scope: PillarKind = groups[0][0].scope
        reqs.append(AnyOfReq(scope, groups))
    return reqs


def holds(reqs: Iterable[Requirement], s: Standing, scope: PillarKind | None = None) -> bool:
    """Whether every requirement (of ``scope``, when given) holds."""
    return all(r.holds(s) for r in reqs if scope is None or r.scope == scope)
