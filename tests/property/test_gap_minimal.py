"""Invariant: the gap is the fewest rules whose raising to full credit meets the tier (docs/scoring.md),
checked against brute force over every subset of rules on small criteria sets."""

from __future__ import annotations

import itertools

from hypothesis import event, example, given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.engine.gap import fewest_rules
from reform_gate.engine.standing import Standing, holds
from reform_gate.model import (
    Credit,
    Criteria,
    CriteriaInfo,
    Equals,
    Indicator,
    MinMet,
    Pillar,
    Proposal,
    RequirementGroup,
    Rule,
    Scale,
    Tier,
)
from reform_gate.requirements import Alternatives, Requirement, TierRequirement, compile_tier
from reform_gate.verdict import Gap

from ..strategies import criteria, proposals, standings, validated

Problem = tuple[Criteria, Standing, Tier]


def _fewest_by_brute_force(reqs: list[TierRequirement], s: Standing) -> int | None:
    """The size of the smallest set of rules the gap may propose whose raising makes every requirement hold."""
    ids = [r.id for r in s.criteria.rules if r.in_gap]
    for size in range(len(ids) + 1):
        for subset in itertools.combinations(ids, size):
            if holds(reqs, s.raised(subset)):
                return size
    return None


def _describe(reqs: list[TierRequirement], s: Standing) -> None:
    """Label the example with the features it exercises (see ``--hypothesis-show-statistics``)."""
    leaves = [r for r in reqs if isinstance(r, Requirement)]
    leaves += [x for r in reqs if isinstance(r, Alternatives) for g in r.groups for x in g]
    event(f"missing = {s.criteria.criteria.missing}")
    for kind in sorted({r.kind for r in leaves}):
        event(f"requirement {kind}")
    if any(r.kind == "min_met" and len(r.among) < len(s.criteria.rules) for r in leaves):
        event("min_met among a list")
    if any(isinstance(r, Alternatives) for r in reqs):
        event("any_of")
    if any(not r.in_gap for r in s.criteria.rules):
        event("a rule kept out of the gap")
    if s.waived:
        event("waived gate")


def _check(reqs: list[TierRequirement], s: Standing) -> None:
    found = fewest_rules(reqs, s)
    fewest = _fewest_by_brute_force(reqs, s)
    _describe(reqs, s)
    assert len(set(found.rules)) == len(found.rules), found.rules
    assert all(s.criteria.rule(r).in_gap for r in found.rules), found.rules
    if fewest is None:
        assert not found.reachable, found.rules
        return
    assert found.reachable, f"brute force reaches the tier with {fewest} rules"
    assert holds(reqs, s.raised(found.rules)), found.rules
    assert len(found.rules) == fewest, (found.rules, fewest)
    assert found.exact


# --- hand-built examples, so every run covers the hard cases ---------------------------------


def _small_set(missing: str, rules: list[Rule], pillars: list[Pillar], tier: Tier) -> Criteria:
    info = CriteriaInfo("example", "1", "Example", missing=missing)  # type: ignore[arg-type]
    indicators = {"x": Indicator("bool", "x")}
    return validated(Criteria(info, tuple(pillars), indicators, tuple(rules), (tier,)))


def _rule(ident: str, pillar: str, weight: float, gate: bool = False, waivable: bool = False) -> Rule:
    return Rule(ident, pillar, weight, ident, Equals("x", True), "", "", (), gate, 1.0, waivable)


def _exclude_mixed_pillar() -> Problem:
    """A pillar mixing counted and left-out rules: excluded rules raise the score only by
    joining the sums, so a heavy excluded rule can beat a light counted one."""
    pillars = [Pillar("ct", "reform", 1, "ct")]
    rules = [_rule("a", "ct", 1), _rule("b", "ct", 1), _rule("c", "ct", 5), _rule("d", "ct", 3), _rule("e", "ct", 2)]
    tier = Tier("t", "t", min_pillar={"ct": 80})
    c = _small_set("exclude", rules, pillars, tier)
    credit = {"a": 1.0, "b": 0.0, "c": 0.0, "d": 0.5, "e": 0.0}
    counted = {"a": True, "b": True, "c": False, "d": True, "e": False}
    return c, Standing(c, credit, counted), tier


def _among_and_waiver() -> Problem:
    """``min_met`` among a list that cuts across pillars, a minimum score, and a waived gate."""
    pillars = [Pillar("ct", "reform", 2, "ct"), Pillar("cl", "reform", 1, "cl"), Pillar("sg", "safeguard", 1, "sg")]
    rules = [
        _rule("g", "ct", 4, gate=True, waivable=True),
        _rule("h", "ct", 1, gate=True),
        _rule("a", "ct", 3),
        _rule("b", "cl", 1),
        _rule("c", "cl", 2),
        _rule("s", "sg", 1),
    ]
    tier = Tier("t", "t", min_score=60, gates="all", min_met=MinMet(2, ("b", "c", "a")))
    c = _small_set("zero", rules, pillars, tier)
    credit = {"g": 0.0, "h": 0.5, "a": 0.0, "b": 0.0, "c": 0.25, "s": 0.0}
    return c, Standing(c, credit, dict.fromkeys(credit, True), frozenset({"g"})), tier


def _any_of_groups() -> Problem:
    """An ``any_of`` whose cheaper group is listed second, beside a failing gate."""
    pillars = [Pillar("ct", "reform", 1, "ct"), Pillar("cl", "reform", 1, "cl"), Pillar("sg", "safeguard", 1, "sg")]
    rules = [_rule("a", "ct", 1), _rule("b", "ct", 1), _rule("c", "cl", 1), _rule("s", "sg", 1, gate=True)]
    groups = (RequirementGroup(min_pillar={"ct": 100}), RequirementGroup(min_met=MinMet(1, ("c",))))
    tier = Tier("t", "t", gates=("s",), any_of=groups)
    c = _small_set("zero", rules, pillars, tier)
    credit = dict.fromkeys(["a", "b", "c", "s"], 0.0)
    return c, Standing(c, credit, dict.fromkeys(credit, True)), tier


def _points_beside_exclude() -> Problem:
    """``min_pillar_points`` under ``"exclude"`` with decimal weights: the bar is 3.3 of 6.6 points
    (one half), and a rule left out shrinks what the points are counted out of."""
    pillars = [Pillar("ct", "reform", 1, "ct"), Pillar("cl", "reform", 1, "cl")]
    rules = [_rule("a", "ct", 1.1), _rule("b", "ct", 2.2), _rule("c", "ct", 3.3), _rule("d", "cl", 0.1)]
    tier = Tier("t", "t", min_pillar_points={"ct": 3.3, "cl": 0.1})
    c = _small_set("exclude", rules, pillars, tier)
    credit = {"a": 1.0, "b": 0.0, "c": 0.0, "d": 0.0}
    counted = {"a": True, "b": True, "c": False, "d": False}
    return c, Standing(c, credit, counted), tier


problems = criteria(max_rules=8).flatmap(lambda c: st.tuples(st.just(c), standings(c), st.sampled_from(c.tiers)))


@given(problems)
@example(_exclude_mixed_pillar())
@example(_among_and_waiver())
@example(_any_of_groups())
@example(_points_beside_exclude())
def test_fewest_rules_is_minimal_and_sufficient(problem: Problem) -> None:
    """fewest_rules returns a set of the brute-force minimum size that meets the tier, or says unreachable."""
    c, s, tier = problem
    _check(compile_tier(tier, c), s)


verdicts = criteria(max_rules=8).flatmap(lambda c: st.tuples(st.just(c), proposals(c)))


def _check_gap(gap: Gap, reqs: list[TierRequirement], s: Standing) -> None:
    """A verdict's gap is as small as brute force finds, and its partial raises are enough and needed."""
    fewest = _fewest_by_brute_force(reqs, s)
    assert gap.reachable == (fewest is not None)
    if fewest is None:
        return
    assert gap.exact
    assert len(gap.steps) == fewest
    assert holds(reqs, s.raised(step.rule for step in gap.steps))
    # The credits the steps name (partial raises included) are enough ...
    targets = {step.rule: step.credit for step in gap.steps}
    assert holds(reqs, s.raised_to(targets))
    for step in gap.steps:
        rule = s.criteria.rule(step.rule)
        if step.partial:
            assert isinstance(rule.check, Scale | Credit), step
            assert step.credit < 1 and step.value is not None, step
            assert not s.counted[step.rule] or step.credit > s.credits[step.rule], step
        else:
            assert step.credit == 1.0 and step.value is None, step
        # ... and each is needed: in a smallest answer no step can be left out.
        without = {r: x for r, x in targets.items() if r != step.rule}
        assert not holds(reqs, s.raised_to(without)), step.rule


@given(verdicts)
def test_verdict_gap_is_minimal(case: tuple[Criteria, Proposal]) -> None:
    """A verdict's gap has as many steps as the brute-force minimum for its requested tier, and when
    the outcome is scale-back, so has its gap to the supported tier; partial raises are enough."""
    c, p = case
    verdict = score(p, c)
    credit = {f.rule: f.credit for f in verdict.findings}
    counted = {f.rule: f.counted for f in verdict.findings}
    s = Standing(c, credit, counted, frozenset(w.rule for w in verdict.waivers))
    reqs = compile_tier(c.tier(verdict.requested_tier), c)
    if verdict.gap is None:
        assert verdict.outcome == "supported" and _fewest_by_brute_force(reqs, s) == 0
        assert verdict.gap_to_supported is None
        return
    _check_gap(verdict.gap, reqs, s)
    if verdict.outcome == "scale-back":
        assert verdict.gap_to_supported is not None and verdict.supported_tier is not None
        assert verdict.gap_to_supported.tier == verdict.supported_tier
        _check_gap(verdict.gap_to_supported, compile_tier(c.tier(verdict.supported_tier), c), s)
    else:
        assert verdict.gap_to_supported is None
