"""Shell completion (docs/cli.md, "reform-gate completion"): scripts load in their shells and complete.

bash is always there: the script is sourced and its function asked for completions as bash's
programmable completion would (COMP_WORDS, COMP_CWORD). zsh and fish are checked when installed
(``apt-get install zsh fish``, else skipped with that reason): zsh parses and registers the
script with compinit, and completes command lines typed into an interactive zsh on a
pseudo-terminal; fish parses it and completes command lines with ``complete -C``.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reform_gate.cli.completion import command_tree, script
from reform_gate.cli.parser import build_parser
from reform_gate.render import FORMATS

ROOT = Path(__file__).resolve().parent.parent


def _script(shell: str, tmp_path: Path) -> Path:
    """The script as a user gets it: the command's output, saved to a file."""
    done = subprocess.run(
        [sys.executable, "-m", "reform_gate", "completion", shell],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    path = tmp_path / f"reform-gate.{shell}"
    path.write_text(done.stdout, encoding="utf-8")
    return path


def _bash_complete(script_path: Path, words: list[str], cwd: Path) -> list[str]:
    line = " ".join(shlex.quote(w) for w in words)
    program = (
        f"source {shlex.quote(str(script_path))}\n"
        f"COMP_WORDS=({line})\n"
        "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        "_reform_gate\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return [w for w in done.stdout.splitlines() if w]


def test_bash_completes_commands_options_choices_and_files(tmp_path: Path) -> None:
    path = _script("bash", tmp_path)
    assert subprocess.run(["bash", "-n", str(path)]).returncode == 0
    done = subprocess.run(
        ["bash", "--norc", "-c", f"source {path} && complete -p reform-gate"], capture_output=True, text=True
    )
    assert done.stdout.strip() == "complete -F _reform_gate reform-gate"
    assert _bash_complete(path, ["reform-gate", "sc"], ROOT) == ["score", "schema"]
    assert _bash_complete(path, ["reform-gate", "score", "--format", ""], ROOT) == list(FORMATS)
    assert _bash_complete(path, ["reform-gate", "score", "--fa"], ROOT) == ["--fail-below"]
    assert _bash_complete(path, ["reform-gate", "criteria", ""], ROOT) == ["list", "show", "init", "lint"]
    assert _bash_complete(path, ["reform-gate", "criteria", "show", "--format", ""], ROOT) == ["text", "json"]
    assert _bash_complete(path, ["reform-gate", "schema", ""], ROOT) == ["proposal", "criteria", "evidence", "verdict"]
    assert _bash_complete(path, ["reform-gate", "--color", "al"], ROOT) == ["always"]
    # Files where files go: the proposal paths, and --output's value (after an option and its value).
    assert _bash_complete(path, ["reform-gate", "score", "see"], ROOT) == ["seeds"]
    assert _bash_complete(path, ["reform-gate", "-q", "score", "--format", "sarif", "--output", "READ"], ROOT) == [
        "README.md"
    ]
    assert _bash_complete(path, ["reform-gate", "explain", "see"], ROOT) == []  # a rule id is not a file


def test_bash_file_names_with_spaces(tmp_path: Path) -> None:
    path = _script("bash", tmp_path)
    (tmp_path / "my proposal.toml").write_text("", encoding="utf-8")
    assert _bash_complete(path, ["reform-gate", "validate", "my"], tmp_path) == ["my proposal.toml"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (apt-get install zsh)")
def test_zsh_script_parses_and_registers(tmp_path: Path) -> None:
    path = _script("zsh", tmp_path)
    assert subprocess.run(["zsh", "-n", str(path)]).returncode == 0
    program = (
        f"autoload -Uz compinit && compinit -u -d {tmp_path}/zcompdump && source {path} && "
        'print -r -- "$_comps[reform-gate]" && whence -w _reform_gate_score _reform_gate_criteria_show'
    )
    done = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, env={"HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "_reform_gate",
        "_reform_gate_score: function",
        "_reform_gate_criteria_show: function",
    ]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#compdef reform-gate\n")
    assert f":value:({' '.join(FORMATS)})'" in text


#: Drives an interactive zsh on a pseudo-terminal (zsh/zpty): loads the script with compinit, types
#: a command line and TAB, and prints every candidate the completion system offers between @@B2@@ and
#: @@E2@@ (markers computed when printed, so that the echo of the typed definition holds neither).
ZSH_CAPTURE = r"""
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT=''"
zpty -w z "autoload -U compinit; compinit -u -d $ZCOMPDUMP"
zpty -w z "source $1"
zpty -w z "compadd () { builtin compadd -O __hits \"\$@\"; print -rl -- @@B\$((1+1))@@ \$__hits @@E\$((1+1))@@ }"
zpty -w z "bindkey '^I' complete-word"
zpty -w z 'print -r -- $((2*3))READY'
zpty -r z ready '*6READY*'
zpty -w -n z "$2"$'\t'
zpty -w -n z $'\C-u'
zpty -w z 'print -r -- $((6*7))END'
zpty -r z out '*42END*'
zpty -d z
print -r -- "$out"
"""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (apt-get install zsh)")
def test_zsh_completes_as_a_user_types(tmp_path: Path) -> None:
    """In an interactive zsh, TAB offers the commands, choices and files the script knows."""
    path = _script("zsh", tmp_path)
    capture = tmp_path / "capture.zsh"
    capture.write_text(ZSH_CAPTURE, encoding="utf-8")

    def complete(line: str) -> set[str]:
        done = subprocess.run(
            ["zsh", "-f", str(capture), str(path), line],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={"HOME": str(tmp_path), "ZCOMPDUMP": str(tmp_path / "zcompdump"), "PATH": "/usr/bin:/bin"},
        )
        assert done.returncode == 0, done.stderr
        found: set[str] = set()
        for chunk in done.stdout.split("@@B2@@")[1:]:
            found |= {w.strip() for w in chunk.split("@@E2@@")[0].replace("\r", "").splitlines() if w.strip()}
        return found

    assert complete("reform-gate sc") == {"score", "schema"}
    assert complete("reform-gate score --format ") == set(FORMATS)
    assert complete("reform-gate criteria ") == {"list", "show", "init", "lint"}
    assert complete("reform-gate score see") == {"seeds"}  # a folder, through _files
    assert complete("reform-gate explain see") == set()  # a rule id is not a file


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (apt-get install fish)")
def test_fish_script_parses_and_completes(tmp_path: Path) -> None:
    path = _script("fish", tmp_path)
    assert subprocess.run(["fish", "--no-execute", str(path)]).returncode == 0

    def complete(line: str) -> list[str]:
        program = f"source {shlex.quote(str(path))}; complete -C {shlex.quote(line)}"
        done = subprocess.run(
            ["fish", "--no-config", "-c", program],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        assert done.returncode == 0, done.stderr
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert set(complete("reform-gate sc")) == {"score", "schema"}
    assert set(complete("reform-gate score --format ")) == set(FORMATS)
    assert set(complete("reform-gate criteria ")) == {"list", "show", "init", "lint"}
    assert "--fail-below" in complete("reform-gate score --fa")
    assert complete("reform-gate score see") == ["seeds/"]


def test_the_tree_follows_whatever_the_parser_holds() -> None:
    """A command or option added to the parser (as other branches do) is in the scripts, with its choices."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    extra = sub.add_parser("forecast", help="a new command")
    extra.add_argument("--step", choices=["month", "year"], help="how far apart")
    extra.add_argument("paths", nargs="+", metavar="FILE|DIR", help="proposals")
    tree = command_tree(parser)
    timeline = next(c for c in tree.subcommands if c.path == ("forecast",))
    assert timeline.files and timeline.many
    assert next(o for o in timeline.options if o.flags == ("--step",)).choices == ("month", "year")
    for shell in ("bash", "zsh", "fish"):
        text = script(parser, shell)
        assert "forecast" in text and "month year" in text, shell
