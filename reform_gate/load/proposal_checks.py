"""What a proposal's types cannot say: every reference to the criteria set it is scored under.

Tiers, indicators, rules and levels are the criteria set's, so these checks run once the set is
known (a proposal's own shape, grades included, is checked when it is loaded; the evidence files
it reads are checked beside it, in :mod:`.evidence`). Each problem is recorded and the checks go
on, so one run names every mistake.
"""

from __future__ import annotations

from ..errors import DuplicateIdError
from ..model import Criteria, Proposal, entries_of
from .criteria_checks import check_value
from .problems import Problems

__all__ = ["check_against"]


def check_against(proposal: Proposal, criteria: Criteria, p: Problems) -> None:
    """Every reference and value of ``proposal`` fits ``criteria``."""
    tiers = [t.id for t in criteria.tiers]
    p.known(["proposal", "tier"], proposal.proposal.tier, tiers, f"tier of {criteria.id}")
    for ident, held in proposal.observations.items():
        if p.known(["observations", ident], ident, criteria.indicators, f"indicator of {criteria.id}"):
            many = isinstance(held, tuple)
            for i, obs in enumerate(entries_of(held)):
                path: list[str | int] = ["observations", ident, "value"]
                if many:
                    path.insert(2, i)
                check_value(p, path, obs.value, criteria.indicators[ident], ident)
    rule_ids = [r.id for r in criteria.rules]
    seen: dict[str, int] = {}
    for i, waiver in enumerate(proposal.waivers):
        p.known(["waivers", i, "rule"], waiver.rule, rule_ids, "rule")
        if waiver.rule in seen:
            p.add(
                DuplicateIdError,
                ["waivers", i, "rule"],
                "one waiver per rule",
                f'"{waiver.rule}", already waived by waivers[{seen[waiver.rule]}]',
            )
        seen[waiver.rule] = i
    if proposal.expect is not None and proposal.expect.supported_tier != "none":
        p.known(
            ["expect", "supported_tier"],
            proposal.expect.supported_tier,
            [*tiers, "none"],
            f"tier of {criteria.id}, or none",
        )
