"""Numbers: one tolerance for comparing, one way of showing each kind of number."""

from __future__ import annotations

from reform_gate.numbers import TOLERANCE, reaches, show


def test_reaches_forgives_only_the_tolerance() -> None:
    """0.1 + 0.2 reaches 0.3; a value a thousand tolerances short does not."""
    assert reaches(0.1 + 0.2, 0.3)
    assert reaches(0.3 - TOLERANCE / 2, 0.3)
    assert not reaches(0.3 - 1000 * TOLERANCE, 0.3)


def test_show_writes_bounds_as_written_and_scores_fixed() -> None:
    """Bounds keep the author's form (75, 62.5); scores and credits get fixed decimals."""
    assert show(75) == "75"
    assert show(75.0) == "75"
    assert show(62.5) == "62.5"
    assert show(11.111, 1) == "11.1"
    assert show(0.5, 2) == "0.50"
    assert show(99.96, 1) == "100.0"
