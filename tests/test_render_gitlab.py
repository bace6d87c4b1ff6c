"""The GitLab Code Quality format: valid against GitLab's documented shape, stable fingerprints, repository paths.

The schema (tests/schemas/gitlab-code-quality.schema.json) is written from GitLab's documentation
of the report a custom tool writes; its ``$comment`` names the page and section.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reform_gate.errors import TomlSyntaxError
from reform_gate.render import gitlab, sarif
from tests.golden_util import check_golden
from tests.render_util import REPO, SEED_IDS, rendered, seed_run, seed_verdict

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gitlab-code-quality.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def issues(run: Any) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(rendered(gitlab, run))
    return data


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_gitlab_golden(seed: str) -> None:
    """Each seed's Code Quality report is exactly as reviewed."""
    check_golden(f"gitlab/{seed}.json", rendered(gitlab, seed_run(seed)))


@pytest.mark.parametrize("seed", SEED_IDS)
def test_each_seed_fits_gitlabs_shape(seed: str) -> None:
    """Every seed's report validates against the documented shape, and fingerprints are unique."""
    found = issues(seed_run(seed))
    VALIDATOR.validate(found)
    assert len({i["fingerprint"] for i in found}) == len(found)


def test_the_schema_refuses_what_gitlab_would_not_read() -> None:
    """An absolute path, a missing line and an unknown severity are each refused."""
    good = issues(seed_run("ru-formal-recognition"))[0]
    for broken in (
        {**good, "location": {"path": "/abs/x.toml", "lines": {"begin": 1}}},
        {**good, "location": {"path": "x.toml"}},
        {**good, "severity": "error"},
        {k: v for k, v in good.items() if k != "fingerprint"},
    ):
        assert list(VALIDATOR.iter_errors([broken])), broken


def test_one_issue_per_sarif_result_with_the_mapped_severity() -> None:
    """The issues are SARIF's results one for one: same order, severity from the SARIF level."""
    err = TomlSyntaxError("seeds/bad.toml", "", "valid TOML", "an unclosed table", None, 4)
    for floor in ("supported", "scale-back"):
        run = seed_run(errors=(err,), fail_below=floor)
        results = sarif.sarif_data(run)["runs"][0]["results"]
        found = issues(run)
        assert len(found) == len(results)
        for issue, result in zip(found, results, strict=True):
            assert (
                issue["severity"]
                == gitlab.SEVERITY[result["level"] if result["ruleId"] != "invalid-input" else "invalid-input"]
            )
            assert issue["location"]["lines"]["begin"] == result["locations"][0]["physicalLocation"].get(
                "region", {}
            ).get("startLine", 1)
    assert found[-1]["severity"] == "blocker" and found[-1]["check_name"] == "reform-gate/invalid-input"
    assert {i["severity"] for i in issues(seed_run(fail_below="supported"))} >= {"critical", "major", "minor"}


def test_fingerprints_ignore_line_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines added above the observations move every issue, and change no fingerprint."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "proposals"
    folder.mkdir()
    seed = REPO / "seeds" / "ru-formal-recognition.toml"
    text = seed.read_text(encoding="utf-8")
    (folder / "p.toml").write_text(text, encoding="utf-8")
    shutil.copytree(seed.parent / "evidence", folder / "evidence")  # the ledger the seed reads
    monkeypatch.chdir(tmp_path)
    before = _cli_issues(["proposals/p.toml"], tmp_path)
    (folder / "p.toml").write_text("# a comment\n# and another\n" + text, encoding="utf-8")
    after = _cli_issues(["proposals/p.toml"], tmp_path)
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert [i["location"]["lines"]["begin"] + 2 for i in before] == [i["location"]["lines"]["begin"] for i in after]


def _cli_issues(argv: list[str], cwd: Path) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "reform_gate", "score", *argv, "--format", "gitlab", "--fail-below", "rejected"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert not done.stdout.startswith(b"\xef\xbb\xbf")
    data: list[dict[str, Any]] = json.loads(done.stdout)
    VALIDATOR.validate(data)
    return data


def test_paths_are_relative_to_the_repository_from_a_subfolder(tmp_path: Path) -> None:
    """Run from a subfolder of a repository, every path is still from the repository's top folder."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPO / "seeds", tmp_path / "policy" / "proposals", ignore=shutil.ignore_patterns("*.md"))
    found = _cli_issues(["proposals/"], tmp_path / "policy")
    assert found
    assert {i["location"]["path"].split("/")[0] for i in found} == {"policy"}
    assert all((tmp_path / i["location"]["path"]).is_file() for i in found)


def test_rule_docs_link_in_the_description() -> None:
    """With --rule-docs the description names the rule's page."""
    base = "https://example.org/rules/"
    found = issues(seed_run("ru-formal-recognition", rule_docs=base))
    ct1 = next(i for i in found if i["check_name"].endswith("/CT-1"))
    assert ct1["description"].endswith(f"Rule page: {base}CT-1.md")
    assert seed_verdict("ru-formal-recognition").audit.criteria_id in ct1["check_name"]
