"""The record over time: a proposal rescored at a series of dates, and an evidence file on one date.

Both are pure functions of the model, like :func:`reform_gate.engine.score`: "now" is each date
given, never the clock. :func:`timeline` scores the proposal as of each date (the same rule as
``--as-of``) and compares what counted with the date before; :func:`change_points` finds the
dates where a verdict can change at all, for a timeline without a fixed step
(``docs/scoring.md``, "Evidence over time").
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from ..checks import indicators_of
from ..history import (
    Change,
    IndicatorOnDate,
    Moment,
    PillarAt,
    RecordOnDate,
    Step,
    Timeline,
    add_step,
)
from ..model import (
    Criteria,
    CriteriaInfo,
    Entry,
    Ledger,
    Observation,
    Proposal,
    entries_of,
    entries_with_lines,
    in_date_order,
    withdrawn,
)
from ..requirements import shortfall
from ..verdict import Evidence, Verdict
from .evidence import Weighed, choose, evidence_of, judge
from .score import score

__all__ = ["change_points", "dates_between", "record_on", "timeline"]


def dates_between(start: _dt.date, end: _dt.date, every: Step) -> list[_dt.date]:
    """``start``, then every ``every`` while not past ``end``, and ``end`` itself."""
    days: list[_dt.date] = []
    times = 0
    while (day := add_step(start, every, times)) < end:
        days.append(day)
        times += 1
    return [*days, end]


def change_points(proposal: Proposal, criteria: Criteria, start: _dt.date, end: _dt.date) -> list[_dt.date]:
    """``start``, ``end`` and every date between them on which a verdict can change: an entry
    starts to count, an entry grows too old to count (under ``stale = "unknown"``), or a waiver
    expires."""
    policy = criteria.criteria
    found = {start, end}
    for ident, entries in proposal.record().items():
        if ident not in criteria.indicators:
            continue
        for e in entries:
            found.add(e.observation.counts_from)
            if policy.max_evidence_age_days is not None and policy.stale == "unknown":
                found.add(e.observation.counts_from + _dt.timedelta(days=policy.max_evidence_age_days + 1))
    found.update(w.expires for w in proposal.waivers)
    return sorted(day for day in found if start <= day <= end)


def timeline(
    proposal: Proposal, criteria: Criteria, days: Sequence[_dt.date], *, every: Step | None = None
) -> Timeline:
    """``proposal`` scored as of each of ``days`` (sorted, at least one), with what changed.

    ``every`` is only recorded, to say how the dates were chosen. The proposal must have been
    checked against ``criteria``.
    """
    moments: list[Moment] = []
    before: dict[str, Evidence] = {}
    last: Verdict | None = None
    for day in days:
        v = score(proposal, criteria, day, gap=False)
        counted = _counted(v)
        changes = [] if last is None else _changes(before, counted, criteria)
        moments.append(
            Moment(
                day,
                v.outcome,
                v.supported_tier,
                v.overall_score,
                v.design_score,
                tuple(PillarAt(p.id, p.kind, p.score, p.minimum) for p in v.pillars),
                tuple(changes),
                tuple(shortfall(r) for r in v.blocking),
            )
        )
        before, last = counted, v
    assert last is not None, "a timeline needs at least one date"
    info = proposal.proposal
    return Timeline(
        info.id,
        info.title,
        proposal.file,
        info.tier,
        criteria.id,
        criteria.criteria.version,
        days[0],
        days[-1],
        None if every is None else str(every),
        tuple(moments),
        last.audit.criteria_sha256,
        last.audit.proposal_sha256,
        last.audit.evidence,
    )


def _counted(v: Verdict) -> dict[str, Evidence]:
    """The entry that counts for each indicator on the verdict's date."""
    return {e.indicator: e for f in v.findings for e in f.evidence if e.counted}


def _identity(e: Evidence) -> tuple[str, int | None, _dt.date, str, str, str]:
    # Not the age (it grows every day), only which entry it is.
    return (e.file, e.line, e.as_of, e.as_of_precision, e.source, repr(e.value))


def _changes(before: dict[str, Evidence], after: dict[str, Evidence], c: Criteria) -> list[Change]:
    out = []
    for ident in c.indicators:
        old, new = before.get(ident), after.get(ident)
        if (None if old is None else _identity(old)) != (None if new is None else _identity(new)):
            out.append(Change(ident, old, new))
    return out


# --- one evidence file on one date ------------------------------------------------------------


def record_on(ledger: Ledger, criteria: Criteria, as_of: _dt.date) -> RecordOnDate:
    """What counts of ``ledger`` on ``as_of`` under ``criteria``'s evidence policy, per indicator
    of the set (in its order), with the entries passed over and those withdrawn."""
    policy = criteria.criteria
    record = ledger.record()
    written = entries_with_lines(ledger.observations, ledger.origin)
    rows = []
    for ident, ind in criteria.indicators.items():
        entries = record.get(ident)
        if not entries:
            continue
        stands, later = choose(entries, policy, as_of)
        rows.append(
            IndicatorOnDate(
                ident,
                ind.title,
                evidence_of(stands, later),
                entries.index(stands.entry),
                _withdrawn(ledger, ident, written[ident], policy, as_of),
            )
        )
    # The design indicators describe proposals, not the counterpart: no evidence file holds them.
    reform = [rule for rule in criteria.rules if criteria.pillar(rule.pillar).kind == "reform"]
    read = {i for rule in reform for i in indicators_of(rule.check)}
    absent = tuple(ident for ident in criteria.indicators if ident in read and not record.get(ident))
    return RecordOnDate(
        ledger.file,
        ledger.id,
        ledger.evidence.counterpart,
        ledger.evidence.title,
        ledger.origin.sha256 if ledger.origin is not None else "",
        criteria.id,
        policy.version,
        as_of,
        tuple(rows),
        absent,
        policy.min_reliability,
        policy.max_evidence_age_days,
        policy.stale,
    )


def _withdrawn(
    ledger: Ledger, ident: str, items: list[tuple[Observation, int | None]], policy: CriteriaInfo, as_of: _dt.date
) -> tuple[Evidence, ...]:
    """The entries of ``ident`` another entry corrects, in date order (they count on no date)."""
    gone = withdrawn(entries_of(ledger.observations[ident]))
    made = [Entry(ident, obs, ledger.file, line, None, ledger.id) for i, (obs, line) in enumerate(items) if i in gone]
    return tuple(evidence_of(Weighed(e, judge(e.observation, policy, as_of))) for e in in_date_order(made))
