"""Invariant: every score is a percentage and every credit a fraction (docs/scoring.md)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.model import Criteria, Proposal

from ..strategies import criteria, proposals

cases = criteria().flatmap(lambda c: st.tuples(st.just(c), proposals(c)))


@given(cases)
def test_scores_and_credits_stay_in_range(case: tuple[Criteria, Proposal]) -> None:
    """Overall, design and every pillar score lie in [0, 100]; every rule credit in [0, 1]."""
    c, p = case
    verdict = score(p, c)
    assert 0.0 <= verdict.overall_score <= 100.0
    if verdict.design_score is not None:
        assert 0.0 <= verdict.design_score <= 100.0
    for pillar in verdict.pillars:
        assert 0.0 <= pillar.score <= 100.0, pillar
    for finding in verdict.findings:
        assert 0.0 <= finding.credit <= 1.0, finding
        assert finding.points_won >= 0.0 and finding.points_lost >= 0.0, finding
