"""The GitHub Action (action.yml, docs/ci.md "The reform-gate action"): valid metadata, and its commands run.

``action.yml`` is checked against the composite-action part of SchemaStore's action metadata
schema (vendored in tests/schemas with its source and licence). Then the workflow recipe of
docs/ci.md is played as a runner would: the inputs it gives (with the action's defaults for the
rest) are put in the step's environment as GitHub's ``${{ inputs.* }}`` expressions would, and the
scoring step's exact ``run:`` script is executed with bash as GitHub runs it (``bash --noprofile
--norc -eo pipefail``), on the seeds laid out as ``proposals/``, with ``GITHUB_STEP_SUMMARY``,
``GITHUB_OUTPUT``, ``GITHUB_PATH`` and ``RUNNER_TEMP`` pointing into a temporary folder. The
install step needs a package index (its build backend and dependencies), so it is not run; what
it installs and where it puts it on ``PATH`` are checked instead, and ``reform-gate`` is on
``PATH`` through a shim to this checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt

import reform_gate
from reform_gate.model import OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
SCHEMA = Path(__file__).parent / "schemas" / "github-action-composite.schema.json"
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
CI_DOC = ROOT / "docs" / "ci.md"
RECIPE = ".github/workflows/reform-gate.yml (action)"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
PINNED = re.compile(r"@(<commit-sha>|[0-9a-f]{40})$")


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def _recipe() -> dict[str, Any]:
    text = CI_DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- recipe: {re.escape(RECIPE)} -->\n```yaml\n(.*?)```", text, re.S)
    assert match, f"docs/ci.md has no recipe {RECIPE}"
    data: dict[str, Any] = yaml.safe_load(match.group(1))
    return data


def _expand(text: str, context: dict[str, str]) -> str:
    """GitHub's ``${{ ... }}`` for the names the action uses; any other expression fails the test."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in context, f"the test does not know the expression {name!r}"
        return context[name]

    return EXPRESSION.sub(value, text)


def test_action_metadata_is_valid() -> None:
    """action.yml fits the action metadata schema, is a composite action, and every step has a shell."""
    action = _action()
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(action), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert action["runs"]["using"] == "composite"
    assert {"paths", "criteria", "fail-below", "args", "sarif-file"} <= set(action["inputs"])
    for step in action["runs"]["steps"]:
        assert step.get("shell") == "bash"
        # Inputs reach scripts through the environment, never pasted into the script's text.
        assert "${{" not in step["run"], step["name"]


def test_the_schema_catches_a_broken_action() -> None:
    """The vendored schema is not a rubber stamp: a step without a shell, or a stray key, is refused."""
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    action = _action()
    del action["runs"]["steps"][0]["shell"]
    assert list(validator.iter_errors(action))
    action = _action()
    action["runs"]["step"] = action["runs"].pop("steps")
    assert list(validator.iter_errors(action))
    action = _action()
    del action["description"]
    assert list(validator.iter_errors(action))


def test_install_step_installs_the_actions_own_checkout() -> None:
    """The install step pip-installs ${{ github.action_path }} into a venv and puts it on PATH."""
    (install,) = [s for s in _action()["runs"]["steps"] if s["name"] == "Install reform-gate"]
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    script = install["run"]
    assert '-m venv "$RUNNER_TEMP/reform-gate-venv"' in script
    assert re.search(r'-m pip install [^\n]*"\$ACTION_PATH"', script)
    assert 'echo "$RUNNER_TEMP/reform-gate-venv/bin" >> "$GITHUB_PATH"' in script


def test_recipe_pins_actions_and_drops_credentials() -> None:
    """The workflow recipe pins every action to a commit and checks out without persisting the token."""
    workflow = _recipe()
    (job,) = workflow["jobs"].values()
    uses = [s["uses"] for s in job["steps"] if "uses" in s]
    assert uses and all(PINNED.search(u) for u in uses), uses
    checkout = next(s for s in job["steps"] if s["uses"].startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert workflow["permissions"]["security-events"] == "write"


def _expected_exit(fail_below: str) -> int:
    floor = OUTCOMES.index(fail_below)
    for path in sorted((ROOT / "seeds").glob("*.toml")):
        proposal = reform_gate.load_proposal(path)
        if OUTCOMES.index(reform_gate.score(proposal, reform_gate.criteria_for(proposal)).outcome) < floor:
            return 1
    return 0


@pytest.fixture
def runner(tmp_path: Path) -> dict[str, Path]:
    """A workspace with proposals/ holding the seeds, a runner's temporary folder and files, and a shim."""
    work = tmp_path / "workspace"
    shutil.copytree(ROOT / "seeds", work / "proposals", ignore=shutil.ignore_patterns("*.md"))
    (work / ".git").mkdir()  # the workspace is a checkout: the configuration search stops here
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "reform-gate"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m reform_gate "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    files = {name: tmp_path / name for name in ("summary.md", "output.txt", "path.txt")}
    for f in files.values():
        f.write_text("", encoding="utf-8")
    return {"work": work, "temp": temp, "bin": bin_dir, **files}


def _run_step(step: dict[str, Any], inputs: dict[str, str], r: dict[str, Path]) -> subprocess.CompletedProcess[str]:
    context = {f"inputs.{k}": v for k, v in inputs.items()} | {"github.action_path": str(ROOT)}
    env = {k: _expand(str(v), context) for k, v in step.get("env", {}).items()}
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("REFORM_GATE_", "GITHUB_"))},
        "PATH": f"{r['bin']}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "RUNNER_TEMP": str(r["temp"]),
        "GITHUB_STEP_SUMMARY": str(r["summary.md"]),
        "GITHUB_OUTPUT": str(r["output.txt"]),
        "GITHUB_PATH": str(r["path.txt"]),
        **env,
    }
    environ.pop("NO_COLOR", None)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=r["work"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_recipes_action_step_runs_on_the_seeds(runner: dict[str, Path]) -> None:
    """The scoring step, with the recipe's inputs: SARIF, a Markdown summary, annotations, outputs, exit code."""
    action = _action()
    (job,) = _recipe()["jobs"].values()
    used = next(s for s in job["steps"] if re.match(r"OWNER/reform-gate@", s.get("uses", "")))
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | {
        k: str(v) for k, v in used["with"].items()
    }
    assert set(used["with"]) <= set(action["inputs"]), "the recipe gives an input the action does not have"
    (score,) = [s for s in action["runs"]["steps"] if s.get("id") == "score"]
    done = _run_step(score, inputs, runner)

    assert done.returncode == _expected_exit(inputs["fail-below"]), done.stderr
    sarif_path = runner["work"] / inputs["sarif-file"]
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    if SARIF_SCHEMA.is_file():
        jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == inputs["sarif-file"]
    assert upload["if"].startswith("always()")

    summary = runner["summary.md"].read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(summary)
    assert any(t.type == "table_open" for t in tokens) and any(t.type == "heading_open" for t in tokens)
    assert "ru-regional-mediation-2021" in summary

    annotations = done.stdout.splitlines()
    assert annotations and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in annotations)
    assert any("file=proposals/ru-formal-recognition.toml,line=" in line for line in annotations)

    outputs = dict(line.split("=", 1) for line in runner["output.txt"].read_text(encoding="utf-8").splitlines())
    assert outputs == {"sarif-file": inputs["sarif-file"], "exit-code": str(done.returncode)}
    assert set(action["outputs"]) == set(outputs)


def test_action_inputs_reach_the_command(runner: dict[str, Path]) -> None:
    """criteria, fail-below and args are passed on; a run that passes exits 0 and still writes everything."""
    action = _action()
    (score,) = [s for s in action["runs"]["steps"] if s.get("id") == "score"]
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | {
        "paths": "proposals/ru-humanitarian-carve-out.toml proposals/ru-formal-recognition.toml",
        "criteria": "reform-before-recognition",
        "fail-below": "rejected",
        "sarif-file": "out/results.sarif",
        "args": "--rule-docs https://example.org/rules/",
    }
    (runner["work"] / "out").mkdir()
    done = _run_step(score, inputs, runner)
    assert done.returncode == 0, done.stderr
    sarif = json.loads((runner["work"] / "out" / "results.sarif").read_text(encoding="utf-8"))
    assert [v["proposal"] for v in sarif["runs"][0]["properties"]["verdicts"]] == [
        "ru-humanitarian-carve-out-2025",
        "ru-formal-recognition-2025",
    ]
    assert all(
        r["helpUri"].startswith("https://example.org/rules/")
        for r in sarif["runs"][0]["tool"]["driver"]["rules"]
        if "helpUri" in r
    )
    assert "::error " not in done.stdout  # rejected is the bar: nothing fails the job
    assert "exit-code=0" in runner["output.txt"].read_text(encoding="utf-8")

    # Run again over the files of the first run: --force lets the action replace its own outputs.
    again = _run_step(score, inputs | {"fail-below": "supported"}, runner)
    assert again.returncode == 1, again.stderr
    assert "exit-code=1" in runner["output.txt"].read_text(encoding="utf-8")
