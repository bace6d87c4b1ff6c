"""Text views of a criteria set (``criteria show``) and of one rule (``explain``)."""

from __future__ import annotations

from typing import TextIO

from ..checks import indicators_of, needed
from ..model import Criteria, Rule, Tier
from ..numbers import show
from ..requirements import compile_tier, statement

__all__ = ["render_criteria", "render_rule"]


def render_criteria(c: Criteria, out: TextIO) -> None:
    """The pillars with their rules, the indicators, and the ladder of tiers."""
    info = c.criteria
    out.write(f"{info.title}  [{info.id} {info.version}]\n")
    if info.description:
        out.write(f"{info.description.strip()}\n")
    age = f"{info.max_evidence_age_days} days" if info.max_evidence_age_days is not None else "no limit"
    out.write(
        f"\nEvidence: missing counts as {info.missing}; minimum reliability {info.min_reliability}; "
        f"stale after {age} ({info.stale})\n"
    )
    for p in c.pillars:
        rules = [r for r in c.rules if r.pillar == p.id]
        out.write(f"\n{p.title}  [{p.id}, {p.kind}, weight {show(p.weight)}]\n")
        for r in rules:
            gate = " GATE" if r.gate else ""
            out.write(f"  {r.id:<6} w{show(r.weight):<3}{gate:5} {r.title}\n")
            out.write(f"         needs {needed(r.check, c.indicators)}\n")
    out.write("\nLadder (lowest first)\n")
    for t in c.tiers:
        out.write(f"  {t.id:<20} {t.title}\n")
        for line in _tier_lines(t, c):
            out.write(f"      {line}\n")


def _tier_lines(t: Tier, c: Criteria) -> list[str]:
    """Each requirement of the tier, as the verdict words it."""
    return [statement(r, c) for r in compile_tier(t, c)]


def render_rule(c: Criteria, r: Rule, out: TextIO) -> None:
    """Everything about one rule: check, weight, gate, rationale, remedy, references, tiers."""
    pillar = c.pillar(r.pillar)
    out.write(f"{r.id}  {r.title}\n")
    out.write(f"pillar {pillar.id} ({pillar.kind}), weight {show(r.weight)}")
    if r.gate:
        out.write(f", gate (passes at credit {show(r.gate_min)})")
        if r.waivable:
            out.write(", waivable")
    if not r.in_gap:
        out.write(", not proposed in the gap")
    out.write("\n\n")
    out.write(f"Full credit when: {needed(r.check, c.indicators)}\n")
    for ident in indicators_of(r.check):
        ind = c.indicators[ident]
        extra = ""
        if ind.type == "level" and ind.levels:
            extra = " (levels, worst first: " + ", ".join(ind.levels) + ")"
        elif ind.type == "number":
            extra = f" (number{', ' + ind.unit if ind.unit else ''})"
        out.write(f"  {ident}: {ind.title}{extra}\n")
    out.write(f"\nWhy: {r.rationale.strip()}\n")
    out.write(f"Remedy: {r.remedy.strip()}\n")
    out.write("References:\n")
    for ref in r.references:
        out.write(f"  - {ref}\n")
    tiers = [t.id for t in c.tiers if _tier_reads(t, r)]
    if tiers:
        out.write(f"\nRequired by tiers: {', '.join(tiers)}\n")


def _tier_reads(t: Tier, r: Rule) -> bool:
    groups = [t.own_group(), *t.any_of]
    for g in groups:
        if g.names_gate(r):
            return True
        if g.min_met is not None and g.min_met.among and r.id in g.min_met.among:
            return True
    return False
