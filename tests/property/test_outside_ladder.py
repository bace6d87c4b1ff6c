"""Invariant: a track beside the ladder (``outside_ladder``) is judged on the design alone: asked
for, it is ``supported`` exactly when none of its requirements fails, else ``revise``; and it is
never the supported tier, nor changes the verdict of a proposal asking for a rung
(``docs/scoring.md``, "Tracks outside the ladder")."""

from __future__ import annotations

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from reform_gate.engine import score
from reform_gate.model import Criteria, Proposal, Tier

from ..strategies import criteria, proposals, validated


@st.composite
def with_a_track(draw: st.DrawFn) -> tuple[Criteria, Proposal, str]:
    """A set with a track beside its ladder (a bar on a safeguard pillar and some safeguard gates),
    put anywhere among the rungs, and a proposal under it."""
    base = draw(criteria(safeguard=True))
    kinds = {p.id: p.kind for p in base.pillars}
    design = [p.id for p in base.pillars if p.kind == "safeguard"]
    assume(design)
    gates = [r.id for r in base.rules if r.gate and kinds[r.pillar] == "safeguard"]
    track = "track-" + "-".join(t.id for t in base.tiers)  # an id no tier has
    tier = Tier(
        track,
        "A track",
        min_pillar={draw(st.sampled_from(design)): draw(st.integers(0, 100))},
        gates=tuple(draw(st.lists(st.sampled_from(gates), unique=True, max_size=2))) if gates else None,
        outside_ladder=True,
    )
    at = draw(st.integers(0, len(base.tiers)))
    c = attrs.evolve(base, tiers=(*base.tiers[:at], tier, *base.tiers[at:]))
    return c, draw(proposals(validated(c))), track


def _without(c: Criteria, track: str) -> Criteria:
    return attrs.evolve(c, tiers=tuple(t for t in c.tiers if t.id != track))


@given(with_a_track())
def test_a_track_is_judged_on_its_design_and_is_never_the_supported_tier(case: tuple[Criteria, Proposal, str]) -> None:
    c, p, track = case
    v = score(p, c)
    assert v.supported_tier != track
    if v.requested_tier == track:
        assert v.outside_ladder
        assert v.outcome in ("supported", "revise")
        assert (v.outcome == "supported") == (not v.blocking)
    else:
        # Beside the ladder, the track changes nothing for a proposal asking for a rung.
        assert not v.outside_ladder
        plain = score(p, _without(c, track))
        assert (v.outcome, v.supported_tier) == (plain.outcome, plain.supported_tier)
