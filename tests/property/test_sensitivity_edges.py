"""Invariant: each weight interval of the sensitivity analysis is exact (docs/scoring.md,
"Sensitivity"): just inside an edge the outcome and the supported tier hold, just outside they
change, to what the analysis says.

"Just" is measured with exact rational arithmetic: the verdict at a weight is computed here a
second time, independently of the engine, with :class:`fractions.Fraction` (scores, the overall
mean, each requirement against its bar less the tolerance, the ladder), so points a hair from an
edge can be judged without floating-point doubt. A float edge is within one rounding of the
exact one; the points tested sit ``2**-30`` of the edge's size away from it, far beyond that
rounding and far inside any stretch the generated sets produce.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from hypothesis import event, given
from hypothesis import strategies as st

import reform_gate
from reform_gate.analysis import Place, WeightRange
from reform_gate.model import Criteria, Proposal
from reform_gate.numbers import TOLERANCE
from reform_gate.numbers import exact as as_written
from reform_gate.requirements import Alternatives, Requirement, TierRequirement, compile_tier
from reform_gate.verdict import Verdict

from ..strategies import criteria, proposals

TOL = Fraction(TOLERANCE)
NUDGE = Fraction(1, 2**30)


def _snap(credit: Fraction) -> Fraction:
    return Fraction(1) if credit >= 1 - TOL else Fraction(0) if credit <= TOL else as_written(float(credit))


class Exact:
    """The verdict of a standing, in exact arithmetic, with one weight replaced."""

    def __init__(self, c: Criteria, v: Verdict) -> None:
        self.c = c
        self.v = v
        self.credit = {f.rule: Fraction(f.credit) for f in v.findings}
        self.counted = {f.rule: f.counted for f in v.findings}
        self.waived = {w.rule for w in v.waivers}
        self.ladder = [(t.id, compile_tier(t, c)) for t in c.tiers]

    def place(self, kind: str, ident: str, x: Fraction) -> Place:
        rule_w = {r.id: as_written(r.weight) for r in self.c.rules}
        pillar_w = {p.id: Fraction(p.weight) for p in self.c.pillars}
        (rule_w if kind == "rule" else pillar_w)[ident] = x
        score = {}
        points = {}
        for p in self.c.pillars:
            mine = [r for r in self.c.rules if r.pillar == p.id and self.counted[r.id]]
            total = sum((rule_w[r.id] for r in mine), Fraction(0))
            won = sum((rule_w[r.id] * self.credit[r.id] for r in mine), Fraction(0))
            score[p.id] = 100 * won / total if total > 0 else Fraction(0)
            # Points (min_pillar_points): the same share of every rule's weight, counted or not,
            # credits near 0 or 1 taken as 0 or 1, compared with no tolerance.
            whole = sum((rule_w[r.id] for r in self.c.rules if r.pillar == p.id), Fraction(0))
            won_exact = sum((rule_w[r.id] * _snap(self.credit[r.id]) for r in mine), Fraction(0))
            points[p.id] = won_exact * whole / total if total > 0 else Fraction(0)
        reform = [p.id for p in self.c.pillars if p.kind == "reform"]
        weights = sum((pillar_w[p] for p in reform), Fraction(0))
        overall = sum((pillar_w[p] * score[p] for p in reform), Fraction(0)) / weights if weights > 0 else Fraction(0)

        def holds(req: TierRequirement) -> bool:
            if isinstance(req, Alternatives):
                return any(all(holds(r) for r in g) for g in req.groups)
            return self._holds(req, score, points, overall)

        rungs = [
            (
                tier,
                all(holds(r) for r in reqs if r.scope == "reform"),
                all(holds(r) for r in reqs if r.scope == "safeguard"),
            )
            for tier, reqs in self.ladder
        ]
        supported = [t for t, reform_ok, _ in rungs if reform_ok]
        at = [t for t, _, _ in rungs].index(self.v.requested_tier)
        _, reform_ok, design_ok = rungs[at]
        if reform_ok:
            outcome = "supported" if design_ok else "revise"
        else:
            outcome = "scale-back" if any(r for _, r, _ in rungs[:at]) else "rejected"
        return Place(outcome, supported[-1] if supported else None)  # type: ignore[arg-type]

    def _holds(
        self, req: Requirement, score: dict[str, Fraction], points: dict[str, Fraction], overall: Fraction
    ) -> bool:
        if req.kind == "min_pillar_points":
            return points[req.subject] >= as_written(req.needed)
        bar = Fraction(req.needed) - TOL
        if req.kind == "min_score":
            return overall >= bar
        if req.kind == "min_pillar":
            return score[req.subject] >= bar
        if req.kind == "gate":
            return req.subject in self.waived or self.credit[req.subject] >= bar
        met = sum(1 for r in req.among if self.counted[r] and self.credit[r] >= 1 - TOL)
        return met >= bar


def _check_range(exact: Exact, w: WeightRange, note: Callable[[str], None]) -> None:
    now = as_written(w.weight)  # as written: a pillar's points are compared exactly at it
    inside = exact.place(w.kind, w.id, now)
    low = as_written(w.low)
    assert low <= now and (w.high is None or now <= as_written(w.high)), w
    # Just inside each edge the verdict is the one at the current weight; just outside it is not.
    edges: list[tuple[Fraction, int, Place | None]] = [(low, +1, w.below)]
    if w.high is not None:
        edges.append((as_written(w.high), -1, w.above))
    for edge, inward, beyond in edges:
        # Relative to the edge (a bar a hair under 100 can put an edge at 1e-11): exact rationals
        # can step that finely, and the float edge is within 2**-52 of the exact one.
        step = NUDGE * (abs(edge) if edge else Fraction(1))
        if (now - edge) * inward > 2 * step:
            assert exact.place(w.kind, w.id, edge + inward * step) == inside, (w, "just inside")
        if beyond is None:
            assert edge == 0 or inward == -1, w
            continue
        note(f"a {w.kind} weight flips the verdict")
        outside = edge - inward * step
        if outside < 0:
            outside = Fraction(0)
            assert edge == 0 and not w.low_included, w
        there = exact.place(w.kind, w.id, outside)
        assert there != inside, (w, "just outside")
        assert there == beyond, (w, there, beyond)
    if w.high is None:
        # No upper end: a weight far above is still inside.
        far = max(now, low, Fraction(1)) * 10**6
        assert exact.place(w.kind, w.id, far) == inside, w


def _check(c: Criteria, p: Proposal, note: Callable[[str], None] = event) -> None:
    s = reform_gate.sensitivity(p, c, draws=1)
    exact = Exact(c, s.verdict)
    # The exact verdict at today's weights is the engine's (scores far from any edge of 1e-9).
    assert exact.place("rule", c.rules[0].id, Fraction(c.rules[0].weight)) == Place(
        s.verdict.outcome, s.verdict.supported_tier
    )
    assert len(s.weights) == len(c.rules) + len(c.pillars)
    changes = [w.change for w in s.weights if w.change is not None]
    assert changes == sorted(changes), "closest to flipping first"
    for w in s.weights:
        _check_range(exact, w, note)


cases = criteria(max_rules=6).flatmap(lambda c: st.tuples(st.just(c), proposals(c)))


@given(cases)
def test_weight_intervals_are_exact(case: tuple[Criteria, Proposal]) -> None:
    _check(*case)


def test_weight_intervals_on_the_seeds() -> None:
    """The shipped set and every seed: the same law, on the cases an analyst reads."""
    from tests.render_util import SEEDS

    for seed in SEEDS:
        proposal = reform_gate.load_proposal(seed)
        _check(reform_gate.criteria_for(proposal), proposal, lambda _: None)
