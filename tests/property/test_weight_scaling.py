"""Invariant: weights are relative; scaling every rule and pillar weight by k > 0 changes nothing.

Bars written in points (``min_pillar_points``) are left out: they are counted exactly in the units
the weights are written in, and a float product such as 0.1 * 3 is not the decimal 0.3.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.model import Criteria, Proposal
from reform_gate.verdict import Verdict

from ..strategies import criteria, proposals, scaled, validated, without_points

TOLERANCE = 1e-6

factors = st.sampled_from([0.001, 0.1, 0.5, 2, 3, 7.5, 1000]) | st.floats(0.01, 100)
cases = criteria().map(without_points).flatmap(lambda c: st.tuples(st.just(c), proposals(c), factors))


def _gap_size(v: Verdict) -> tuple[bool, int] | None:
    return None if v.gap is None else (v.gap.reachable, len(v.gap.steps))


@given(cases)
def test_scaling_weights_changes_nothing(case: tuple[Criteria, Proposal, float]) -> None:
    """Every weight times k > 0 gives the same scores (within 1e-6), outcome, tier and gap size."""
    c, p, k = case
    one, two = score(p, c), score(p, validated(scaled(c, k)))
    assert (two.outcome, two.supported_tier) == (one.outcome, one.supported_tier)
    assert abs(two.overall_score - one.overall_score) <= TOLERANCE
    if one.design_score is not None and two.design_score is not None:
        assert abs(two.design_score - one.design_score) <= TOLERANCE
    for a, b in zip(one.pillars, two.pillars, strict=True):
        assert abs(a.score - b.score) <= TOLERANCE, a.id
    assert _gap_size(two) == _gap_size(one)
