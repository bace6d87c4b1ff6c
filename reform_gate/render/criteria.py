"""Text views of a criteria set (``criteria show``) and of one rule (``explain``)."""

from __future__ import annotations

from typing import TextIO

from ..checks import indicators_of, needed
from ..model import Criteria, Rule, Tier


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
        out.write(f"\n{p.title}  [{p.id}, {p.kind}, weight {p.weight:g}]\n")
        for r in rules:
            gate = " GATE" if r.gate else ""
            out.write(f"  {r.id:<6} w{r.weight:<3g}{gate:5} {r.title}\n")
            out.write(f"         needs {needed(r.check, c.indicators)}\n")
    out.write("\nLadder (lowest first)\n")
    for t in c.tiers:
        out.write(f"  {t.id:<20} {t.title}\n")
        for line in _tier_lines(t):
            out.write(f"      {line}\n")


def _tier_lines(t: Tier) -> list[str]:
    lines = []
    if t.min_score is not None:
        lines.append(f"overall reform score >= {t.min_score:g}")
    if t.min_pillar:
        lines.append("pillars: " + ", ".join(f"{k} >= {v:g}" for k, v in t.min_pillar.items()))
    if t.gates == "all":
        lines.append("gates: every gate")
    elif t.gates:
        lines.append("gates: " + ", ".join(t.gates))
    if t.min_met is not None:
        among = f" of {', '.join(t.min_met.among)}" if t.min_met.among else " (reform rules)"
        lines.append(f"at least {t.min_met.count} met{among}")
    for group in t.any_of:
        parts = []
        if group.min_pillar:
            parts.append(", ".join(f"{k} >= {v:g}" for k, v in group.min_pillar.items()))
        if group.min_met is not None:
            parts.append(f"{group.min_met.count} met of {', '.join(group.min_met.among or ())}")
        if group.gates:
            parts.append("gates " + (", ".join(group.gates) if group.gates != "all" else "all"))
        if group.min_score is not None:
            parts.append(f"overall >= {group.min_score:g}")
        lines.append("or-group: " + "; ".join(parts))
    return lines


def render_rule(c: Criteria, r: Rule, out: TextIO) -> None:
    """Everything about one rule: check, weight, gate, rationale, remedy, references, tiers."""
    pillar = c.pillar(r.pillar)
    out.write(f"{r.id}  {r.title}\n")
    out.write(f"pillar {pillar.id} ({pillar.kind}), weight {r.weight:g}")
    if r.gate:
        out.write(f", gate (passes at credit {r.gate_min:g})")
        if r.waivable:
            out.write(", waivable")
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
