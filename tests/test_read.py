"""Reading files: bounded, UTF-8 with or without a byte-order mark, and criteria references resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from reform_gate.errors import CriteriaNotFoundError, InputTooLargeError, TomlSyntaxError, UsageError
from reform_gate.load.read import MAX_BYTES, read_text, read_toml
from reform_gate.load.resolve import resolve_criteria, shipped_criteria, shown


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    """Editors that write a BOM first do not break a file."""
    path = tmp_path / "x.toml"
    path.write_bytes(b"\xef\xbb\xbfa = 1\n")
    assert read_toml(path) == ("a = 1\n", {"a": 1})


def test_not_utf8_names_the_byte_line_and_column(tmp_path: Path) -> None:
    """A Latin-1 byte is a syntax error at its line, saying which byte and where."""
    path = tmp_path / "x.toml"
    path.write_bytes(b"a = 1\nb = \"caf\xe9\"\n")
    with pytest.raises(TomlSyntaxError) as info:
        read_text(path)
    assert info.value.line == 2
    assert info.value.found == "the byte 0xe9, which is not UTF-8, at column 9"


def test_size_limit_and_missing_files(tmp_path: Path) -> None:
    """A file over the limit, a folder and a missing file each give their own error."""
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(InputTooLargeError):
        read_text(big)
    with pytest.raises(UsageError, match="a directory"):
        read_text(tmp_path)
    with pytest.raises(UsageError, match="no such file"):
        read_text(tmp_path / "absent.toml")


def test_criteria_references_resolve_to_paths_then_shipped_ids(tmp_path: Path) -> None:
    """A path relative to the proposal wins; a shipped id is found by name; a typo gets a suggestion."""
    (tmp_path / "mine.toml").write_text("", encoding="utf-8")
    assert resolve_criteria("mine.toml", tmp_path, "p.toml", "") == tmp_path / "mine.toml"
    assert resolve_criteria("reform-before-recognition", tmp_path, "p.toml", "") == shipped_criteria()[
        "reform-before-recognition"
    ]
    with pytest.raises(CriteriaNotFoundError) as info:
        resolve_criteria("reform-before-recogniton", tmp_path, "p.toml", "")
    assert info.value.hint == 'did you mean "reform-before-recognition"?'


def test_shown_paths_are_relative_to_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An absolute path under the working folder is shown relative to it; others as given."""
    monkeypatch.chdir(tmp_path)
    assert shown(tmp_path / "a" / "b.toml") == "a/b.toml"
    assert shown("rel/x.toml") == "rel/x.toml"
    assert shown("/elsewhere/x.toml") == "/elsewhere/x.toml"
