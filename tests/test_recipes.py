"""The CI recipes (issue 3, part 7): they parse, and the exact commands they run work on the seeds.

The recipes live as fenced YAML blocks in docs/ci.md, each after a ``<!-- recipe: NAME -->``
comment, and the hook manifest is .pre-commit-hooks.yaml at the repository root. Each recipe's
``reform-gate`` commands are run as written (through bash, with ``reform-gate`` on PATH) in a
temporary folder laid out as the recipe expects: ``proposals/`` holds a copy of ``seeds/``.
Steps that need the network (``pip install``, ``git fetch``) or a CI service (the SARIF upload)
are not run; their inputs are checked against the commands that produce them instead.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from pre_commit.clientlib import load_config, load_manifest

import reform_gate
from reform_gate.model import OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
CI_DOC = ROOT / "docs" / "ci.md"
SEEDS = ROOT / "seeds"
SEED_COUNT = len(list(SEEDS.glob("*.toml")))

RECIPE = re.compile(r"<!-- recipe: (?P<name>.+?) -->\n```yaml\n(?P<body>.*?)```", re.DOTALL)
WORKFLOW = ".github/workflows/reform-gate.yml"
GITLAB = ".gitlab-ci.yml"
PRECOMMIT = ".pre-commit-config.yaml"
PRECOMMIT_LOCAL = ".pre-commit-config.yaml (local)"
BASELINE_STEPS = "GitHub Actions steps: baseline from the base branch"
ACTION_WORKFLOW = ".github/workflows/reform-gate.yml (action)"  # run by tests/test_action.py
GITLAB_SCHEMA = Path(__file__).parent / "schemas" / "gitlab-code-quality.schema.json"


def _recipes() -> dict[str, str]:
    return {m["name"]: m["body"] for m in RECIPE.finditer(CI_DOC.read_text(encoding="utf-8"))}


def _yaml(name: str) -> Any:
    return yaml.safe_load(_recipes()[name])


def _commands(script: str) -> list[str]:
    """The shell commands of a ``run:`` block or ``script:`` entry, continuation lines joined."""
    joined = script.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def _reform_gate_commands(scripts: list[str]) -> list[str]:
    return [c for s in scripts for c in _commands(s) if c.startswith("reform-gate ")]


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """A repository as the recipes expect it: proposals/ holds the seeds; reform-gate is on PATH."""
    work = tmp_path / "work"
    shutil.copytree(SEEDS, work / "proposals", ignore=shutil.ignore_patterns("*.md"))
    shim = tmp_path / "bin" / "reform-gate"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m reform_gate "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return work


def _run(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "PATH": f"{cwd.parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    environ.pop("NO_COLOR", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=environ, capture_output=True, text=True, check=False)


def _expected_exit(fail_below: str) -> int:
    """What ``score`` exits with on the seeds: 1 when any seed's outcome is below the bar."""
    floor = OUTCOMES.index(fail_below)
    for path in sorted(SEEDS.glob("*.toml")):
        proposal = reform_gate.load_proposal(path)
        if OUTCOMES.index(reform_gate.score(proposal, reform_gate.criteria_for(proposal)).outcome) < floor:
            return 1
    return 0


def _option(command: str, name: str) -> list[str]:
    words = shlex.split(command)
    return [words[i + 1] for i, w in enumerate(words) if w == name]


def _outputs(command: str) -> dict[str, str]:
    """``--format F --output FILE`` pairs of a command, format -> file."""
    words = shlex.split(command)
    pairs = {}
    for i, w in enumerate(words[:-3]):
        if w == "--format" and words[i + 2] == "--output":
            pairs[words[i + 1]] = words[i + 3]
    return pairs


# --- every recipe parses ---------------------------------------------------------------------


def test_every_recipe_is_there_and_parses() -> None:
    recipes = _recipes()
    assert set(recipes) == {WORKFLOW, GITLAB, PRECOMMIT, PRECOMMIT_LOCAL, BASELINE_STEPS, ACTION_WORKFLOW}
    for body in recipes.values():
        assert yaml.safe_load(body)


# --- pre-commit ------------------------------------------------------------------------------


def test_pre_commit_manifest_is_valid_for_pre_commit() -> None:
    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "reform-gate-validate"
    assert hook["entry"] == "reform-gate validate"
    assert hook["language"] == "python"
    assert hook["files"] == r"\.toml$"
    matches = re.compile(hook["files"]).search
    excluded = re.compile(hook["exclude"]).search
    for path in ["seeds/ru-formal-recognition.toml", "criteria/reform-before-recognition.toml", "a/b/proposal.toml"]:
        assert matches(path) and not excluded(path), path
    for path in ["pyproject.toml", "sub/Cargo.toml", "ruff.toml", ".taplo.toml", "README.md", ".reform-gate.toml"]:
        assert not matches(path) or excluded(path), path


def test_pre_commit_configs_are_valid_for_pre_commit(tmp_path: Path) -> None:
    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    for name in (PRECOMMIT, PRECOMMIT_LOCAL):
        path = tmp_path / "config.yaml"
        path.write_text(_recipes()[name], encoding="utf-8")
        config = load_config(str(path))
        (used,) = config["repos"][0]["hooks"]
        assert used["id"] == hook["id"]
    assert used["entry"] == hook["entry"]


def _hook_files(root: Path, files: str, exclude: str = "^$") -> list[str]:
    """The files pre-commit would pass to the hook (``--all-files``), as paths relative to ``root``."""
    every = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return [f for f in every if re.search(files, f) and not re.search(exclude, f)]


def test_pre_commit_hook_entry_runs_on_the_seeds_and_criteria(layout: Path) -> None:
    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    shutil.copytree(ROOT / "criteria", layout / "criteria")
    shutil.copy(ROOT / "pyproject.toml", layout / "pyproject.toml")  # must be left out by the hook
    files = _hook_files(layout, hook["files"], hook["exclude"])
    assert "pyproject.toml" not in files
    assert len(files) == len(list(SEEDS.rglob("*.toml"))) + len(list((ROOT / "criteria").glob("*.toml")))
    done = _run(" ".join([hook["entry"], *map(shlex.quote, files)]), layout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(files)} of {len(files)} files valid" in done.stdout

    local = yaml.safe_load(_recipes()[PRECOMMIT_LOCAL])["repos"][0]["hooks"][0]
    assert _hook_files(layout, local["files"]) == files

    broken = layout / "proposals" / "broken.toml"
    broken.write_text((SEEDS / "ru-formal-recognition.toml").read_text(encoding="utf-8").replace("A1", "B9", 1))
    done = _run(" ".join([hook["entry"], *_hook_files(layout, hook["files"], hook["exclude"])]), layout)
    assert done.returncode == 2
    assert "broken.toml" in done.stderr


# --- GitHub Actions --------------------------------------------------------------------------


def test_github_workflow(layout: Path) -> None:
    workflow = _yaml(WORKFLOW)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    score = next(s for s in steps if s.get("id") == "score")
    assert score["continue-on-error"] is True
    (command,) = _reform_gate_commands([score["run"]])
    outputs = _outputs(command)
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == outputs["sarif"]
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in str(s.get("run", "")))
    assert f"cat {outputs['markdown']} >>" in summary["run"]
    last = steps[-1]
    assert last["if"] == "steps.score.outcome == 'failure'"

    (fail_below,) = _option(command, "--fail-below")
    done = _run(command, layout)
    assert done.returncode == _expected_exit(fail_below), done.stderr
    sarif = json.loads((layout / outputs["sarif"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    assert sarif["runs"][0]["results"]
    markdown = (layout / outputs["markdown"]).read_text(encoding="utf-8")
    assert "ru-regional-mediation-2021" in markdown
    assert len(markdown) < 65_000
    annotations = done.stdout.splitlines()
    assert annotations
    assert all(line.startswith("::") for line in annotations), annotations[:3]
    assert any("file=proposals/" in line for line in annotations)

    step_summary = layout / "step-summary.md"
    for step in steps:
        for line in _commands(str(step.get("run", ""))):
            if line.startswith("cat "):
                assert _run(line, layout, GITHUB_STEP_SUMMARY=str(step_summary)).returncode == 0
    assert step_summary.read_text(encoding="utf-8") == markdown


def test_github_baseline_steps(layout: Path) -> None:
    steps = _yaml(BASELINE_STEPS)
    commands = _reform_gate_commands([s["run"] for s in steps])
    assert len(commands) == 2
    base = layout.parent / "base"  # where `git worktree add ../base` puts the base branch
    shutil.copytree(layout / "proposals", base / "proposals")
    first = _run(commands[0], layout)
    assert first.returncode == 0, first.stderr
    (baseline,) = _option(commands[1], "--baseline")
    assert _outputs(commands[0])["json"] == baseline
    second = _run(commands[1], layout)
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"{SEED_COUNT} unchanged" in second.stdout
    changes = json.loads((layout / _outputs(commands[1])["json"]).read_text(encoding="utf-8"))
    assert changes["format"] == "reform-gate/diff/1"

    # The pull request makes one proposal worse: the same commands now fail the job.
    for path in (layout / "changes.json",):
        path.unlink()
    seed = layout / "proposals" / "ru-regional-mediation-2021.toml"
    seed.unlink()
    worse = layout / "proposals" / "ru-humanitarian-carve-out.toml"
    worse.write_text(worse.read_text(encoding="utf-8").replace('"containment"', '"normalisation"', 1))
    second = _run(commands[1].replace("scale-back", "supported"), layout)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "outcome: supported -> revise  (worse)" in second.stdout
    assert "gone from this run (was rejected)" in second.stdout


# --- GitLab CI -------------------------------------------------------------------------------


def test_gitlab_job(layout: Path) -> None:
    config = _yaml(GITLAB)
    job = config["reform-gate"]
    assert job["artifacts"]["when"] == "always"
    (command,) = _reform_gate_commands(job["script"])
    outputs = _outputs(command)
    assert job["artifacts"]["reports"]["junit"] == outputs["junit"]
    assert job["artifacts"]["reports"]["codequality"] == outputs["gitlab"]
    assert outputs["markdown"] in job["artifacts"]["paths"]
    (fail_below,) = _option(command, "--fail-below")
    done = _run(command, layout)
    assert done.returncode == _expected_exit(fail_below), done.stderr
    assert f"{SEED_COUNT} scored" in done.stdout  # the text summary, for the job log
    report = ET.parse(layout / outputs["junit"]).getroot()
    suites = report.findall("testsuite") if report.tag == "testsuites" else [report]
    assert len(suites) == len(list(SEEDS.glob("*.toml")))
    assert all(suite.findall("testcase") for suite in suites)
    assert (layout / outputs["markdown"]).read_text(encoding="utf-8").strip()
    import jsonschema

    raw = (layout / outputs["gitlab"]).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # GitLab refuses a byte-order mark
    issues = json.loads(raw)
    jsonschema.Draft202012Validator(json.loads(GITLAB_SCHEMA.read_text(encoding="utf-8"))).validate(issues)
    assert {i["location"]["path"] for i in issues} <= {f"proposals/{p.name}" for p in SEEDS.glob("*.toml")}
