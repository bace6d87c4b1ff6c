"""Invariant: coverage decides as scoring does. The outcome and supported tier that
``engine.coverage.decide`` finds on a verdict's own standing are the verdict's (docs/scoring.md,
"Coverage"), so a flip that changes the decision is one that would change a verdict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.engine.coverage import decide, standing_of
from reform_gate.model import Criteria, Proposal

from ..strategies import criteria, proposals

cases = criteria(max_rules=6).flatmap(lambda c: st.tuples(st.just(c), proposals(c)))


@given(cases)
def test_decide_on_the_verdicts_standing_is_the_verdict(case: tuple[Criteria, Proposal]) -> None:
    c, p = case
    v = score(p, c, gap=False)
    assert decide(c, standing_of(v, c), v.requested_tier) == (v.outcome, v.supported_tier)
