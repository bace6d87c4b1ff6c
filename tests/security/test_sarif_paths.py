"""Class 9 of issue 8: SARIF's helpUri is absolute or absent; artifact URIs are relative to the
repository root whatever the working folder; shipped criteria are ``reform_gate/criteria/...``
in JSON, SARIF and JUnit, never an install path."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reform_gate
from reform_gate.load import resolve
from tests.render_util import REPO
from tests.security.conftest import run, seed_text

SHIPPED = REPO / "criteria" / "reform-before-recognition.toml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository (a .git folder) with proposals/ two levels down."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "work" / "proposals").mkdir(parents=True)
    (tmp_path / "work" / "proposals" / "p.toml").write_text(seed_text(), encoding="utf-8")
    return tmp_path


def _uris(sarif: dict) -> set[str]:
    """Every file a SARIF log names: its results' locations and its rules' criteria files."""
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    return {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
        for loc in [*r["locations"], *r.get("relatedLocations", [])]
    } | {r["properties"]["criteriaFile"] for r in rules if "criteriaFile" in r["properties"]}


@pytest.mark.parametrize("cwd", [".", "work", "work/proposals"])
def test_artifact_uris_are_relative_to_the_repository(repo: Path, cwd: str, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo / cwd)
    path = str((repo / "work" / "proposals" / "p.toml").relative_to(repo / cwd))
    code, out, _ = run(capsys, "score", path, "--format", "sarif")
    assert code == 1
    uris = _uris(json.loads(out))
    assert uris == {"work/proposals/p.toml", "reform_gate/criteria/reform-before-recognition.toml"}
    code, out, _ = run(capsys, "score", path, "--format", "github")
    assert "file=work/proposals/p.toml," in out


def test_repo_root_can_be_given(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    _code, out, _ = run(capsys, "score", "work/proposals/p.toml", "--format", "sarif", "--repo-root", "work")
    assert "proposals/p.toml" in _uris(json.loads(out))


def test_a_file_outside_the_repository_is_an_absolute_uri(repo: Path, tmp_path_factory: pytest.TempPathFactory,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "q.toml"
    elsewhere.write_text(seed_text(), encoding="utf-8")
    monkeypatch.chdir(repo)
    _code, out, _ = run(capsys, "score", str(elsewhere), "--format", "sarif")
    assert f"file://{elsewhere.as_posix()}" in _uris(json.loads(out))


def test_help_uri_only_when_absolute(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    # --rule-docs takes only an absolute URL; without it no rule has a helpUri.
    for docs, expected in (((), None), (("--rule-docs", "https://example.org/r/"), "https://example.org/r/CT-1.md")):
        out = run(capsys, "score", "work/proposals/p.toml", "--format", "sarif", *docs)[1]
        rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
        assert next(r for r in rules if r["id"] == "CT-1").get("helpUri") == expected


def test_shipped_criteria_are_named_the_same_wherever_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Installed under site-packages, or in a checkout: reform_gate/criteria/<file> in every format."""
    installed = tmp_path / "lib" / "python3.11" / "site-packages" / "reform_gate" / "criteria"
    installed.mkdir(parents=True)
    shutil.copy(SHIPPED, installed / SHIPPED.name)
    monkeypatch.setattr(resolve, "_package_criteria_dirs", lambda: [installed])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(seed_text(), encoding="utf-8")
    name = "reform_gate/criteria/reform-before-recognition.toml"
    data = json.loads(run(capsys, "score", "p.toml", "--format", "json")[1])
    assert {entry["file"] for entry in data["criteria"]} == {name}
    sarif = json.loads(run(capsys, "score", "p.toml", "--format", "sarif")[1])
    assert name in _uris(sarif) and not any("site-packages" in u for u in _uris(sarif))
    junit = run(capsys, "score", "p.toml", "--format", "junit")[1]
    texts = [f.text or "" for f in ET.fromstring(junit.encode()).iter("failure")]
    assert any(f"rule: {name}:" in t for t in texts) and "site-packages" not in junit
    assert reform_gate.load_criteria("reform-before-recognition").file == name
