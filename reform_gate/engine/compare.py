"""Comparison: several verdicts side by side, and the findings that differ (``docs/cli.md``,
"reform-gate compare").

Each column is one proposal scored under one criteria set: several proposals under their own
sets, or one proposal under several sets. A finding differs when its status or its credit is not
the same in every column that has the rule; a rule that only some columns' sets have differs too.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from ..analysis import Comparison, ComparisonColumn, FindingRow, PillarRow
from ..model import Criteria, Proposal
from ..numbers import TOLERANCE
from ..verdict import Finding, Verdict, observed
from .score import score

__all__ = ["compare", "labels"]


def compare(pairs: Sequence[tuple[Proposal, Criteria]], as_of: _dt.date | None = None) -> Comparison:
    """Score each (proposal, criteria set) pair and set the verdicts side by side.

    Each proposal must have been checked against its criteria set (``reform_gate.compare`` does that).
    """
    verdicts = tuple(score(p, c, as_of) for p, c in pairs)
    names = labels(pairs)
    columns = tuple(
        ComparisonColumn(name, v.proposal, v.file, c.id, c.criteria.version)
        for name, v, (_, c) in zip(names, verdicts, pairs, strict=True)
    )
    pillar_ids = list(dict.fromkeys(p.id for v in verdicts for p in v.pillars))
    pillars = tuple(
        PillarRow(ident, tuple(next((p.score for p in v.pillars if p.id == ident), None) for v in verdicts))
        for ident in pillar_ids
    )
    rules = list(dict.fromkeys(f.rule for v in verdicts for f in v.findings))
    differences = []
    for rule in rules:
        found = [_finding(v, rule) for v in verdicts]
        if _differ(found):
            title = next(f.title for f in found if f is not None)
            differences.append(
                FindingRow(
                    rule,
                    title,
                    tuple(None if f is None else f.status for f in found),
                    tuple(None if f is None else f.credit for f in found),
                    tuple(None if f is None else observed(f) for f in found),
                )
            )
    return Comparison(columns, verdicts, pillars, tuple(differences), len(rules) - len(differences))


def labels(pairs: Sequence[tuple[Proposal, Criteria]]) -> list[str]:
    """A short, unique name for each column: the proposal id when every column uses one criteria
    set, the criteria id (and version) when every column is one proposal, else both."""
    proposals = {(p.id, p.file) for p, _ in pairs}
    sets = {(c.id, c.criteria.version, c.file) for _, c in pairs}
    if len(sets) == 1:
        names = [p.id for p, _ in pairs]
    elif len(proposals) == 1:
        ids = [c.id for _, c in pairs]
        names = [f"{c.id} {c.criteria.version}" if ids.count(c.id) > 1 else c.id for _, c in pairs]
    else:
        names = [f"{p.id} @ {c.id}" for p, c in pairs]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if names.count(name) == 1 else f"{name} ({seen[name]})")
    return out


def _finding(v: Verdict, rule: str) -> Finding | None:
    return next((f for f in v.findings if f.rule == rule), None)


def _differ(found: list[Finding | None]) -> bool:
    if any(f is None for f in found):
        return True
    first = found[0]
    assert first is not None
    return any(f is not None and (f.status != first.status or abs(f.credit - first.credit) > TOLERANCE) for f in found)
