"""Single-observation flips (``docs/scoring.md``, "Which single observation would flip it?").

For every indicator that some rule reads, each change of that one indicator's evidence, the rest
as it is: every other bool value or level (every value, when none counts today), every range of
numbers, and losing the observation. A number's credit is piecewise linear in its value: it bends
or jumps only at a check's bounds and where two parts of an ``all_of`` or ``any_of`` cross. Between
those points every score and every gate's credit is a straight line in the value, so where a
requirement starts or stops holding is solved for from two measurements; the number line is then
cut at all those points and each point and each stretch between them is scored. Only the changes
that change the outcome or the supported tier are kept.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

from .. import checks
from ..analysis import ObservationFlip, Place
from ..checks import AllOf, AnyOf, AtLeast, AtMost, Check, Equals, OneOf, Scale, Value
from ..model import Indicator, Rule
from ..numbers import TOLERANCE, show
from ..verdict import Verdict
from .ladder import leaves, position
from .standing import Standing, measure

__all__ = ["flips"]


def flips(standing: Standing, verdict: Verdict) -> list[ObservationFlip]:
    """Every single change of one indicator's evidence that changes the verdict, by indicator."""
    return _Flips(standing, verdict).all()


class _Flips:
    """Every single change of one indicator's evidence that changes the verdict."""

    def __init__(self, s: Standing, verdict: Verdict) -> None:
        self.s, self.c, self.verdict = s, s.criteria, verdict
        self.requested = verdict.requested_tier
        self.here = position(s, self.requested).place
        self.usable: dict[str, Value] = {
            e.indicator: e.value for f in verdict.findings for e in f.evidence if e.counted
        }
        self.readers: dict[str, list[Rule]] = {}
        for rule in self.c.rules:
            for ident in checks.indicators_of(rule.check):
                self.readers.setdefault(ident, []).append(rule)
        self.scores = [r for r in leaves(self.c) if r.kind in _SCORES]

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
        return position(self._standing(ident, value), self.requested).place

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
_SCORES = ("min_pillar", "min_pillar_points", "min_score", "gate")


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
