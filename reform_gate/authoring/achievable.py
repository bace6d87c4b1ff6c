"""Which credits, pillar scores, points and overall scores a criteria set can give at all.

For the lint's calibration check (L006, ``docs/cli.md``, "criteria lint"): a bar that lies
strictly between two achievable values can be moved up to the next one without changing any
verdict, so the number written is not the bar in force.

Sets of achievable values are unions of closed intervals of exact fractions (a point is an
interval of length 0). A rule's credit takes finitely many values when its check is all or nothing
(``equals``, ``one_of``, ``at_least``, ``at_most``) or a ``credit`` table, and an interval when a
``scale`` reads a number. From the rules' credits, a pillar's score is the set of
100 × Σ(w × c) / Σ(w) over every combination (and, under ``missing = "exclude"``, every choice of
which rules have evidence); the overall score combines the reform pillars' sets. Where the parts
of an ``all_of`` or ``any_of`` are not all finite, or a set would grow past :data:`LIMIT`
intervals, it is widened to its hull or given up on: the sets here may be larger than the truth,
never smaller, so a value reported as unachievable is unachievable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from .. import checks
from ..checks import Check
from ..model import Criteria, Indicator, Rule
from ..numbers import TOLERANCE, exact

__all__ = ["LIMIT", "Span", "credit_range", "credits", "gap_around", "merged", "overall_scores", "pillar_scores"]

#: An interval [low, high] of achievable values.
Span = tuple[Fraction, Fraction]
#: Intervals kept at most; past this a set is given up on (``None``: anything may be achievable).
LIMIT = 20_000

_ZERO, _ONE = Fraction(0), Fraction(1)


def merged(spans: Iterable[Span]) -> list[Span]:
    """Sorted intervals, overlapping or touching ones joined."""
    out: list[Span] = []
    for low, high in sorted(spans):
        if out and low <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


def _sum(a: Sequence[Span], b: Sequence[Span]) -> list[Span] | None:
    if len(a) * len(b) > LIMIT * 4:
        return None
    out = merged((x0 + y0, x1 + y1) for x0, x1 in a for y0, y1 in b)
    return out if len(out) <= LIMIT else None


def _scaled(spans: Sequence[Span], k: Fraction) -> list[Span]:
    return merged((k * low, k * high) if k >= 0 else (k * high, k * low) for low, high in spans)


# --- one rule's credit -----------------------------------------------------------------------------


def credit_range(check: checks.Leaf, ind: Indicator | None) -> tuple[float, float]:
    """The lowest and highest credit a leaf check gives over every value its indicator allows."""
    points = _leaf(check, ind)
    return float(points[0][0]), float(points[-1][1])


def _leaf(check: checks.Leaf, ind: Indicator | None) -> list[Span]:
    low = -float("inf") if ind is None or ind.min is None else ind.min
    high = float("inf") if ind is None or ind.max is None else ind.max
    if isinstance(check, checks.Scale):
        a, b = check.scale
        ends = [checks.KINDS["scale"].credit(check, v) for v in (low, high) if abs(v) != float("inf")]
        # An open end of the range reaches the far side of the scale.
        rising = b > a
        if low == -float("inf"):
            ends.append(0.0 if rising else 1.0)
        if high == float("inf"):
            ends.append(1.0 if rising else 0.0)
        return [(exact(min(ends)), exact(max(ends)))]
    if isinstance(check, checks.Credit):
        return merged((_exact_credit(x), _exact_credit(x)) for x in check.credit.values())
    if isinstance(check, checks.AtLeast):
        return _bools(can_meet=high >= check.at_least - TOLERANCE, can_fail=low < check.at_least - TOLERANCE)
    if isinstance(check, checks.AtMost):
        return _bools(can_meet=low <= check.at_most + TOLERANCE, can_fail=high > check.at_most + TOLERANCE)
    if isinstance(check, checks.OneOf) and ind is not None and ind.type in ("bool", "level"):
        allowed: list[checks.Value] = [True, False] if ind.type == "bool" else list(ind.levels or ())
        hits = [v for v in allowed if checks.KINDS["one_of"].credit(check, v) >= 1.0]
        return _bools(can_meet=bool(hits), can_fail=len(hits) < len(allowed))
    if isinstance(check, checks.OneOf) and ind is not None:
        inside = [v for v in check.one_of if isinstance(v, int | float) and low - TOLERANCE <= v <= high + TOLERANCE]
        return _bools(can_meet=bool(inside), can_fail=low < high or not inside)
    if isinstance(check, checks.Equals) and ind is not None and ind.type == "level":
        return _bools(can_meet=True, can_fail=len(ind.levels or ()) > 1)
    return _bools(can_meet=True, can_fail=True)


def _bools(*, can_meet: bool, can_fail: bool) -> list[Span]:
    out = [(_ZERO, _ZERO)] if can_fail else []
    return out + ([(_ONE, _ONE)] if can_meet else []) or [(_ZERO, _ZERO)]


def _exact_credit(x: float) -> Fraction:
    return _ONE if x >= 1.0 - TOLERANCE else _ZERO if x <= TOLERANCE else exact(x)


def credits(check: Check, indicators: dict[str, Indicator]) -> list[Span]:
    """Every credit ``check`` can give to observed values (missing evidence aside)."""
    if isinstance(check, checks.AllOf | checks.AnyOf):
        parts = [credits(p, indicators) for p in checks.parts_of(check)]
        pick = min if isinstance(check, checks.AllOf) else max
        if all(low == high for spans in parts for low, high in spans):
            found: list[Fraction] = [_ZERO]
            combos: list[list[Fraction]] = [[]]
            for spans in parts:
                combos = [[*c, low] for c in combos for low, _ in spans]
                if len(combos) > LIMIT:
                    break
            else:
                found = [pick(c) for c in combos]
                return merged((x, x) for x in found)
        # Not all finite (or too many): the hull, which holds every value the parts can give.
        return [(pick(s[0][0] for s in parts), pick(s[-1][1] for s in parts))]
    return _leaf(check, indicators.get(check.indicator))


# --- pillar, points and overall ------------------------------------------------------------------


def _rule_options(rule: Rule, c: Criteria) -> list[Span]:
    spans = credits(rule.check, c.indicators)
    if c.criteria.missing == "zero":
        # Missing evidence is credit 0.
        spans = merged([*spans, (_ZERO, _ZERO)])
    return spans


def pillar_scores(c: Criteria, pillar: str) -> list[Span] | None:
    """Every score (0-100) the pillar can have; ``None`` when there are too many to list."""
    rules = [r for r in c.rules if r.pillar == pillar]
    if c.criteria.missing == "zero":
        total = sum((exact(r.weight) for r in rules), _ZERO)
        won: list[Span] | None = [(_ZERO, _ZERO)]
        for r in rules:
            won = _sum(won, _scaled(_rule_options(r, c), exact(r.weight))) if won is not None else None
        if won is None:
            return None
        return _scaled(won, 100 / total) if total > 0 else [(_ZERO, _ZERO)]
    # Under "exclude": per counted weight, the weight that can be won.
    states: dict[Fraction, list[Span]] = {_ZERO: [(_ZERO, _ZERO)]}
    for r in rules:
        w = exact(r.weight)
        options = _scaled(_rule_options(r, c), w)
        nxt: dict[Fraction, list[Span]] = {k: list(v) for k, v in states.items()}
        for counted, won_spans in states.items():
            added = _sum(won_spans, options)
            if added is None:
                return None
            nxt[counted + w] = merged([*nxt.get(counted + w, []), *added])
        states = nxt
        if sum(len(v) for v in states.values()) > LIMIT:
            return None
    out: list[Span] = []
    for counted, won_spans in states.items():
        out += _scaled(won_spans, 100 / counted) if counted > 0 else [(_ZERO, _ZERO)]
    return merged(out)


def overall_scores(c: Criteria) -> list[Span] | None:
    """Every overall reform score the set can give; ``None`` when there are too many to list."""
    reform = [p for p in c.pillars if p.kind == "reform"]
    total = sum((exact(p.weight) for p in reform), _ZERO)
    if total <= 0:
        return [(_ZERO, _ZERO)]
    out: list[Span] | None = [(_ZERO, _ZERO)]
    for p in reform:
        scores = pillar_scores(c, p.id)
        if scores is None or out is None:
            return None
        out = _sum(out, _scaled(scores, exact(p.weight) / total))
    return out


def gap_around(spans: Sequence[Span], bar: Fraction, slack: Fraction = _ZERO) -> tuple[Fraction, Fraction] | None:
    """When ``bar`` lies strictly between two achievable values and is not one itself: the highest
    achievable value below it and the lowest above it.

    ``slack`` is how far below the bar a value still reaches it (the tolerance of a score
    comparison; 0 for points, which are compared exactly).
    """
    floor = bar - slack
    below = [high for low, high in spans if high < floor]
    above = [low for low, high in spans if low > bar]
    if any(low <= bar and high >= floor for low, high in spans) or not below or not above:
        return None
    return max(below), min(above)
