"""Standing: pillar, overall and design scores from credits, and requirements measured against them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reform_gate import model as m
from reform_gate.checks import Equals
from reform_gate.engine.standing import Standing, holds, measure
from reform_gate.requirements import Alternatives, Requirement

from . import strategies


def _set() -> m.Criteria:
    rule = lambda ident, pillar, weight, gate=False: m.Rule(  # noqa: E731 - a table of small rules
        ident, pillar, weight, ident, Equals(ident.lower(), True), "r", "m", (), gate
    )
    return m.Criteria(
        m.CriteriaInfo("c", "1", "C"),
        (m.Pillar("a", "reform", 3, "A"), m.Pillar("b", "reform", 1, "B"), m.Pillar("s", "safeguard", 1, "S")),
        {i: m.Indicator("bool", i) for i in ("a1", "a2", "b1", "s1")},
        (rule("A1", "a", 1, True), rule("A2", "a", 3), rule("B1", "b", 1), rule("S1", "s", 1)),
        (m.Tier("t", "T"),),
    )


def test_scores_are_weighted_means() -> None:
    """Pillar = 100 * won / weight; overall = reform pillars weighted; design = safeguard pillars."""
    c = _set()
    s = Standing(c, {"A1": 1.0, "A2": 0.5, "B1": 0.0, "S1": 1.0}, dict.fromkeys(["A1", "A2", "B1", "S1"], True))
    assert s.pillar_score("a") == pytest.approx(100 * 2.5 / 4)
    assert s.overall() == pytest.approx((3 * 62.5 + 0) / 4)
    assert s.design() == pytest.approx(100.0)


def test_a_rule_left_out_leaves_its_pillar_sums() -> None:
    """Under "exclude", a missing rule neither wins nor weighs."""
    c = _set()
    s = Standing(c, {"A1": 1.0, "A2": 0.0, "B1": 0.0, "S1": 0.0}, {"A1": True, "A2": False, "B1": True, "S1": True})
    assert s.pillar_score("a") == pytest.approx(100.0)
    assert s.counted_rules("a") == 1


def test_measure_and_holds_with_waivers_and_alternatives() -> None:
    """A waived gate holds at any credit; an any_of holds when one group does."""
    c = _set()
    credits = {"A1": 0.0, "A2": 1.0, "B1": 0.0, "S1": 1.0}
    s = Standing(c, credits, dict.fromkeys(credits, True), frozenset({"A1"}))
    gate = Requirement("gate", "reform", "A1", 1.0)
    assert measure(gate, s) == 0.0
    assert holds([gate], s)
    count = Requirement("min_met", "reform", "", 2.0, ("A1", "A2", "B1"))
    assert measure(count, s) == 1.0 and not holds([count], s)
    either = Alternatives("reform", ((Requirement("min_pillar", "reform", "b", 50),), (count,)))
    assert not holds([either], s)
    assert holds([either], s.raised(["B1"]))
    assert holds([count, gate], s, scope="safeguard")  # nothing of that scope: holds vacuously


@given(st.data())
def test_raised_equals_a_standing_built_afresh(data: st.DataObject) -> None:
    """Raising rules in place gives the same scores, bit for bit, as building the standing anew."""
    c = data.draw(strategies.criteria())
    s = data.draw(strategies.standings(c))
    chosen = data.draw(st.lists(st.sampled_from([r.id for r in c.rules]), unique=True))
    raised = s.raised(chosen)
    credits = {**s.credits, **dict.fromkeys(chosen, 1.0)}
    counted = {**s.counted, **dict.fromkeys(chosen, True)}
    fresh = Standing(c, credits, counted, s.waived)
    assert raised.overall() == fresh.overall()
    assert raised.design() == fresh.design()
    assert all(raised.pillar_score(p.id) == fresh.pillar_score(p.id) for p in c.pillars)
