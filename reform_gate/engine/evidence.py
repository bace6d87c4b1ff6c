"""Evidence: which entries count on the scoring date (``docs/scoring.md``, "Evidence").

An entry counts when it was known on the day ("now": the proposal's date, or ``as_of``), is
graded at least the criteria set's ``min_reliability``, and, under ``stale = "unknown"``, is not
older than ``max_evidence_age_days``. An entry dated only to its month or year is known from the
end of that month or year, and its age is counted from there. Of an indicator's several dated
entries the latest usable one stands for it (:func:`choose`). Nothing here reads the clock, so the
same files always give the same verdict.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from attrs import frozen

from ..grades import grade_meets
from ..model import CriteriaInfo, Entry, Observation
from ..verdict import Evidence

__all__ = ["Usability", "Weighed", "choose", "evidence_of", "judge"]


@frozen
class Usability:
    """Whether an observation counts, and why not when it does not."""

    usable: bool
    age_days: int
    #: ``None``, ``"future"``, ``"weak"``, ``"stale"`` (counted, flagged) or ``"stale-unknown"``.
    problem: str | None


def judge(observation: Observation, policy: CriteriaInfo, now: _dt.date) -> Usability:
    """Decide whether ``observation`` is usable evidence on the day ``now``."""
    age = (now - observation.counts_from).days
    if age < 0:
        return Usability(False, age, "future")
    if not grade_meets(observation.reliability, policy.min_reliability):
        return Usability(False, age, "weak")
    if policy.max_evidence_age_days is not None and age > policy.max_evidence_age_days:
        if policy.stale == "unknown":
            return Usability(False, age, "stale-unknown")
        return Usability(True, age, "stale")
    return Usability(True, age, None)


@frozen
class Weighed:
    """An entry and what :func:`judge` made of it."""

    entry: Entry
    usability: Usability


def choose(entries: Sequence[Entry], policy: CriteriaInfo, now: _dt.date) -> tuple[Weighed, tuple[Weighed, ...]]:
    """The entry that stands for an indicator on ``now``, and the later entries passed over.

    ``entries`` are in date order (:meth:`reform_gate.model.Proposal.record`). The latest usable
    entry stands; when none is usable, the latest already dated (it says why: too weak, or too
    old), else the first still to come. Every entry after it could not count, and is passed over.
    """
    weighed = [Weighed(e, judge(e.observation, policy, now)) for e in entries]
    usable = [i for i, w in enumerate(weighed) if w.usability.usable]
    known = [i for i, w in enumerate(weighed) if w.usability.problem != "future"]
    stands = usable[-1] if usable else known[-1] if known else 0
    return weighed[stands], tuple(weighed[stands + 1 :])


def evidence_of(w: Weighed, passed_over: Sequence[Weighed] = ()) -> Evidence:
    """The verdict's account of one weighed entry."""
    e, u = w.entry, w.usability
    obs = e.observation
    return Evidence(
        e.indicator,
        obs.value,
        obs.source,
        obs.as_of,
        obs.reliability,
        u.age_days,
        u.usable,
        u.problem,
        obs.note,
        obs.url,
        e.line,
        file=e.file,
        as_of_precision=obs.as_of_precision,
        passed_over=tuple(evidence_of(later) for later in passed_over),
    )
