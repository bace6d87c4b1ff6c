"""Admiralty grades: how reliable a source is and how credible its information.

A grade is a source letter, A (completely reliable) to F (cannot be judged), and an information
digit, 1 (confirmed) to 6 (cannot be judged): ``B2``. An observation meets a minimum grade when
its letter and its digit are each no weaker (``docs/scoring.md``, "Evidence").
"""

from __future__ import annotations

import re

__all__ = ["GRADE_PATTERN", "grade_hint", "grade_meets", "grade_words", "is_grade"]

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


def grade_hint(text: str) -> str | None:
    """``"b2"`` or ``" B2"`` -> ``did you mean "B2"?``."""
    fixed = text.strip().upper()
    return f'did you mean "{fixed}"?' if is_grade(fixed) else None
