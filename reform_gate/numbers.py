"""Numbers as the arithmetic compares them and as every output shows them.

Scores are compared unrounded with one tolerance, :data:`TOLERANCE`, so that sums that differ in
the last bit (0.1 + 0.2) never flip a verdict; they are rounded only when shown. Two ways of
showing a number cover every output (see ``docs/scoring.md``): a bound or a value as the author
wrote it (``75``, ``62.5``, ``0.5``), and a computed score with a fixed number of decimals
(``11.1``).
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["TOLERANCE", "exact", "reaches", "show"]

#: How far apart two unrounded scores or credits may be and still count as equal.
TOLERANCE = 1e-9


def reaches(value: float, bound: float) -> bool:
    """Whether ``value`` is at least ``bound``, within :data:`TOLERANCE`."""
    return value >= bound - TOLERANCE


def exact(x: float) -> Fraction:
    """``x`` as the exact decimal its author wrote: ``0.1`` is 1/10, not the nearest binary float.

    A float's shortest repr is the decimal that TOML text held, so sums of weights such as
    0.1 + 0.2 come out as exactly 3/10 (used where a bound is compared exactly, ``docs/scoring.md``).
    """
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(repr(float(x)))


def show(x: float, decimals: int | None = None) -> str:
    """A number for a person: as written (``75``, ``62.5``) or, given ``decimals``, fixed (``11.1``).

    Scores use one decimal everywhere; credits two. Bounds, weights and observed values are shown
    as the author wrote them, without trailing zeros.
    """
    if decimals is None:
        return f"{x:g}"
    return f"{x:.{decimals}f}"
