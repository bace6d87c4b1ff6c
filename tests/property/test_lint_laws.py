"""Invariants of ``criteria lint`` (docs/cli.md, "criteria lint"): what it does not flag is safe,
and what it flags is what it says.

- L002: where no tier is flagged, the ladder rises: a record that meets a tier's reform
  requirements meets those of the tier below it.
- L006: a flagged bar moved up to the next achievable value changes no verdict.
- L009: flipping an inert rule's result (no credit, full credit, no evidence) changes no tier.
"""

from __future__ import annotations

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.authoring import lint
from reform_gate.engine.standing import Standing, holds
from reform_gate.model import Criteria, Proposal, Rule
from reform_gate.requirements import compile_tier

from ..strategies import criteria, proposals, validated

#: Credits as checks give them (all or nothing, halves, quarters): the laws are about the ladder,
#: not about a credit a hair's breadth from a bar.
NICE = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])


@st.composite
def _standings(draw: st.DrawFn, c: Criteria) -> Standing:
    counted = {r.id: c.criteria.missing == "zero" or draw(st.booleans()) for r in c.rules}
    credit = {r.id: draw(NICE) if counted[r.id] else 0.0 for r in c.rules}
    gates = [r.id for r in c.rules if r.gate]
    waived = draw(st.lists(st.sampled_from(gates), unique=True)) if gates else []
    return Standing(c, credit, counted, frozenset(waived))


with_standings = criteria(max_rules=6).flatmap(
    lambda c: st.tuples(st.just(c), st.lists(_standings(c), min_size=1, max_size=8))
)


@given(with_standings)
def test_an_unflagged_ladder_rises(case: tuple[Criteria, list[Standing]]) -> None:
    c, standings = case
    flagged = {f.keys[1] for f in lint.lint(c) if f.id == "L002"}
    event(f"tiers flagged L002: {len(flagged)}")
    ladder = [compile_tier(t, c) for t in c.tiers]
    for i in range(1, len(c.tiers)):
        if i in flagged:
            continue
        for s in standings:
            if holds(ladder[i], s, "reform"):
                assert holds(ladder[i - 1], s, "reform"), (c.tiers[i - 1].id, c.tiers[i].id)


@given(with_standings)
def test_flipping_an_inert_rule_changes_no_tier(case: tuple[Criteria, list[Standing]]) -> None:
    c, standings = case
    inert: list[Rule] = [c.rules[int(f.keys[1])] for f in lint.lint(c) if f.id == "L009"]
    event(f"inert rules: {min(len(inert), 2)}")
    ladder = [compile_tier(t, c) for t in c.tiers]
    for rule in inert:
        for s in standings:
            before = [holds(reqs, s) for reqs in ladder]
            for credit, counted in ((0.0, True), (1.0, True), (0.0, False)):
                flipped = Standing(c, {**s.credits, rule.id: credit}, {**s.counted, rule.id: counted}, s.waived)
                assert [holds(reqs, flipped) for reqs in ladder] == before, rule.id


def _with_bar(c: Criteria, finding: lint.Finding) -> Criteria:
    """``c`` with the tier bar that an L006 finding names set to the value it suggests."""
    assert finding.suggested is not None
    _, i, *rest = finding.keys
    tier = c.tiers[int(i)]

    def changed(group: object, keys: list[object]) -> object:
        if keys == ["min_score"]:
            return attrs.evolve(group, min_score=finding.suggested)  # type: ignore[misc]
        key, pillar = keys
        table = {**getattr(group, str(key)), str(pillar): finding.suggested}
        return attrs.evolve(group, **{str(key): table})  # type: ignore[misc]

    if rest[0] == "any_of":
        j = int(rest[1])
        groups = list(tier.any_of)
        groups[j] = changed(groups[j], rest[2:])  # type: ignore[assignment]
        tier = attrs.evolve(tier, any_of=tuple(groups))
    else:
        tier = changed(tier, rest)  # type: ignore[assignment]
    tiers = list(c.tiers)
    tiers[int(i)] = tier
    return validated(attrs.evolve(c, tiers=tuple(tiers)))


with_proposals = criteria(max_rules=5, max_depth=1).flatmap(
    lambda c: st.tuples(st.just(c), st.lists(proposals(c), min_size=1, max_size=4))
)


@given(with_proposals)
def test_a_flagged_bar_moved_to_the_next_achievable_value_changes_no_verdict(
    case: tuple[Criteria, list[Proposal]],
) -> None:
    c, found = case
    for finding in lint.lint(c):
        if finding.id != "L006" or finding.keys[0] != "tiers":
            continue
        event("a bar flagged L006")
        moved = _with_bar(c, finding)
        for p in found:
            one, two = score(p, c, gap=False), score(p, moved, gap=False)
            assert (one.outcome, one.supported_tier) == (two.outcome, two.supported_tier), finding.message
