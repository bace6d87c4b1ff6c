"""The SARIF format: valid against the official 2.1.0 schema, with rules, levels and real line numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import reform_gate
from reform_gate.errors import TomlSyntaxError
from reform_gate.load import shipped_criteria
from reform_gate.render import Run, sarif
from tests.conftest import Files
from tests.golden_util import check_golden
from tests.render_util import REPO, SEED_IDS, rendered, seed_run, seed_verdict
from tests.seed_util import copy_seed

#: The official OASIS schema, vendored unchanged (tests/schemas/README.md says where it is from).
SCHEMA = REPO / "tests" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> Any:
    """A validator for the official SARIF 2.1.0 schema that also checks formats (``uri`` must be
    an absolute URI; rfc3986-validator does the checking, and draft 4 knows no other URI format)."""
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    assert "uri" in checker.checkers
    return jsonschema.Draft4Validator(schema, format_checker=checker)


def log(run: Run) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(rendered(sarif, run))
    return data


def assert_valid(validator: Any, data: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("seed", SEED_IDS)
def test_sarif_golden(seed: str) -> None:
    """Each seed's SARIF log is exactly as reviewed."""
    check_golden(f"sarif/{seed}.sarif", rendered(sarif, seed_run(seed)))


@pytest.mark.parametrize("seed", SEED_IDS)
def test_each_seed_is_valid(seed: str, validator: Any) -> None:
    """Every seed's log validates against the official schema."""
    assert_valid(validator, log(seed_run(seed)))


def test_batch_with_errors_is_valid(validator: Any) -> None:
    """A batch, with an invalid file and both fail-below settings, validates too."""
    err = TomlSyntaxError("proposals/bad.toml", "", "valid TOML", "an unclosed table", None, 4)
    for floor in ("supported", "rejected"):
        data = log(seed_run(errors=(err,), fail_below=floor))
        assert_valid(validator, data)
    result = data["runs"][0]["results"][-1]
    assert result["ruleId"] == "invalid-input"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}


def test_the_format_checker_refuses_a_relative_help_uri(validator: Any) -> None:
    """The check is live: a rule whose helpUri is a relative path (as docs/rules/CT-1.md was) fails."""
    data = log(seed_run("ru-tapi-pipeline", rule_docs="https://example.org/rules/"))
    assert_valid(validator, data)
    data["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules/CT-1.md"
    assert any("is not a 'uri'" in e.message for e in validator.iter_errors(data))


def test_one_run_with_the_driver() -> None:
    """One run; the driver names itself and lists every rule once, with help and a docs link."""
    data = log(seed_run())
    assert data["version"] == "2.1.0" and len(data["runs"]) == 1
    driver = data["runs"][0]["tool"]["driver"]
    assert driver["name"] == "reform-gate"
    assert driver["version"] == reform_gate.__version__
    assert driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    ct1 = next(r for r in driver["rules"] if r["id"] == "CT-1")
    finding = seed_verdict("ru-formal-recognition").finding("CT-1")
    assert ct1["shortDescription"]["text"] == finding.title
    assert ct1["fullDescription"]["text"] == finding.rationale
    assert finding.remedy in ct1["help"]["text"] and finding.rationale in ct1["help"]["text"]
    assert "helpUri" not in ct1  # no --rule-docs: no link (a relative one would not open in code scanning)
    assert ct1["name"][0].isupper() and " " not in ct1["name"]


def test_help_links_lead_to_rule_pages() -> None:
    """With --rule-docs, each criteria rule's helpUri is BASE + a page that docs/rules/ holds."""
    base = "https://example.org/repo/blob/main/docs/rules/"
    driver = log(seed_run(rule_docs=base))["runs"][0]["tool"]["driver"]
    linked = [r for r in driver["rules"] if "helpUri" in r]
    assert {r["id"] for r in linked} == {r["id"] for r in driver["rules"]} - {"tier-requirement", "invalid-input"}
    for rule in linked:
        assert rule["helpUri"].startswith(base)
        assert (REPO / "docs" / "rules" / rule["helpUri"].removeprefix(base)).is_file(), rule["helpUri"]


def test_rule_docs_base_is_used() -> None:
    """--rule-docs makes the links absolute, for code scanning."""
    base = "https://example.org/repo/blob/main/docs/rules/"
    driver = log(seed_run("ru-tapi-pipeline", rule_docs=base))["runs"][0]["tool"]["driver"]
    assert driver["rules"][0]["helpUri"].startswith(base)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_locations_point_at_the_observation(seed: str) -> None:
    """Each result points at the proposal, at the line of the rule's observation or the [proposal] table."""
    v = seed_verdict(seed)
    source = (REPO / v.file).read_text(encoding="utf-8").splitlines()
    data = log(seed_run(seed))
    for result in data["runs"][0]["results"]:
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == f"seeds/{seed}.toml"
        line = source[loc["region"]["startLine"] - 1].strip()
        if result["ruleId"] == "tier-requirement":
            assert line == "[proposal]"
            continue
        f = v.finding(result["ruleId"])
        if not f.evidence:
            assert line == "[proposal]"
        elif f.evidence[0].file == v.file:
            assert line.startswith("value ="), (result["ruleId"], line)
        else:
            # Evidence from the ledger: the proposal's line that reads the ledger, and the entry
            # itself among the related locations.
            assert line.startswith("evidence = ["), (result["ruleId"], line)
            places = [r["physicalLocation"] for r in result["relatedLocations"]]
            assert places, result["ruleId"]
            for place in places:
                written = (REPO / place["artifactLocation"]["uri"]).read_text(encoding="utf-8").splitlines()
                assert written[place["region"]["startLine"] - 1].startswith("value =")


def test_each_rule_points_at_its_entry_once() -> None:
    """Each rule of the driver names its [[rules]] entry in the criteria file (criteriaFile and
    criteriaLine); no result repeats it, and no result repeats the rule's remedy."""
    run = seed_run("ru-formal-recognition")
    data = log(run)
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    path = shipped_criteria()["reform-before-recognition"]
    lines = path.read_text(encoding="utf-8").splitlines()
    results = [r for r in data["runs"][0]["results"] if r["ruleId"] != "tier-requirement"]
    assert results
    for result in results:
        props = rules[result["ruleId"]]["properties"]
        # A shipped set is named reform_gate/criteria/<file>, wherever the package is installed.
        assert props["criteriaFile"] == "reform_gate/criteria/reform-before-recognition.toml"
        start = props["criteriaLine"]
        assert lines[start - 1].strip() == "[[rules]]"
        assert lines[start].strip() == f'id = "{result["ruleId"]}"'
        related = [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in result.get("relatedLocations", [])]
        assert props["criteriaFile"] not in related
        finding = run.verdicts[0].finding(result["ruleId"])
        assert finding.remedy.strip() not in result["message"]["text"]
        assert finding.remedy.strip() in rules[result["ruleId"]]["help"]["text"]


def test_levels_follow_gate_weight_and_fail_below() -> None:
    """A needed failing gate is an error while the outcome fails --fail-below, a warning once it passes."""
    v = seed_verdict("ru-formal-recognition")
    assert sarif.level_of(v.finding("CT-1"), v, "supported") == "error"
    assert sarif.level_of(v.finding("CT-1"), v, "scale-back") == "warning"
    gap_rules = {s.rule for s in v.gap.steps} if v.gap else set()
    for f in v.findings:
        if f.status == "met":
            continue
        level = sarif.level_of(f, v, "supported")
        if f.rule in gap_rules and level != "error":
            assert level == "warning"
        if f.status == "partial" and f.rule not in gap_rules and not f.gate:
            assert level == "note"
    results = log(seed_run("ru-formal-recognition"))["runs"][0]["results"]
    ruled = {r["ruleId"]: r["level"] for r in results if r["ruleId"] != "tier-requirement"}
    met = {f.rule for f in v.findings if f.status == "met"}
    assert not met & set(ruled), "met rules give no result"
    assert {r["level"] for r in results if r["ruleId"] == "tier-requirement"} == {"error"}


def test_low_weight_and_excluded_rules_are_notes() -> None:
    """A rule worth under 5 points of its pillar, or left out of the sums, is a note."""
    v = seed_verdict("ru-formal-recognition")
    f = next(f for f in v.findings if f.status in ("unmet", "missing") and not f.gate)
    gapless = attrs.evolve(v, gap=None, blocking=())
    light = attrs.evolve(f, points_won=0.0, points_lost=4.0)
    assert sarif.level_of(light, gapless, "supported") == "note"
    assert sarif.level_of(attrs.evolve(f, points_lost=20.0), gapless, "supported") == "warning"
    assert sarif.level_of(attrs.evolve(f, counted=False), gapless, "supported") == "note"


def test_supported_proposal_has_no_errors() -> None:
    """A supported outcome gives no error-level result."""
    v = seed_verdict("hypothetical-2029-economic-reform")
    assert v.outcome == "supported"
    results = log(seed_run("hypothetical-2029-economic-reform"))["runs"][0]["results"]
    assert all(r["level"] != "error" for r in results)


def test_two_criteria_sets_qualify_rule_ids(files: Files, validator: Any) -> None:
    """Rules of two criteria sets cannot clash: their ids take the criteria id as a prefix."""
    crit = (REPO / "criteria" / "reform-before-recognition.toml").read_text(encoding="utf-8")
    other = files.write("other.toml", crit.replace('id = "reform-before-recognition"', 'id = "other-set"', 1))
    seed = copy_seed("ru-tapi-pipeline.toml", files.folder).read_text(encoding="utf-8")
    seed = seed.replace('criteria = "reform-before-recognition"', 'criteria = "other.toml"')
    proposal_path = files.write("p.toml", seed)
    proposal = reform_gate.load_proposal(proposal_path)
    mine = reform_gate.score(proposal, reform_gate.load_criteria(other))
    data = log(Run((mine, seed_verdict("ru-tapi-pipeline"))))
    assert_valid(validator, data)
    ids = [r["id"] for r in data["runs"][0]["tool"]["driver"]["rules"]]
    assert "other-set/CT-1" in ids and "reform-before-recognition/CT-1" in ids
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]}
    assert any(u.startswith("file://") or u.endswith("p.toml") for u in uris)


def test_uris() -> None:
    """Relative paths stay relative with forward slashes and escapes; absolute ones become file URIs."""
    assert sarif.uri("seeds/a b.toml") == "seeds/a%20b.toml"
    assert sarif.uri(str(Path("/tmp/x y.toml"))) == "file:///tmp/x%20y.toml"
