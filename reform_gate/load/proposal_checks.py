"""What a proposal's types cannot say: every reference to the criteria set it is scored under.

Tiers, indicators, rules and levels are the criteria set's, so these checks run once the set is
known (a proposal's own shape, grades included, is checked when it is loaded; the evidence files
it reads are checked beside it, in :mod:`.evidence`). Each problem is recorded and the checks go
on, so one run names every mistake.
"""

from __future__ import annotations

from pathlib import Path

from ..checks import indicators_of
from ..errors import DuplicateIdError, InvalidValueError
from ..model import Criteria, Proposal
from .criteria_checks import check_entry_values
from .problems import Problems

__all__ = ["check_against"]


def check_against(proposal: Proposal, criteria: Criteria, p: Problems) -> None:
    """Every reference and value of ``proposal`` fits ``criteria``."""
    tiers = [t.id for t in criteria.tiers]
    p.known(["proposal", "tier"], proposal.proposal.tier, tiers, f"tier of {criteria.id}")
    elsewhere = scored_elsewhere(proposal, criteria)
    for ident, held in proposal.observations.items():
        if elsewhere and ident not in criteria.indicators:
            continue  # written for the set the proposal names; this one does not read it
        if p.known(["observations", ident], ident, criteria.indicators, f"indicator of {criteria.id}"):
            check_entry_values(p, ident, held, criteria.indicators[ident])
    _check_not_applicable(proposal, criteria, p)
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


def scored_elsewhere(proposal: Proposal, criteria: Criteria) -> bool:
    """Whether ``criteria`` is not the set the proposal names (``--criteria`` gave another one).

    Such a proposal reads only the indicators the two sets share, as an evidence file does; the
    others are left aside (with a warning when scored), so one proposal file can be scored under
    several sets (``docs/crosswalk.md``). The proposal names ``criteria`` by its id (a shipped set's
    file name is its id) or by the path of its file; where there is nothing to compare, every
    check is kept.
    """
    named = proposal.proposal.criteria
    if named is None or criteria.id in (named, named.rsplit("/", 1)[-1].removesuffix(".toml")):
        return False
    mine, theirs = proposal.origin, criteria.origin
    if mine is None or not mine.path or theirs is None or not theirs.path:
        return False  # nothing to compare: keep every check
    # A file the proposal names by path is its own set whatever id it declares.
    return (Path(mine.path).parent / named).resolve() != Path(theirs.path).resolve()


def _check_not_applicable(proposal: Proposal, criteria: Criteria, p: Problems) -> None:
    """Each ``not_applicable`` indicator sets aside some safeguard that allows it, none of them a
    gate of the tier asked for, and is not observed at the same time (``docs/scoring.md``)."""
    tier = next((t for t in criteria.tiers if t.id == proposal.proposal.tier), None)
    elsewhere = scored_elsewhere(proposal, criteria)
    for ident, reason in proposal.not_applicable.items():
        at = ["not_applicable", ident]
        if elsewhere and ident not in criteria.indicators:
            continue
        if not p.known(at, ident, criteria.indicators, f"indicator of {criteria.id}"):
            continue
        if not reason.strip():
            p.add(InvalidValueError, at, "the reason this safeguard does not apply", "an empty string")
        allowing = [r for r in criteria.rules if r.may_not_apply and ident in indicators_of(r.check)]
        if not allowing:
            readers = [r.id for r in criteria.rules if ident in indicators_of(r.check)]
            p.add(
                InvalidValueError,
                at,
                "a design indicator read by a safeguard that may not apply (may_not_apply = true)",
                f"{ident}, read by {', '.join(readers) or 'no rule'}, none of which may be set aside",
                "observe it instead; only the criteria set decides which safeguards can be set aside",
            )
            continue
        if ident in proposal.observations:
            p.add(
                InvalidValueError,
                at,
                "an indicator either observed or marked not applicable",
                f"{ident} both observed (observations.{ident}) and marked not applicable",
                "drop one of the two",
            )
        if tier is None:
            continue
        groups = (tier.own_group(), *tier.any_of)
        for rule in criteria.rules:
            if rule.id in criteria.set_aside(proposal.not_applicable) and any(g.names_gate(rule) for g in groups):
                if indicators_of(rule.check)[0] != ident:
                    continue
                p.add(
                    InvalidValueError,
                    at,
                    f"no gate of tier {tier.id} set aside",
                    f"{ident}, which sets aside {rule.id}, a gate of {tier.id}",
                    "a gate is a hard hurdle: meet it, or ask for a tier that does not need it",
                )
