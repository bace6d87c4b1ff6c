"""The rule catalogue (``criteria show ID --format json``): its documented shape, and the set's own texts."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reform_gate import cli, load
from reform_gate.authoring.catalogue import CATALOGUE_FORMAT, CATALOGUE_SCHEMA

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "criteria" / "reform-before-recognition.toml"
BASE = "https://github.com/ORG/REPO/blob/main/docs/rules/"


def show(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert cli.main(["criteria", "show", *argv]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_catalogue_fits_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    data = show(capsys, "reform-before-recognition", "--format", "json", "--rule-docs", BASE)
    jsonschema.Draft202012Validator(CATALOGUE_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["format"] == CATALOGUE_FORMAT
    broken = {**data, "rules": [{**data["rules"][0], "weight": "5"}]}
    assert list(jsonschema.Draft202012Validator(CATALOGUE_SCHEMA).iter_errors(broken))


def test_catalogue_carries_every_rule_indicator_pillar_and_tier_with_their_texts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = show(capsys, "criteria/reform-before-recognition.toml", "--format", "json")
    raw = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    criteria = load.load_criteria(SHIPPED)
    assert (data["id"], data["version"], data["title"]) == (
        raw["criteria"]["id"],
        raw["criteria"]["version"],
        raw["criteria"]["title"],
    )
    assert data["sha256"] == criteria.origin.sha256 if criteria.origin else False
    assert [r["id"] for r in data["rules"]] == [r["id"] for r in raw["rules"]]
    for rule, written in zip(data["rules"], raw["rules"], strict=True):
        assert rule["rationale"] == written["rationale"].strip()
        assert rule["remedy"] == written["remedy"].strip()
        assert rule["references"] == written["references"]
        assert (rule["pillar"], rule["weight"], rule["gate"]) == (
            written["pillar"],
            written["weight"],
            written.get("gate", False),
        )
        assert rule["check_toml"] == written["check"]
        assert rule["page"] is None
        assert SHIPPED.read_text(encoding="utf-8").splitlines()[rule["line"] - 1].strip() == "[[rules]]"
    assert [i["id"] for i in data["indicators"]] == list(raw["indicators"])
    assert [p["id"] for p in data["pillars"]] == [p["id"] for p in raw["pillars"]]
    assert [t["id"] for t in data["tiers"]] == [t["id"] for t in raw["tiers"]]
    ct1 = next(r for r in data["rules"] if r["id"] == "CT-1")
    assert ct1["check"] == "safe_haven_denied = true"
    assert ct1["gate_of"] == ["diplomatic-presence", "economic", "recognition"]
    # The tier requirements are worded as criteria show and the verdicts word them.
    capsys.readouterr()
    assert cli.main(["criteria", "show", "reform-before-recognition"]) == 0
    text = capsys.readouterr().out
    for tier in data["tiers"]:
        for requirement in tier["requirements"]:
            assert f"      {requirement}\n" in text


def test_rule_docs_gives_each_rule_an_existing_page(capsys: pytest.CaptureFixture[str]) -> None:
    data = show(capsys, "reform-before-recognition", "--format", "json", "--rule-docs", BASE.rstrip("/"))
    for rule in data["rules"]:
        assert rule["page"] == f"{BASE}{rule['id']}.md"
        assert (ROOT / "docs" / "rules" / f"{rule['id']}.md").is_file()
