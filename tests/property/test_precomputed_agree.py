"""Invariant: what scoring works out once per criteria set or per standing (``docs/performance.md``)
gives what working it out afresh on every call gives, to the last bit.

The references below are the plain forms the precomputation replaced: a pillar's points summed in
exact fractions from the rules' written weights, the overall and design scores summed from the
pillar scores, and the gap search's gains read through ``Criteria.rule`` and ``Criteria.pillar``.
A standing raised from another (which keeps the points of the pillars it did not touch) must agree
with one built afresh from the same credits.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from reform_gate.engine import gap
from reform_gate.engine.standing import Standing, exact_credit, pillars_of_kind
from reform_gate.model import Criteria
from reform_gate.numbers import exact
from reform_gate.requirements import pillar_total

from ..strategies import criteria, standings

cases = criteria(max_rules=10).flatmap(
    lambda c: st.tuples(
        st.just(c),
        standings(c),
        st.lists(st.sampled_from([r.id for r in c.rules]), max_size=4),
        st.floats(0.0, 1.0),
    )
)


def _points(s: Standing, pillar: str) -> Fraction:
    won, weight = Fraction(0), Fraction(0)
    for r in s.criteria.rules:
        if r.pillar == pillar and s.counted[r.id]:
            w = exact(r.weight)
            won += w * exact_credit(s.credits[r.id])
            weight += w
    return won * pillar_total(s.criteria, pillar) / weight if weight > 0 else Fraction(0)


def _mean(s: Standing, kind: str) -> float | None:
    pillars = [p for p in s.criteria.pillars if p.kind == kind]
    total = sum(p.weight for p in pillars)
    if not pillars or total <= 0:
        return None
    return min(sum(p.weight * s.pillar_score(p.id) for p in pillars) / total, 100.0)


def _overall_gain(s: Standing, rule: str) -> float:
    r = s.criteria.rule(rule)
    pillar = s.criteria.pillar(r.pillar)
    total = pillars_of_kind(s.criteria)[pillar.kind][1]
    if total <= 0:
        return 0.0
    won = s.pillar_score(r.pillar) * s.pillar_weight(r.pillar) / 100.0
    weight = s.pillar_weight(r.pillar)
    if s.counted[rule]:
        after = 100.0 * (won + r.weight * (1.0 - s.credits[rule])) / weight if weight > 0 else 0.0
    else:
        after = 100.0 * (won + r.weight) / (weight + r.weight) if weight + r.weight > 0 else 0.0
    return pillar.weight / total * (after - s.pillar_score(r.pillar))


def _pillar_gain(s: Standing, rule: str, target: float) -> float:
    r = s.criteria.rule(rule)
    return r.weight * (1.0 - s.credits[rule]) if s.counted[rule] else r.weight * (1.0 - target)


def _agrees(s: Standing, c: Criteria, target: float) -> None:
    for p in c.pillars:
        assert s.pillar_points(p.id) == _points(s, p.id)
        assert s.pillar_points(p.id) == _points(s, p.id)  # asked again: from the standing's memory
    for _ in range(2):
        assert s.overall() == (_mean(s, "reform") or 0.0)
        assert s.design() == _mean(s, "safeguard")
    for r in c.rules:
        assert gap._overall_gain(s, r.id) == _overall_gain(s, r.id)
        assert gap._pillar_gain(s, r.id, target) == _pillar_gain(s, r.id, target)


@given(cases)
def test_worked_out_once_is_worked_out_afresh(case: tuple[Criteria, Standing, list[str], float]) -> None:
    c, s, raise_these, target = case
    _agrees(s, c, target)
    raised = s.raised(raise_these)
    _agrees(raised, c, target)
    fresh = Standing(c, dict(raised.credits), dict(raised.counted), s.waived, s.set_aside)
    for p in c.pillars:
        assert raised.pillar_points(p.id) == fresh.pillar_points(p.id)
        assert raised.pillar_score(p.id) == fresh.pillar_score(p.id)
    assert (raised.overall(), raised.design()) == (fresh.overall(), fresh.design())


@given(cases)
def test_the_search_on_a_fresh_set_finds_what_it_finds_on_a_warm_one(
    case: tuple[Criteria, Standing, list[str], float],
) -> None:
    """The per-set memory is an optimisation only: a set whose memory was filled by an earlier
    search (the batch case) answers as a set seen for the first time."""
    from reform_gate.requirements import compile_tier

    c, s, _, _ = case
    cold = Criteria(c.criteria, c.pillars, c.indicators, c.rules, c.tiers)
    for tier in c.tiers:
        reqs = compile_tier(tier, c)
        warm = gap.fewest_rules(reqs, s)
        again = gap.fewest_rules(reqs, Standing(cold, dict(s.credits), dict(s.counted), s.waived, s.set_aside))
        assert (warm.rules, warm.reachable, warm.exact) == (again.rules, again.reachable, again.exact)
