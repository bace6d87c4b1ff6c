"""Deterministic inputs for the benchmarks: proposals of about 2 KB and criteria sets of any size.

Everything is drawn from a seeded ``random.Random``, so two runs measure the same files. Proposals
are written against a criteria set's own indicators, with values of the right type and range, so
every one of them scores (no run is flattered by files that fail early).
"""

from __future__ import annotations

import datetime as _dt
import random
from pathlib import Path

import reform_gate
from reform_gate.model import Criteria, Indicator

__all__ = ["criteria_text", "proposal_text", "write_criteria", "write_proposals"]

_WORDS = ("monitoring", "team", "report", "assessment", "field", "survey", "ministry", "statement")
_WORDS += ("independent", "observers", "humanitarian", "access", "verified", "satellite", "imagery")
_WORDS += ("interviews", "province", "district", "council")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _value(rng: random.Random, ind: Indicator) -> str:
    """A TOML value that fits the indicator."""
    if ind.type == "bool":
        return rng.choice(["true", "false"])
    if ind.type == "level":
        return '"' + rng.choice(ind.levels or ("none",)) + '"'
    low = ind.min if ind.min is not None else 0.0
    high = ind.max if ind.max is not None else max(low, 0.0) + 100_000.0
    return f"{rng.uniform(low, high):.1f}"


def proposal_text(
    rng: random.Random, index: int, criteria: Criteria, criteria_ref: str, target_bytes: int = 2048
) -> str:
    """One proposal of about ``target_bytes``: the [proposal] table, then observations until full."""
    tier = rng.choice([t.id for t in criteria.tiers])
    date = _dt.date(2025, 1, 1) + _dt.timedelta(days=rng.randrange(365))
    head = (
        "[proposal]\n"
        f'id = "bench-{index:05d}"\n'
        f'title = "Generated proposal {index}"\n'
        'actor = "Generated actor"\n'
        'counterpart = "Generated counterpart"\n'
        f'tier = "{tier}"\n'
        f"date = {date.isoformat()}\n"
        f'criteria = "{criteria_ref}"\n'
        f'summary = "{_sentence(rng, 12)}"\n'
    )
    parts = [head]
    size = len(head)
    indicators = list(criteria.indicators.items())
    rng.shuffle(indicators)
    for ident, ind in indicators:
        as_of = date - _dt.timedelta(days=rng.randrange(-20, 700))
        grade = rng.choice("ABC") + rng.choice("123") if rng.random() < 0.9 else rng.choice("DEF") + rng.choice("456")
        block = (
            f"\n[observations.{ident}]\n"
            f"value = {_value(rng, ind)}\n"
            f'source = "{_sentence(rng, 8)}"\n'
            f"as_of = {as_of.isoformat()}\n"
            f'reliability = "{grade}"\n'
            f'note = "{_sentence(rng, 10)}"\n'
        )
        if size + len(block) > target_bytes:
            break
        parts.append(block)
        size += len(block)
    return "".join(parts)


def write_proposals(
    folder: Path, count: int, criteria: Criteria, criteria_ref: str, seed: int = 4, target_bytes: int = 2048
) -> list[Path]:
    """Write ``count`` proposals into ``folder`` (sorted names); returns their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"p{i:05d}.toml"
        path.write_text(proposal_text(rng, i, criteria, criteria_ref, target_bytes), encoding="utf-8")
        paths.append(path)
    return paths


def criteria_text(rules: int, seed: int = 200) -> str:
    """A criteria set with ``rules`` rules over as many indicators, in four pillars and four tiers.

    Every fourth rule is a gate; checks mix every kind. Tiers ask for rising scores, gates and
    ``min_met`` counts, and the top tier has an ``any_of``, so the gap analysis has real work.
    """
    rng = random.Random(seed)
    pillars = [("ct", "reform", 40), ("cl", "reform", 30), ("ip", "reform", 30), ("sg", "safeguard", 100)]
    out = [
        "[criteria]",
        f'id = "bench-{rules}"',
        'version = "1.0.0"',
        f'title = "Generated criteria set with {rules} rules"',
        'missing = "zero"',
        "max_evidence_age_days = 540",
        'min_reliability = "C3"',
        "",
    ]
    for ident, kind, weight in pillars:
        out += [
            "[[pillars]]",
            f'id = "{ident}"',
            f'kind = "{kind}"',
            f"weight = {weight}",
            f'title = "Pillar {ident}"',
            "",
        ]
    kinds = []
    for i in range(rules):
        kind = ("bool", "number", "level")[i % 3]
        kinds.append(kind)
        out.append(f"[indicators.i{i:03d}]")
        out.append(f'type = "{kind}"')
        out.append(f'title = "Indicator {i}"')
        if kind == "number":
            out += ["min = 0", "max = 100", 'unit = "%"']
        if kind == "level":
            out.append('levels = ["none", "some", "most", "all"]')
        out.append("")
    gates: dict[str, list[str]] = {p[0]: [] for p in pillars}
    for i in range(rules):
        pillar = pillars[i % 4][0]
        kind = kinds[i]
        if kind == "bool":
            check = f'{{ indicator = "i{i:03d}", equals = true }}'
        elif kind == "number":
            check = (
                f'{{ indicator = "i{i:03d}", scale = [10, 90] }}'
                if i % 2
                else f'{{ indicator = "i{i:03d}", at_least = {rng.randrange(20, 80)} }}'
            )
        else:
            check = f'{{ indicator = "i{i:03d}", credit = {{ none = 0, some = 0.3, most = 0.7, all = 1 }} }}'
        gate = i % 4 == 0
        if gate:
            gates[pillar].append(f"R{i:03d}")
        out += [
            "[[rules]]",
            f'id = "R{i:03d}"',
            f'pillar = "{pillar}"',
            f"weight = {rng.randrange(1, 6)}",
            f'title = "Rule {i}"',
            f"check = {check}",
            f'rationale = "{_sentence(rng, 12)}"',
            f'remedy = "{_sentence(rng, 10)}"',
            "references = []",
        ]
        if gate:
            out.append("gate = true")
        out.append("")
    reform_rules = [f"R{i:03d}" for i in range(rules) if pillars[i % 4][1] == "reform"]
    ladder = [
        ("containment", 10, 10, 1),
        ("dialogue", 30, 30, 2),
        ("presence", 50, 50, 3),
        ("recognition", 70, 65, 4),
    ]
    for n, (ident, score, pillar_min, gate_count) in enumerate(ladder):
        chosen = [g for p in ("ct", "cl", "ip", "sg") for g in gates[p][:gate_count]]
        out += [
            "[[tiers]]",
            f'id = "{ident}"',
            f'title = "Tier {ident}"',
            f"min_score = {score}",
            f"min_pillar = {{ ct = {pillar_min}, cl = {pillar_min}, ip = {pillar_min}, sg = {pillar_min} }}",
            "gates = [" + ", ".join(f'"{g}"' for g in chosen) + "]",
            f"min_met = {{ count = {min(len(reform_rules), (n + 1) * len(reform_rules) // 8)} }}",
        ]
        if ident == "recognition":
            out.append("any_of = [ { min_pillar = { cl = 75 } }, { min_pillar = { ip = 75 } } ]")
        out.append("")
    return "\n".join(out)


def write_criteria(folder: Path, rules: int) -> tuple[Path, Criteria]:
    """Write a generated criteria set with ``rules`` rules; returns its path and loaded form."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{rules}.toml"
    path.write_text(criteria_text(rules), encoding="utf-8")
    return path, reform_gate.load_criteria(path)
