"""locate.key_lines: every key path a TOML document writes maps to the line where it is written."""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from reform_gate.load.lines import key_lines, line_of

REPO = Path(__file__).resolve().parent.parent


def doc(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path tomllib reports: table keys and array indices, at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*prefix, k)
            yield from paths_of(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield (*prefix, i)
            yield from paths_of(v, (*prefix, i))


def assert_covers(text: str) -> dict[tuple[Any, ...], int]:
    lines = key_lines(text)
    missing = [p for p in paths_of(tomllib.loads(text)) if p not in lines]
    assert not missing, f"paths without a line: {missing[:5]}"
    return lines


# --- hand-written cases -------------------------------------------------------------------------


def test_tables_and_keys() -> None:
    """Plain tables and keys map to their own lines; an implicit table to its first mention."""
    text = doc(
        """
        # a comment
        [proposal]
        id = "p"   # trailing comment

        [observations.safe_haven_denied]
        value = false
        source = "s"
        """
    )
    lines = assert_covers(text)
    assert lines[("proposal",)] == 2
    assert lines[("proposal", "id")] == 3
    assert lines[("observations",)] == 5
    assert lines[("observations", "safe_haven_denied")] == 5
    assert lines[("observations", "safe_haven_denied", "value")] == 6
    assert lines[("observations", "safe_haven_denied", "source")] == 7


def test_multiline_basic_string_hides_structure() -> None:
    """``=``, ``[``, ``#`` and escaped quotes inside a multi-line basic string are not keys."""
    text = doc(
        '''
        [a]
        note = """
        fake = 1
        [not.a.table]
        # not a comment
        an escaped \\""" quote and a backslash \\\\
        still inside"""
        after = 2
        '''
    )
    lines = assert_covers(text)
    assert lines[("a", "after")] == 8
    assert ("a", "fake") not in lines and ("not",) not in lines


def test_multiline_literal_string_hides_structure() -> None:
    """A multi-line literal string is stepped over whole, backslashes and all."""
    text = doc(
        """
        x = '''
        y = 1 \\
        [[z]]
        '''
        y = 2
        """
    )
    lines = assert_covers(text)
    assert lines[("y",)] == 5
    assert ("z",) not in lines


@pytest.mark.parametrize("closing", ['a"""', 'a""""', 'a"""""'])
def test_quotes_right_before_the_closing_delimiter(closing: str) -> None:
    """Up to two quotes may end a multi-line string's content: ``\"\"\"a\"\"\"\"\"`` is ``a\"\"``."""
    text = f'x = """{closing}\ny = 1\n'
    lines = assert_covers(text)
    assert lines[("y",)] == 2


def test_empty_strings_are_not_multiline() -> None:
    """``""`` and ``''`` are empty strings, not the start of a multi-line one."""
    text = 'a = ""\nb = \'\'\nc = "x"\n'
    assert assert_covers(text) == {("a",): 1, ("b",): 2, ("c",): 3}


def test_inline_tables_and_dotted_keys() -> None:
    """Keys inside inline tables, and each part of a dotted key, get the line they are on."""
    text = doc(
        """
        [[rules]]
        id = "CT-1"
        check = { indicator = "x", credit = { none = 0, "some.thing" = 0.5 } }
        min_pillar.counterterrorism = 70
        site."google.com".visits = 3
        """
    )
    lines = assert_covers(text)
    assert lines[("rules", 0, "check", "credit", "some.thing")] == 3
    assert lines[("rules", 0, "min_pillar", "counterterrorism")] == 4
    assert lines[("rules", 0, "site", "google.com", "visits")] == 5


def test_quoted_keys_with_escapes_and_spaces() -> None:
    """Quoted keys are unescaped as tomllib does; spaces around dots are allowed."""
    text = doc(
        r"""
        "a\"b" = 1
        'lit\eral' = 2
        "\u00e9t\u00e9" = 3
        x . "y z" . w = 4
        [ t . "u.v" ]   # a header with spaces and a comment
        k = 5
        """
    )
    lines = assert_covers(text)
    assert lines[('a"b',)] == 1
    assert lines[("lit\\eral",)] == 2
    assert lines[("été",)] == 3
    assert lines[("x", "y z", "w")] == 4
    assert lines[("t", "u.v", "k")] == 6


def test_arrays_spanning_lines() -> None:
    """Each element of a multi-line array maps to its own line; brackets in strings don't count."""
    text = doc(
        """
        any_of = [
          # a comment [ with a bracket
          { min_pillar = { "civil-liberties" = 30 } },  # ] another
          { min_pillar = { "inclusive-participation" = 30 } },
          "a ] string",
          [1, 2,
           3],
        ]
        next = 1
        """
    )
    lines = assert_covers(text)
    assert lines[("any_of", 0)] == 3
    assert lines[("any_of", 1, "min_pillar", "inclusive-participation")] == 4
    assert lines[("any_of", 2)] == 5
    assert lines[("any_of", 3, 2)] == 7
    assert lines[("next",)] == 9


def test_array_of_tables_counting() -> None:
    """``[[a]]`` counts per array, and a nested ``[[a.b]]`` restarts under each ``[[a]]``."""
    text = doc(
        """
        [[tiers]]
        id = "one"
        [[tiers.any_of]]
        min_score = 1
        [[tiers.any_of]]
        min_score = 2
        [tiers.min_pillar]
        ct = 3

        [[tiers]]
        id = "two"
        [[tiers.any_of]]
        min_score = 4

        [[rules]]
        id = "R"
        """
    )
    lines = assert_covers(text)
    assert lines[("tiers", 0, "any_of", 1, "min_score")] == 6
    assert lines[("tiers", 0, "min_pillar", "ct")] == 8
    assert lines[("tiers", 1)] == 10
    assert lines[("tiers", 1, "any_of", 0)] == 12
    assert lines[("tiers", 1, "any_of", 0, "min_score")] == 13
    assert lines[("rules", 0, "id")] == 16
    assert lines[("tiers",)] == 1


def test_crlf_line_ends() -> None:
    """Windows line ends count as one line each."""
    text = '[a]\r\nb = "x"\r\nc = [\r\n  1,\r\n]\r\nd = 1\r\n'
    lines = assert_covers(text)
    assert lines[("a", "d")] == 6
    assert lines[("a", "c", 0)] == 4


def test_datetimes_and_special_numbers() -> None:
    """Scalars with spaces, colons and signs are values, not keys."""
    text = "a = 1979-05-27 07:32:00Z\nb = -inf\nc = 0x_ff\nd = 1_000.5e+3\ne = 07:32:00\n"
    text = text.replace("0x_ff", "0xff")
    assert assert_covers(text) == {("a",): 1, ("b",): 2, ("c",): 3, ("d",): 4, ("e",): 5}


def test_shipped_files_are_covered() -> None:
    """Every key of the shipped criteria set and of every seed has a line, and rules point at [[rules]]."""
    for path in [*sorted((REPO / "criteria").glob("*.toml")), *sorted((REPO / "seeds").glob("*.toml"))]:
        text = path.read_text(encoding="utf-8")
        lines = assert_covers(text)
        source = text.splitlines()
        for (name, *rest), line in lines.items():
            if name == "rules" and len(rest) == 1:
                assert source[line - 1].strip() == "[[rules]]", (path.name, line)


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    """Any text at all gives a map (possibly partial), never an exception."""
    assert isinstance(key_lines(text), dict)


@pytest.mark.parametrize(
    "text",
    ['x = """never closed\ny = 1\n', "[unclosed\nx = 1\n", "x = [1, 2\n", "= 1\n", "x = { a = 1\n", "[[a]\n"],
)
def test_broken_documents_give_what_came_before(text: str) -> None:
    """An unterminated construct stops the scan without an error."""
    assert isinstance(key_lines("a = 1\n" + text), dict)
    assert key_lines("a = 1\n" + text)[("a",)] == 1


def test_line_of_takes_the_longest_written_prefix() -> None:
    """A path not written (a default) falls back to the nearest table that is."""
    lines = key_lines(doc('[observations.x]\nvalue = 1\n[proposal]\nid = "p"\n'))
    assert line_of(lines, ["observations", "x", "value"]) == 2
    assert line_of(lines, ["observations", "x", "reliability"]) == 1
    assert line_of(lines, ["proposal", "tier"]) == 3
    assert line_of(lines, ["nothing"]) is None
    assert line_of({}, []) is None


# --- generated documents ------------------------------------------------------------------------

_SAFE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"))
_TEXT = st.text(_SAFE, max_size=12)
_TRICKY = st.text(st.sampled_from(list("ab =[]{}#\"'.,\\\n")), max_size=15)
_KEY = st.one_of(
    st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True), _TEXT, _TRICKY.map(lambda s: s.replace("\n", ""))
)

_scalar = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    _TEXT,
    _TRICKY,
)
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEY, inner, max_size=3)),
    max_leaves=8,
)
_document = st.dictionaries(
    _KEY,
    st.one_of(
        _value,
        st.dictionaries(_KEY, _value, max_size=4),
        st.lists(st.dictionaries(_KEY, _value, min_size=1, max_size=3), min_size=1, max_size=3),
    ),
    max_size=5,
)


@settings(deadline=None)
@given(_document, st.booleans())
def test_tomli_w_documents(data: dict[str, Any], multiline: bool) -> None:
    """Every key path of a document tomli-w writes has a line, and that line names the key."""
    text = tomli_w.dumps(data, multiline_strings=multiline)
    lines = assert_covers(text)
    source = text.split("\n")  # TOML ends lines at LF only; splitlines() would also split at U+2028
    for path, line in lines.items():
        last = path[-1]
        if isinstance(last, str) and re.fullmatch(r"[A-Za-z0-9_-]+", last):
            assert last in source[line - 1], (path, line, source[line - 1])


class _Writer:
    """Writes TOML in mixed styles and records the line where it writes each key path."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.expected: dict[tuple[Any, ...], int] = {}

    def emit(self, text: str, *paths: tuple[Any, ...]) -> None:
        for p in paths:
            self.expected[p] = len(self.lines) + 1
        self.lines.extend(text.split("\n"))

    @staticmethod
    def key(k: str) -> str:
        return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)

    def value(self, v: Any, path: tuple[Any, ...], style: int) -> str:
        """The value's text; multi-line forms record the lines of their parts."""
        if isinstance(v, str) and "\n" in v and style % 2 == 0:
            return '"""\n' + v.replace("\\", "\\\\").replace('"', '\\"') + '"""'
        if isinstance(v, str) and "'" not in v and style % 3 == 0:
            return "'''\n" + v + "'''" if "\n" in v else f"'{v}'"
        if isinstance(v, list) and v and style % 2 == 1:
            return "MULTILINE-ARRAY"
        return tomli_w.dumps({"x": v}).split("=", 1)[1].strip() if not isinstance(v, dict) else self.inline(v)

    def inline(self, d: dict[str, Any]) -> str:
        return "{ " + ", ".join(f"{self.key(k)} = {self.value(v, (), 4)}" for k, v in d.items()) + " }"

    def keyval(self, k: str, v: Any, table: tuple[Any, ...], style: int) -> None:
        path = (*table, k)
        text = self.value(v, path, style)
        if text != "MULTILINE-ARRAY":
            self.emit(f"{self.key(k)} = {text}", path)
            return
        self.emit(f"{self.key(k)} = [  # elements follow", path)
        for i, item in enumerate(v):
            self.emit("  # a comment, with [ and = in it")
            self.emit(f"  {self.value(item, (*path, i), style + 1)},", (*path, i))
        self.emit("]")


_flat_value = st.one_of(_scalar, st.lists(_scalar, max_size=3), st.dictionaries(_KEY, _scalar, max_size=2))


@st.composite
def _written(draw: st.DrawFn) -> tuple[str, dict[tuple[Any, ...], int]]:
    w = _Writer()
    style = draw(st.integers(0, 5))
    top = draw(st.dictionaries(_KEY.filter(lambda k: "-s" not in k), _flat_value, max_size=3))
    for k, v in top.items():
        w.keyval(k, v, (), style)
    names = draw(st.lists(_KEY, unique=True, max_size=3))
    for n, name in enumerate(names):
        name = f"{name}-s{n}"  # never the same as a top-level key
        if draw(st.booleans()):
            w.emit(f"[{w.key(name)}]", (name,))
            for k, v in draw(st.dictionaries(_KEY, _flat_value, max_size=3)).items():
                w.keyval(k, v, (name,), style)
        else:
            for i in range(draw(st.integers(1, 3))):
                w.emit("")
                w.emit(f"[[{w.key(name)}]]", (name, i))
                for k, v in draw(st.dictionaries(_KEY.filter(lambda k: k != "sub-t"), _flat_value, max_size=2)).items():
                    w.keyval(k, v, (name, i), style)
                for j in range(draw(st.integers(0, 2))):
                    w.emit(f"[[{w.key(name)}.sub-t]]", (name, i, "sub-t", j))
                    w.keyval("leaf", j, (name, i, "sub-t", j), style)
    return "\n".join(w.lines) + "\n", w.expected


@settings(deadline=None)
@given(_written())
def test_mixed_style_documents(case: tuple[str, dict[tuple[Any, ...], int]]) -> None:
    """Documents in mixed styles (multi-line strings and arrays, [[nested]] tables) give exact lines."""
    text, expected = case
    lines = assert_covers(text)
    wrong = {p: (line, lines.get(p)) for p, line in expected.items() if lines.get(p) != line}
    assert not wrong, wrong
