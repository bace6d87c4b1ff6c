"""Classes 7 and 8 of issue 8: a proposal id used by two files of one run is an error naming both
files; a syntax error at the end of a file (truncated, an unclosed array or string) has a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reform_gate.errors import TomlSyntaxError
from reform_gate.load.read import parse
from tests.security.conftest import run, seed_text


@pytest.mark.parametrize("command", ["score", "validate", "verify"])
def test_two_files_with_one_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str], command: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.toml").write_text(seed_text(), encoding="utf-8")
    (tmp_path / "b.toml").write_text(seed_text(title='"Another title"'), encoding="utf-8")
    code, out, err = run(capsys, command, ".")
    assert code == 2
    line = 1 + (tmp_path / "b.toml").read_text(encoding="utf-8").splitlines().index('id = "ru-tapi-pipeline-2024"')
    assert f"error: b.toml:{line}: proposal.id: duplicate id" in err
    assert 'found:    "ru-tapi-pipeline-2024", already the id of a.toml' in err
    if command == "score":
        assert "1 scored" in out  # the first is scored; the second is the error


def test_the_same_file_named_twice_is_not_a_duplicate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.toml").write_text(seed_text(), encoding="utf-8")
    assert run(capsys, "validate", "a.toml", "a.toml")[0] == 0


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[proposal]\nid = "x"\ntags = [1,\n  2,\n', 4),  # an unclosed array
        ('[proposal]\nid = "x"\nnote = """never closed\nmore\n\n', 4),  # an unclosed string
        ("[proposal]\nid = \n", 2),  # a value cut off
        ('a = 1\n[proposal', 2),  # a truncated header
    ],
)
def test_an_error_at_the_end_has_the_last_line(text: str, line: int) -> None:
    with pytest.raises(TomlSyntaxError) as info:
        parse(text, "x.toml")
    assert info.value.line == line, info.value.render()
    assert info.value.render().startswith(f"x.toml:{line}: TOML syntax error")
