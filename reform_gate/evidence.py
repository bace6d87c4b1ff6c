"""Evidence: Admiralty reliability grades, staleness and the "not yet known" rule (DESIGN 4.3).

The proposal's date (or ``--as-of``) is "now". Nothing here reads the clock, so the same files
always give the same verdict.
"""

from __future__ import annotations

import datetime as _dt
import re

from attrs import frozen

from .model import CriteriaInfo, Observation

__all__ = ["GRADE_PATTERN", "Usability", "grade_meets", "is_grade", "judge"]

#: A source letter A (completely reliable) to F (cannot be judged), then an information digit
#: 1 (confirmed) to 6 (cannot be judged).
GRADE_PATTERN = re.compile(r"[A-F][1-6]")

SOURCE_WORDS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
INFORMATION_WORDS = {
    "1": "confirmed",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}


def is_grade(text: str) -> bool:
    """True for a well-formed Admiralty grade such as ``B2``."""
    return GRADE_PATTERN.fullmatch(text) is not None


def grade_meets(grade: str, minimum: str) -> bool:
    """An observation meets ``minimum`` iff its letter and its digit are each no weaker."""
    return grade[0] <= minimum[0] and grade[1] <= minimum[1]


def grade_words(grade: str) -> str:
    """``B2`` -> ``usually reliable source, probably true``."""
    return f"{SOURCE_WORDS[grade[0]]} source, {INFORMATION_WORDS[grade[1]]}"


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
