"""What-if: a proposal scored as it is and with some observations changed (``docs/cli.md``,
"reform-gate what-if").

A changed observation is hypothetical evidence that counts: it is dated on the scoring date
("now") and graded A1, so neither age nor grade keeps it out, and its source says it was set for
the analysis. Setting an indicator to ``None`` removes its observation, as if the proposal said
nothing about it. Both verdicts come from :func:`reform_gate.engine.score`, so the comparison
is between two ordinary verdicts.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import attrs

from ..analysis import FindingChange, ObservationChange, RequirementChange, WhatIf
from ..checks import Value
from ..model import Criteria, Observation, Proposal
from ..numbers import TOLERANCE
from ..verdict import Verdict
from .score import score

__all__ = ["HYPOTHETICAL_GRADE", "HYPOTHETICAL_SOURCE", "hypothetical", "what_if"]

#: The source and grade of an observation set by a what-if.
HYPOTHETICAL_SOURCE = "what-if: set for this analysis"
HYPOTHETICAL_GRADE = "A1"


def hypothetical(proposal: Proposal, changes: Mapping[str, Value | None], now: _dt.date) -> Proposal:
    """``proposal`` with each indicator of ``changes`` observed as given on ``now`` (``None``: removed).

    The result keeps the file's name and lines but not its digest: no file holds this proposal.
    """
    observations = dict(proposal.observations)
    for ident, value in changes.items():
        if value is None:
            observations.pop(ident, None)
        else:
            observations[ident] = Observation(value, HYPOTHETICAL_SOURCE, now, HYPOTHETICAL_GRADE)
    origin = attrs.evolve(proposal.origin, sha256="") if proposal.origin is not None else None
    # The evidence files' entries for a changed indicator go too: a removed one must leave no
    # evidence at all, and a set one replaces the record without an "overridden" warning.
    ledgers = tuple(
        attrs.evolve(ledger, observations={k: v for k, v in ledger.observations.items() if k not in changes})
        for ledger in proposal.ledgers
    )
    return attrs.evolve(proposal, observations=observations, origin=origin, ledgers=ledgers)


def what_if(
    proposal: Proposal, criteria: Criteria, changes: Mapping[str, Value | None], as_of: _dt.date | None = None
) -> WhatIf:
    """Score ``proposal`` as it is and with ``changes``; say what moved.

    Both must have been checked against ``criteria`` (``reform_gate.what_if`` does that).
    """
    before = score(proposal, criteria, as_of)
    after = score(hypothetical(proposal, changes, before.audit.as_of), criteria, as_of)
    was, now = _usable(before), _usable(after)
    moved = tuple(ObservationChange(ident, was.get(ident), now.get(ident)) for ident in changes)
    return WhatIf(moved, before, after, _findings(before, after), _requirements(before, after))


def _usable(v: Verdict) -> dict[str, Value]:
    """The value of each indicator that counts in a verdict."""
    return {e.indicator: e.value for f in v.findings for e in f.evidence if e.counted}


def _findings(before: Verdict, after: Verdict) -> tuple[FindingChange, ...]:
    out = []
    for a, b in zip(before.findings, after.findings, strict=True):
        if a.status != b.status or abs(a.credit - b.credit) > TOLERANCE:
            out.append(FindingChange(a.rule, a.title, a.status, b.status, a.credit, b.credit))
    return tuple(out)


def _requirements(before: Verdict, after: Verdict) -> tuple[RequirementChange, ...]:
    """Requirements of the requested tier that started or stopped blocking it."""
    was = [r.text for r in before.blocking]
    now = [r.text for r in after.blocking]
    out = [RequirementChange(text, False, True) for text in was if text not in now]
    out += [RequirementChange(text, True, False) for text in now if text not in was]
    return tuple(out)
