"""The ladder: which tiers hold for a standing, the supported tier and the outcome.

Scoring and every analysis (sensitivity, what-if) read the ladder the same way, through
:func:`position`, so an analysis can never call a verdict differently from ``score``
(``docs/scoring.md``, "Supported tier and outcome").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from attrs import frozen

from ..model import Criteria, Outcome, PillarKind, Tier
from ..requirements import Requirement, TierRequirement, compile_tier
from .standing import Standing, holds_one

if TYPE_CHECKING:
    from ..analysis import Place

__all__ = ["Position", "ladder_of", "leaves", "position", "position_by"]


@frozen
class Position:
    """Where a standing puts a proposal: its outcome, the supported tier, and each tier's state."""

    outcome: Outcome
    supported_tier: str | None
    #: Per tier, lowest first: (reform requirements hold, safeguard requirements hold).
    rungs: tuple[tuple[bool, bool], ...]

    @property
    def key(self) -> tuple[str, str | None]:
        """What a sensitivity flip changes: the outcome and the supported tier."""
        return (self.outcome, self.supported_tier)

    @property
    def place(self) -> Place:
        """The outcome and the supported tier, as the analyses report them."""
        from ..analysis import Place  # the analyses' classes are not needed to score (start-up time)

        return Place(self.outcome, self.supported_tier)


def ladder_of(criteria: Criteria) -> list[tuple[Tier, list[TierRequirement]]]:
    """Each tier, lowest first, with its compiled requirements (built once per criteria set)."""
    return criteria.derived.get("ladder", lambda: [(t, compile_tier(t, criteria)) for t in criteria.tiers])


def leaves(criteria: Criteria) -> list[Requirement]:
    """Every leaf requirement of the ladder, once each, in tiers' own lists and ``any_of`` groups alike."""

    def build() -> list[Requirement]:
        found: dict[Requirement, None] = {}
        for _, reqs in ladder_of(criteria):
            for r in reqs:
                for leaf in [r] if isinstance(r, Requirement) else [x for g in r.groups for x in g]:
                    found.setdefault(leaf, None)
        return list(found)

    return criteria.derived.get("ladder-leaves", build)


def position(standing: Standing, requested: str) -> Position:
    """The outcome for the ``requested`` tier id and the supported tier, for this standing."""
    return position_by(standing.criteria, requested, lambda req: holds_one(req, standing))


def position_by(criteria: Criteria, requested: str, test: Callable[[TierRequirement], bool]) -> Position:
    """:func:`position`, with ``test`` saying whether each requirement holds (the sensitivity
    analysis decides that in exact arithmetic)."""
    ladder = ladder_of(criteria)

    def holds(reqs: list[TierRequirement], scope: PillarKind) -> bool:
        return all(test(r) for r in reqs if r.scope == scope)

    rungs = tuple((holds(reqs, "reform"), holds(reqs, "safeguard")) for _, reqs in ladder)
    ids = [t.id for t, _ in ladder]
    # A track beside the ladder (outside_ladder) reads no record: never the supported tier, never
    # a rung to scale back to, and nothing below it (docs/scoring.md, "Tracks outside the ladder").
    beside = [t.outside_ladder for t, _ in ladder]
    supported = [t for t, (reform, _), off in zip(ids, rungs, beside, strict=True) if reform and not off]
    at = ids.index(requested)
    reform, safeguard = rungs[at]
    outcome: Outcome
    if reform:
        outcome = "supported" if safeguard else "revise"
    else:
        # scale-back needs a tier below the requested one to hold on the record.
        below = [] if beside[at] else [r for (r, _), off in zip(rungs[:at], beside[:at], strict=True) if not off]
        outcome = "scale-back" if any(below) else "rejected"
    return Position(outcome, supported[-1] if supported else None, rungs)
