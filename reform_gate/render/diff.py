"""The ``score --baseline`` diff as text for a person: a summary line, then each listed proposal.

The diff itself is data from :func:`reform_gate.baseline.compare`; ``--format json`` writes it
as it is (``reform-gate/diff/1``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from ..model import OUTCOMES, below
from ..numbers import show
from .shared import printable_data

__all__ = ["render_text"]

Data = Mapping[str, Any]


def _num(x: float | None) -> str:
    return "none" if x is None else show(x, 1)


def _delta(x: float | None) -> str:
    return "" if x is None else f" ({x:+.1f})"


def render_text(diff: Data, out: TextIO, fail_below: str | None = None) -> None:
    """The diff for a person: a summary line, then each listed proposal with what changed.

    Ids, titles, tiers and files come from the files and the baseline: each is made printable.
    """
    diff = printable_data(dict(diff))
    s = diff["summary"]
    where = f" {diff['baseline']}" if diff.get("baseline") else ""
    out.write(
        f"Against baseline{where}: {s['changed']} changed ({s['worse']} worse, {s['better']} better), "
        f"{s['new']} new, {s['gone']} gone, {s['unchanged']} unchanged.\n"
    )
    if not diff["proposals"]:
        out.write("Nothing changed.\n")
        return
    for e in diff["proposals"]:
        o = e["outcome"]
        out.write(f"\n{e['proposal']}  ({e['file']})\n" if e.get("file") else f"\n{e['proposal']}\n")
        if e["status"] == "new":
            tier = e["requested_tier"]["after"]
            out.write(f"  new: {o['after']}, requested {tier}, supports {e['supported_tier']['after'] or 'none'}")
            out.write(f", overall {_num(e['overall_score']['after'])}\n")
            for r in e["blocking"]:
                out.write(f"  x blocking: {r['text']}\n")
        elif e["status"] == "gone":
            out.write(f"  gone from this run (was {o['before']})\n")
        else:
            if o["change"] != "same":
                out.write(f"  outcome: {o['before']} -> {o['after']}  ({o['change']})\n")
            for name in ("requested_tier", "supported_tier"):
                t = e[name]
                if t["before"] != t["after"]:
                    label = name.replace("_", " ")
                    out.write(f"  {label}: {t['before'] or 'none'} -> {t['after'] or 'none'}\n")
            for r in e["new_blocking"]:
                out.write(f"  + new blocking: {r['text']}\n")
            for r in e["cleared_blocking"]:
                out.write(f"  - cleared: {r['text']}\n")
            for m in e["scores"]:
                label = f"{m['pillar']} score" if m["score"] == "pillar" else f"{m['score']} score"
                out.write(f"  {label}: {_num(m['before'])} -> {_num(m['after'])}{_delta(m['delta'])}\n")
        if fail_below in OUTCOMES and o["change"] in ("new", "worse") and below(o["after"], str(fail_below)):
            out.write(f"  fails: {o['after']} is below --fail-below {fail_below}\n")
