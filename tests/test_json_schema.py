"""The JSON Schema shipped for ``reform-gate/verdict/2`` and ``reform-gate/run/2`` holds for what
the command line writes: each seed's verdict alone, a run over ``seeds/``, a run with errors and
the verdicts inside the analyses (``docs/output-formats.md``, "JSON Schema")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reform_gate import cli
from reform_gate.render import json_

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))
SCHEMA = json.loads(json_.schema_text())


def _validator(definition: str = "") -> jsonschema.Draft202012Validator:
    schema = SCHEMA if not definition else {**SCHEMA, "oneOf": [{"$ref": f"#/$defs/{definition}"}]}
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    cli.main([*argv, "--format", "json", *(["--fail-below", "rejected"] if argv[0] == "score" else [])])
    return json.loads(capsys.readouterr().out)


def _errors(data: Any, definition: str = "") -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator(definition).iter_errors(data)]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_each_seed_verdict_fits_the_schema(
    seed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    data = _run(capsys, "score", str(seed.relative_to(ROOT)))
    assert data["format"] == "reform-gate/verdict/2"
    assert _errors(data) == []


def test_a_run_over_the_seeds_fits_the_schema(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    data = _run(capsys, "score", "seeds")
    assert data["format"] == "reform-gate/run/2" and len(data["verdicts"]) == len(SEEDS)
    assert _errors(data) == []
    # Every finding's rule is in the catalogue entry of its verdict's criteria set.
    sets = {entry["sha256"]: entry for entry in data["criteria"]}
    assert len(sets) == len(data["criteria"])
    for v in data["verdicts"]:
        rules = sets[v["audit"]["criteria_sha256"]]["rules"]
        assert {f["rule"] for f in v["findings"]} <= set(rules)


def test_a_run_with_errors_fits_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    broken = tmp_path / "broken.toml"
    broken.write_text('[proposal]\nid = "x"\ntitle = 3\n', encoding="utf-8")
    data = _run(capsys, "score", str(SEEDS[0].relative_to(ROOT)), str(broken))
    assert data["errors"] and len(data["verdicts"]) == 1
    assert _errors(data) == []


def test_the_schema_refuses_what_the_format_does_not_write(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A v1 finding (rule texts inline), a verdict without its catalogue, a missing null field."""
    monkeypatch.chdir(ROOT)
    data = _run(capsys, "score", "seeds/ru-formal-recognition.toml")
    v1_finding = {**data["findings"][0], "title": "repeated"}
    assert _errors({**data, "findings": [v1_finding]}) != []
    assert _errors({k: v for k, v in data.items() if k != "criteria"}) != []
    assert _errors({k: v for k, v in data.items() if k != "design_score"}) != []


@pytest.mark.parametrize(
    "argv",
    [
        ("sensitivity", "seeds/ru-formal-recognition.toml", "--draws", "10"),
        ("compare", "seeds/ru-formal-recognition.toml", "seeds/ru-tapi-pipeline.toml"),
    ],
    ids=["sensitivity", "compare"],
)
def test_the_verdicts_of_an_analysis_fit_the_schema(
    argv: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    data = _run(capsys, *argv)
    verdicts = data["verdicts"] if "verdicts" in data else [data["verdict"]]
    assert _errors(data["criteria"], "catalogue") == []
    sets = {entry["sha256"] for entry in data["criteria"]}
    for v in verdicts:
        assert _errors(v, "verdict_in_run") == []
        assert v["audit"]["criteria_sha256"] in sets


def test_the_schema_command_prints_the_shipped_schema_and_a_verdict_fits_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What a CI job does: save the schema with the command line, then validate score's JSON with it.
    monkeypatch.chdir(ROOT)
    assert cli.main(["schema", "verdict"]) == 0
    printed = capsys.readouterr().out
    assert printed == json_.schema_text()
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    data = _run(capsys, "score", "seeds/ru-formal-recognition.toml")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    # It is the same schema whatever the set, so --criteria is refused rather than ignored.
    assert cli.main(["schema", "verdict", "--criteria", "eu-benchmarks-2021"]) == 2
    assert "no --criteria for the verdict schema" in capsys.readouterr().err
