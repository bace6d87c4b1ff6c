"""The verdict: everything a renderer draws from (DESIGN 5).

A verdict is plain data. Renderers never recompute scores; they only arrange what is here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from attrs import frozen

from .model import Outcome, PillarKind, Value

__all__ = [
    "Audit",
    "Evidence",
    "Finding",
    "Gap",
    "GapStep",
    "PillarScore",
    "Requirement",
    "Status",
    "Verdict",
    "VerdictWarning",
    "WaiverInForce",
]

Status = Literal["met", "partial", "unmet", "missing"]
VERDICT_FORMAT = "reform-gate/verdict/1"


@frozen
class Evidence:
    """One observation behind a finding, and whether it counted."""

    indicator: str
    value: Value
    source: str
    as_of: _dt.date
    reliability: str
    age_days: int
    counted: bool
    #: ``None``, or why it is flagged: ``future``, ``weak``, ``stale``, ``stale-unknown``.
    problem: str | None = None
    note: str | None = None
    url: str | None = None
    #: Line of the observation's ``value`` in the proposal file (``None`` when the text is unknown).
    line: int | None = None


@frozen
class Finding:
    """One rule's result for this proposal."""

    rule: str
    title: str
    pillar: str
    weight: float
    gate: bool
    status: Status
    credit: float
    #: Points of the pillar score this rule won and lost (0 for a rule left out under "exclude").
    points_won: float
    points_lost: float
    #: Whether the rule counted in its pillar's sums.
    counted: bool
    needed: str
    evidence: tuple[Evidence, ...]
    rationale: str
    remedy: str
    references: tuple[str, ...]
    #: For gates: whether it passes (a waiver in force counts as passing), and at what credit.
    gate_passed: bool | None = None
    gate_min: float = 1.0
    waived: bool = False
    #: Line in the proposal file of the first observation this rule reads (``None`` without one).
    line: int | None = None
    #: The criteria file and the line of this rule's ``[[rules]]`` entry.
    rule_file: str = ""
    rule_line: int | None = None


@frozen
class PillarScore:
    """A pillar's score, and the minimum the requested tier sets for it."""

    id: str
    title: str
    kind: PillarKind
    weight: float
    score: float
    minimum: float | None
    counted_rules: int
    #: True when no rule counted, so the score of 0 says nothing about the record.
    empty: bool


@frozen
class Requirement:
    """One requirement of a tier, as measured for this proposal."""

    kind: Literal["min_score", "min_pillar", "gate", "min_met", "any_of"]
    scope: PillarKind
    subject: str
    observed: float
    needed: float
    holds: bool
    text: str
    #: For ``any_of``: each group's requirements.
    groups: tuple[tuple[Requirement, ...], ...] = ()


@frozen
class GapStep:
    """Raise one rule to full credit: what it needs and what it adds."""

    rule: str
    title: str
    pillar: str
    needed: str
    observed: str
    pillar_points: float
    overall_points: float
    design_points: float


@frozen
class Gap:
    """The fewest rules to raise to full credit so the requested tier's requirements hold."""

    tier: str
    reachable: bool
    exact: bool
    steps: tuple[GapStep, ...]


@frozen
class WaiverInForce:
    """A waiver that lets a gate count as passed."""

    rule: str
    reason: str
    authority: str
    expires: _dt.date


@frozen
class VerdictWarning:
    """Something the reader should know: weak, stale, future or missing evidence, waivers."""

    code: str
    message: str
    subject: str = ""


@frozen
class Audit:
    """What a reviewer needs to reproduce the verdict."""

    criteria_id: str
    criteria_version: str
    criteria_sha256: str
    proposal_id: str
    proposal_sha256: str
    reform_gate_version: str
    as_of: _dt.date


@frozen
class Verdict:
    """The explainable result of scoring one proposal against one criteria set."""

    proposal: str
    title: str
    actor: str
    counterpart: str
    file: str
    outcome: Outcome
    requested_tier: str
    supported_tier: str | None
    overall_score: float
    design_score: float | None
    pillars: tuple[PillarScore, ...]
    findings: tuple[Finding, ...]
    blocking: tuple[Requirement, ...]
    gap: Gap | None
    waivers: tuple[WaiverInForce, ...]
    warnings: tuple[VerdictWarning, ...]
    audit: Audit
    format: str = VERDICT_FORMAT
    #: Line of the ``[proposal]`` table in ``file``: where a finding without an observation points.
    line: int | None = None
    #: The requested tier's minimum overall reform score, if it sets one.
    min_score: float | None = None

    def finding(self, rule: str) -> Finding:
        """The finding for one rule id."""
        return next(f for f in self.findings if f.rule == rule)
