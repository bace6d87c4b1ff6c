"""Invariant: the order of rules, pillars, indicators, observations and of the keys inside
checks and tiers means nothing; only the ladder of tiers is ordered."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.model import Criteria, Proposal
from reform_gate.verdict import Verdict

from ..strategies import criteria, proposals, shuffled_criteria, shuffled_proposal

TOLERANCE = 1e-9

cases = criteria().flatmap(
    lambda c: proposals(c).flatmap(
        lambda p: st.tuples(st.just(c), st.just(p), shuffled_criteria(c), shuffled_proposal(p))
    )
)


def _gap_size(v: Verdict) -> tuple[bool, int] | None:
    return None if v.gap is None else (v.gap.reachable, len(v.gap.steps))


@given(cases)
def test_permuting_changes_nothing(case: tuple[Criteria, Proposal, Criteria, Proposal]) -> None:
    """Permuted rules, pillars and tier keys give the same outcome, tier, scores and gap size."""
    c, p, c2, p2 = case
    one, two = score(p, c), score(p2, c2)
    assert (two.outcome, two.supported_tier) == (one.outcome, one.supported_tier)
    assert abs(two.overall_score - one.overall_score) <= TOLERANCE
    assert (one.design_score is None) == (two.design_score is None)
    if one.design_score is not None and two.design_score is not None:
        assert abs(two.design_score - one.design_score) <= TOLERANCE
    pillars = {x.id: x.score for x in two.pillars}
    for x in one.pillars:
        assert abs(pillars[x.id] - x.score) <= TOLERANCE, x.id
    credits = {f.rule: (f.status, f.credit) for f in two.findings}
    for f in one.findings:
        assert credits[f.rule][0] == f.status
        assert abs(credits[f.rule][1] - f.credit) <= TOLERANCE
    assert _gap_size(two) == _gap_size(one)
