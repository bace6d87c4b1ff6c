"""Command-line habits (docs/cli.md): -, -q, -v, --color, FORCE_COLOR, TERM=dumb, help everywhere, one error style.

Most of these run the program as a process, the way a shell or a CI job does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reform_gate import cli
from reform_gate.cli.parser import build_parser

ROOT = Path(__file__).resolve().parent.parent
ISISK = "seeds/ru-isisk-intelligence-sharing.toml"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # any control character but \t and \n


def run(*argv: str, input: str | None = None, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("REFORM_GATE_", "NO_COLOR", "FORCE_COLOR"))}
    environ.update({"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **env})
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *argv],
        input=input,
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


# --- standard input and output ------------------------------------------------------------------


def test_score_reads_a_proposal_from_standard_input() -> None:
    """score - gives the same verdict as the file, shown as <stdin>.

    The seed reads its ledger by a path relative to its folder; from standard input that path is
    relative to the working folder, so both runs are made from the seeds' folder.
    """
    text = (ROOT / ISISK).read_text(encoding="utf-8")
    piped = run("score", "-", "--format", "json", input=text, cwd=ROOT / "seeds")
    named = run("score", Path(ISISK).name, "--format", "json", cwd=ROOT / "seeds")
    assert piped.returncode == named.returncode == 1, piped.stderr
    a, b = json.loads(piped.stdout), json.loads(named.stdout)
    assert a["file"] == "<stdin>"
    assert (a["outcome"], a["overall_score"], a["audit"]) == (b["outcome"], b["overall_score"], b["audit"])


def test_stdin_criteria_paths_are_relative_to_the_working_folder(tmp_path: Path) -> None:
    """A proposal from standard input that names a criteria file finds it from the working folder."""
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "mine.toml").write_text((ROOT / "criteria" / "reform-before-recognition.toml").read_text())
    shutil.copytree(ROOT / "seeds" / "evidence", tmp_path / "evidence")  # the ledger the seed reads
    text = (
        (ROOT / ISISK)
        .read_text(encoding="utf-8")
        .replace('criteria = "reform-before-recognition"', 'criteria = "sets/mine.toml"')
    )
    assert 'criteria = "sets/mine.toml"' in text
    done = run("score", "-", "--format", "json", input=text, cwd=tmp_path)
    assert json.loads(done.stdout)["criteria"][0]["file"] == "sets/mine.toml", done.stderr


def test_validate_reads_standard_input_and_names_it_in_errors() -> None:
    # The seed names its ledger relative to its folder: from standard input, relative to the working folder.
    good = run("validate", "-", input=(ROOT / ISISK).read_text(encoding="utf-8"), cwd=ROOT / "seeds")
    assert (good.returncode, good.stdout) == (0, "1 of 1 file valid\n")
    bad = run("validate", "-", input="[proposal]\nid = 3\n")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: <stdin>:")
    twice = run("validate", "-", "-", input="")
    assert twice.returncode == 2 and "standard input named once" in twice.stderr


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    """--output - writes its format to standard output; a second format still goes to its file."""
    done = run(
        "score", ISISK, "--format", "sarif", "--output", "-", "--format", "junit", "--output", str(tmp_path / "r.xml")
    )
    assert json.loads(done.stdout)["version"] == "2.1.0"
    assert (tmp_path / "r.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert not (ROOT / "-").exists()
    both = run("score", ISISK, "--format", "sarif", "--output", "-", "--format", "json")
    assert both.returncode == 2 and "at most one format without --output" in both.stderr


# --- how much is said -----------------------------------------------------------------------


def test_quiet_keeps_only_results_and_errors() -> None:
    assert run("validate", "seeds/").stdout.endswith("files valid\n")
    assert run("-q", "validate", "seeds/").stdout == ""
    assert run("validate", "-q", "seeds/").stdout == ""  # before or after the command's name
    verify = run("verify", "-q", "seeds/")
    assert (verify.returncode, verify.stdout) == (0, "")
    scored = run("score", "-q", ISISK)
    assert scored.stdout.startswith("Intelligence exchange")  # the result itself stays
    both = run("score", "-q", "-v", ISISK)
    assert both.returncode == 2 and "usage error" in both.stderr
    apart = run("-q", "score", "-v", ISISK)
    assert apart.returncode == 2 and apart.stderr.startswith("error: -q: usage error")


def test_verbose_names_the_criteria_read_on_stderr_only() -> None:
    plain = run("score", "seeds/", "--format", "json")
    loud = run("score", "seeds/", "--format", "json", "-v", "--no-config")
    assert loud.stdout == plain.stdout
    # One line per criteria set read, each once, in the order first needed.
    named = [line for line in loud.stderr.splitlines() if line.startswith("reform-gate: criteria ")]
    assert sorted(line.split()[2] for line in named) == ["eu-benchmarks-2021", "reform-before-recognition", "unsc-2593"]
    assert all(line.startswith("reform-gate: ") for line in loud.stderr.splitlines())
    verify = run("verify", "seeds/", "-v", "--no-config")
    used = "reform-gate: criteria reform-before-recognition 2.0.0 from reform_gate/criteria/reform-before-recognition"
    assert used in verify.stderr


# --- colour ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "env", "coloured"),
    [
        ((), {}, False),  # a pipe: auto draws no colour
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": "1", "TERM": "dumb"}, False),
        (("--color", "always"), {"NO_COLOR": "1"}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        ((), {"REFORM_GATE_COLOR": "always"}, True),
    ],
)
def test_color_follows_option_then_environment(argv: tuple[str, ...], env: dict[str, str], coloured: bool) -> None:
    done = run("score", ISISK, *argv, **env)
    assert ("\x1b[" in done.stdout) is coloured
    if not coloured:
        assert not CONTROL.search(done.stdout)


class _Terminal:
    """Standard error as a terminal, for the progress line."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_term_dumb_gets_no_control_sequence_at_all(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal with TERM=dumb: no colour and no progress line, even for a long batch."""
    monkeypatch.chdir(ROOT)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    from reform_gate.cli import progress

    terminal = _Terminal()
    monkeypatch.setattr(progress.sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    monkeypatch.setenv("TERM", "xterm")
    p = progress.Progress(100, min_files=0)
    p.step(1, "a.toml")
    assert "\x1b[K" in terminal.text  # a terminal gets the progress line...
    terminal.text = ""
    monkeypatch.setenv("TERM", "dumb")
    p = progress.Progress(100, min_files=0)
    p.step(1, "a.toml")
    p.close()
    assert terminal.text == ""  # ...TERM=dumb does not
    out = _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    cli.main(["score", ISISK, "--details"])
    assert out.text and not CONTROL.search(out.text)


# --- help for every argument, and one error style -----------------------------------------------


def _every_action(parser: argparse.ArgumentParser, name: str = "reform-gate") -> list[tuple[str, argparse.Action]]:
    found = []
    for action in parser._actions:
        found.append((name, action))
        if isinstance(action, argparse._SubParsersAction):
            found += [(f"{name} {a.dest}", a) for a in action._choices_actions]
            for sub_name, sub in action.choices.items():
                found += _every_action(sub, f"{name} {sub_name}")
    return found


def test_every_argument_has_help() -> None:
    """Whatever the parser holds (other branches add commands), each argument, option and command has help."""
    actions = _every_action(build_parser())
    assert len(actions) > 60
    missing = [
        f"{where}: {'/'.join(a.option_strings) or a.metavar or a.dest}"
        for where, a in actions
        if not (isinstance(a.help, str) and a.help.strip() and a.help != argparse.SUPPRESS)
    ]
    assert not missing, missing


def test_the_help_walk_sees_an_argument_without_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub.choices["score"].add_argument("--undocumented")
    assert any(a.option_strings == ["--undocumented"] and not a.help for _, a in _every_action(parser))


@pytest.mark.parametrize(
    ("argv", "first", "hint"),
    [
        (("score", "--format", "nope", "seeds/"), "error: --format: usage error", "see: reform-gate score --help"),
        (("frobnicate",), "error: COMMAND: usage error", None),
        (("scroe", "seeds/"), "error: COMMAND: usage error", 'did you mean "score"?'),
        (("score",), "error: reform-gate score: usage error", "see: reform-gate score --help"),
        (
            ("score", "seeds/", "--fial-below", "revise"),
            "error: reform-gate score: usage error",
            'did you mean "--fail-below"?',
        ),
        (("score", "seeds/", "--as-of"), "error: --as-of: usage error", None),
        (("score", "seeds/", "--as-of", "yesterday"), "error: --as-of: usage error", None),
        (("criteria", "shw"), "error: ACTION: usage error", 'did you mean "show"?'),
        (("completion", "tcsh"), "error: SHELL: usage error", None),
        (("score", "seeds/", "--color", "blue"), "error: --color: usage error", None),
    ],
)
def test_command_line_mistakes_look_like_every_other_error(argv: tuple[str, ...], first: str, hint: str | None) -> None:
    """argparse's complaints are the tool's error: blocks, exit 2, expected and found, never usage: lines."""
    done = run(*argv)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == first, done.stderr
    assert lines[1].startswith("  expected: ") and lines[2].startswith("  found:    ")
    if hint is not None:
        assert lines[3] == f"  {hint}"
    assert "usage:" not in done.stderr and "Traceback" not in done.stderr
