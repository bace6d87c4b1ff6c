"""JSON Schemas of the two formats (issue 3, part 4).

Every shipped seed and criteria set validates against the generated schemas (read back by a real
validator, jsonschema's Draft202012Validator, with format checking on), and schema and loader
agree: each bad input below is rejected by both, each good input accepted by both. Files are
shown to the schema the way an editor (Taplo) shows them: parsed TOML with dates as ISO strings.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from jsonschema import Draft202012Validator

import reform_gate
from reform_gate.authoring.schema import criteria_schema, evidence_schema, json_view, proposal_schema
from reform_gate.errors import ReformGateError
from tests.seed_util import LEDGER, self_contained

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))
SHIPPED = ROOT / "criteria" / "reform-before-recognition.toml"
BASE_SEED = ROOT / "seeds" / "ru-isisk-intelligence-sharing.toml"

Data = dict[str, Any]


def _validator(schema: Data) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def shipped() -> reform_gate.Criteria:
    return reform_gate.load_criteria(SHIPPED)


@pytest.fixture(scope="module")
def proposal_validator(shipped: reform_gate.Criteria) -> Draft202012Validator:
    return _validator(proposal_schema(shipped))


@pytest.fixture(scope="module")
def criteria_validator() -> Draft202012Validator:
    return _validator(criteria_schema())


def _errors(validator: Draft202012Validator, data: Data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(json_view(data))]


def _read(path: Path) -> Data:
    with path.open("rb") as f:
        return tomllib.load(f)


# --- every schema is a valid draft 2020-12 schema ------------------------------------------------


def test_schemas_are_valid_draft_2020_12(shipped: reform_gate.Criteria) -> None:
    for schema in (criteria_schema(), proposal_schema(), proposal_schema(shipped)):
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_shipped_criteria_validates(criteria_validator: Draft202012Validator) -> None:
    assert _errors(criteria_validator, _read(SHIPPED)) == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_seed_validates(seed: Path) -> None:
    """Against the schema of the set it names (three sets are shipped), and the generic one."""
    data = _read(seed)
    own = reform_gate.load_criteria(data["proposal"]["criteria"])
    assert _errors(_validator(proposal_schema(own)), data) == []
    assert _errors(_validator(proposal_schema()), data) == []


def test_proposal_schema_lists_the_indicators(shipped: reform_gate.Criteria) -> None:
    schema = proposal_schema(shipped)
    observations = schema["properties"]["observations"]
    assert observations["additionalProperties"] is False
    assert list(observations["properties"]) == list(shipped.indicators)
    women = observations["properties"]["cabinet_women_pct"]["anyOf"][0]
    assert observations["properties"]["cabinet_women_pct"]["anyOf"][1]["items"] == women
    assert women["properties"]["value"]["type"] == "number"
    assert women["properties"]["value"]["minimum"] == 0
    assert women["properties"]["value"]["maximum"] == 100
    assert women["title"] == shipped.indicators["cabinet_women_pct"].title
    assert "(%)" in women["description"]
    schooling = observations["properties"]["girls_secondary_schooling"]["anyOf"][0]["properties"]["value"]
    assert schooling["enum"] == ["closed", "partial", "open"]
    haven = observations["properties"]["safe_haven_denied"]["anyOf"][0]
    assert haven["properties"]["value"] == {"type": "boolean", "description": haven["description"]}
    assert "CT-1 (gate)" in haven["description"]
    assert schema["$defs"]["ProposalInfo"]["properties"]["tier"]["enum"] == [t.id for t in shipped.tiers]
    assert schema["$defs"]["ProposalInfo"]["properties"]["date"]["format"] == "date"


# --- schema and loader agree ---------------------------------------------------------------------


def _loader_proposal(tmp_path: Path, data: Data) -> None:
    path = tmp_path / "p.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    proposal = reform_gate.load_proposal(path)
    reform_gate.validate_proposal(proposal, reform_gate.criteria_for(proposal))


def _loader_criteria(tmp_path: Path, data: Data) -> None:
    path = tmp_path / "c.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    reform_gate.load_criteria(path)


def _obs(data: Data, ident: str) -> Data:
    table: Data = data["observations"][ident]
    return table


def _set(*path: Any, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _delete(*path: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


def _unknown_indicator(data: Data) -> None:
    data["observations"]["girls_schooling"] = copy.deepcopy(_obs(data, "girls_secondary_schooling"))


def _waiver(**changes: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        waiver = {"rule": "CT-1", "reason": "r", "authority": "a", "expires": _dt.date(2025, 1, 1)} | changes
        data["waivers"] = [{k: v for k, v in waiver.items() if v is not None}]

    return change


OBS = "observations"
BAD_PROPOSALS: dict[str, Callable[[Data], None]] = {
    "unknown key in [proposal]": _set("proposal", "titel", value="x"),
    "unknown key in an observation": _set(OBS, "safe_haven_denied", "sorce", value="x"),
    "unknown top-level table": _set("evidence", value={"a": 1}),
    "bool indicator given a string": _set(OBS, "safe_haven_denied", "value", value="yes"),
    "bool indicator given a number": _set(OBS, "safe_haven_denied", "value", value=0),
    "number indicator given a string": _set(OBS, "cabinet_women_pct", "value", value="0"),
    "number indicator given a bool": _set(OBS, "cabinet_women_pct", "value", value=False),
    "level indicator given a bool": _set(OBS, "girls_secondary_schooling", "value", value=True),
    "title not a string": _set("proposal", "title", value=5),
    "as_of a date-time": _set(OBS, "safe_haven_denied", "as_of", value=_dt.datetime(2024, 7, 1, 12, 0)),
    "date a time": _set("proposal", "date", value=_dt.time(12, 0)),
    "reliability a number": _set(OBS, "safe_haven_denied", "reliability", value=3),
    "value above max": _set(OBS, "cabinet_women_pct", "value", value=140),
    "value below min": _set(OBS, "poppy_cultivation_ha", "value", value=-1),
    "change below -100 %": _set(OBS, "poppy_cultivation_change_pct", "value", value=-100.5),
    "unknown level": _set(OBS, "girls_secondary_schooling", "value", value="opened"),
    "level in the wrong case": _set(OBS, "girls_secondary_schooling", "value", value="Closed"),
    "unknown indicator": _unknown_indicator,
    "grade with a bad letter": _set(OBS, "safe_haven_denied", "reliability", value="G2"),
    "grade in lower case": _set(OBS, "safe_haven_denied", "reliability", value="c3"),
    "grade with a bad digit": _set(OBS, "safe_haven_denied", "reliability", value="B7"),
    "grade too long": _set(OBS, "safe_haven_denied", "reliability", value="B22"),
    "grade empty": _set(OBS, "safe_haven_denied", "reliability", value=""),
    "observation without source": _delete(OBS, "safe_haven_denied", "source"),
    "observation without value": _delete(OBS, "safe_haven_denied", "value"),
    "proposal without date": _delete("proposal", "date"),
    "no [proposal] table": _delete("proposal"),
    "unknown tier": _set("proposal", "tier", value="recognise"),
    "waiver on an unknown rule": _waiver(rule="CT-99"),
    "waiver without expires": _waiver(expires=None),
    "waiver with an unknown key": _waiver(until=_dt.date(2025, 1, 1)),
    "expect with an unknown outcome": _set("expect", "outcome", value="accepted"),
    "expect with an unknown tier": _set("expect", "supported_tier", value="recognise"),
}


def _every_indicator_at(bound: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        criteria = reform_gate.load_criteria(SHIPPED)
        template = _obs(data, "safe_haven_denied")
        data["observations"] = {}
        data.pop("not_applicable", None)  # every indicator is observed: none can be set aside too
        for ident, ind in criteria.indicators.items():
            if ind.type == "bool":
                value: Any = bound == "high"
            elif ind.type == "level":
                value = (ind.levels or ())[-1 if bound == "high" else 0]
            else:
                limit = ind.max if bound == "high" else ind.min
                value = limit if limit is not None else (1e6 if bound == "high" else -1e6)
            data["observations"][ident] = template | {"value": value}

    return change


def _no_observations(data: Data) -> None:
    del data["observations"]
    del data["expect"]


GOOD_PROPOSALS: dict[str, Callable[[Data], None]] = {
    "the seed as it is": lambda data: None,
    "no observations and no expect": _no_observations,
    "every indicator at its lowest": _every_indicator_at("low"),
    "every indicator at its highest": _every_indicator_at("high"),
    "a float for a number": _set(OBS, "cabinet_women_pct", "value", value=12.5),
    "reliability left out (F6)": _delete(OBS, "safe_haven_denied", "reliability"),
    "weakest grade": _set(OBS, "safe_haven_denied", "reliability", value="F6"),
    "a waiver": _waiver(),
    "expect supported_tier none": _set("expect", "supported_tier", value="none"),
    "optional keys": _set(OBS, "safe_haven_denied", "url", value="https://example.org/report"),
}


@pytest.mark.parametrize("case", list(BAD_PROPOSALS))
def test_bad_proposal_rejected_by_both(
    case: str, tmp_path: Path, proposal_validator: Draft202012Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = self_contained(BASE_SEED)
    BAD_PROPOSALS[case](data)
    assert _errors(proposal_validator, data), f"the schema accepts: {case}"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReformGateError):
        _loader_proposal(tmp_path, data)


@pytest.mark.parametrize("case", list(GOOD_PROPOSALS))
def test_good_proposal_accepted_by_both(
    case: str, tmp_path: Path, proposal_validator: Draft202012Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = self_contained(BASE_SEED)
    GOOD_PROPOSALS[case](data)
    assert _errors(proposal_validator, data) == []
    monkeypatch.chdir(tmp_path)
    _loader_proposal(tmp_path, data)


def test_the_ledger_validates(shipped: reform_gate.Criteria) -> None:
    """The seeds' evidence file fits the evidence schema, with and without the criteria set."""
    for schema in (evidence_schema(), evidence_schema(shipped)):
        Draft202012Validator.check_schema(schema)
        assert _errors(_validator(schema), _read(LEDGER)) == []
    observations = evidence_schema(shipped)["properties"]["observations"]
    assert list(observations["properties"]) == list(shipped.indicators)


def _entries(ident: str, **changes: Any) -> Callable[[Data], None]:
    """Make ``ident`` an array of two dated entries; ``changes`` go into the second."""

    def change(data: Data) -> None:
        first = dict(_obs(data, ident))
        second = first | {"as_of": _dt.date(2024, 7, 2)} | changes
        data["observations"][ident] = [first, {k: v for k, v in second.items() if v is not None}]

    return change


BAD_LEDGERS: dict[str, Callable[[Data], None]] = {
    "unknown key in [evidence]": _set("evidence", "titel", value="x"),
    "[evidence] without criteria": _delete("evidence", "criteria"),
    "unknown indicator": lambda data: data[OBS].update(girls_schooling=data[OBS]["cabinet_women_pct"]),
    "an empty array of entries": _set("observations", "cabinet_women_pct", value=[]),
    "an entry with an empty source": _set(OBS, "cabinet_women_pct", 0, "source", value=""),
    "an unknown precision": _set(OBS, "cabinet_women_pct", 0, "as_of_precision", value="week"),
    "a value out of range": _set(OBS, "cabinet_women_pct", 0, "value", value=140),
}


@pytest.mark.parametrize("case", list(BAD_LEDGERS))
def test_bad_ledger_rejected_by_both(case: str, tmp_path: Path, shipped: reform_gate.Criteria) -> None:
    data = _read(LEDGER)
    BAD_LEDGERS[case](data)
    assert _errors(_validator(evidence_schema(shipped)), data), f"the schema accepts: {case}"
    path = tmp_path / "ledger.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(ReformGateError):
        reform_gate.load_ledger(path)


ENTRY_CASES: dict[str, Callable[[Data], None]] = {
    "two dated entries": _entries("safe_haven_denied"),
    "a month-precision entry": _entries("safe_haven_denied", as_of=_dt.date(2024, 7, 1), as_of_precision="month"),
    "a correction": _entries("safe_haven_denied", as_of=_dt.date(2024, 7, 5), supersedes=_dt.date(2024, 7, 1)),
}


@pytest.mark.parametrize("case", list(ENTRY_CASES))
def test_entries_accepted_by_both(
    case: str, tmp_path: Path, proposal_validator: Draft202012Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = self_contained(BASE_SEED)
    _obs(data, "safe_haven_denied").pop("as_of_precision", None)  # the ledger knows only the year
    _obs(data, "safe_haven_denied")["as_of"] = _dt.date(2024, 7, 1)
    ENTRY_CASES[case](data)
    assert _errors(proposal_validator, data) == []
    monkeypatch.chdir(tmp_path)
    _loader_proposal(tmp_path, data)


def _rule(data: Data, rule_id: str) -> Data:
    rule: Data = next(r for r in data["rules"] if r["id"] == rule_id)
    return rule


def _rule_set(rule_id: str, key: str, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        _rule(data, rule_id)[key] = value

    return change


def _rule_del(rule_id: str, key: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        del _rule(data, rule_id)[key]

    return change


def _tier_set(key: str, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["tiers"][-1][key] = value

    return change


IND = "indicators"
BAD_CRITERIA: dict[str, Callable[[Data], None]] = {
    "unknown key in [criteria]": _set("criteria", "vesion", value="1"),
    "unknown key in a rule": _rule_set("CT-1", "weigth", 5),
    "unknown key in an indicator": _set(IND, "safe_haven_denied", "kind", value="bool"),
    "unknown key in a check": _rule_set("CT-1", "check", {"indicator": "safe_haven_denied", "equal": True}),
    "weight a string": _rule_set("CT-1", "weight", "5"),
    "gate a string": _rule_set("CT-1", "gate", "yes"),
    "unknown pillar kind": _set("pillars", 0, "kind", value="reformist"),
    "unknown indicator type": _set(IND, "safe_haven_denied", "type", value="boolean"),
    "unknown missing policy": _set("criteria", "missing", value="skip"),
    "gate_min above 1": _rule_set("CT-1", "gate_min", 1.5),
    "gate_min of 0": _rule_set("CT-1", "gate_min", 0),
    "negative rule weight": _rule_set("CT-1", "weight", -1),
    "negative pillar weight": _set("pillars", 0, "weight", value=-1),
    "min_score above 100": _tier_set("min_score", 120),
    "min_pillar below 0": _tier_set("min_pillar", {"counterterrorism": -5}),
    "credit above 1": _rule_set(
        "CL-2", "check", {"indicator": "girls_secondary_schooling", "credit": {"closed": 0, "partial": 2, "open": 1}}
    ),
    "negative max_evidence_age_days": _set("criteria", "max_evidence_age_days", value=-1),
    "negative min_met": _tier_set("min_met", -1),
    "bad grade min_reliability": _set("criteria", "min_reliability", value="C9"),
    "check with two kinds": _rule_set(
        "CT-1", "check", {"indicator": "safe_haven_denied", "equals": True, "one_of": []}
    ),
    "check with no kind": _rule_set("CT-1", "check", {"indicator": "safe_haven_denied"}),
    "check without indicator": _rule_set("CT-1", "check", {"equals": True}),
    "empty all_of": _rule_set("CT-1", "check", {"all_of": []}),
    "empty one_of": _rule_set("CT-1", "check", {"indicator": "safe_haven_denied", "one_of": []}),
    "scale of three numbers": _rule_set("CT-1", "check", {"indicator": "poppy_cultivation_ha", "scale": [1, 2, 3]}),
    "levels on a bool indicator": _set(IND, "safe_haven_denied", "levels", value=["no", "yes"]),
    "unit on a level indicator": _set(IND, "girls_secondary_schooling", "unit", value="%"),
    "level indicator without levels": _delete(IND, "girls_secondary_schooling", "levels"),
    "one level only": _set(IND, "girls_secondary_schooling", "levels", value=["closed"]),
    "a level twice": _set(IND, "girls_secondary_schooling", "levels", value=["closed", "open", "open"]),
    "rule without remedy": _rule_del("CT-1", "remedy"),
    "criteria without version": _delete("criteria", "version"),
    "no pillars": _set("pillars", value=[]),
    "no tiers": _set("tiers", value=[]),
    "gates neither all nor a list": _tier_set("gates", "every"),
}

GOOD_CRITERIA: dict[str, Callable[[Data], None]] = {
    "the shipped set": lambda data: None,
    "gates as a list": _tier_set("gates", ["CT-1"]),
    "min_met as a table": _tier_set("min_met", {"count": 1}),
    "gate_min below 1": _rule_set("CT-1", "gate_min", 0.5),
    "no evidence policy": _set("criteria", value={"id": "x", "version": "1", "title": "X"}),
    "an any_of check": _rule_set(
        "CT-1",
        "check",
        {
            "any_of": [
                {"indicator": "safe_haven_denied", "equals": True},
                {"indicator": "poppy_cultivation_ha", "at_most": 5},
            ]
        },
    ),
}


@pytest.mark.parametrize("case", list(BAD_CRITERIA))
def test_bad_criteria_rejected_by_both(case: str, tmp_path: Path, criteria_validator: Draft202012Validator) -> None:
    data = _read(SHIPPED)
    BAD_CRITERIA[case](data)
    assert _errors(criteria_validator, data), f"the schema accepts: {case}"
    with pytest.raises(ReformGateError):
        _loader_criteria(tmp_path, data)


@pytest.mark.parametrize("case", list(GOOD_CRITERIA))
def test_good_criteria_accepted_by_both(case: str, tmp_path: Path, criteria_validator: Draft202012Validator) -> None:
    data = _read(SHIPPED)
    GOOD_CRITERIA[case](data)
    assert _errors(criteria_validator, data) == []
    _loader_criteria(tmp_path, data)


def test_quoted_date_is_the_documented_blind_spot(tmp_path: Path, proposal_validator: Draft202012Validator) -> None:
    """A date in quotes reaches the schema as the same string as a real date; the loader rejects it."""
    data = self_contained(BASE_SEED)
    _obs(data, "safe_haven_denied")["as_of"] = "2024-07-01"
    assert _errors(proposal_validator, data) == []
    with pytest.raises(ReformGateError, match="without quotes"):
        _loader_proposal(tmp_path, data)


# --- the command ---------------------------------------------------------------------------------


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_schema_command_prints_the_schemas(shipped: reform_gate.Criteria) -> None:
    done = _cli("schema", "proposal")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == proposal_schema(shipped)
    done = _cli("schema", "proposal", "--criteria", str(SHIPPED))
    assert json.loads(done.stdout) == proposal_schema(shipped)
    done = _cli("schema", "criteria")
    assert done.returncode == 0
    assert json.loads(done.stdout) == criteria_schema()
    done = _cli("schema", "evidence")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == evidence_schema(shipped)


def test_schema_command_errors() -> None:
    done = _cli("schema", "proposal", "--criteria", "reform-before-recogniton")
    assert done.returncode == 2
    assert 'did you mean "reform-before-recognition"?' in done.stderr
    done = _cli("schema", "criteria", "--criteria", "reform-before-recognition")
    assert done.returncode == 2
    assert "no --criteria for the criteria schema" in done.stderr
    done = _cli("schema", "proposals")
    assert done.returncode == 2
