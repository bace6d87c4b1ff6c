"""The lean start-up path (docs/performance.md, "The start-up path"): what scoring one file loads.

``reform-gate score FILE --format json`` is timed against the import of its dependencies alone
(``bench/run.py``, issue 11). These tests hold the structure that keeps it lean, not a time: the
modules a one-file score must not import, and the command parsers it must not build. A change
that imports one of them at the top of a module on the path fails here, with the module named.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reform_gate.cli import config
from reform_gate.cli.parser import LazyParsers, build_parser

ROOT = Path(__file__).resolve().parent.parent

#: What a one-file score to JSON never needs: other commands and analyses, other formats, the
#: cattrs converter (valid files are structured without it), folders walked with git, workers,
#: and a batch's buffer (``tempfile``: a lone verdict is written straight out).
MUST_STAY_OUT = (
    "reform_gate.analysis",
    "reform_gate.history",
    "reform_gate.baseline",
    "reform_gate.authoring",
    "reform_gate.engine.history",
    "reform_gate.engine.coverage",
    "reform_gate.engine.sensitivity",
    "reform_gate.engine.flips",
    "reform_gate.engine.robustness",
    "reform_gate.engine.what_if",
    "reform_gate.engine.compare",
    "reform_gate.load.convert",
    "reform_gate.render.text",
    "reform_gate.render.shared",
    "reform_gate.render.html",
    "reform_gate.render.markdown",
    "reform_gate.render.sarif",
    "reform_gate.render.junit",
    "reform_gate.render.github",
    "reform_gate.render.gitlab",
    "reform_gate.cli.completion",
    "reform_gate.cli.settings_view",
    "difflib",
    "tempfile",
    "subprocess",
    "multiprocessing",
    "concurrent.futures",
    "html",
    "importlib.metadata",
)

#: Run in a fresh interpreter: the modules the score loaded beyond the floor of the benchmark
#: (``import attrs, cattrs, tomllib``), and its exit code.
_PROBE = """
import contextlib, io, json, sys
import attrs, cattrs, tomllib
floor = set(sys.modules)
from reform_gate.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["score", sys.argv[1], "--format", "json", "--fail-below", "rejected"])
json.loads(out.getvalue())
print(json.dumps({"code": code, "loaded": sorted(set(sys.modules) - floor)}))
"""


def _score_in_fresh_process(seed: str, cache: str) -> tuple[int, set[str]]:
    env = {"REFORM_GATE_CACHE": cache, "PATH": "", "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, seed], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout)
    return found["code"], set(found["loaded"])


@pytest.mark.parametrize("seed", ["seeds/ru-isisk-intelligence-sharing.toml", "seeds/ru-formal-recognition.toml"])
def test_scoring_one_file_loads_only_what_it_needs(seed: str, tmp_path: Path) -> None:
    """With the criteria cache cold and then warm, a one-file score imports none of MUST_STAY_OUT."""
    cache = str(tmp_path / "cache")
    for _ in ("cold", "warm"):
        code, loaded = _score_in_fresh_process(seed, cache)
        assert code == 0
        assert "reform_gate.render.json_" in loaded  # the probe really scored, to JSON
        assert sorted(loaded.intersection(MUST_STAY_OUT)) == []


def _commands(parser: argparse.ArgumentParser) -> LazyParsers:
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert isinstance(sub.choices, LazyParsers)
    return sub.choices


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["score", "x.toml", "--format", "json"], "score"),
        (["--color", "never", "validate", "x.toml"], "validate"),
        (["criteria", "show", "reform-before-recognition"], "criteria"),
    ],
)
def test_a_command_line_builds_only_its_own_command_parser(argv: list[str], command: str, tmp_path: Path) -> None:
    """Parsing a command line builds the parser of the command it names and no other."""
    parser = build_parser()
    commands = _commands(parser)
    assert commands.built() == []
    args, _ = config.parse(parser, argv, environ={}, cwd=tmp_path)
    assert args.command == command
    assert [p.prog for p in commands.built()] == [f"reform-gate {command}"]


def test_every_command_is_listed_and_built_when_walked() -> None:
    """The help lists every command without building one; walking the parser builds them all."""
    parser = build_parser()
    commands = _commands(parser)
    help_text = parser.format_help()
    assert commands.built() == []
    names = list(commands)
    assert len(names) == len(commands) >= 14 and "score" in commands and "scor" not in commands
    assert all(f"    {name}" in help_text for name in names)
    assert [p.prog for p in commands.values()] == [f"reform-gate {name}" for name in names]
    assert len(commands.built()) == len(names)
    assert commands.get("nothing") is None and commands.get("score") is commands["score"]


def test_a_command_built_late_loses_its_configurable_defaults(tmp_path: Path) -> None:
    """The configuration fills an option left unset in a parser built after parse() began: the
    file's value reaches ``score``, whose parser did not exist when the defaults were taken out."""
    (tmp_path / ".reform-gate.toml").write_text('fail-below = "revise"\n', encoding="utf-8")
    args, resolved = config.parse(build_parser(), ["score", "x.toml"], environ={}, cwd=tmp_path)
    assert args.fail_below == "revise"
    assert any(s.key.name == "fail-below" and s.source.kind == "file" for s in resolved.settings)
