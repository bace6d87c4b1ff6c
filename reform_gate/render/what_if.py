"""``reform-gate what-if`` as text and JSON: the verdict before and after, side by side.

Text: the changes asked for; a table of outcome, supported tier and every score before and after,
each changed row marked ``*``; the findings and the requirements of the requested tier that
changed; then what the requested tier would still take after the change. Sample::

    What if isisk_operations = sporadic (now sustained)
    Formal recognition of the Taliban government  [ru-formal-recognition-2025]

                                 before      after
      outcome                    scale-back  scale-back
    * supported tier             dialogue    humanitarian

JSON is :meth:`~reform_gate.analysis.WhatIf.to_dict` (``"format": "reform-gate/what-if/2"``).
"""

from __future__ import annotations

from typing import TextIO

from ..analysis import ObservationChange, WhatIf
from ..checks import Value, show_value
from ..numbers import show
from ..verdict import Verdict
from .json_ import dumps_verdict
from .shared import gap_title, num, printable_data

__all__ = ["change_words", "json", "rows", "text"]


def _value(v: Value | None) -> str:
    return "no usable evidence" if v is None else show_value(v)


def change_words(c: ObservationChange) -> str:
    """``isisk_operations = sporadic (now sustained)``; ``poppy_cultivation_ha removed (now 12800)``."""
    after = f"{c.indicator} = {show_value(c.after)}" if c.after is not None else f"{c.indicator} removed"
    return f"{after} (now {_value(c.before)})"


def rows(before: Verdict, after: Verdict) -> list[tuple[str, str, str]]:
    """What the side-by-side table shows: (label, before, after)."""
    out = [
        ("outcome", before.outcome, after.outcome),
        ("supported tier", before.supported_tier or "none", after.supported_tier or "none"),
        ("overall reform score", num(before.overall_score), num(after.overall_score)),
    ]
    if before.design_score is not None and after.design_score is not None:
        out.append(("design score", num(before.design_score), num(after.design_score)))
    for a, b in zip(before.pillars, after.pillars, strict=True):
        out.append((f"{a.id} score", num(a.score), num(b.score)))
    steps = [
        ("-" if v.gap is None else str(len(v.gap.steps)) if v.gap.reachable else "unreachable") for v in (before, after)
    ]
    out.append((f"rules {before.requested_tier} would take", steps[0], steps[1]))
    return out


def text(w: WhatIf, out: TextIO) -> None:
    """Write the what-if for a person at a terminal, every string from the files made printable first."""
    w = printable_data(w)
    before, after = w.before, w.after
    out.write("What if " + "; ".join(change_words(c) for c in w.changes) + "\n")
    out.write(f"{before.title}  [{before.proposal}], as of {before.audit.as_of.isoformat()}\n\n")
    table = rows(before, after)
    width = max(len(label) for label, _, _ in table)
    first = max(len(x) for _, x, _ in [*table, ("", "before", "")])
    out.write(f"  {'':<{width}}  {'before':<{first}}  after\n")
    for label, a, b in table:
        mark = "*" if a != b else " "
        out.write(f"{mark} {label:<{width}}  {a:<{first}}  {b}\n")
    if w.findings:
        out.write(f"\nFindings that changed ({len(w.findings)})\n")
        ident = max(len(f.rule) for f in w.findings)
        for f in w.findings:
            was = f"{f.before_status} {show(f.before_credit, 2)}"
            now = f"{f.after_status} {show(f.after_credit, 2)}"
            out.write(f"  {f.rule:<{ident}}  {was} -> {now}  {f.title}\n")
    else:
        out.write("\nNo finding changed.\n")
    if w.requirements:
        out.write(f"\nRequirements of {before.requested_tier} that changed ({len(w.requirements)})\n")
        for r in w.requirements:
            out.write(f"  {r.text}: {'holds' if r.before else 'fails'} -> {'holds' if r.after else 'fails'}\n")
    g = after.gap
    if g is not None and g.reachable:
        out.write(f"\nAfter the change, {after.requested_tier} would take {gap_title(g)}: ")
        out.write(", ".join(s.rule for s in g.steps) + "\n")
    elif g is not None:
        out.write(f"\nAfter the change, {after.requested_tier} cannot be reached by raising rules.\n")
    else:
        out.write(f"\nAfter the change, every requirement of {after.requested_tier} holds.\n")


def json(w: WhatIf, out: TextIO) -> None:
    """Write the what-if as JSON (``"format": "reform-gate/what-if/2"``)."""
    out.write(dumps_verdict(w.to_dict()))
