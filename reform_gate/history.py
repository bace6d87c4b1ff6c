"""The record over time, as plain data: what counts on one date, and a verdict at each of many.

:class:`RecordOnDate` is what ``reform-gate evidence show`` prints: for each indicator of an
evidence file, the entry that stands on a date and the later entries passed over, with why.
:class:`Timeline` is what ``reform-gate timeline`` prints: a proposal's outcome, supported tier and
pillar scores at each of a series of dates, and the evidence that changed between neighbouring
dates. The engine computes both (``reform_gate.engine.history``); renderers only arrange them,
and :meth:`to_dict` gives their public JSON forms (``docs/cli.md``). See ``docs/scoring.md``,
"Several dated entries", for which entry stands.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Literal

from attrs import frozen

from .errors import UsageError
from .model import Outcome, PillarKind
from .verdict import Evidence, EvidenceFile, plain

__all__ = [
    "EVIDENCE_FORMAT",
    "TIMELINE_FORMAT",
    "Change",
    "IndicatorOnDate",
    "Moment",
    "PillarAt",
    "RecordOnDate",
    "Step",
    "Timeline",
    "add_step",
    "parse_step",
]

#: The ``format`` of the JSON documents of ``evidence show`` and ``timeline``.
EVIDENCE_FORMAT = "reform-gate/evidence/1"
TIMELINE_FORMAT = "reform-gate/timeline/1"

StepUnit = Literal["d", "w", "m", "y"]


@frozen
class Step:
    """The distance between two dates of a timeline: ``count`` days, weeks, months or years."""

    count: int
    unit: StepUnit

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


def parse_step(text: str) -> Step:
    """``"6m"`` -> six months. A count of at least 1 and a unit: ``d``, ``w``, ``m`` or ``y``."""
    found = re.fullmatch(r"\s*([0-9]{1,4})\s*([dwmy])\s*", text)
    if found is None or int(found.group(1)) < 1:
        raise UsageError(
            "--every",
            "",
            "a count and a unit, such as 6m (months), 1y (years), 2w (weeks) or 30d (days)",
            f'"{text}"',
        )
    unit: StepUnit = found.group(2)  # type: ignore[assignment]
    return Step(int(found.group(1)), unit)


def add_step(start: _dt.date, step: Step, times: int) -> _dt.date:
    """``start`` moved on by ``times`` steps; a month or year step from the 31st lands on the
    month's last day (2024-01-31 + 1m = 2024-02-29), always counted from ``start`` so the days
    do not drift."""
    n = step.count * times
    if step.unit == "d":
        return start + _dt.timedelta(days=n)
    if step.unit == "w":
        return start + _dt.timedelta(weeks=n)
    months = n if step.unit == "m" else 12 * n
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    following = _dt.date(year + 1, 1, 1) if month0 == 11 else _dt.date(year, month0 + 2, 1)
    last = following - _dt.timedelta(days=1)
    return _dt.date(year, month0 + 1, min(start.day, last.day))


# --- evidence show -----------------------------------------------------------------------------


@frozen
class IndicatorOnDate:
    """One indicator of an evidence file on a date."""

    indicator: str
    title: str
    #: The entry that stands (``counted``), or the one that says why none does; with the later
    #: entries passed over.
    evidence: Evidence
    #: How many older entries the standing one follows.
    earlier: int
    #: Entries another entry corrects (``supersedes``): they count on no date.
    withdrawn: tuple[Evidence, ...] = ()


@frozen
class RecordOnDate:
    """What counts of one evidence file on one date, under one criteria set's evidence policy."""

    file: str
    id: str
    counterpart: str
    title: str
    sha256: str
    criteria_id: str
    criteria_version: str
    as_of: _dt.date
    indicators: tuple[IndicatorOnDate, ...]
    #: Indicators of the criteria set's reform pillars (the counterpart's record) with no entry.
    absent: tuple[str, ...]
    #: The evidence policy applied (the criteria set's ``min_reliability``, ``max_evidence_age_days``, ``stale``).
    min_reliability: str = "F6"
    max_evidence_age_days: int | None = None
    stale: str = "warn"
    format: str = EVIDENCE_FORMAT

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (``"format": "reform-gate/evidence/1"``)."""
        data: dict[str, Any] = plain(self)
        return data


# --- timeline --------------------------------------------------------------------------------


@frozen
class PillarAt:
    """A pillar's score on one date, and the requested tier's minimum for it."""

    id: str
    kind: PillarKind
    score: float
    minimum: float | None


@frozen
class Change:
    """An indicator whose counted entry differs from the date before: ``None`` where none counted."""

    indicator: str
    before: Evidence | None
    after: Evidence | None


@frozen
class Moment:
    """The verdict on one date of a timeline, and what changed in the evidence since the one before."""

    date: _dt.date
    outcome: Outcome
    supported_tier: str | None
    overall_score: float
    design_score: float | None
    pillars: tuple[PillarAt, ...]
    #: Empty on the first date.
    changes: tuple[Change, ...]
    #: The requested tier's requirements that fail on this date, in words.
    blocking: tuple[str, ...] = ()


@frozen
class Timeline:
    """A proposal rescored at each of a series of dates (``reform-gate timeline``)."""

    proposal: str
    title: str
    file: str
    requested_tier: str
    criteria_id: str
    criteria_version: str
    start: _dt.date
    end: _dt.date
    #: The step between dates (``6m``), or ``None``: the dates where the evidence or a waiver changes.
    every: str | None
    moments: tuple[Moment, ...]
    criteria_sha256: str = ""
    proposal_sha256: str = ""
    evidence: tuple[EvidenceFile, ...] = ()
    format: str = TIMELINE_FORMAT

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (``"format": "reform-gate/timeline/1"``)."""
        data: dict[str, Any] = plain(self)
        return data
