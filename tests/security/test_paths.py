"""Class 2 of issue 8: a criteria path written in a proposal, and a symbolic link among the files,
lead nowhere outside the criteria root; a refused path is named, the file's content never shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reform_gate.errors import OutsideRootError
from reform_gate.load.resolve import contained
from tests.render_util import REPO
from tests.security.conftest import run, seed_text

SHIPPED = REPO / "criteria" / "reform-before-recognition.toml"
#: Written into the file outside the root: it must never appear in any output.
SECRET = "sekrit_key_7f3a"


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """repo/ (the working folder and root) beside outside/, which holds a 'criteria set'."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    (outside / "x.toml").write_text(f"[criteria]\n{SECRET} = 1\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


@pytest.mark.parametrize("ref", ["/etc/passwd", "../outside/x.toml", "sub/../../outside/x.toml"])
def test_a_proposal_cannot_name_a_file_outside_the_root(
    layout: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    (layout / "p.toml").write_text(seed_text(criteria=f'"{ref}"'), encoding="utf-8")
    line = 1 + (layout / "p.toml").read_text(encoding="utf-8").splitlines().index(f'criteria = "{ref}"')
    for command in ("score", "validate", "verify"):
        code, out, err = run(capsys, command, "p.toml")
        assert code == 2, (command, err)
        assert "path outside the root" in err and f'"{ref}"' in err
        assert "proposal.criteria" in err and f"p.toml:{line}" in err
        assert SECRET not in out + err and "root:x:0" not in out + err


def test_a_link_inside_the_root_that_leads_out_is_refused(layout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink(layout.parent / "outside" / "x.toml", layout / "crit.toml")
    (layout / "p.toml").write_text(seed_text(criteria='"crit.toml"'), encoding="utf-8")
    code, _, err = run(capsys, "validate", "p.toml")
    assert code == 2 and "path outside the root" in err and SECRET not in err


def test_a_criteria_root_lets_a_folder_in(layout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--criteria-root widens the root; then the file is read (and is, here, a broken set)."""
    (layout / "p.toml").write_text(seed_text(criteria='"../outside/x.toml"'), encoding="utf-8")
    code, _, err = run(capsys, "validate", "p.toml", "--criteria-root", str(layout.parent))
    assert code == 2 and "path outside the root" not in err and SECRET in err


def test_files_under_the_root_and_shipped_ids_are_read(layout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (layout / "criteria").mkdir()
    (layout / "criteria" / "mine.toml").write_bytes(SHIPPED.read_bytes())
    os.symlink("criteria/mine.toml", layout / "linked.toml")
    for ref in ('"criteria/mine.toml"', '"linked.toml"', '"reform-before-recognition"'):
        (layout / "p.toml").write_text(seed_text(criteria=ref), encoding="utf-8")
        assert run(capsys, "validate", "p.toml") == (0, "1 of 1 file valid\n", ""), ref


def test_criteria_on_the_command_line_stays_free(layout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = layout.parent / "outside" / "real.toml"
    outside.write_bytes(SHIPPED.read_bytes())
    (layout / "p.toml").write_text(seed_text(), encoding="utf-8")
    code, _out, err = run(capsys, "score", "p.toml", "--criteria", str(outside), "--fail-below", "rejected")
    assert code == 0, err


@pytest.mark.parametrize("named", [True, False])
def test_a_committed_link_to_a_file_outside_is_never_read(
    layout: Path, capsys: pytest.CaptureFixture[str], named: bool
) -> None:
    """Found in a folder or named (a shell glob names what a pull request committed)."""
    (layout / "proposals").mkdir()
    os.symlink(layout.parent / "outside" / "x.toml", layout / "proposals" / "evil.toml")
    (layout.parent / "outside" / "x.toml").write_text(f"[proposal]\n{SECRET} = 1\n", encoding="utf-8")
    target = "proposals/evil.toml" if named else "proposals"
    code, out, err = run(capsys, "validate", target)
    assert code == 2 and "path outside the root" in err
    assert SECRET not in out + err


def test_contained_is_the_one_rule(tmp_path: Path) -> None:
    """It follows links before it decides, and names the path as written."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.toml").write_text("", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "in" / "up")
    assert contained(tmp_path / "in" / "a.toml", tmp_path / "in", "p.toml") == (tmp_path / "in" / "a.toml").resolve()
    with pytest.raises(OutsideRootError) as info:
        contained(tmp_path / "in" / "up" / "x", tmp_path / "in", "p.toml", "evidence[0]", 7)
    assert info.value.file == "p.toml" and info.value.path == "evidence[0]" and info.value.line == 7
    with pytest.raises(OutsideRootError):
        contained("x" * 6000, tmp_path, "p.toml")  # too long for the system: refused, no OSError
