"""JSON Schemas (draft 2020-12) of the three TOML formats, generated from the model.

The schemas are derived from the attrs classes in :mod:`reform_gate.model` (field names are the
TOML keys; a field without a default is required; every table is closed with
``additionalProperties: false``), plus the range and pattern checks that the loader makes beyond
types. :func:`proposal_schema` for a given criteria set goes further: it lists that set's
indicators as the only keys of ``observations``, each with its value type, range and levels, its
tiers as the allowed values of ``proposal.tier``, and its rule ids for waivers, so that an editor
that reads JSON Schema (Taplo / Even Better TOML, via a ``#:schema`` comment) completes and checks
a proposal as it is typed. :func:`evidence_schema` does the same for an evidence file. An
indicator's key takes one entry (a table) or several (an array of tables) in both.

TOML has dates and JSON has none: Taplo shows a TOML date to the schema as a string, so dates are
``{"type": "string", "format": "date"}``. That means a date written in quotes (``"2024-07-01"``),
which the loader rejects, looks the same to the schema; :func:`json_view` is the same conversion
for checking a parsed file in Python. What the schema cannot say (cross references inside a
criteria set, one waiver per rule, an integer written as ``5.0``) stays with the loader:
``reform-gate validate`` is the authority. See ``docs/schema.md``.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import types
import typing
from typing import Any, Literal

import attrs

from .. import checks
from .. import model as m
from ..checks import indicators_of, show_bound
from ..grades import GRADE_PATTERN
from ..load.convert import NOT_TOML
from ..safe_text import json_inert

__all__ = [
    "DIALECT",
    "GRADE_REGEX",
    "allowed_words",
    "criteria_schema",
    "dumps",
    "evidence_schema",
    "json_view",
    "proposal_schema",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: An Admiralty grade (:data:`reform_gate.grades.GRADE_PATTERN`), anchored for JSON Schema.
GRADE_REGEX = f"^{GRADE_PATTERN.pattern}$"

_DATE: dict[str, Any] = {
    "type": "string",
    "format": "date",
    # Also a pattern, so that a validator that does not assert "format" still rejects date-times.
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
    "description": "A TOML date such as 2024-07-01, written without quotes (editors show it to the schema as text).",
}
_GRADE: dict[str, Any] = {
    "type": "string",
    "pattern": GRADE_REGEX,
    "description": "An Admiralty grade: a source letter A (completely reliable) to F (cannot be judged) "
    "and an information digit 1 (confirmed) to 6 (cannot be judged), such as B2.",
}
_PERCENT: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 100}
_WEIGHT: dict[str, Any] = {"type": "number", "minimum": 0}

#: Words and constraints per (class, key), beyond what the type says.
_FIELDS: dict[tuple[type[Any], str], dict[str, Any]] = {
    (m.CriteriaInfo, "id"): {"description": "The criteria set's id; proposals name it in proposal.criteria."},
    (m.CriteriaInfo, "version"): {"description": "The version of the rubric, e.g. 1.0.0."},
    (m.CriteriaInfo, "missing"): {
        "description": "zero: no usable observation gives credit 0; exclude: the rule leaves its pillar's sums."
    },
    (m.CriteriaInfo, "max_evidence_age_days"): {
        "minimum": 0,
        "description": "Observations older than this, counted from the proposal's date, are stale.",
    },
    (m.CriteriaInfo, "stale"): {"description": "warn: a stale observation counts, flagged; unknown: it is missing."},
    (m.CriteriaInfo, "min_reliability"): {
        **_GRADE,
        "description": "Evidence weaker than this grade (letter or digit) counts as missing. " + _GRADE["description"],
    },
    (m.Pillar, "weight"): {**_WEIGHT, "description": "The pillar's weight in the overall (or design) score."},
    (m.Pillar, "kind"): {
        "description": "reform: judges the counterpart's record; safeguard: judges the proposal's own design."
    },
    (m.Indicator, "levels"): {"minItems": 2, "uniqueItems": True, "description": "The levels, worst first."},
    (m.Indicator, "min"): {"description": "The smallest value an observation may have (numbers only)."},
    (m.Indicator, "max"): {"description": "The largest value an observation may have (numbers only)."},
    (m.Indicator, "unit"): {"description": "The unit of the number, shown beside it (numbers only)."},
    (m.Rule, "weight"): {**_WEIGHT, "description": "The rule's weight inside its pillar."},
    (m.Rule, "gate"): {"description": "A hard hurdle: tiers that require gates need it to pass."},
    (m.Rule, "gate_min"): {
        "exclusiveMinimum": 0,
        "maximum": 1,
        "description": "The credit at which the gate passes (default 1).",
    },
    (m.Rule, "waivable"): {"description": "Whether a proposal's waiver may let this gate count as passed."},
    (m.Rule, "in_gap"): {
        "description": "false keeps the rule out of 'what it would take': the gap never proposes raising it."
    },
    (m.Rule, "pillar"): {"description": "The id of the pillar this rule belongs to."},
    (m.AllOf, "all_of"): {"minItems": 1, "description": "Every part must hold: the credit is the weakest part's."},
    (m.AnyOf, "any_of"): {"minItems": 1, "description": "One part is enough: the credit is the strongest part's."},
    (m.MinMet, "count"): {"minimum": 0},
    (m.MinMet, "among"): {"description": "Count only these rule ids (default: every reform rule)."},
    (m.Tier, "min_score"): {**_PERCENT, "description": "The overall reform score this tier needs, 0 to 100."},
    (m.RequirementGroup, "min_score"): {**_PERCENT, "description": "The overall reform score, 0 to 100."},
    (m.Tier, "min_pillar"): {"additionalProperties": _PERCENT, "description": "Pillar id -> minimum score, 0-100."},
    (m.RequirementGroup, "min_pillar"): {"additionalProperties": _PERCENT},
    (m.Tier, "min_pillar_points"): {
        "additionalProperties": _WEIGHT,
        "description": "Pillar id -> minimum points out of the total weight of the pillar's rules, compared exactly.",
    },
    (m.RequirementGroup, "min_pillar_points"): {"additionalProperties": _WEIGHT},
    (m.Tier, "gates"): {"description": '"all" (every rule with gate = true) or a list of rule ids that must pass.'},
    (m.Tier, "any_of"): {"description": "Groups of requirements of which at least one must hold."},
    (m.ProposalInfo, "id"): {"description": "The proposal's id, unique among your proposals."},
    (m.ProposalInfo, "actor"): {"description": "Who proposes the engagement."},
    (m.ProposalInfo, "counterpart"): {"description": "Whom the engagement is with."},
    (m.ProposalInfo, "tier"): {"description": "The engagement sought: a tier id of the criteria set."},
    (m.ProposalInfo, "date"): {
        **_DATE,
        "description": "The 'now' of this proposal: evidence age is measured against it. " + _DATE["description"],
    },
    (m.ProposalInfo, "criteria"): {
        "description": "The criteria set: a shipped id (reform-before-recognition) or a path relative to this file. "
        "May be left out when the set is given with --criteria."
    },
    (m.ProposalInfo, "evidence"): {
        "items": {"type": "string", "minLength": 1},
        "description": "Evidence files whose entries this proposal reads, each a path relative to this file. "
        "The proposal's own entry for an indicator replaces theirs.",
    },
    (m.Observation, "value"): {"description": "The observed value: true/false, a number, or a level name."},
    (m.Observation, "source"): {"minLength": 1, "pattern": r"\S", "description": "Who reported it, and where."},
    (m.Observation, "as_of"): {**_DATE, "description": "The day the value held. " + _DATE["description"]},
    (m.Observation, "reliability"): _GRADE,
    (m.Observation, "url"): {"description": "A link to the source."},
    (m.Observation, "as_of_precision"): {
        "description": "How much of as_of is known. month: write the first of the month; the entry counts from "
        "the month's last day. year: likewise, from 31 December."
    },
    (m.Observation, "supersedes"): {
        **_DATE,
        "description": "The as_of of another entry of this indicator, in this file, that this entry corrects; "
        "that entry then counts on no date. " + _DATE["description"],
    },
    (m.LedgerInfo, "id"): {"description": "The evidence file's id, reported in the audit of every verdict."},
    (m.LedgerInfo, "counterpart"): {
        "description": "Whose record this is; a proposal reads only the evidence files of its own counterpart."
    },
    (m.LedgerInfo, "criteria"): {
        "description": "The criteria set whose indicators the entries use: a shipped id or a path relative to "
        "this file."
    },
    (m.Waiver, "rule"): {"description": "The id of a waivable gate rule."},
    (m.Waiver, "expires"): {**_DATE, "description": "The waiver is in force before this day. " + _DATE["description"]},
    (m.Expect, "supported_tier"): {"description": 'The tier the evidence should support, or "none".'},
}

#: Whole-table rules that types cannot say.
_CLASS_EXTRAS: dict[type[Any], dict[str, Any]] = {
    m.Indicator: {
        "allOf": [
            {
                "if": {"properties": {"type": {"const": "level"}}},
                "then": {"required": ["levels"]},
                "else": {"properties": {"levels": False}},
            },
            {
                "if": {"properties": {"type": {"const": "number"}}},
                "else": {"properties": {"min": False, "max": False, "unit": False}},
            },
        ]
    },
    m.Observation: {"x-taplo": {"initKeys": ["value", "source", "as_of", "reliability"]}},
}


def _doc(cls: type[Any]) -> str:
    """The first paragraph of a class's docstring, on one line."""
    text = (cls.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(text.split())


class _Builder:
    """Turns model types into JSON Schema, collecting one ``$defs`` entry per attrs class."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, tp: Any) -> dict[str, Any]:
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is _dt.date:
            return dict(_DATE)
        if tp == checks.Value:
            return {"type": ["boolean", "number", "string"]}
        if tp == checks.Check:
            return self._check()
        if tp == m.Entries:
            one = self.of(m.Observation)
            return {
                "anyOf": [one, {"type": "array", "minItems": 1, "items": one}],
                "description": "One entry ([observations.X]), or several dated entries ([[observations.X]]).",
            }
        if tp == m.MinMet | None:
            return {
                "anyOf": [{"type": "integer", "minimum": 0}, self.of(m.MinMet)],
                "description": "A count of rules that must be met, or { count = N, among = [rule ids] }.",
            }
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is Literal:
            out: dict[str, Any] = {"enum": list(args)}
            if all(isinstance(a, str) for a in args):
                out["type"] = "string"
            return out
        if origin is types.UnionType or origin is typing.Union:
            # TOML has no null: an optional key is one that may be left out.
            options = [self.of(a) for a in args if a is not type(None)]
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.of(args[0])}
            return {
                "type": "array",
                "prefixItems": [self.of(a) for a in args],
                "items": False,
                "minItems": len(args),
                "maxItems": len(args),
            }
        if origin is dict:
            return {"type": "object", "additionalProperties": self.of(args[1])}
        if isinstance(tp, type) and attrs.has(tp):
            return self._ref(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new model type needs a case here

    def _ref(self, cls: type[Any]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: the class may refer to itself
            self.defs[name] = self.table(cls)
        return {"$ref": f"#/$defs/{name}"}

    def table(self, cls: type[Any]) -> dict[str, Any]:
        """The schema of one attrs class as a closed TOML table."""
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for a in attrs.fields(cls):
            if a.name in NOT_TOML:
                continue
            schema = self.of(hints[a.name])
            schema.update(copy.deepcopy(_FIELDS.get((cls, a.name), {})))
            if a.default is attrs.NOTHING:
                required.append(a.name)
            elif isinstance(a.default, str | int | float) and a.default is not None:
                schema["default"] = a.default
            properties[a.name] = schema
        out: dict[str, Any] = {"type": "object", "description": _doc(cls), "properties": properties}
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        out.update(copy.deepcopy(_CLASS_EXTRAS.get(cls, {})))
        return out

    def _check(self) -> dict[str, Any]:
        """Every check kind of the registry (``checks.KINDS``), then ``all_of`` and ``any_of``."""
        if "Check" not in self.defs:
            self.defs["Check"] = {}
            kinds = [self._kind(k) for k in checks.KINDS.values()]
            self.defs["Check"] = {
                "description": "A check: a table with an indicator and exactly one of "
                + ", ".join(checks.KINDS)
                + "; or all_of / any_of over a list of checks.",
                "oneOf": [*kinds, *(self._ref(c) for c in checks.COMBINATORS.values())],
            }
        return {"$ref": "#/$defs/Check"}

    def _kind(self, kind: checks.Kind) -> dict[str, Any]:
        name = kind.cls.__name__
        if name not in self.defs:
            self.defs[name] = {
                "type": "object",
                "description": _doc(kind.cls),
                "properties": {
                    "indicator": {"type": "string"},
                    kind.key: {**copy.deepcopy(dict(kind.schema)), "description": kind.description},
                },
                "required": ["indicator", kind.key],
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}


def _document(title: str, description: str, root: type[Any]) -> tuple[dict[str, Any], _Builder]:
    builder = _Builder()
    body = builder.table(root)
    schema: dict[str, Any] = {"$schema": DIALECT, "title": title, **body, "description": description}
    return schema, builder


def _finish(schema: dict[str, Any], builder: _Builder) -> dict[str, Any]:
    schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema


def criteria_schema() -> dict[str, Any]:
    """The JSON Schema of a criteria set file.

    It checks shapes, types, ranges and grades. What depends on other parts of the file (a rule's
    pillar exists, a check's indicator exists and has the right type, credits cover every level,
    ids are unique, tiers read only reform or only safeguard pillars in an ``any_of``) only the
    loader checks.
    """
    schema, builder = _document(
        "reform-gate criteria set",
        "A versioned rubric for reform-gate: pillars, indicators, rules and the engagement ladder of tiers. "
        "reform-gate validate checks what this schema cannot (references between ids).",
        m.Criteria,
    )
    schema["properties"]["pillars"]["minItems"] = 1
    schema["properties"]["tiers"]["minItems"] = 1
    _derived(schema, builder)
    return _finish(schema, builder)


#: What a derived set's ``[drop]`` and ``[override.*]`` tables may name (``docs/format.md``).
_COLLECTIONS = {"pillars": "Pillar", "indicators": "Indicator", "rules": "Rule", "tiers": "Tier"}
_PLACE = {
    "after": {"type": "string", "description": "Place this tier just above the tier with this id."},
    "before": {"type": "string", "description": "Place this tier just below the tier with this id."},
}


def _derived(schema: dict[str, Any], builder: _Builder) -> None:
    """Let a criteria schema take a derived set too: ``extends`` in ``[criteria]``, then only the
    set's own ``id`` and ``version`` are required, and ``[drop]`` and ``[override.*]`` are allowed."""
    defs = builder.defs
    info = defs["CriteriaInfo"]
    info["properties"]["extends"] = {
        "type": "string",
        "description": "Makes this a derived set: the id of a shipped set or the path of a criteria file to "
        "start from (docs/format.md, Derived sets).",
    }
    info["required"] = ["id", "version"]
    whole = list(schema.pop("required"))
    tier = copy.deepcopy(defs["Tier"])
    tier["properties"].update(copy.deepcopy(_PLACE))
    defs["DerivedTier"] = tier
    overrides: dict[str, Any] = {}
    for collection, cls in _COLLECTIONS.items():
        properties = {k: v for k, v in copy.deepcopy(defs[cls]["properties"]).items() if k != "id"}
        properties["unset"] = {"type": "array", "items": {"type": "string"}, "description": "Keys to remove."}
        if collection == "tiers":
            properties.update(copy.deepcopy(_PLACE))
        overrides[collection] = {
            "type": "object",
            "description": f"[override.{collection}.<id>]: keys that replace the base's, each whole.",
            "additionalProperties": {"type": "object", "properties": properties, "additionalProperties": False},
        }
    ids = {"type": "array", "items": {"type": "string"}}
    schema["properties"]["override"] = {
        "type": "object",
        "description": "Derived sets only: change some keys of entries of the base.",
        "properties": overrides,
        "additionalProperties": False,
    }
    schema["properties"]["drop"] = {
        "type": "object",
        "description": "Derived sets only: ids of the base to leave out.",
        "properties": {c: copy.deepcopy(ids) for c in _COLLECTIONS},
        "additionalProperties": False,
    }
    tiers = schema["properties"]["tiers"]
    schema["properties"]["tiers"] = {"type": "array"}
    schema["if"] = {"properties": {"criteria": {"required": ["extends"]}}, "required": ["criteria"]}
    schema["then"] = {
        "required": ["criteria"],
        "properties": {"tiers": {"type": "array", "items": {"$ref": "#/$defs/DerivedTier"}}},
    }
    schema["else"] = {
        "required": whole,
        "properties": {"criteria": {"required": ["title"]}, "tiers": tiers},
        "not": {"anyOf": [{"required": ["override"]}, {"required": ["drop"]}]},
    }


def proposal_schema(criteria: m.Criteria | None = None) -> dict[str, Any]:
    """The JSON Schema of a proposal file; for ``criteria``, with its indicators, tiers and rules.

    Without a criteria set, ``observations`` takes any key and any value type; with one, it takes
    exactly that set's indicator ids, each value typed, ranged and with its levels.
    """
    title = "reform-gate proposal"
    description = "An engagement proposal for reform-gate: the tier sought and the evidence about the counterpart."
    if criteria is not None:
        title += f" ({criteria.id} {criteria.criteria.version})"
        description += f" Observations and tiers are those of the criteria set {criteria.id}."
    schema, builder = _document(title, description, m.Proposal)
    if criteria is not None:
        _specialise(schema, builder, criteria)
    return _finish(schema, builder)


def evidence_schema(criteria: m.Criteria | None = None) -> dict[str, Any]:
    """The JSON Schema of an evidence file; for ``criteria``, with its indicators.

    Without a criteria set ``observations`` takes any key; with one, exactly that set's indicator
    ids, each value typed, ranged and with its levels.
    """
    title = "reform-gate evidence file"
    description = "The dated, sourced record of one counterpart, read by every proposal about it."
    if criteria is not None:
        title += f" ({criteria.id} {criteria.criteria.version})"
        description += f" Its indicators are those of the criteria set {criteria.id}."
    schema, builder = _document(title, description, m.Ledger)
    if criteria is not None:
        builder.defs["LedgerInfo"]["properties"]["criteria"]["examples"] = [criteria.id]
        _observations(schema, builder, criteria)
    return _finish(schema, builder)


def _specialise(schema: dict[str, Any], builder: _Builder, c: m.Criteria) -> None:
    defs = builder.defs
    tiers = [t.id for t in c.tiers]
    ladder = " < ".join(tiers)
    info = defs["ProposalInfo"]["properties"]
    info["tier"].update(enum=tiers, description=f"The engagement sought, a tier of {c.id}: {ladder}.")
    info["criteria"]["examples"] = [c.id]
    defs["Expect"]["properties"]["supported_tier"].update(
        enum=[*tiers, "none"], description=f'The tier the evidence should support ({ladder}), or "none".'
    )
    waivable = [r.id for r in c.rules if r.waivable]
    defs["Waiver"]["properties"]["rule"].update(
        enum=[r.id for r in c.rules],
        description="The id of a gate rule of "
        + c.id
        + (f"; waivable: {', '.join(waivable)}." if waivable else "; none of its rules is waivable."),
    )
    _observations(schema, builder, c)


def _observations(schema: dict[str, Any], builder: _Builder, c: m.Criteria) -> None:
    """``observations`` takes exactly the indicators of ``c``: one entry, or an array of entries."""
    observation = builder.defs["Observation"]
    indicators: dict[str, Any] = {}
    for ident, ind in c.indicators.items():
        entry = copy.deepcopy(observation)
        words = _indicator_words(ident, ind, c)
        entry["title"] = ind.title
        entry["description"] = words
        entry["properties"]["value"] = _value_schema(ind) | {"description": words}
        indicators[ident] = {
            "title": ind.title,
            "description": words,
            "anyOf": [entry, {"type": "array", "minItems": 1, "items": entry}],
        }
    schema["properties"]["observations"] = {
        "type": "object",
        "description": f"The indicators of {c.id}, each with one entry ([observations.X]) or several dated "
        "entries ([[observations.X]]). Leave out what you have no evidence for: it counts as missing.",
        "properties": indicators,
        "additionalProperties": False,
    }


def _value_schema(ind: m.Indicator) -> dict[str, Any]:
    if ind.type == "bool":
        return {"type": "boolean"}
    if ind.type == "level":
        return {"type": "string", "enum": list(ind.levels or ())}
    out: dict[str, Any] = {"type": "number"}
    if ind.min is not None:
        out["minimum"] = ind.min
    if ind.max is not None:
        out["maximum"] = ind.max
    return out


def allowed_words(ind: m.Indicator) -> str:
    """What an indicator's value may be, in words: ``a number from 0 to 100 (%)``."""
    if ind.type == "bool":
        return "true or false"
    if ind.type == "level":
        return "one of " + " < ".join(f'"{lv}"' for lv in ind.levels or ()) + " (worst first)"
    low, high = show_bound(ind.min), show_bound(ind.max)
    if ind.min is not None and ind.max is not None:
        span = f"a number from {low} to {high}"
    elif ind.min is not None:
        span = f"a number, at least {low}"
    elif ind.max is not None:
        span = f"a number, at most {high}"
    else:
        span = "a number"
    return span + (f" ({ind.unit})" if ind.unit else "")


def _indicator_words(ident: str, ind: m.Indicator, c: m.Criteria) -> str:
    rules = [r.id + (" (gate)" if r.gate else "") for r in c.rules if ident in indicators_of(r.check)]
    parts = [f"{ind.title}.", f"Value: {allowed_words(ind)}."]
    if ind.description:
        parts.append(ind.description)
    if rules:
        parts.append("Read by " + ", ".join(rules) + ".")
    return " ".join(parts)


def json_view(data: Any) -> Any:
    """Parsed TOML as an editor shows it to a JSON Schema: dates and times become ISO strings."""
    if isinstance(data, dict):
        return {k: json_view(v) for k, v in data.items()}
    if isinstance(data, list):
        return [json_view(v) for v in data]
    if isinstance(data, _dt.date | _dt.time):
        return data.isoformat()
    return data


def dumps(schema: dict[str, Any]) -> str:
    """A schema as JSON text: two-space indent, key order kept (``$schema`` first), trailing newline.

    Text from the criteria set is inert in a log (``safe_text.json_inert``): ``##[`` and control
    characters JSON leaves raw are written as ``\\uXXXX`` escapes, the same data to a reader.
    """
    return json_inert(json.dumps(schema, indent=2, ensure_ascii=False)) + "\n"
