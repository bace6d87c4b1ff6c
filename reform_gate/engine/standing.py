"""Scores from credits, and tier requirements measured against them (``docs/scoring.md``).

A :class:`Standing` is each rule's credit and whether it counts. Scoring builds one from the
evidence; the gap analysis builds hypothetical ones ("what if these rules were met?"). Keeping the
arithmetic in one place means the verdict and the gap can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

from ..model import Criteria, Pillar, PillarKind, Rule
from ..numbers import TOLERANCE, exact, reaches
from ..requirements import Alternatives, Requirement, TierRequirement, pillar_total

__all__ = ["Standing", "holds", "measure", "pillars_of_kind"]


class Standing:
    """Each rule's credit and whether it counts; from it, pillar, overall and design scores."""

    def __init__(
        self,
        criteria: Criteria,
        credits: dict[str, float],
        counted: dict[str, bool],
        waived: frozenset[str] = frozenset(),
        set_aside: frozenset[str] = frozenset(),
    ) -> None:
        self.criteria = criteria
        self.credits = credits
        self.counted = counted
        self.waived = waived
        #: Safeguards the proposal marked not applicable: never counted, never raised.
        self.set_aside = set_aside
        self._won: dict[str, float] = {p.id: 0.0 for p in criteria.pillars}
        self._weight: dict[str, float] = {p.id: 0.0 for p in criteria.pillars}
        self._count: dict[str, int] = {p.id: 0 for p in criteria.pillars}
        #: Pillar points already worked out (exact fractions are slow; a standing never changes).
        self._points: dict[str, Fraction] = {}
        self._means: dict[PillarKind, float | None] = {}
        self._layout = _layout(criteria)
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
        return self.raised_to(dict.fromkeys(rules, 1.0))

    def raised_to(self, targets: Mapping[str, float]) -> Standing:
        """The standing if each rule of ``targets`` had usable evidence earning that credit."""
        credits = dict(self.credits)
        counted = dict(self.counted)
        pillars_of, rules_in = self._layout
        touched: set[str] = set()
        for rule, credit in targets.items():
            if rule in self.set_aside:
                continue  # set aside by the proposal: never raised (docs/scoring.md)
            credits[rule] = credit
            counted[rule] = True
            touched.update(pillars_of.get(rule, ()))
        out = object.__new__(Standing)
        out.criteria, out.credits, out.counted, out.waived = self.criteria, credits, counted, self.waived
        out.set_aside, out._layout = self.set_aside, self._layout
        out._won, out._weight, out._count = dict(self._won), dict(self._weight), dict(self._count)
        out._points = {p: points for p, points in self._points.items() if p not in touched}
        out._means = {}
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

    def pillar_points(self, pillar: str) -> Fraction:
        """The pillar's standing in points of its total rule weight, exactly (``min_pillar_points``).

        Under ``missing = "zero"`` every rule counts and this is the weight won, sum(w*c). Under
        ``"exclude"`` it is the same share of the total as the pillar score: won / counted weight
        * total weight. Weights are taken as the decimals written (:func:`reform_gate.numbers.exact`)
        and a credit within the tolerance of 0 or 1 as exactly 0 or 1, so a proposal that wins 30
        of 48 points has exactly 30, never 29.999...
        """
        found = self._points.get(pillar)
        if found is not None:
            return found
        # The weights as integers over one denominator per pillar (worked out once per set): the
        # denominator cancels, so only a partial credit needs fraction arithmetic, and the result
        # is the same fraction as summing the exact weights.
        whole, part, weight = 0, Fraction(0), 0
        for ident, w in _scaled_weights(self.criteria).get(pillar, ()):
            if self.counted[ident]:
                weight += w
                credit = self.credits[ident]
                if credit >= 1.0 - TOLERANCE:
                    whole += w
                elif credit > TOLERANCE:
                    part += w * exact(credit)
        found = (part + whole) * pillar_total(self.criteria, pillar) / weight if weight > 0 else Fraction(0)
        self._points[pillar] = found
        return found

    def pillar_weight(self, pillar: str) -> float:
        """Sum of the weights of the pillar's counted rules."""
        return self._weight[pillar]

    def counted_rules(self, pillar: str) -> int:
        """How many of the pillar's rules count."""
        return self._count[pillar]

    def _mean(self, kind: PillarKind) -> float | None:
        # The gap search asks a standing for its overall score many times: work it out once.
        if kind not in self._means:
            self._means[kind] = self._mean_of(kind)
        return self._means[kind]

    def _mean_of(self, kind: PillarKind) -> float | None:
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


def exact_credit(credit: float) -> Fraction:
    """A credit as an exact number; within the tolerance of 0 or 1 it is 0 or 1 (as ``met`` judges)."""
    if credit >= 1.0 - TOLERANCE:
        return Fraction(1)
    if credit <= TOLERANCE:
        return Fraction(0)
    return exact(credit)


def pillars_of_kind(c: Criteria) -> dict[PillarKind, tuple[tuple[Pillar, ...], float]]:
    """Each pillar kind's pillars, in file order, and their total weight (computed once per set)."""

    def build() -> dict[PillarKind, tuple[tuple[Pillar, ...], float]]:
        out: dict[PillarKind, tuple[tuple[Pillar, ...], float]] = {}
        for kind in ("reform", "safeguard"):
            pillars = tuple(p for p in c.pillars if p.kind == kind)
            out[kind] = (pillars, sum(p.weight for p in pillars))
        return out

    return c.derived.get("pillars-of-kind", build)


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

    return c.derived.get("standing-layout", build)


def _scaled_weights(c: Criteria) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each pillar's rules in file order with their exact weights as integers over one common
    denominator for the pillar (computed once per set): ``pillar_points`` is a ratio, so the
    denominator cancels."""

    def build() -> dict[str, tuple[tuple[str, int], ...]]:
        out: dict[str, tuple[tuple[str, int], ...]] = {}
        for pillar, rules in _layout(c)[1].items():
            weights = [exact(r.weight) for r in rules]
            scale = math.lcm(*(w.denominator for w in weights))
            out[pillar] = tuple((r.id, int(w * scale)) for r, w in zip(rules, weights, strict=True))
        return out

    return c.derived.get("standing-scaled-weights", build)


def measure(req: Requirement, s: Standing) -> float:
    """The observed quantity a requirement compares with its ``needed``."""
    if req.kind == "min_score":
        return s.overall()
    if req.kind == "min_pillar":
        return s.pillar_score(req.subject)
    if req.kind == "min_pillar_points":
        return float(s.pillar_points(req.subject))
    if req.kind == "gate":
        return s.credits[req.subject]
    return float(sum(1 for r in req.among if s.met(r)))


def holds_one(req: TierRequirement, s: Standing) -> bool:
    """Whether one requirement holds; a waiver in force lets its gate pass."""
    if isinstance(req, Alternatives):
        return any(all(holds_one(r, s) for r in g) for g in req.groups)
    if req.kind == "gate" and req.subject in s.waived:
        return True
    if req.kind == "min_pillar_points":
        # Compared exactly, with no tolerance: that is what points are for (docs/scoring.md).
        return s.pillar_points(req.subject) >= exact(req.needed)
    return reaches(measure(req, s), req.needed)


def holds(reqs: Iterable[TierRequirement], s: Standing, scope: PillarKind | None = None) -> bool:
    """Whether every requirement (of ``scope``, when given) holds."""
    return all(holds_one(r, s) for r in reqs if scope is None or r.scope == scope)
