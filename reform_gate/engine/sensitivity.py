"""Sensitivity: how robust a verdict is (``docs/scoring.md``, "Sensitivity").

Three questions, each about the outcome and the supported tier (a :class:`Place`): how far can
each weight move (here), which single observation would flip the verdict
(:mod:`~reform_gate.engine.flips`), and how often do random weight changes keep it
(:mod:`~reform_gate.engine.robustness`).

**Weights.** With every other weight fixed, how far can one rule or pillar weight move before the
verdict changes? A pillar score is ``100 (a + c x) / (b + x)`` in the weight ``x`` of one of its
rules, and the overall score is a weighted mean in which only that pillar moves; for a pillar
weight ``x`` it is ``(k + s x) / (t + x)``. So every score requirement holds exactly where one
linear function of ``x`` is not negative: its edge is the root of a linear equation, solved here
in exact rational arithmetic (:class:`fractions.Fraction` represents every float exactly). Gates
and ``min_met`` counts read no weight and stay as they are. Between two roots nothing changes, so
testing each root and one point of each stretch between them gives the exact interval of weights
that keeps the verdict.

Everything here reads the verdict's own credits and counts: the analysis can never score a rule
differently from :func:`reform_gate.engine.score`.
"""

from __future__ import annotations

import datetime as _dt
import sys
from fractions import Fraction

from ..analysis import Place, Sensitivity, WeightRange
from ..model import Criteria, Proposal, Rule
from ..numbers import TOLERANCE, exact
from ..requirements import Alternatives, Requirement, TierRequirement
from ..verdict import Verdict
from .flips import flips
from .ladder import leaves, position_by
from .robustness import robustness
from .score import score
from .standing import Standing, exact_credit, holds_one

__all__ = ["sensitivity", "standing_of"]

_TOL = Fraction(TOLERANCE)


def sensitivity(
    proposal: Proposal,
    criteria: Criteria,
    as_of: _dt.date | None = None,
    *,
    seed: int,
    draws: int,
) -> Sensitivity:
    """Weight ranges, single-observation flips and the robustness figure of one proposal.

    The proposal must have been checked against ``criteria`` (``reform_gate.sensitivity`` does
    that for library callers).
    """
    verdict = score(proposal, criteria, as_of)
    standing = standing_of(verdict, criteria)
    weights = _Weights(standing, verdict.requested_tier)
    ranges = [weights.rule(r) for r in criteria.rules] + [weights.pillar(p.id) for p in criteria.pillars]
    return Sensitivity(
        verdict,
        tuple(sorted(ranges, key=_closeness)),
        tuple(flips(standing, verdict)),
        robustness(standing, verdict.requested_tier, seed=seed, draws=draws),
    )


def standing_of(verdict: Verdict, criteria: Criteria) -> Standing:
    """The standing behind a verdict: each rule's credit and whether it counted, the waivers, the
    safeguards set aside."""
    return Standing(
        criteria,
        {f.rule: f.credit for f in verdict.findings},
        {f.rule: f.counted for f in verdict.findings},
        frozenset(w.rule for w in verdict.waivers),
        frozenset(f.rule for f in verdict.findings if f.status == "not-applicable"),
    )


def _closeness(r: WeightRange) -> tuple[int, float, int]:
    """Closest to flipping first: by relative change; then weights of 0 that a rise flips, by the
    weight that does; then the weights that flip nothing, in file order (a stable sort)."""
    if r.change is not None:
        return (0, r.change, 0)
    if r.above is not None and r.high is not None:
        return (1, r.high, 0)
    return (2, 0.0, 0)


# --- weights ------------------------------------------------------------------------------------


class _Linear:
    """A score requirement as a function of one weight ``x``: it holds where ``a x + b >= 0``
    (``q x**2 + a x + b >= 0`` for a pillar's points when some of its rules are left out, the
    one requirement whose measure is not a ratio of linear functions of a rule weight).

    Where the score's denominator is 0 (a weight of 0 that empties its pillar or the overall
    mean), the score is 0 and the requirement holds only if ``at_empty`` says so.
    """

    def __init__(
        self, a: Fraction, b: Fraction, empty_at_zero: bool, at_empty: bool, q: Fraction = Fraction(0)
    ) -> None:
        self.a, self.b, self.empty_at_zero, self.at_empty, self.q = a, b, empty_at_zero, at_empty, q

    def holds(self, x: Fraction) -> bool:
        if x == 0 and self.empty_at_zero:
            return self.at_empty
        return (self.q * x + self.a) * x + self.b >= 0

    def roots(self) -> list[Fraction]:
        """Where the polynomial changes sign above 0: exact for a line; for a parabola, exact when
        the root is rational, else within 2**-200 of it (far below any difference a weight shows)."""
        if self.q == 0:
            if self.a == 0:
                return []
            x = -self.b / self.a
            return [x] if x > 0 else []
        disc = self.a * self.a - 4 * self.q * self.b
        if disc < 0:
            return []
        root = _sqrt(disc)
        found = {(-self.a - root) / (2 * self.q), (-self.a + root) / (2 * self.q)}
        return sorted(x for x in found if x > 0)


def _sqrt(x: Fraction) -> Fraction:
    """The square root of ``x >= 0``: exact when it is rational, else to 2**-200."""
    import math

    n, d = math.isqrt(x.numerator), math.isqrt(x.denominator)
    if n * n == x.numerator and d * d == x.denominator:
        return Fraction(n, d)
    scale = 1 << 200
    return Fraction(math.isqrt(x.numerator * scale * scale // x.denominator), scale)


class _Weights:
    """Exact weight intervals for one standing (see the module doc)."""

    def __init__(self, s: Standing, requested: str) -> None:
        c = s.criteria
        self.s, self.c, self.requested = s, c, requested
        self.w = {r.id: Fraction(r.weight) for r in c.rules}
        self.credit = {r.id: Fraction(s.credits[r.id]) for r in c.rules}
        self.pw = {p.id: Fraction(p.weight) for p in c.pillars}
        self.won = {p.id: Fraction(0) for p in c.pillars}
        self.sum = {p.id: Fraction(0) for p in c.pillars}
        for r in c.rules:
            if s.counted[r.id]:
                self.won[r.pillar] += self.w[r.id] * self.credit[r.id]
                self.sum[r.pillar] += self.w[r.id]
        self.score = {p: 100 * self.won[p] / self.sum[p] if self.sum[p] > 0 else Fraction(0) for p in self.pw}
        self.reform = [p.id for p in c.pillars if p.kind == "reform"]
        self.leaves = leaves(c)
        # Gates and counts read no weight: measured once, as the engine measures them. Score
        # requirements are measured once at today's weights; a weight that moves them replaces that.
        self.fixed = {req: holds_one(req, s) for req in self.leaves if req.kind in ("gate", "min_met")}
        self.fixed.update({req: self._exact(req) for req in self.leaves if req.kind in ("min_pillar", "min_score")})
        # Points are compared exactly, as scoring compares them (``Standing.pillar_points``).
        self.fixed.update({req: holds_one(req, s) for req in self.leaves if req.kind == "min_pillar_points"})

    # A score requirement needs its measure >= needed - TOLERANCE, exactly as numbers.reaches.
    @staticmethod
    def _bar(req: Requirement) -> Fraction:
        return Fraction(req.needed) - _TOL

    def rule(self, rule: Rule) -> WeightRange:
        s, p = self.s, rule.pillar
        if not s.counted[rule.id]:
            note = "left out of its pillar's sums: no usable evidence under missing = exclude"
            return self._unmoved("rule", rule.id, rule.title, p, rule.weight, note)
        c = self.credit[rule.id]
        won = self.won[p] - self.w[rule.id] * c
        total = self.sum[p] - self.w[rule.id]
        pillar = self.c.pillar(p)
        linear: dict[Requirement, _Linear] = {}
        for req in self.leaves:
            bar = self._bar(req)
            if req.kind == "min_pillar" and req.subject == p:
                # 100 (won + c x) / (total + x) >= bar
                linear[req] = _Linear(100 * c - bar, 100 * won - bar * total, total == 0, bar <= 0)
            elif req.kind == "min_score" and pillar.kind == "reform":
                others = sum((self.pw[q] * self.score[q] for q in self.reform if q != p), Fraction(0))
                weights = sum((self.pw[q] for q in self.reform), Fraction(0))
                if weights <= 0:
                    continue  # no reform weight: the overall score is 0 whatever x is
                # (others + P * 100 (won + c x) / (total + x)) / weights >= bar
                need = bar * weights - others
                pw = self.pw[p]
                linear[req] = _Linear(100 * pw * c - need, 100 * pw * won - need * total, total == 0, need <= 0)
            elif req.kind == "min_pillar_points" and req.subject == p:
                linear[req] = self._points(rule, req)
        return self._range("rule", rule.id, rule.title, p, rule.weight, linear)

    def _points(self, rule: Rule, req: Requirement) -> _Linear:
        """``points >= needed`` as a polynomial in the rule's weight ``x``, exactly as
        ``Standing.pillar_points`` counts: weights as written, a credit near 0 or 1 as 0 or 1.

        With ``won`` and ``counted`` the other counted rules' points and weight and ``left`` the
        weight of the pillar's rules left out, points are (won + c x) (counted + left + x) /
        (counted + x), so the requirement is c x**2 + (won + c (counted + left) - N) x
        + won (counted + left) - N counted >= 0 while counted + x > 0.
        """
        s = self.s
        won = counted = left = Fraction(0)
        for r in self.c.rules:
            if r.pillar != rule.pillar or r.id == rule.id:
                continue
            if s.counted[r.id]:
                won += exact(r.weight) * exact_credit(s.credits[r.id])
                counted += exact(r.weight)
            else:
                left += exact(r.weight)
        c, n = exact_credit(s.credits[rule.id]), exact(req.needed)
        return _Linear(won + c * (counted + left) - n, won * (counted + left) - n * counted, counted == 0, n <= 0, q=c)

    def pillar(self, pillar_id: str) -> WeightRange:
        pillar = self.c.pillar(pillar_id)
        if pillar.kind == "safeguard":
            note = "a safeguard pillar's weight sets only the design score, which no requirement reads"
            return self._unmoved("pillar", pillar.id, pillar.title, pillar.id, pillar.weight, note)
        others = sum((self.pw[q] * self.score[q] for q in self.reform if q != pillar_id), Fraction(0))
        rest = sum((self.pw[q] for q in self.reform if q != pillar_id), Fraction(0))
        mine = self.score[pillar_id]
        linear: dict[Requirement, _Linear] = {}
        for req in self.leaves:
            if req.kind == "min_score":
                bar = self._bar(req)
                # (others + s x) / (rest + x) >= bar
                linear[req] = _Linear(mine - bar, others - bar * rest, rest == 0, bar <= 0)
        return self._range("pillar", pillar.id, pillar.title, pillar.id, pillar.weight, linear)

    def _unmoved(self, kind: str, ident: str, title: str, pillar: str, weight: float, note: str) -> WeightRange:
        return WeightRange(kind, ident, title, pillar, weight, 0.0, True, None, False, None, None, None, note)  # type: ignore[arg-type]

    def _place_at(self, linear: dict[Requirement, _Linear], x: Fraction) -> Place:
        def test(req: TierRequirement) -> bool:
            if isinstance(req, Alternatives):
                return any(all(test(r) for r in g) for g in req.groups)
            if req in linear:
                return linear[req].holds(x)
            return self.fixed[req]

        return position_by(self.c, self.requested, test).place

    def _exact(self, req: Requirement) -> bool:
        """A score requirement that does not depend on the weight moved, in exact arithmetic."""
        if req.kind == "min_pillar":
            return self.score[req.subject] >= self._bar(req)
        weights = sum((self.pw[q] for q in self.reform), Fraction(0))
        overall = sum((self.pw[q] * self.score[q] for q in self.reform), Fraction(0)) / weights if weights > 0 else 0
        return overall >= self._bar(req)

    def _range(
        self, kind: str, ident: str, title: str, pillar: str, weight: float, linear: dict[Requirement, _Linear]
    ) -> WeightRange:
        roots = sorted({x for f in linear.values() for x in f.roots()})
        # The line [0, inf) cut into cells: the point 0, then open stretches and the roots between them.
        cells: list[tuple[Fraction, Fraction | None, Fraction]] = [(Fraction(0), Fraction(0), Fraction(0))]
        last = Fraction(0)
        for x in roots:
            cells.append((last, x, (last + x) / 2))
            cells.append((x, x, x))
            last = x
        cells.append((last, None, last + max(last, Fraction(1))))
        places = [self._place_at(linear, sample) for _, _, sample in cells]
        # As written (0.1 is 1/10): a pillar's points are compared exactly at today's weight.
        w = exact(weight)
        at = next(i for i, (lo, hi, _) in enumerate(cells) if (lo == hi == w) or (lo < w and (hi is None or w < hi)))
        first = at
        while first > 0 and places[first - 1] == places[at]:
            first -= 1
        end = at
        while end + 1 < len(cells) and places[end + 1] == places[at]:
            end += 1
        lo_cell, hi_cell = cells[first], cells[end]
        low, low_included = lo_cell[0], lo_cell[0] == lo_cell[1]
        high, high_included = hi_cell[1], hi_cell[0] == hi_cell[1]
        below = places[first - 1] if first > 0 else None
        above = places[end + 1] if end + 1 < len(cells) else None
        changes = []
        if w > 0:
            if below is not None:
                changes.append((w - low) / w)
            if above is not None and high is not None:
                changes.append((high - w) / w)
        return WeightRange(
            kind,  # type: ignore[arg-type]
            ident,
            title,
            pillar,
            weight,
            _float(low),
            low_included,
            None if high is None else _float(high),
            high_included,
            below,
            above,
            _float(min(changes)) if changes else None,
        )


def _float(x: Fraction) -> float:
    """``x`` as the nearest float; the largest float for a ratio beyond floats (a weight of 1e-300
    that must grow a billion-fold is, for any reader, as far from flipping as can be)."""
    try:
        return float(x)
    except OverflowError:
        return sys.float_info.max
