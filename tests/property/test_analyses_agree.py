"""Invariants that tie the analyses to scoring and to each other (docs/scoring.md, "Sensitivity";
docs/cli.md, what-if and compare):

- a what-if that sets each observation that counts to the value it already has changes no
  finding and no verdict;
- every single-observation flip the sensitivity analysis lists is what a what-if of that value
  gives;
- a proposal compared with itself differs in nothing;
- a headline never contradicts the body: "out of reach" only when the gap cannot reach the tier,
  never a word about the proposal's safeguards in a set that has no safeguard pillar, and a
  proposal sent back to revise is told that its safeguards fall short (a set whose safeguard
  pillars all weigh 0 has no design score, yet still judges safeguards through their gates).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import reform_gate
from reform_gate.analysis import ObservationFlip, Place
from reform_gate.checks import Value
from reform_gate.model import Criteria, Proposal
from reform_gate.render.shared import headline

from ..strategies import criteria, proposals

cases = criteria(max_rules=5).flatmap(lambda c: st.tuples(st.just(c), proposals(c)))


@given(cases)
def test_setting_what_counts_changes_nothing(case: tuple[Criteria, Proposal]) -> None:
    c, p = case
    v = reform_gate.score(p, c)
    counted: dict[str, Value | None] = {e.indicator: e.value for f in v.findings for e in f.evidence if e.counted}
    if not counted:
        return
    w = reform_gate.what_if(p, c, counted)
    assert w.findings == ()
    assert w.requirements == ()
    assert (w.after.outcome, w.after.supported_tier) == (v.outcome, v.supported_tier)
    assert [c.before for c in w.changes] == [c.after for c in w.changes]


def _inside(flip: ObservationFlip) -> float:
    """A value in a flip's range: an end that belongs to it, else a point inside."""
    lo, hi = flip.low, flip.high
    if lo is not None and hi is not None:
        return lo if flip.low_included else hi if flip.high_included else (lo + hi) / 2
    if lo is not None:
        return lo if flip.low_included else lo + max(1.0, abs(lo))
    if hi is not None:
        return hi if flip.high_included else hi - max(1.0, abs(hi))
    return 0.0


@given(cases)
def test_each_flip_is_what_a_what_if_gives(case: tuple[Criteria, Proposal]) -> None:
    c, p = case
    s = reform_gate.sensitivity(p, c, draws=1)
    for flip in s.flips:
        value = _inside(flip) if flip.kind == "range" else None if flip.kind == "missing" else flip.value
        w = reform_gate.what_if(p, c, {flip.indicator: value})
        assert Place(w.after.outcome, w.after.supported_tier) == flip.place, flip


@given(cases)
def test_a_proposal_compared_with_itself_differs_in_nothing(case: tuple[Criteria, Proposal]) -> None:
    c, p = case
    found = reform_gate.compare([(p, c), (p, c)])
    assert found.differences == ()
    assert found.same == len(c.rules)
    assert found.verdicts[0] == found.verdicts[1]
    assert [col.label for col in found.columns] == [f"{p.id} (1)", f"{p.id} (2)"]


@given(cases)
def test_headlines_agree_with_the_body(case: tuple[Criteria, Proposal]) -> None:
    c, p = case
    v = reform_gate.score(p, c)
    words = headline(v)
    if "out of reach" in words:
        assert v.gap is not None and not v.gap.reachable
    if v.outcome == "rejected" and v.gap is not None and not v.gap.reachable and v.supported_tier is None:
        assert "out of reach" in words
    if not any(pillar.kind == "safeguard" for pillar in c.pillars):
        assert "safeguards" not in words
    if v.outcome == "revise" and not v.outside_ladder:
        assert "safeguards fall short" in words
    if v.outcome == "rejected" and v.supported_tier is not None:
        assert "no tier" not in words
