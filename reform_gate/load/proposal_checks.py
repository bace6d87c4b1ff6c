"""What a proposal's types cannot say: grades on their own, then every reference to its criteria set.

:func:`check_grades` needs only the proposal; :func:`check_against` needs the criteria set it is
scored under (tiers, indicators, rules). Both record problems and go on, so one run names every
mistake.
"""

from __future__ import annotations

from ..errors import DuplicateIdError, InvalidValueError, describe
from ..grades import grade_hint, is_grade
from ..model import Criteria, Proposal
from .criteria_checks import check_value
from .problems import Problems

__all__ = ["check_against", "check_grades"]


def check_grades(proposal: Proposal, p: Problems) -> None:
    """Every observation's reliability is an Admiralty grade."""
    for ident, obs in proposal.observations.items():
        if not is_grade(obs.reliability):
            p.add(
                InvalidValueError,
                ["observations", ident, "reliability"],
                'an Admiralty grade: a letter A-F and a digit 1-6, such as "B2"',
                describe(obs.reliability),
                grade_hint(obs.reliability),
            )


def check_against(proposal: Proposal, criteria: Criteria, p: Problems) -> None:
    """Every reference and value of ``proposal`` fits ``criteria``."""
    tiers = [t.id for t in criteria.tiers]
    p.known(["proposal", "tier"], proposal.proposal.tier, tiers, f"tier of {criteria.id}")
    for ident, obs in proposal.observations.items():
        if p.known(["observations", ident], ident, criteria.indicators, f"indicator of {criteria.id}"):
            check_value(p, ["observations", ident, "value"], obs.value, criteria.indicators[ident], ident)
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
