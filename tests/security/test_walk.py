"""Class 10 of issue 8: a folder search skips hidden folders, virtual environments and what git
ignores, honours --exclude, and reads only files that look like proposals; files named are
always read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reform_gate.load import walk
from tests.render_util import REPO
from tests.security.conftest import run, seed_text

SHIPPED = REPO / "criteria" / "reform-before-recognition.toml"


def _proposal(path: Path, ident: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(seed_text(id=f'"{ident}"'), encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder: real proposals, and everything a search must leave alone."""
    monkeypatch.chdir(tmp_path)
    _proposal(tmp_path / "proposals" / "a.toml", "a")
    _proposal(tmp_path / "proposals" / "drafts" / "b.toml", "b")
    (tmp_path / "criteria").mkdir()
    shutil.copy(SHIPPED, tmp_path / "criteria" / "set.toml")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "ruff.toml").write_text("line-length = 1\n", encoding="utf-8")
    broken = "[proposal]\nid = 'broken'\nthis is not toml\n"
    for hidden in (".venv/lib/x.toml", "venv/x.toml", "env/x.toml", "node_modules/p/x.toml",
                   "__pycache__/x.toml", ".git/x.toml", "proposals/.hidden.toml", "build/x.toml"):
        (tmp_path / hidden).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / hidden).write_text(broken, encoding="utf-8")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    return tmp_path


def _found(paths: list[str], **options: object) -> list[str]:
    return [Path(f.path).as_posix() for f in walk.files_under(paths, walk.Walk(**options))]  # type: ignore[arg-type]


def test_hidden_folders_and_environments_are_skipped(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no git: no .gitignore
    assert _found(["."]) == [
        "build/x.toml", "criteria/set.toml", "proposals/a.toml", "proposals/drafts/b.toml", "pyproject.toml",
        "ruff.toml",
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignore_is_honoured_in_a_work_tree(tree: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    assert "build/x.toml" not in _found(["."])
    assert "build/x.toml" in _found(["."], gitignore=False)
    # A tracked file is never ignored, whatever .gitignore says.
    subprocess.run(["git", "-C", str(tree), "add", "-f", "build/x.toml"], check=True)
    assert "build/x.toml" in _found(["."])


def test_without_git_nothing_is_ignored(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert "build/x.toml" in _found(["."])


def test_outside_a_work_tree_git_ignores_nothing(tree: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert "build/x.toml" in _found(["."])  # no `git init` here: check-ignore fails, nothing is left out


def test_exclude_globs(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert "proposals/drafts/b.toml" not in _found(["."], exclude=("drafts",))
    assert "proposals/drafts/b.toml" not in _found(["."], exclude=("proposals/drafts/*",))
    assert "proposals/a.toml" not in _found(["."], exclude=("a.toml",))
    assert _found(["proposals/a.toml"], exclude=("a.toml",)) == ["proposals/a.toml"]  # named: always


def test_score_and_validate_a_whole_project(tree: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`score .` and `validate .` no longer fail on .venv or pyproject.toml: only proposals (and,
    for validate, criteria sets) are read; build/ is left out by --exclude (or .gitignore)."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, out, err = run(capsys, "score", ".", "--exclude", "build", "--fail-below", "rejected")
    assert (code, err) == (0, "")
    assert "2 scored" in out
    code, out, err = run(capsys, "validate", ".", "--exclude", "build")
    assert (code, out, err) == (0, "3 of 3 files valid\n", "")
    code, _, err = run(capsys, "validate", ".")
    assert code == 2 and "build/x.toml" in err


def test_a_named_file_is_always_read(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "pyproject.toml")
    assert code == 2 and "pyproject.toml" in err


def test_looks_like_reads_bytes_not_toml() -> None:
    assert walk.looks_like(b"# x\n[proposal]\nid = 1\n", ["proposal"])
    assert walk.looks_like(b"  [ proposal ]  # c\n", ["proposal"])
    assert walk.looks_like(b"[proposal\n", ["proposal"])  # truncated: reported, not skipped
    assert walk.looks_like(b'proposal.id = "x"\n', ["proposal"])
    assert not walk.looks_like(b"[proposals]\n[tool.proposal]\n# [proposal]\n", ["proposal"])
    assert not walk.looks_like(b"\xff\xfe[criteria]\n", ["proposal"])
    assert walk.looks_like(b"\xff\n[criteria]\n", ["proposal", "criteria"])
