"""Evidence: which observations count on the scoring date (``docs/scoring.md``, "Evidence").

An observation counts when it was known on the day ("now": the proposal's date, or ``as_of``),
is graded at least the criteria set's ``min_reliability``, and, under ``stale = "unknown"``, is
not older than ``max_evidence_age_days``. Nothing here reads the clock, so the same files always
give the same verdict.
"""

from __future__ import annotations

import datetime as _dt

from attrs import frozen

from ..grades import grade_meets
from ..model import CriteriaInfo, Observation

__all__ = ["Usability", "judge"]


@frozen
class Usability:
    """Whether an observation counts, and why not when it does not."""

    usable: bool
    age_days: int
    #: ``None``, ``"future"``, ``"weak"``, ``"stale"`` (counted, flagged) or ``"stale-unknown"``.
    problem: str | None


def judge(observation: Observation, policy: CriteriaInfo, now: _dt.date) -> Usability:
    """Decide whether ``observation`` is usable evidence on the day ``now``."""
    age = (now - observation.as_of).days
    if age < 0:
        return Usability(False, age, "future")
    if not grade_meets(observation.reliability, policy.min_reliability):
        return Usability(False, age, "weak")
    if policy.max_evidence_age_days is not None and age > policy.max_evidence_age_days:
        if policy.stale == "unknown":
            return Usability(False, age, "stale-unknown")
        return Usability(True, age, "stale")
    return Usability(True, age, None)
