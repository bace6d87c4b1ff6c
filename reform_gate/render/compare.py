"""``reform-gate compare`` as text and JSON (HTML is in :mod:`reform_gate.render.html`).

Text: a numbered legend of the columns (proposal, file, criteria set), a table of requested tier,
outcome, supported tier and every score, one column per verdict, then the findings that differ
between columns. Sample::

    Comparing 2 verdicts
      [1] ru-formal-recognition-2025  seeds/ru-formal-recognition.toml  reform-before-recognition 1.0.0
      [2] ru-kabul-diplomatic-presence-2025  seeds/ru-kabul-diplomatic-presence.toml  reform-before-recognition 1.0.0

                              [1]          [2]
    requested tier            recognition  diplomatic-presence

JSON is :meth:`~reform_gate.analysis.Comparison.to_dict` (``"format": "reform-gate/compare/2"``).
"""

from __future__ import annotations

from typing import TextIO

from ..analysis import Comparison
from ..numbers import show
from .json_ import dumps_verdict
from .shared import num, printable_data

__all__ = ["json", "status_words", "table", "text"]


def table(c: Comparison) -> list[tuple[str, list[str]]]:
    """The side-by-side rows: (label, one cell per column)."""
    vs = c.verdicts
    out: list[tuple[str, list[str]]] = [
        ("requested tier", [v.requested_tier for v in vs]),
        ("outcome", [v.outcome for v in vs]),
        ("supported tier", [v.supported_tier or "none" for v in vs]),
        ("overall reform score", [num(v.overall_score) for v in vs]),
        ("design score", ["-" if v.design_score is None else num(v.design_score) for v in vs]),
    ]
    out += [(f"{p.id} score", ["-" if x is None else num(x) for x in p.scores]) for p in c.pillars]
    return out


def text(c: Comparison, out: TextIO) -> None:
    """Write the comparison for a person at a terminal, every string from the files made printable first."""
    c = printable_data(c)
    n = len(c.columns)
    out.write(f"Comparing {n} verdicts\n")
    for i, col in enumerate(c.columns, start=1):
        out.write(f"  [{i}] {col.label}  {col.file}  {col.criteria_id} {col.criteria_version}\n")
    heads = [f"[{i}]" for i in range(1, n + 1)]
    rows = table(c)
    width = max(len(label) for label, _ in rows)
    cols = [max(len(heads[i]), *(len(cells[i]) for _, cells in rows)) for i in range(n)]
    out.write("\n" + _line("", heads, width, cols))
    for label, cells in rows:
        mark = "*" if len(set(cells)) > 1 else " "
        out.write(mark + _line(label, cells, width, cols)[1:])
    if not c.differences:
        out.write(f"\nEvery finding is the same in every column ({c.same} rules).\n")
        return
    out.write(f"\nFindings that differ ({len(c.differences)}; {c.same} rules are the same in every column)\n")
    found = [[status_words(s, x) for s, x in zip(r.statuses, r.credits, strict=True)] for r in c.differences]
    ident = max(len(r.rule) for r in c.differences)
    cols = [max(len(heads[i]), *(len(row[i]) for row in found)) for i in range(n)]
    out.write(_line("", heads, ident, cols))
    for r, row in zip(c.differences, found, strict=True):
        shown = "  ".join(f"{x:<{w}}" for x, w in zip(row, cols, strict=True))
        out.write(f"  {r.rule:<{ident}}  {shown}  {r.title}\n")


def status_words(status: str | None, credit: float | None) -> str:
    """``partial 0.50``, ``met``, or ``-`` for a rule the column's set does not have."""
    if status is None:
        return "-"
    return f"{status} {show(credit, 2)}" if status == "partial" and credit is not None else status


def _line(label: str, cells: list[str], width: int, cols: list[int]) -> str:
    return (
        "  " + f"{label:<{width}}  " + "  ".join(f"{x:<{w}}" for x, w in zip(cells, cols, strict=True))
    ).rstrip() + "\n"


def json(c: Comparison, out: TextIO) -> None:
    """Write the comparison as JSON (``"format": "reform-gate/compare/2"``)."""
    out.write(dumps_verdict(c.to_dict()))
