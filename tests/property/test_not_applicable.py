"""Invariant: setting a safeguard aside (``[not_applicable]``) touches the design score only, and
never lowers it against the same proposal with the indicator simply left out (``docs/scoring.md``,
"Safeguards that do not apply")."""

from __future__ import annotations

import attrs
from hypothesis import assume, given, note
from hypothesis import strategies as st

from reform_gate.checks import indicators_of
from reform_gate.engine import score
from reform_gate.model import Criteria, Proposal

from ..strategies import criteria, proposals

TOLERANCE = 1e-9


@st.composite
def marked(draw: st.DrawFn) -> tuple[Criteria, Proposal, Proposal, set[str]]:
    """A set with some safeguard rules marked ``may_not_apply``; a proposal without the observations
    of one such rule's indicators; the same proposal marking them not applicable; the rules set aside."""
    base = draw(criteria(safeguard=True))
    kinds = {p.id: p.kind for p in base.pillars}
    safeguards = [r for r in base.rules if kinds[r.pillar] == "safeguard"]
    assume(safeguards)
    chosen = draw(st.lists(st.sampled_from(safeguards), min_size=1, unique_by=lambda r: r.id))
    ids = {r.id for r in chosen}
    rules = tuple(attrs.evolve(r, may_not_apply=True) if r.id in ids else r for r in base.rules)
    c = attrs.evolve(base, rules=rules)
    target = draw(st.sampled_from(chosen))
    gone = set(indicators_of(target.check))
    p = draw(proposals(base))
    without = attrs.evolve(p, observations={k: v for k, v in p.observations.items() if k not in gone})
    marks = attrs.evolve(without, not_applicable={i: "does not apply to this engagement" for i in sorted(gone)})
    aside = set(c.set_aside(marks.not_applicable))
    note(f"marked {sorted(gone)}; set aside {sorted(aside)}")
    return c, without, marks, aside


@given(marked())
def test_setting_a_safeguard_aside_changes_only_the_design_score_and_never_lowers_it(
    case: tuple[Criteria, Proposal, Proposal, set[str]],
) -> None:
    c, without, marks, aside = case
    before, after = score(without, c), score(marks, c)
    assert aside, "the rule whose indicators were marked is set aside"
    # The record is untouched: every reform pillar, the overall score and the supported tier.
    kinds = {p.id: p.kind for p in c.pillars}
    for old, new in zip(before.pillars, after.pillars, strict=True):
        if kinds[old.id] == "reform":
            assert new.score == old.score
    assert after.overall_score == before.overall_score
    assert after.supported_tier == before.supported_tier
    # The design score never falls: what is set aside earned nothing without its evidence.
    if before.design_score is None:
        assert after.design_score is None  # no safeguard weight: no design score either way
    else:
        assert after.design_score is not None
        assert after.design_score >= before.design_score - TOLERANCE
    for f in after.findings:
        if f.rule in aside:
            assert (f.status, f.counted, f.points_won, f.points_lost) == ("not-applicable", False, 0.0, 0.0)
            assert f.not_applicable == "does not apply to this engagement"
        else:
            assert f.status == before.finding(f.rule).status
    # Nothing set aside is ever a step of what it would take.
    if after.gap is not None:
        assert not {s.rule for s in after.gap.steps} & aside
