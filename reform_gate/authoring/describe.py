"""Text views of a criteria set (``criteria show``, ``--resolved``) and of one rule (``explain``).

A criteria file may come from a pull request, so every string drawn from it goes through
:func:`reform_gate.safe_text.printable` (``docs/security.md``).
"""

from __future__ import annotations

from typing import TextIO

import tomli_w

from ..checks import indicators_of, needed
from ..load.convert import unstructure
from ..model import Criteria, Rule, Tier
from ..numbers import show
from ..requirements import compile_tier, statement
from ..safe_text import folded
from ..safe_text import printable as p

__all__ = ["render_criteria", "render_rule", "resolved_toml"]


def render_criteria(c: Criteria, out: TextIO) -> None:
    """The pillars with their rules, the indicators, and the ladder of tiers."""
    info = c.criteria
    out.write(f"{p(info.title)}  [{p(info.id)} {p(info.version)}]\n")
    if info.description:
        out.write(f"{folded(info.description)}\n")
    age = f"{info.max_evidence_age_days} days" if info.max_evidence_age_days is not None else "no limit"
    out.write(
        f"\nEvidence: missing counts as {info.missing}; minimum reliability {p(info.min_reliability)}; "
        f"stale after {age} ({info.stale})\n"
    )
    for pillar in c.pillars:
        rules = [r for r in c.rules if r.pillar == pillar.id]
        out.write(f"\n{p(pillar.title)}  [{p(pillar.id)}, {pillar.kind}, weight {show(pillar.weight)}]\n")
        for r in rules:
            gate = " GATE" if r.gate else ""
            out.write(f"  {p(r.id):<6} w{show(r.weight):<3}{gate:5} {p(r.title)}\n")
            out.write(f"         needs {p(needed(r.check, c.indicators))}\n")
    out.write("\nLadder (lowest first)\n")
    for t in c.tiers:
        out.write(f"  {p(t.id):<20} {p(t.title)}\n")
        for line in _tier_lines(t, c):
            out.write(f"      {p(line)}\n")


def resolved_toml(c: Criteria) -> str:
    """The whole set as TOML (a derived set merged with its base), which loads to an equal set."""
    head = (
        f"# {c.id} {c.criteria.version}, resolved by reform-gate criteria show --resolved"
        + (f" from {c.file}" if c.file else "")
        + ".\n# Every key of the set, with what it extends merged in; comments are not carried over.\n\n"
    )
    return head + tomli_w.dumps(unstructure(c))


def _tier_lines(t: Tier, c: Criteria) -> list[str]:
    """Each requirement of the tier, as the verdict words it."""
    return [statement(r, c) for r in compile_tier(t, c)]


def render_rule(c: Criteria, r: Rule, out: TextIO) -> None:
    """Everything about one rule: check, weight, gate, rationale, remedy, references, tiers."""
    pillar = c.pillar(r.pillar)
    out.write(f"{p(r.id)}  {p(r.title)}\n")
    out.write(f"pillar {p(pillar.id)} ({pillar.kind}), weight {show(r.weight)}")
    if r.gate:
        out.write(f", gate (passes at credit {show(r.gate_min)})")
        if r.waivable:
            out.write(", waivable")
    if not r.in_gap:
        out.write(", not proposed in the gap")
    out.write("\n\n")
    out.write(f"Full credit when: {p(needed(r.check, c.indicators))}\n")
    for ident in indicators_of(r.check):
        ind = c.indicators[ident]
        extra = ""
        if ind.type == "level" and ind.levels:
            extra = " (levels, worst first: " + ", ".join(map(p, ind.levels)) + ")"
        elif ind.type == "number":
            extra = f" (number{', ' + p(ind.unit) if ind.unit else ''})"
        out.write(f"  {p(ident)}: {p(ind.title)}{extra}\n")
    out.write(f"\nWhy: {folded(r.rationale)}\n")
    out.write(f"Remedy: {folded(r.remedy)}\n")
    out.write("References:\n")
    for ref in r.references:
        out.write(f"  - {p(ref)}\n")
    tiers = [t.id for t in c.tiers if _tier_reads(t, r)]
    if tiers:
        out.write(f"\nRequired by tiers: {', '.join(map(p, tiers))}\n")


def _tier_reads(t: Tier, r: Rule) -> bool:
    groups = [t.own_group(), *t.any_of]
    for g in groups:
        if g.names_gate(r):
            return True
        if g.min_met is not None and g.min_met.among and r.id in g.min_met.among:
            return True
    return False
