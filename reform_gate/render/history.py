"""Text and JSON for the record over time: ``reform-gate evidence show`` and ``reform-gate timeline``.

The JSON is each result's :meth:`to_dict`, written as every JSON output is (sorted keys, two-space
indent). The text is for a person at a terminal. ``evidence show``::

    The Taliban de-facto authorities' record, August 2021 to July 2025  [afghanistan]
    seeds/evidence/afghanistan.toml: Taliban de-facto authorities, on 2024-07-15
    Policy of reform-before-recognition 1.0.0: minimum grade C3, stale after 540 days (warn).
    18 of 19 indicators with entries count on this date.

    safe_haven_denied             Listed terrorist groups find no haven on Afghan soil
      counts          false; 2023 (counted from 2023-12-31), graded B2, 197 days old (line 35)
                      UN Analytical Support and Sanctions Monitoring Team, report to the 1988 Committee (2023)
      passed over     false; 2024 (counted from 2024-12-31), graded B2, not yet known (line 43)
                      UN Analytical Support and Sanctions Monitoring Team, report to the 1988 Committee (2024)

``timeline``: a table of the outcome, supported tier and scores at each date, then what changed.
"""

from __future__ import annotations

from typing import TextIO

from ..checks import show_value
from ..history import RecordOnDate, Timeline
from ..verdict import Evidence
from .json_ import dumps
from .shared import num, printable_data

__all__ = ["render_record", "render_record_json", "render_timeline", "render_timeline_json"]

_WHY = {
    None: "",
    "stale": ", stale (counted, flagged)",
    "future": ", not yet known",
    "weak": ", graded below the minimum",
    "stale-unknown": ", too old to count",
}


def _entry(e: Evidence) -> str:
    """``false; 2024 (counted from 2024-12-31), graded B2, 197 days old`` and why it is flagged."""
    age = f", {e.age_days} days old" if e.age_days >= 0 else ""
    line = f" (line {e.line})" if e.line is not None else ""
    why = _WHY.get(e.problem, "")
    return f"{show_value(e.value)}; {e.dated()}, graded {e.reliability}{age}{why}{line}"


def render_record(r: RecordOnDate, out: TextIO) -> None:
    """What counts of an evidence file on one date, indicator by indicator; every string from the
    files made printable first (``docs/security.md``)."""
    r = printable_data(r)
    w = out.write
    w(f"{r.title}  [{r.id}]\n")
    w(f"{r.file or r.id}: {r.counterpart}, on {r.as_of.isoformat()}\n")
    days = r.max_evidence_age_days
    age = "never stale" if days is None else f"stale after {days} days ({r.stale})"
    w(f"Policy of {r.criteria_id} {r.criteria_version}: minimum grade {r.min_reliability}, {age}.\n")
    counted = sum(1 for row in r.indicators if row.evidence.counted)
    w(f"{counted} of {len(r.indicators)} indicators with entries count on this date.\n")
    width = max((len(row.indicator) for row in r.indicators), default=0)
    for row in r.indicators:
        e = row.evidence
        w(f"\n{row.indicator:<{width}}  {row.title}\n")
        w(f"  {'counts' if e.counted else 'does not count':<16}{_entry(e)}\n")
        w(f"  {'':<16}{e.source}\n")
        for later in e.passed_over:
            w(f"  {'passed over':<16}{_entry(later)}\n")
            w(f"  {'':<16}{later.source}\n")
        if row.earlier:
            w(f"  {'older':<16}{row.earlier} entr{'ies' if row.earlier != 1 else 'y'} before it\n")
        for gone in row.withdrawn:
            w(f"  {'withdrawn':<16}{_entry(gone)}: corrected by a later entry (supersedes)\n")
    if r.absent:
        w(f"\nNo entry for: {', '.join(r.absent)}\n")


def render_record_json(r: RecordOnDate, out: TextIO) -> None:
    """The ``reform-gate/evidence/1`` document."""
    out.write(dumps(r.to_dict()))


def render_timeline(t: Timeline, out: TextIO) -> None:
    """The verdict at each date as a table, then the evidence that changed from one date to the
    next; every string from the files made printable first (``docs/security.md``)."""
    t = printable_data(t)
    w = out.write
    w(f"{t.title}  [{t.proposal}]\n")
    how = f"every {t.every}" if t.every else "at each date where the evidence or a waiver changes"
    w(
        f"{t.requested_tier} sought, under {t.criteria_id} {t.criteria_version}; "
        f"{t.start.isoformat()} to {t.end.isoformat()}, {how}\n\n"
    )
    pillars = [p.id for p in t.moments[0].pillars] if t.moments else []
    head = ["date", "outcome", "supported", "overall", "design", *pillars]
    rows = [
        [
            m.date.isoformat(),
            m.outcome,
            m.supported_tier or "none",
            num(m.overall_score),
            "-" if m.design_score is None else num(m.design_score),
            *(num(p.score) for p in m.pillars),
        ]
        for m in t.moments
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for n, row in enumerate([head, *rows]):
        cells = [c.ljust(widths[i]) if i < 3 else c.rjust(widths[i]) for i, c in enumerate(row)]
        w("  ".join(cells).rstrip() + "\n")
        if n == 0:
            w("  ".join("-" * wd for wd in widths) + "\n")
    changed = [m for m in t.moments if m.changes]
    if not changed:
        w("\nNo evidence changed between these dates.\n")
        return
    w("\nWhat changed\n")
    for m in changed:
        w(f"  {m.date.isoformat()}\n")
        for c in m.changes:
            before = "nothing counted" if c.before is None else _short(c.before)
            after = "nothing counts" if c.after is None else _short(c.after)
            w(f"    {c.indicator}: {before} -> {after}\n")


def _short(e: Evidence) -> str:
    return f"{show_value(e.value)} ({e.source}, {e.when})"


def render_timeline_json(t: Timeline, out: TextIO) -> None:
    """The ``reform-gate/timeline/1`` document."""
    out.write(dumps(t.to_dict()))
