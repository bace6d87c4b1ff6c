"""The rule catalogue: a criteria set as one JSON document (``criteria show ID --format json``).

For tools that list, search or publish rules (a documentation site, a dashboard, an editor
plugin) without reading the criteria TOML themselves. The document says, in the words the verdicts
use, what each rule checks and what each tier requires, next to the set's own texts: every rule
with its rationale, remedy, references, pillar, weight, gate and the tiers that ask for it; every
indicator; every pillar; every tier with its requirements. Its shape is :data:`CATALOGUE_SCHEMA`
(JSON Schema draft 2020-12) and its ``format`` is ``reform-gate/criteria/1``; a change that
removes or renames a key gets a new number (``docs/cli.md``, "Rule catalogue").
"""

from __future__ import annotations

import json
from typing import Any

from ..checks import indicators_of, needed
from ..files import rule_page_url
from ..load.convert import unstructure
from ..model import Criteria, Rule, Tier
from ..requirements import compile_group, compile_tier, feeds, statement
from ..safe_text import json_inert
from ..version import __version__

__all__ = ["CATALOGUE_FORMAT", "CATALOGUE_SCHEMA", "catalogue", "dumps"]

CATALOGUE_FORMAT = "reform-gate/criteria/1"


def _tiers_of(r: Rule, c: Criteria) -> tuple[list[str], list[str]]:
    """The tiers that count ``r`` towards a requirement, and those among them that need it as a gate."""
    counted, gated = [], []
    for t in c.tiers:
        groups = [t.own_group(), *t.any_of]
        reqs = [q for g in groups for q in compile_group(g, c)]
        if any(feeds(q, r, c) for q in reqs):
            counted.append(t.id)
        if any(g.names_gate(r) for g in groups):
            gated.append(t.id)
    return counted, gated


def _rule(r: Rule, c: Criteria, rule_docs: str | None) -> dict[str, Any]:
    counted, gated = _tiers_of(r, c)
    origin = c.origin
    return {
        "id": r.id,
        "title": r.title,
        "pillar": r.pillar,
        "weight": r.weight,
        "gate": r.gate,
        "gate_min": r.gate_min,
        "waivable": r.waivable,
        "check": needed(r.check, c.indicators),
        "check_toml": unstructure(r.check),
        "indicators": indicators_of(r.check),
        "rationale": r.rationale.strip(),
        "remedy": r.remedy.strip(),
        "references": list(r.references),
        "tiers": counted,
        "gate_of": gated,
        "page": rule_page_url(rule_docs, r.id),
        "line": origin.line(("rules", c.rules.index(r))) if origin is not None else None,
    }


def _tier(t: Tier, c: Criteria) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "description": (t.description or "").strip() or None,
        "requirements": [statement(q, c) for q in compile_tier(t, c)],
    }


def catalogue(c: Criteria, rule_docs: str | None = None) -> dict[str, Any]:
    """The criteria set ``c`` as a ``reform-gate/criteria/1`` document; ``rule_docs`` adds each rule's page URL."""
    info = c.criteria
    origin = c.origin
    return {
        "format": CATALOGUE_FORMAT,
        "id": info.id,
        "version": info.version,
        "title": info.title,
        "description": (info.description or "").strip() or None,
        "file": c.file or None,
        "sha256": origin.sha256 if origin is not None and origin.sha256 else None,
        "reform_gate_version": __version__,
        "evidence": {
            "missing": info.missing,
            "min_reliability": info.min_reliability,
            "max_evidence_age_days": info.max_evidence_age_days,
            "stale": info.stale,
        },
        "pillars": [
            {
                "id": p.id,
                "title": p.title,
                "kind": p.kind,
                "weight": p.weight,
                "description": (p.description or "").strip() or None,
                "rules": [r.id for r in c.rules if r.pillar == p.id],
            }
            for p in c.pillars
        ],
        "indicators": [
            {
                "id": ident,
                "title": ind.title,
                "type": ind.type,
                "description": (ind.description or "").strip() or None,
                "unit": ind.unit,
                "min": ind.min,
                "max": ind.max,
                "levels": list(ind.levels) if ind.levels is not None else None,
                "rules": [r.id for r in c.rules if ident in indicators_of(r.check)],
            }
            for ident, ind in c.indicators.items()
        ],
        "rules": [_rule(r, c, rule_docs) for r in c.rules],
        "tiers": [_tier(t, c) for t in c.tiers],
    }


def dumps(data: dict[str, Any]) -> str:
    """The catalogue as JSON text: sorted keys, two-space indent, trailing newline."""
    return json_inert(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_IDS = {"type": "array", "items": {"type": "string"}}


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}


#: The shape of a ``reform-gate/criteria/1`` document (JSON Schema draft 2020-12).
CATALOGUE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "reform-gate rule catalogue (reform-gate/criteria/1)",
    **_closed(
        {
            "format": {"const": CATALOGUE_FORMAT},
            "id": _TEXT,
            "version": _TEXT,
            "title": _TEXT,
            "description": _MAYBE_TEXT,
            "file": _MAYBE_TEXT,
            "sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$"},
            "reform_gate_version": _TEXT,
            "evidence": _closed(
                {
                    "missing": {"enum": ["zero", "exclude"]},
                    "min_reliability": _TEXT,
                    "max_evidence_age_days": {"type": ["integer", "null"]},
                    "stale": {"enum": ["warn", "unknown"]},
                }
            ),
            "pillars": {
                "type": "array",
                "items": _closed(
                    {
                        "id": _TEXT,
                        "title": _TEXT,
                        "kind": {"enum": ["reform", "safeguard"]},
                        "weight": {"type": "number"},
                        "description": _MAYBE_TEXT,
                        "rules": _IDS,
                    }
                ),
            },
            "indicators": {
                "type": "array",
                "items": _closed(
                    {
                        "id": _TEXT,
                        "title": _TEXT,
                        "type": {"enum": ["bool", "number", "level"]},
                        "description": _MAYBE_TEXT,
                        "unit": _MAYBE_TEXT,
                        "min": {"type": ["number", "null"]},
                        "max": {"type": ["number", "null"]},
                        "levels": {"type": ["array", "null"], "items": {"type": "string"}},
                        "rules": _IDS,
                    }
                ),
            },
            "rules": {
                "type": "array",
                "items": _closed(
                    {
                        "id": _TEXT,
                        "title": _TEXT,
                        "pillar": _TEXT,
                        "weight": {"type": "number"},
                        "gate": {"type": "boolean"},
                        "gate_min": {"type": "number"},
                        "waivable": {"type": "boolean"},
                        "check": _TEXT,
                        "check_toml": {"type": "object"},
                        "indicators": _IDS,
                        "rationale": _TEXT,
                        "remedy": _TEXT,
                        "references": _IDS,
                        "tiers": _IDS,
                        "gate_of": _IDS,
                        "page": {"type": ["string", "null"], "format": "uri"},
                        "line": {"type": ["integer", "null"]},
                    }
                ),
            },
            "tiers": {
                "type": "array",
                "items": _closed({"id": _TEXT, "title": _TEXT, "description": _MAYBE_TEXT, "requirements": _IDS}),
            },
        }
    ),
}
