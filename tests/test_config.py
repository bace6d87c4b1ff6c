"""Configuration (docs/cli.md, "Configuration"): found from a subfolder, option > variable > file > default.

Each test builds a small repository in a temporary folder (a ``.git`` folder marks its top) and
runs the command line as a user would, from a subfolder where that is the point.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reform_gate.cli import config
from reform_gate.cli.parser import ToolParser, build_parser
from reform_gate.errors import ReformGateError

ROOT = Path(__file__).resolve().parent.parent
SEED = "ru-isisk-intelligence-sharing.toml"  # revise: exit 1 under supported, 0 under revise


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with proposals/ (a copy of one seed) and a subfolder to run from; no REFORM_GATE_* set."""
    for name in list(os.environ):
        if name.startswith("REFORM_GATE_"):
            monkeypatch.delenv(name)
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    (top / "proposals" / "drafts").mkdir(parents=True)
    shutil.copy(ROOT / "seeds" / SEED, top / "proposals" / SEED)
    # The seed reads the shared ledger beside it.
    shutil.copytree(ROOT / "seeds" / "evidence", top / "proposals" / "evidence")
    return top


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def run(cwd: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("REFORM_GATE_")}
    environ.update({"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **env})
    environ.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *argv], cwd=cwd, env=environ, capture_output=True, text=True, check=False
    )


def settings(cwd: Path, *argv: str, **env: str) -> dict[str, dict[str, object]]:
    done = run(cwd, "config", "--format", "json", *argv, **env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["format"] == "reform-gate/config/1"
    return {s["key"]: s for s in data["settings"]} | {"": data}


# --- discovery --------------------------------------------------------------------------------


def test_pyproject_is_found_from_a_subfolder_and_applies(repo: Path) -> None:
    """[tool.reform-gate] in the repository's pyproject.toml sets --fail-below for a run two folders down."""
    write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.reform-gate]\nfail-below = "revise"\n')
    here = repo / "proposals" / "drafts"
    assert run(here, "score", f"../{SEED}").returncode == 0  # revise passes the file's bar
    assert run(here, "score", f"../{SEED}", "--no-config").returncode == 1  # the default bar, supported
    found = settings(here)
    assert found["fail-below"]["value"] == "revise"
    assert found["fail-below"]["where"] == "../../pyproject.toml:5"
    assert found[""]["file"] == "../../pyproject.toml" and found[""]["table"] == "tool.reform-gate"


def test_dotfile_wins_over_pyproject_in_the_same_folder(repo: Path) -> None:
    """Both in one folder: .reform-gate.toml is read, and config says pyproject.toml was not."""
    write(repo / "pyproject.toml", '[tool.reform-gate]\nfail-below = "rejected"\n')
    write(repo / ".reform-gate.toml", 'fail-below = "scale-back"\n')
    found = settings(repo / "proposals")
    assert found["fail-below"]["value"] == "scale-back"
    assert found[""]["file"] == "../.reform-gate.toml"
    assert found[""]["ignored"] == ["../pyproject.toml"]
    text = run(repo / "proposals", "config").stdout
    assert "not read: ../pyproject.toml (the .reform-gate.toml beside it wins)" in text


def test_a_folder_search_passes_over_the_configuration_file(repo: Path) -> None:
    """score and validate on a folder holding .reform-gate.toml do not take it for a proposal."""
    write(repo / "proposals" / ".reform-gate.toml", 'fail-below = "revise"\n')
    done = run(repo, "validate", "proposals/")
    assert (done.returncode, done.stdout) == (0, "2 of 2 files valid\n"), done.stderr  # the seed and its ledger
    assert run(repo / "proposals", "score", ".").returncode == 0  # and it is read as configuration


def test_nearest_folder_wins_and_pyproject_without_the_table_is_passed_over(repo: Path) -> None:
    """A pyproject.toml without [tool.reform-gate] nearer the working folder does not stop the search."""
    write(repo / ".reform-gate.toml", 'fail-below = "scale-back"\n')
    write(repo / "proposals" / "pyproject.toml", '[project]\nname = "other"\n')
    assert settings(repo / "proposals")["fail-below"]["value"] == "scale-back"
    write(repo / "proposals" / ".reform-gate.toml", 'fail-below = "revise"\n')
    assert settings(repo / "proposals")["fail-below"]["value"] == "revise"


def test_search_stops_at_the_repository_top(repo: Path) -> None:
    """A file above the repository's top folder is never read."""
    write(repo.parent / ".reform-gate.toml", 'fail-below = "rejected"\n')
    found = settings(repo / "proposals")
    assert found[""]["file"] is None
    assert found["fail-below"] == found["fail-below"] | {"value": "supported", "source": "default"}
    shutil.rmtree(repo / ".git")  # outside a repository the search goes on up
    assert settings(repo / "proposals")["fail-below"]["value"] == "rejected"


def test_config_and_no_config_options_and_variable(repo: Path) -> None:
    """--config FILE and REFORM_GATE_CONFIG name the file; --no-config reads none."""
    write(repo / "elsewhere.toml", 'fail-below = "revise"\n')
    write(repo / ".reform-gate.toml", 'fail-below = "scale-back"\n')
    here = repo / "proposals"
    assert settings(here, "score", "--config", "../elsewhere.toml")["fail-below"]["value"] == "revise"
    assert settings(here, REFORM_GATE_CONFIG="../elsewhere.toml")["fail-below"]["value"] == "revise"
    assert settings(here, "score", "--no-config")["fail-below"]["source"] == "default"
    done = run(here, "score", SEED, "--config", "missing.toml")
    assert done.returncode == 2 and "error: --config: usage error" in done.stderr


# --- precedence ------------------------------------------------------------------------------


def test_option_beats_variable_beats_file_beats_default(repo: Path) -> None:
    """Each layer, and where config says each value came from."""
    write(repo / ".reform-gate.toml", 'fail-below = "scale-back"\ncolor = "never"\n')
    here = repo / "proposals"
    found = settings(here, "score", REFORM_GATE_FAIL_BELOW="revise", REFORM_GATE_RULE_DOCS="https://example.org/r/")
    assert (found["fail-below"]["value"], found["fail-below"]["source"]) == ("revise", "env")
    assert found["fail-below"]["where"] == "REFORM_GATE_FAIL_BELOW"
    assert (found["color"]["value"], found["color"]["where"]) == ("never", "../.reform-gate.toml:2")
    assert found["rule-docs"]["source"] == "env"
    assert found["criteria"]["source"] == "default"
    found = settings(here, "score", "--fail-below", "rejected", REFORM_GATE_FAIL_BELOW="revise")
    assert (found["fail-below"]["value"], found["fail-below"]["where"]) == ("rejected", "--fail-below")
    # The same precedence when the command runs, seen in its exit code.
    assert run(here, "score", SEED, REFORM_GATE_FAIL_BELOW="supported").returncode == 1
    assert run(here, "score", SEED, "--fail-below", "revise", REFORM_GATE_FAIL_BELOW="supported").returncode == 0


def test_outputs_from_the_file_are_written_relative_to_it(repo: Path) -> None:
    """outputs = [...] writes its files beside the configuration file, from any subfolder."""
    write(
        repo / "pyproject.toml",
        """
        [tool.reform-gate]
        fail-below = "rejected"
        outputs = [
          { format = "sarif", output = "reports/r.sarif" },
          { format = "json" },
        ]
        """,
    )
    (repo / "reports").mkdir()
    done = run(repo / "proposals" / "drafts", "score", f"../{SEED}")
    assert done.returncode == 0, done.stderr
    assert json.loads((repo / "reports" / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert json.loads(done.stdout)["format"] == "reform-gate/verdict/2"
    # An option replaces the file's outputs whole.
    again = run(repo / "proposals", "score", SEED, "--format", "text")
    assert again.stdout.startswith("Intelligence exchange") and again.returncode == 0


def test_outputs_from_the_environment(repo: Path) -> None:
    """REFORM_GATE_OUTPUTS=FORMAT[=FILE],... as --format/--output pairs."""
    done = run(repo / "proposals", "score", SEED, REFORM_GATE_OUTPUTS="junit=out.xml,markdown")
    assert done.stdout.startswith("### ")
    assert (repo / "proposals" / "out.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_a_criteria_path_in_the_file_is_relative_to_the_file(repo: Path) -> None:
    """criteria = "criteria/set.toml" in the repository's file works from a subfolder."""
    (repo / "criteria").mkdir()
    shutil.copy(ROOT / "criteria" / "reform-before-recognition.toml", repo / "criteria" / "set.toml")
    write(repo / ".reform-gate.toml", 'criteria = "criteria/set.toml"\n')
    found = settings(repo / "proposals" / "drafts", "score")
    assert found["criteria"]["value"] == "../../criteria/set.toml"
    done = run(repo / "proposals" / "drafts", "score", f"../{SEED}", "--format", "json")
    assert json.loads(done.stdout)["criteria"][0]["file"] == "../../criteria/set.toml"
    # A shipped id is not a path, and stays as written.
    write(repo / ".reform-gate.toml", 'criteria = "reform-before-recognition"\n')
    assert settings(repo / "proposals", "score")["criteria"]["value"] == "reform-before-recognition"


def test_a_configured_criteria_set_does_not_break_schema_criteria(repo: Path) -> None:
    """schema criteria refuses --criteria on the command line, but ignores the file's criteria key."""
    write(repo / ".reform-gate.toml", 'criteria = "reform-before-recognition"\n')
    assert run(repo, "schema", "criteria").returncode == 0
    assert run(repo, "schema", "criteria", "--criteria", "reform-before-recognition").returncode == 2


# --- mistakes -----------------------------------------------------------------------------------


def test_unknown_key_names_file_line_and_a_near_key(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.reform-gate]\ncriteria = "x"\nfail_below = "revise"\n')
    done = run(repo / "proposals", "score", SEED)
    assert done.returncode == 2
    assert done.stderr == (
        "error: ../pyproject.toml:3: tool.reform-gate.fail_below: unknown key\n"
        "  expected: one of criteria, criteria-root, fail-below, exclude, rule-docs, outputs, jobs, color\n"
        '  found:    "fail_below"\n'
        '  did you mean "fail-below"?\n'
    )


def test_wrong_types_and_values_name_file_line_and_key(repo: Path) -> None:
    cases = {
        "fail-below = 3\n": ("fail-below", "a string", "3 (an integer)"),
        'fail-below = "revize"\n': ("fail-below", "one of rejected, scale-back, revise, supported", '"revize"'),
        'rule-docs = "docs/rules/"\n': ("rule-docs", "an absolute URL", '"docs/rules/"'),
        'exclude = "drafts/*"\n': ("exclude", "an array of strings", '"drafts/*"'),
        'jobs = "4"\n': ("jobs", "an integer", '"4"'),
        'outputs = [{ format = "sarif", file = "x" }]\n': ("outputs[0].file", "format, output", '"file"'),
        'outputs = [{ format = "yaml" }]\n': ("outputs[0]", "a format: one of text", "yaml"),
        'color = "sometimes"\n': ("color", "one of auto, always, never", '"sometimes"'),
    }
    for text, (key, expected, found) in cases.items():
        write(repo / ".reform-gate.toml", "# settings\n" + text)
        done = run(repo / "proposals", "score", SEED)
        assert done.returncode == 2, text
        head, *rest = done.stderr.splitlines()
        assert head.startswith(f"error: ../.reform-gate.toml:2: {key}: "), (text, done.stderr)
        assert expected in rest[0] and found in rest[1], (text, done.stderr)
        assert "Traceback" not in done.stderr


def test_bad_environment_variables(repo: Path) -> None:
    """An unknown REFORM_GATE_* variable, and a bad value in a known one, are errors naming the variable."""
    done = run(repo, "score", f"proposals/{SEED}", REFORM_GATE_FAIL_BLEOW="revise")
    assert done.returncode == 2
    assert done.stderr.startswith("error: REFORM_GATE_FAIL_BLEOW: unknown key\n")
    assert 'did you mean "REFORM_GATE_FAIL_BELOW"?' in done.stderr
    done = run(repo, "score", f"proposals/{SEED}", REFORM_GATE_FAIL_BELOW="revize")
    assert done.returncode == 2
    assert done.stderr.startswith("error: REFORM_GATE_FAIL_BELOW: invalid value\n")
    assert 'did you mean "revise"?' in done.stderr


def test_verbose_says_which_file_and_settings(repo: Path) -> None:
    write(repo / ".reform-gate.toml", 'fail-below = "revise"\n')
    done = run(repo / "proposals", "-v", "score", SEED)
    lines = done.stderr.splitlines()
    assert "reform-gate: configuration file: ../.reform-gate.toml" in lines
    assert "reform-gate: fail-below = revise (from ../.reform-gate.toml:1)" in lines
    assert any(line.startswith("reform-gate: criteria reform-before-recognition 2.0.0 from ") for line in lines)
    assert run(repo / "proposals", "score", SEED).stderr == ""


# --- the one table ------------------------------------------------------------------------------


def test_an_option_becomes_configurable_by_its_table_line(tmp_path: Path) -> None:
    """--jobs (type=int) and --exclude (append) on a parser are filled from file and variable by KEYS alone."""
    parser = ToolParser(prog="tool")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("run")
    p.add_argument("--jobs", type=int, default=1, help="jobs")
    p.add_argument("--exclude", action="append", default=[], help="patterns")
    p.add_argument("--criteria-root", default=None, help="root")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".reform-gate.toml", 'jobs = 4\nexclude = ["a/*", "b/*"]\ncriteria-root = "sets"\n')
    (tmp_path / "sub").mkdir()
    args, resolved = config.parse(parser, ["run"], environ={}, cwd=tmp_path / "sub")
    assert (args.jobs, args.exclude, args.criteria_root) == (4, ["a/*", "b/*"], "../sets")
    args, _ = config.parse(parser, ["run", "--jobs", "2"], environ={"REFORM_GATE_EXCLUDE": "x, y"}, cwd=tmp_path)
    assert (args.jobs, args.exclude) == (2, ["x", "y"])
    assert {s.key.name: s.source.kind for s in resolved.settings} == {
        "jobs": "file",
        "exclude": "file",
        "criteria-root": "file",
    }
    with pytest.raises(ReformGateError) as err:
        config.parse(parser, ["run"], environ={"REFORM_GATE_JOBS": "many"}, cwd=tmp_path)
    assert err.value.render().startswith("REFORM_GATE_JOBS: invalid value")
    write(tmp_path / ".reform-gate.toml", "jobs = 0\n")
    with pytest.raises(ReformGateError):
        config.parse(parser, ["run"], environ={}, cwd=tmp_path)


def test_jobs_can_be_set_back_to_auto_from_a_file_or_a_variable(tmp_path: Path) -> None:
    # auto is the default; a variable can ask for it back over a file's number, and a file can name it.
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".reform-gate.toml", "jobs = 4\n")
    args, _ = config.parse(build_parser(), ["score", "x.toml"], environ={}, cwd=tmp_path)
    assert args.jobs == 4
    args, _ = config.parse(build_parser(), ["score", "x.toml"], environ={"REFORM_GATE_JOBS": "auto"}, cwd=tmp_path)
    assert args.jobs is None
    write(tmp_path / ".reform-gate.toml", 'jobs = "auto"\n')
    args, _ = config.parse(build_parser(), ["score", "x.toml"], environ={}, cwd=tmp_path)
    assert args.jobs is None
    write(tmp_path / ".reform-gate.toml", 'jobs = "many"\n')
    with pytest.raises(ReformGateError) as err:
        config.parse(build_parser(), ["score", "x.toml"], environ={}, cwd=tmp_path)
    assert 'expected: an integer, or "auto"' in err.value.render()


def test_every_key_has_an_env_variable_and_a_documented_row() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for key in config.KEYS:
        assert f"| `{key.name}` |" in doc and f"`{key.env}`" in doc, key.name
    dests = {a.dest for p in config._every_parser(build_parser()) for a in p._actions}
    # Keys whose option another branch adds are allowed to wait for it; the rest must fill something now.
    assert {k.dest for k in config.KEYS} - dests <= {"criteria_root", "exclude", "jobs"}


def test_defaults_are_restored_when_nothing_is_configured(tmp_path: Path) -> None:
    """With no file and no variable, every option keeps the default argparse gives it."""
    (tmp_path / ".git").mkdir()
    plain = build_parser().parse_args(["score", "x.toml"])
    args, resolved = config.parse(build_parser(), ["score", "x.toml"], environ={}, cwd=tmp_path)
    for key in config.KEYS:
        if hasattr(plain, key.dest):
            assert getattr(args, key.dest) == getattr(plain, key.dest), key.name
    assert all(s.source.kind == "default" for s in resolved.settings)
    assert isinstance(args, argparse.Namespace)


def test_the_documented_example_prints_what_docs_cli_md_shows(repo: Path) -> None:
    """docs/cli.md's pyproject.toml, and its reform-gate config example run from proposals/drafts."""
    import re

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Configuration") :]
    toml = re.search(r"```toml\n(.*?)```", section, re.S)
    assert toml
    (repo / "pyproject.toml").write_text(toml.group(1), encoding="utf-8")
    example = re.search(r"^\$ cd proposals/drafts && (\S+)=(\S+) reform-gate (.*?)\n(.*?)```", doc, re.S | re.M)
    assert example
    variable, value, argv, shown = example.groups()
    done = run(repo / "proposals" / "drafts", *argv.split(), **{variable: value})
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown
