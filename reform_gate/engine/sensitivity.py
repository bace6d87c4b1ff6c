"""Sensitivity: how robust a verdict is (``docs/scoring.md``, "Sensitivity").

Three questions, each about the outcome and the supported tier (a :class:`Place`):

- **Weights.** With every other weight fixed, how far can one rule or pillar weight move before
  the verdict changes? A pillar score is ``100 (a + c x) / (b + x)`` in the weight ``x`` of one of
  its rules, and the overall score is a weighted mean in which only that pillar moves, or, for a
  pillar weight ``x``, ``(k + s x) / (t + x)``. So every score requirement holds exactly where one
  linear function of ``x`` is not negative: its edge is the root of a linear equation, solved here
  in exact rational arithmetic (:class:`fractions.Fraction`, which represents every float
  exactly). Gates and ``min_met`` counts read no weight and stay as they are. Between two roots
  nothing changes, so testing one point of each stretch, and each root itself, gives the exact
  interval of weights that keeps the verdict.
- **Observations.** Which single change of one indicator's evidence changes the verdict: each
  other level or bool value, each range of numbers (a number's credit is piecewise linear, so
  scores are linear in it between the points where a check's credit bends or jumps, and the
  edges are found the same way), and losing the observation altogether.
- **Robustness.** The share of random weight changes (each weight times a factor drawn
  uniformly from ``[1 - spread, 1 + spread]``) that keep the outcome: seeded, so the figure is the
  same on every run and machine.

Everything here reads the verdict's own credits and counts: the analysis can never score a rule
differently from :func:`reform_gate.engine.score`.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs

from .. import checks
from ..analysis import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    SPREAD,
    ObservationFlip,
    Place,
    Robustness,
    Sensitivity,
    WeightRange,
)
from ..checks import AllOf, AnyOf, AtLeast, AtMost, Check, Equals, OneOf, Scale, Value
from ..model import Criteria, Indicator, Pillar, Proposal, Rule
from ..numbers import TOLERANCE, show
from ..requirements import Alternatives, Requirement, TierRequirement
from ..verdict import Verdict
from .ladder import Position, ladder_of, position, position_by
from .score import score
from .standing import Standing, holds_one, measure

__all__ = ["robustness", "sensitivity", "standing_of"]

_TOL = Fraction(TOLERANCE)


def sensitivity(
    proposal: Proposal,
    criteria: Criteria,
    as_of: _dt.date | None = None,
    *,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
) -> Sensitivity:
    """Weight ranges, single-observation flips and the robustness figure of one proposal.

    The proposal must have been checked against ``criteria`` (``reform_gate.sensitivity`` does
    that for library callers).
    """
    verdict = score(proposal, criteria, as_of)
    standing = standing_of(verdict, criteria)
    here = _place(position(standing, verdict.requested_tier))
    weights = _Weights(standing, verdict.requested_tier)
    ranges = [weights.rule(r) for r in criteria.rules] + [weights.pillar(p.id) for p in criteria.pillars]
    flips = _Flips(standing, verdict, here).all()
    return Sensitivity(
        verdict,
        tuple(sorted(ranges, key=_closeness)),
        tuple(flips),
        robustness(standing, verdict.requested_tier, seed=seed, draws=draws),
    )


def standing_of(verdict: Verdict, criteria: Criteria) -> Standing:
    """The standing behind a verdict: each rule's credit and whether it counted, the waivers."""
    return Standing(
        criteria,
        {f.rule: f.credit for f in verdict.findings},
        {f.rule: f.counted for f in verdict.findings},
        frozenset(w.rule for w in verdict.waivers),
    )


def _place(p: Position) -> Place:
    return Place(p.outcome, p.supported_tier)


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
    """A score requirement as a function of one weight ``x``: it holds where ``a x + b >= 0``.

    Where the score's denominator is 0 (a weight of 0 that empties its pillar or the overall
    mean), the score is 0 and the requirement holds only if ``at_empty`` says so.
    """

    def __init__(self, a: Fraction, b: Fraction, empty_at_zero: bool, at_empty: bool) -> None:
        self.a, self.b, self.empty_at_zero, self.at_empty = a, b, empty_at_zero, at_empty

    def holds(self, x: Fraction) -> bool:
        if x == 0 and self.empty_at_zero:
            return self.at_empty
        return self.a * x + self.b >= 0

    def root(self) -> Fraction | None:
        """Where ``a x + b`` changes sign, if it does so above 0."""
        if self.a == 0:
            return None
        x = -self.b / self.a
        return x if x > 0 else None


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
        self.leaves = _leaves(r for _, reqs in ladder_of(c) for r in reqs)
        # Gates and counts read no weight: measured once, as the engine measures them. Score
        # requirements are measured once at today's weights; a weight that moves them replaces that.
        self.fixed = {req: holds_one(req, s) for req in self.leaves if req.kind in ("gate", "min_met")}
        self.fixed.update({req: self._exact(req) for req in self.leaves if req.kind in ("min_pillar", "min_score")})

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
        return self._range("rule", rule.id, rule.title, p, rule.weight, linear)

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

        return _place(position_by(self.c, self.requested, test))

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
        roots = sorted({x for f in linear.values() if (x := f.root()) is not None})
        # The line [0, inf) cut into cells: the point 0, then open stretches and the roots between them.
        cells: list[tuple[Fraction, Fraction | None, Fraction]] = [(Fraction(0), Fraction(0), Fraction(0))]
        last = Fraction(0)
        for x in roots:
            cells.append((last, x, (last + x) / 2))
            cells.append((x, x, x))
            last = x
        cells.append((last, None, last + max(last, Fraction(1))))
        places = [self._place_at(linear, sample) for _, _, sample in cells]
        w = Fraction(weight)
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


def _leaves(reqs: Iterable[TierRequirement]) -> list[Requirement]:
    """Every leaf requirement, once each, own and in ``any_of`` groups alike."""
    found: dict[Requirement, None] = {}
    for r in reqs:
        for leaf in [r] if isinstance(r, Requirement) else [x for g in r.groups for x in g]:
            found.setdefault(leaf, None)
    return list(found)


# --- the Monte-Carlo figure -----------------------------------------------------------------------


def robustness(standing: Standing, requested: str, *, seed: int, draws: int, spread: float = SPREAD) -> Robustness:
    """The share of ``draws`` random weight changes that keep the outcome (and the supported tier).

    Each draw multiplies every rule weight, then every pillar weight, in file order, by its own
    factor drawn uniformly from ``[1 - spread, 1 + spread]`` with ``random.Random(seed)``: the
    same seed gives the same draws on any machine.
    """
    c = standing.criteria
    here = position(standing, requested)
    ladder = ladder_of(c)
    # Weights are the only thing that moves: each rule and pillar is rebuilt from its own fields,
    # passed in order (keywords would cost ten times as much, and a 200-rule set draws 200,000).
    rule_args, rule_at = _fields_of(c.rules, Rule)
    pillar_args, pillar_at = _fields_of(c.pillars, Pillar)
    new_rule: Callable[..., Rule] = Rule
    new_pillar: Callable[..., Pillar] = Pillar
    rng = random.Random(seed)
    low, high = 1 - spread, 1 + spread
    kept_outcome = kept_place = 0
    for _ in range(draws):
        rules = tuple(new_rule(*a[:rule_at], a[rule_at] * rng.uniform(low, high), *a[rule_at + 1 :]) for a in rule_args)
        pillars = tuple(
            new_pillar(*a[:pillar_at], a[pillar_at] * rng.uniform(low, high), *a[pillar_at + 1 :]) for a in pillar_args
        )
        moved = Criteria(c.criteria, pillars, c.indicators, rules, c.tiers)
        moved.derived.get("ladder", lambda: ladder)  # the tiers' requirements read no weight
        there = position(Standing(moved, standing.credits, standing.counted, standing.waived), requested)
        kept_outcome += there.outcome == here.outcome
        kept_place += there.key == here.key
    rule = (
        f"each rule and pillar weight independently multiplied by a factor drawn uniformly from "
        f"[{show(1 - spread)}, {show(1 + spread)}]"
    )
    return Robustness(seed, draws, spread, rule, kept_outcome, kept_place)


def _fields_of(
    items: Sequence[Rule] | Sequence[Pillar], cls: type[Rule] | type[Pillar]
) -> tuple[list[tuple[Any, ...]], int]:
    """Each item's constructor arguments in order, and where its weight is among them."""
    names = [f.name for f in attrs.fields(cls) if f.init]
    return [tuple(getattr(item, n) for n in names) for item in items], names.index("weight")


# --- observations --------------------------------------------------------------------------------


class _Flips:
    """Every single change of one indicator's evidence that changes the verdict."""

    def __init__(self, s: Standing, verdict: Verdict, here: Place) -> None:
        self.s, self.c, self.verdict, self.here = s, s.criteria, verdict, here
        self.requested = verdict.requested_tier
        self.usable: dict[str, Value] = {
            e.indicator: e.value for f in verdict.findings for e in f.evidence if e.counted
        }
        self.readers: dict[str, list[Rule]] = {}
        for rule in self.c.rules:
            for ident in checks.indicators_of(rule.check):
                self.readers.setdefault(ident, []).append(rule)
        self.scores = [r for r in _leaves(r for _, reqs in ladder_of(self.c) for r in reqs) if r.kind in _SCORES]

    def all(self) -> list[ObservationFlip]:
        out: list[ObservationFlip] = []
        for ident, indicator in self.c.indicators.items():
            if ident in self.readers:
                out += self._of(ident, indicator)
        return out

    def _standing(self, ident: str, value: Value | None) -> Standing:
        """The standing with this indicator's usable value replaced (``None``: no usable evidence)."""
        usable = dict(self.usable)
        if value is None:
            usable.pop(ident, None)
        else:
            usable[ident] = value
        credits, counted = dict(self.s.credits), dict(self.s.counted)
        for rule in self.readers[ident]:
            got = checks.credit(rule.check, usable)
            credits[rule.id] = 0.0 if got is None else got
            counted[rule.id] = got is not None or self.c.criteria.missing == "zero"
        return Standing(self.c, credits, counted, self.s.waived)

    def _place_with(self, ident: str, value: Value | None) -> Place:
        return _place(position(self._standing(ident, value), self.requested))

    def _flip(
        self, ident: str, ind: Indicator, kind: str, value: Value | None, text: str, place: Place, **range_: object
    ) -> ObservationFlip:
        rules = tuple(r.id for r in self.readers[ident])
        return ObservationFlip(ident, ind.title, rules, self.usable.get(ident), kind, value, text, place, **range_)  # type: ignore[arg-type]

    def _of(self, ident: str, ind: Indicator) -> list[ObservationFlip]:
        now = self.usable.get(ident)
        out = []
        if ind.type == "number":
            out += self._numbers(ident, ind)
        else:
            options: Sequence[Value] = (True, False) if ind.type == "bool" else (ind.levels or ())
            for value in options:
                if now is not None and checks.KINDS["equals"].credit(checks.Equals(ident, value), now) == 1.0:
                    continue
                place = self._place_with(ident, value)
                if place != self.here:
                    out.append(self._flip(ident, ind, "value", value, checks.show_value(value, ind), place))
        if now is not None:
            place = self._place_with(ident, None)
            if place != self.here:
                out.append(self._flip(ident, ind, "missing", None, "no usable evidence", place))
        return out

    # --- numbers ---------------------------------------------------------------------------------

    def _numbers(self, ident: str, ind: Indicator) -> list[ObservationFlip]:
        low, high = ind.min, ind.max
        leaves = [leaf for rule in self.readers[ident] for leaf in _leaf_checks(rule.check)]
        bends = sorted({x for leaf in leaves for x in _bends(leaf, ident) if _inside(x, low, high)})
        # all_of and any_of bend where two of their parts earn the same credit.
        for rule in self.readers[ident]:
            if isinstance(rule.check, AllOf | AnyOf):
                parts = _leaf_checks(rule.check)
                for lo, hi in _pieces(bends, low, high):
                    bends = sorted({*bends, *self._meetings(ident, parts, lo, hi)})
        points = set(bends)
        for lo, hi in _pieces(bends, low, high):
            points.update(self._crossings(ident, lo, hi))
        points.update(x for x in (low, high) if x is not None)
        cells = _cells(_distinct(points), low, high)
        places = [self._place_with(ident, sample) for _, _, sample in cells]
        out = []
        now = self.usable.get(ident)
        i = 0
        while i < len(cells):
            j = i
            while j + 1 < len(cells) and places[j + 1] == places[i]:
                j += 1
            if places[i] != self.here:
                lo, lo_in = cells[i][0], cells[i][0] == cells[i][1]
                hi, hi_in = cells[j][1], cells[j][0] == cells[j][1]
                words = _range_words(lo, lo_in, hi, hi_in, ind)
                extra = {"low": lo, "low_included": lo_in, "high": hi, "high_included": hi_in}
                out.append(self._flip(ident, ind, "range", _nearest(lo, hi, now), words, places[i], **extra))
            i = j + 1
        return out

    def _leaf_credit(self, leaf: Check, ident: str, value: float) -> float:
        """One leaf's credit with ``ident`` at ``value`` (a part without evidence earns 0)."""
        usable = {**self.usable, ident: value}
        return checks.credit(leaf, usable) or 0.0

    def _meetings(self, ident: str, parts: list[Check], lo: float | None, hi: float | None) -> list[float]:
        """Where two parts of a composite check earn the same credit, between two bends."""
        x1, x2 = _two_inside(lo, hi)
        lines = []
        for leaf in parts:
            y1, y2 = self._leaf_credit(leaf, ident, x1), self._leaf_credit(leaf, ident, x2)
            lines.append((y1, (y2 - y1) / (x2 - x1)))
        found = []
        for i, (y_i, slope_i) in enumerate(lines):
            for y_j, slope_j in lines[i + 1 :]:
                if abs(slope_i - slope_j) > 1e-15:
                    x = x1 + (y_j - y_i) / (slope_i - slope_j)
                    if (lo is None or x > lo) and (hi is None or x < hi) and math.isfinite(x):
                        found.append(x)
        return found

    def _crossings(self, ident: str, lo: float | None, hi: float | None) -> list[float]:
        """Where, between two bends, a score requirement starts or stops holding: each score is a
        straight line in the value there, so two measurements find it."""
        x1, x2 = _two_inside(lo, hi)
        one, two = self._standing(ident, x1), self._standing(ident, x2)
        found = []
        for req in self.scores:
            m1, m2 = measure(req, one), measure(req, two)
            if abs(m2 - m1) <= TOLERANCE * max(1.0, abs(m1)):
                continue
            x = x1 + (req.needed - m1) * (x2 - x1) / (m2 - m1)
            if math.isfinite(x):
                # Solving in floats leaves noise in the last digits (16249.999999999998 for 16250):
                # cut it. The cell at the point is judged at the point, so it stays self-consistent.
                x = float(f"{x:.12g}")
            if (lo is None or x > lo) and (hi is None or x < hi) and math.isfinite(x):
                found.append(x)
        return found


def _two_inside(lo: float | None, hi: float | None) -> tuple[float, float]:
    """Two distinct values strictly inside the stretch from ``lo`` to ``hi`` (``None``: open)."""
    if lo is None and hi is None:
        return 0.0, 1.0
    if lo is None:
        assert hi is not None
        step = max(1.0, abs(hi))
        return hi - 2 * step, hi - step
    if hi is None:
        step = max(1.0, abs(lo))
        return lo + step, lo + 2 * step
    return lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3


def _pieces(bends: list[float], low: float | None, high: float | None) -> list[tuple[float | None, float | None]]:
    """The stretches between consecutive bends, from ``low`` to ``high`` (``None``: open)."""
    ends: list[float | None] = [low, *[x for x in bends if x != low and x != high], high]
    return [(a, b) for a, b in itertools.pairwise(ends) if a is None or b is None or a < b]


def _leaf_checks(check: Check) -> list[Check]:
    if isinstance(check, AllOf | AnyOf):
        return [leaf for part in checks.parts_of(check) for leaf in _leaf_checks(part)]
    return [check]


#: Requirements whose measure is a straight line in a number between two bends (a gate reads a
#: credit, which passes its gate_min part way up a scale).
_SCORES = ("min_pillar", "min_score", "gate")


def _bends(check: Check, ident: str) -> list[float]:
    """The values of ``ident`` at which ``check``'s credit jumps or bends."""
    if isinstance(check, AllOf | AnyOf):
        return [x for part in checks.parts_of(check) for x in _bends(part, ident)]
    if check.indicator != ident:
        return []
    if isinstance(check, Equals):
        return [float(check.equals)] if _is_number(check.equals) else []
    if isinstance(check, OneOf):
        return [float(v) for v in check.one_of if _is_number(v)]
    if isinstance(check, AtLeast):
        return [check.at_least]
    if isinstance(check, AtMost):
        return [check.at_most]
    if isinstance(check, Scale):
        return list(check.scale)
    return []


def _is_number(v: Value) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _inside(x: float, low: float | None, high: float | None) -> bool:
    return (low is None or x >= low) and (high is None or x <= high)


def _distinct(xs: Iterable[float]) -> list[float]:
    """Values, dropping any within rounding noise of the one before (a cell that narrow says nothing)."""
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > 1e-9 * max(1.0, abs(x)):
            out.append(x)
    return out


def _cells(
    points: list[float], low: float | None, high: float | None
) -> list[tuple[float | None, float | None, float]]:
    """The number line from ``low`` to ``high`` cut at ``points``: (from, to, a value inside).

    A point is a cell of its own (from == to); an open stretch lies between. ``None`` is an open
    end. ``points`` holds ``low`` and ``high`` when they are given.
    """
    if not points:
        return [(None, None, 0.0)]
    cells: list[tuple[float | None, float | None, float]] = []
    if low is None:
        cells.append((None, points[0], points[0] - max(1.0, abs(points[0]))))
    for i, x in enumerate(points):
        if i:
            cells.append((points[i - 1], x, (points[i - 1] + x) / 2))
        cells.append((x, x, x))
    if high is None:
        cells.append((points[-1], None, points[-1] + max(1.0, abs(points[-1]))))
    return cells


def _nearest(lo: float | None, hi: float | None, now: Value | None) -> float | None:
    """The end of a range nearest to the value that counts now (the edge to cross)."""
    ends = [x for x in (lo, hi) if x is not None]
    if not ends:
        return None
    if not isinstance(now, int | float) or isinstance(now, bool):
        return ends[0]
    return min(ends, key=lambda x: abs(x - now))


def _range_words(lo: float | None, lo_in: bool, hi: float | None, hi_in: bool, ind: Indicator) -> str:
    """``at least 3 benchmarks``, ``above 10 and below 20 ha``, ``exactly 5``, ``any value``."""
    unit = f" {ind.unit}" if ind.unit else ""
    if lo is not None and lo == hi:
        return f"exactly {show(lo)}{unit}"
    parts = []
    if lo is not None and not (lo == ind.min and lo_in):
        parts.append(f"{'at least' if lo_in else 'above'} {show(lo)}")
    if hi is not None and not (hi == ind.max and hi_in):
        parts.append(f"{'at most' if hi_in else 'below'} {show(hi)}")
    return (" and ".join(parts) + unit) if parts else "any value"
