"""Invariant: under ``missing = "zero"``, better evidence never lowers a score or the outcome."""

from __future__ import annotations

import attrs
from hypothesis import given, note
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.engine.evidence import judge
from reform_gate.model import OUTCOMES, Criteria, Proposal
from reform_gate.verdict import Verdict

from ..strategies import better_value, criteria, leaves, observations, proposals

TOLERANCE = 1e-9


@st.composite
def improved(draw: st.DrawFn, c: Criteria, p: Proposal) -> Proposal:
    """``p`` with one indicator's evidence made better for the one check that reads it: a missing
    or unusable observation replaced by a usable one, or a usable value moved towards full credit."""
    readers = {leaf.indicator: leaf for rule in c.rules for leaf in leaves(rule.check)}
    ident = draw(st.sampled_from(sorted(readers)))
    if not _usable(c, p, ident):
        new = draw(observations(c.indicators[ident], p.proposal.date, usable=True))
    else:
        old = p.observations[ident]
        new = attrs.evolve(old, value=draw(better_value(readers[ident], c.indicators[ident], old.value)))
    note(f"{ident}: {p.observations.get(ident)} -> {new}")
    return attrs.evolve(p, observations={**p.observations, ident: new})


@st.composite
def added(draw: st.DrawFn, c: Criteria, p: Proposal) -> Proposal:
    """``p`` with one absent or unusable observation replaced by usable evidence of any value."""
    lacking = [ident for ident in c.indicators if not _usable(c, p, ident)]
    if not lacking:
        return p
    ident = draw(st.sampled_from(lacking))
    new = draw(observations(c.indicators[ident], p.proposal.date, usable=True))
    note(f"{ident}: {p.observations.get(ident)} -> {new}")
    return attrs.evolve(p, observations={**p.observations, ident: new})


def _usable(c: Criteria, p: Proposal, ident: str) -> bool:
    obs = p.observations.get(ident)
    return obs is not None and judge(obs, c.criteria, p.proposal.date).usable


def _rank(v: Verdict, c: Criteria) -> tuple[int, int]:
    tiers = [t.id for t in c.tiers]
    return OUTCOMES.index(v.outcome), -1 if v.supported_tier is None else tiers.index(v.supported_tier)


def _no_lower(before: Verdict, after: Verdict, c: Criteria) -> None:
    assert after.overall_score >= before.overall_score - TOLERANCE
    if before.design_score is not None:
        assert after.design_score is not None
        assert after.design_score >= before.design_score - TOLERANCE
    for old, new in zip(before.pillars, after.pillars, strict=True):
        assert new.score >= old.score - TOLERANCE, (old, new)
    for old_f, new_f in zip(before.findings, after.findings, strict=True):
        assert new_f.credit >= old_f.credit - TOLERANCE, (old_f.rule, old_f.credit, new_f.credit)
    outcome_before, tier_before = _rank(before, c)
    outcome_after, tier_after = _rank(after, c)
    assert outcome_after >= outcome_before, (before.outcome, after.outcome)
    assert tier_after >= tier_before, (before.supported_tier, after.supported_tier)


with_one_reader = criteria(missing="zero", one_reader=True).flatmap(
    lambda c: proposals(c).flatmap(lambda p: st.tuples(st.just(c), st.just(p), improved(c, p)))
)
with_shared_indicators = criteria(missing="zero").flatmap(
    lambda c: proposals(c).flatmap(lambda p: st.tuples(st.just(c), st.just(p), added(c, p)))
)


@given(with_one_reader)
def test_better_value_never_lowers(case: tuple[Criteria, Proposal, Proposal]) -> None:
    """Moving one observation towards full credit never lowers a credit, score, outcome or tier."""
    c, p, better = case
    _no_lower(score(p, c), score(better, c), c)


@given(with_shared_indicators)
def test_new_evidence_never_lowers(case: tuple[Criteria, Proposal, Proposal]) -> None:
    """Supplying usable evidence where there was none never lowers a score, outcome or tier."""
    c, p, better = case
    _no_lower(score(p, c), score(better, c), c)
