"""The verdict: everything a renderer draws from (``docs/output-formats.md``, "JSON").

A verdict is plain data. Renderers never recompute scores or decide what passes; they only
arrange what is here. :meth:`Verdict.to_dict` gives the public JSON form.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any, Literal

from attrs import frozen

from .checks import Value, show_value
from .model import Outcome, PillarKind, counts_from
from .numbers import reaches

__all__ = [
    "Audit",
    "Evidence",
    "EvidenceFile",
    "Finding",
    "Gap",
    "GapStep",
    "PillarScore",
    "RequirementResult",
    "Rung",
    "Status",
    "Verdict",
    "VerdictWarning",
    "WaiverInForce",
    "catalogue",
    "criteria_entry",
    "json_fields",
    "observed",
    "plain",
]

Status = Literal["met", "partial", "unmet", "missing", "not-applicable"]
#: The ``format`` of each public JSON document: one verdict, a run of several, a baseline diff.
VERDICT_FORMAT = "reform-gate/verdict/2"
RUN_FORMAT = "reform-gate/run/2"
#: The formats before rule texts moved to the ``criteria`` catalogue: ``--baseline`` still reads them.
VERDICT_FORMAT_1 = "reform-gate/verdict/1"
RUN_FORMAT_1 = "reform-gate/run/1"

#: A rule's entry in the ``criteria`` catalogue: its JSON key -> the :class:`Finding` field that
#: holds it. These texts are the rule's, not the proposal's, so the JSON writes them once per
#: criteria set, not once per finding (``docs/output-formats.md``, "verdict/2").
RULE_FIELDS: dict[str, str] = {
    "title": "title",
    "pillar": "pillar",
    "weight": "weight",
    "gate": "gate",
    "gate_min": "gate_min",
    "in_gap": "in_gap",
    "needed": "needed",
    "rationale": "rationale",
    "references": "references",
    "remedy": "remedy",
    "line": "rule_line",
}
DIFF_FORMAT = "reform-gate/diff/1"


@frozen
class Evidence:
    """The entry that stands for one indicator on the scoring date, and whether it counted.

    It is the latest entry usable on that date; when none is usable, the one that says why (the
    latest already dated, else the first to come). ``passed_over`` are the entries dated after it
    that could not count, each with its ``problem`` (``docs/scoring.md``, "Several dated entries").
    """

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
    #: Line of the entry's ``value`` in ``file`` (``None`` when the text is unknown).
    line: int | None = None
    #: The file the entry is written in: the proposal, or an evidence file it reads.
    file: str = ""
    #: ``day``, ``month`` or ``year``: how much of ``as_of`` is known.
    as_of_precision: str = "day"
    #: Later entries of the indicator that could not count on the scoring date, and why.
    passed_over: tuple[Evidence, ...] = ()

    @property
    def when(self) -> str:
        """``as_of`` as precisely as it is known: ``2024-11-06``, ``2023-11`` or ``2024``."""
        text = self.as_of.isoformat()
        return text[:4] if self.as_of_precision == "year" else text[:7] if self.as_of_precision == "month" else text

    @property
    def counts_from(self) -> _dt.date:
        """The first day the entry can count: ``as_of``, or the end of its month or year."""
        return counts_from(self.as_of, self.as_of_precision)

    def dated(self) -> str:
        """``as_of`` in words: ``2024-11-06``, or ``2023-11 (counted from 2023-11-30)``."""
        if self.as_of_precision == "day":
            return self.when
        return f"{self.when} (counted from {self.counts_from.isoformat()})"


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
    #: Line in the proposal file of the first entry this rule reads, or of the ``proposal.evidence``
    #: element naming the evidence file it comes from (``None`` without one).
    line: int | None = None
    #: The criteria file and the line of this rule's ``[[rules]]`` entry.
    rule_file: str = ""
    rule_line: int | None = None
    #: Why the proposal set this safeguard aside (status ``not-applicable``), else ``None``.
    not_applicable: str | None = None
    #: False when the criteria set keeps the rule out of "what it would take" (``in_gap = false``).
    in_gap: bool = True


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

    @property
    def meets_minimum(self) -> bool | None:
        """Whether the score reaches the requested tier's minimum (``None`` when it sets none)."""
        return None if self.minimum is None else reaches(self.score, self.minimum)


@frozen
class RequirementResult:
    """One requirement of the requested tier, as measured for this proposal.

    ``text`` says what it asks (:func:`reform_gate.requirements.statement`).
    """

    kind: Literal["min_score", "min_pillar", "min_pillar_points", "gate", "min_met", "any_of"]
    scope: PillarKind
    subject: str
    observed: float
    needed: float
    holds: bool
    text: str
    #: For ``any_of``: each group's requirements.
    groups: tuple[tuple[RequirementResult, ...], ...] = ()


@frozen
class GapStep:
    """Raise one rule, to full credit or only as far as the tier needs: what it needs and what it adds.

    ``needed`` says what this step asks for in words (``benchmark_count >= 3 benchmarks``);
    ``credit`` is the credit it raises the rule to, below 1 for a ``partial`` raise, and ``value``
    the observed value a partial raise needs (``None`` for a raise to full credit).
    """

    rule: str
    title: str
    pillar: str
    needed: str
    observed: str
    pillar_points: float
    overall_points: float
    design_points: float
    credit: float = 1.0
    partial: bool = False
    value: Value | None = None


@frozen
class Gap:
    """The fewest rules to raise so a tier's requirements hold (``docs/scoring.md``, "The gap")."""

    tier: str
    reachable: bool
    exact: bool
    steps: tuple[GapStep, ...]


@frozen
class Rung:
    """One tier of the ladder, lowest first: whether its reform and its safeguard requirements hold."""

    id: str
    title: str
    reform_holds: bool
    safeguard_holds: bool
    #: A track beside the ladder: it reads no record, so ``reform_holds`` is true by definition.
    outside_ladder: bool = False


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
class EvidenceFile:
    """An evidence file a verdict read, and the digest of its content."""

    file: str
    id: str
    sha256: str


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
    #: Every evidence file the proposal reads, in the order it names them.
    evidence: tuple[EvidenceFile, ...] = ()


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
    blocking: tuple[RequirementResult, ...]
    gap: Gap | None
    waivers: tuple[WaiverInForce, ...]
    warnings: tuple[VerdictWarning, ...]
    audit: Audit
    format: str = VERDICT_FORMAT
    #: Line of the ``[proposal]`` table in ``file``: where a finding without an observation points.
    line: int | None = None
    #: The requested tier's minimum overall reform score, if it sets one.
    min_score: float | None = None
    #: Whether the requested tier is a track beside the ladder, judged on the design alone.
    outside_ladder: bool = False
    #: For ``scale-back``: what the proposal would need to be supported at the supported tier.
    gap_to_supported: Gap | None = None
    #: Every tier of the criteria set, lowest first, and what holds of each.
    ladder: tuple[Rung, ...] = ()

    def finding(self, rule: str) -> Finding:
        """The finding for one rule id."""
        return next(f for f in self.findings if f.rule == rule)

    def to_dict(self, criteria: bool = True) -> dict[str, Any]:
        """The verdict as JSON-ready data: every field written, ``None`` included; dates as ISO text.

        This is the public JSON contract (``"format": "reform-gate/verdict/2"``):
        ``reform_gate.to_json`` writes it as text. Each finding carries what this proposal got; the
        rule's own texts are in ``criteria`` (:func:`criteria_entry`), once. ``criteria=False``
        leaves that list out, as a run does for each of its verdicts (the run holds the catalogue).
        """
        data: dict[str, Any] = plain(self)
        if criteria:
            data["criteria"] = [criteria_entry(self)]
        return data


def observed(f: Finding) -> str:
    """The finding's counted observations in words (``indicator = value``), or why there are none:
    the one wording of every format and of the comparison of verdicts."""
    seen = ", ".join(f"{e.indicator} = {show_value(e.value)}" for e in f.evidence if e.counted)
    return seen or "no usable evidence"


def criteria_entry(verdict: Verdict) -> dict[str, Any]:
    """The ``criteria`` catalogue entry of the set ``verdict`` was scored against: its id, version,
    SHA-256 and file, and each rule's own fields (:data:`RULE_FIELDS`) by rule id.

    Verdicts scored against the same file content (the same ``audit.criteria_sha256``) give the
    same entry: every text in it comes from the criteria set, none from the proposal.
    """
    audit = verdict.audit
    return {
        "file": verdict.findings[0].rule_file if verdict.findings else "",
        "id": audit.criteria_id,
        "rules": {
            f.rule: {key: plain(getattr(f, name)) for key, name in RULE_FIELDS.items()} for f in verdict.findings
        },
        "sha256": audit.criteria_sha256,
        "version": audit.criteria_version,
    }


def catalogue(verdicts: Iterable[Verdict]) -> list[dict[str, Any]]:
    """The ``criteria`` list of a run or an analysis: one entry per criteria set (told apart by
    SHA-256) the ``verdicts`` were scored against, sorted by id, version and SHA-256."""
    entries: dict[str, dict[str, Any]] = {}
    for v in verdicts:
        if v.audit.criteria_sha256 not in entries:
            entries[v.audit.criteria_sha256] = criteria_entry(v)
    return sorted(entries.values(), key=lambda e: (e["id"], e["version"], e["sha256"]))


#: Fields a class leaves out of its JSON form, because the ``criteria`` catalogue holds them.
#: A finding keeps ``gate`` beside ``gate_passed``, so a reader sees which findings are gates
#: without a lookup; ``rule_file`` is the catalogue entry's ``file``.
_IN_CATALOGUE: dict[type, frozenset[str]] = {
    Finding: frozenset(RULE_FIELDS.values()) - {"gate"} | {"rule_file"},
    GapStep: frozenset({"title", "pillar"}),
}
_FIELDS: dict[type, tuple[str, ...]] = {}


def json_fields(kind: type) -> tuple[str, ...]:
    """The names of the fields an attrs class writes in JSON, in sorted order (the keys' order):
    every field, less those the ``criteria`` catalogue holds. Computed once per class."""
    names = _FIELDS.get(kind)
    if names is None:
        left_out = _IN_CATALOGUE.get(kind, frozenset())
        names = tuple(sorted(a.name for a in kind.__attrs_attrs__ if a.name not in left_out))  # type: ignore[attr-defined]
        _FIELDS[kind] = names
    return names


def _plain(value: Any) -> Any:
    """Attrs objects as dicts of their JSON fields, tuples as lists, dates as ISO text."""
    return plain(value)


def plain(value: Any) -> Any:
    """Attrs objects as dicts of their JSON fields (:func:`json_fields`), tuples as lists, dates as
    ISO text: the JSON form of every result object (a verdict, and those of
    :mod:`reform_gate.history`)."""
    kind = type(value)
    if hasattr(kind, "__attrs_attrs__"):
        return {name: plain(getattr(value, name)) for name in json_fields(kind)}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value
