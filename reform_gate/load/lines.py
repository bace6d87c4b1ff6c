"""The line of every key path in a TOML document, for pointing findings and errors at lines.

``tomllib`` gives values but no positions. :func:`key_lines` reads the text once and maps every
key path it writes to the line where it is written: table headers (``[a.b]``, ``[[a]]`` counted
per parent, so ``[[tiers.any_of]]`` under the third ``[[tiers]]`` is ``tiers[2].any_of[0]``),
dotted and quoted keys, keys inside inline tables, and the elements of arrays (an element's path
ends in its index). Multi-line strings and arrays are stepped over as values, so an ``=``, ``[``
or ``#`` inside them is never mistaken for structure.

Grammar followed (TOML 1.0, plus newlines in inline tables)::

    document   = { blank | header | keyval }
    header     = "[" key "]" | "[[" key "]]"
    keyval     = key "=" value
    key        = simple { "." simple }        simple = bare | "basic" | 'literal'
    value      = string | array | inline | scalar
    array      = "[" [ value { "," value } [","] ] "]"          (blanks and comments between)
    inline     = "{" [ keyval { "," keyval } [","] ] "}"

The scanner never raises: on text it cannot follow it returns what it found so far. Most lines
of a proposal are ``key = "simple value"``; one regular expression takes those whole, and only
the rest goes through the token-by-token path, so a 200-line file takes well under a millisecond.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Mapping, Sequence

__all__ = ["KeyLines", "key_lines", "line_of"]

PathPart = str | int
Path = tuple[PathPart, ...]
KeyLines = dict[Path, int]

_SIMPLE_KEY = r"""[A-Za-z0-9_-]+|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\n]*'"""
_KEY = rf"(?:{_SIMPLE_KEY})(?:[ \t]*\.[ \t]*(?:{_SIMPLE_KEY}))*"
_KEY_RE = re.compile(_KEY)
_SIMPLE_KEY_RE = re.compile(_SIMPLE_KEY)
#: Whitespace, newlines and comments.
_BLANK = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
#: Whitespace on one line.
_SPACE = re.compile(r"[ \t]*")
#: Blanks, then ``key = value`` where the value surely ends on its line: a one-line string or a
#: bare scalar. Most lines of a proposal are this, and take one match.
_SIMPLE_KEYVAL = re.compile(
    rf"""(?:[ \t\r\n]++|#[^\n]*+)*+(?:([A-Za-z0-9_-]+)|({_KEY}))[ \t]*=[ \t]*"""
    r"""(?:"(?!"")[^"\\\n]*(?:\\.[^"\\\n]*)*"|'(?!'')[^'\n]*'|[A-Za-z0-9_+.:-]+(?:[ ][0-9][0-9:.+Zz-]*)?)"""
    r"""[ \t]*(?:#[^\n]*)?(?=\r?\n|$)"""
)
_HEADER = re.compile(rf"(\[\[?)[ \t]*({_KEY})[ \t]*(\]\]?)")
_BASIC = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_SCALAR = re.compile(r"[^,\]}#\r\n]*")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}


class _Stop(Exception):
    """The text cannot be followed any further."""


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uUx" and len(code) > 1:
        try:
            return chr(int(code[1:], 16))
        except (ValueError, OverflowError):
            return code
    return _ESCAPES.get(code, code)


def _split_key(text: str) -> list[str]:
    """Split a dotted TOML key, honouring quotes and escapes: ``a."b.c".d`` -> ``[a, b.c, d]``."""
    if '"' not in text and "'" not in text:
        return [part.strip(" \t") for part in text.split(".")]
    parts: list[str] = []
    for m in _SIMPLE_KEY_RE.finditer(text):
        raw = m.group(0)
        if raw[0] == '"':
            parts.append(_ESCAPE.sub(_unescape, raw[1:-1]))
        elif raw[0] == "'":
            parts.append(raw[1:-1])
        else:
            parts.append(raw)
    return parts


class _Scanner:
    """One pass over one document, recording the line of each key path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: KeyLines = {}
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        #: Arrays of tables by resolved path -> index of their latest element.
        self._tables: dict[Path, int] = {}

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1

    def note(self, path: Path, line: int) -> None:
        self.lines.setdefault(path, line)

    def run(self) -> None:
        text, n = self.text, len(self.text)
        lines, newlines, simple = self.lines, self._newlines, _SIMPLE_KEYVAL.match
        table: Path = ()
        pos = 0
        while True:
            m = simple(text, pos)
            if m:
                bare = m.group(1)
                if bare is not None:  # the common case, kept free of calls
                    path = (*table, bare)
                    if path not in lines:
                        lines[path] = bisect.bisect_left(newlines, m.start(1)) + 1
                else:
                    self._note_key(table, _split_key(m.group(2)), self.line(m.start(2)))
                pos = m.end()
                continue
            pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return
            if text[pos] == "[":
                h = _HEADER.match(text, pos)
                if not h or len(h.group(1)) != len(h.group(3)):
                    raise _Stop
                table = self._header(_split_key(h.group(2)), h.group(1) == "[[", self.line(pos))
                pos = h.end()
                continue
            pos = self._keyval(table, pos)

    def _header(self, name: list[str], array: bool, line: int) -> Path:
        resolved: Path = ()
        for i, part in enumerate(name):
            resolved = (*resolved, part)
            last = i == len(name) - 1
            if last and array:
                index = self._tables.get(resolved, -1) + 1
                self._tables[resolved] = index
                self.note(resolved, line)
                resolved = (*resolved, index)
                self.lines[resolved] = line
                return resolved
            if resolved in self._tables:
                self.note(resolved, line)
                resolved = (*resolved, self._tables[resolved])
            self.note(resolved, line)
        return resolved

    def _note_key(self, table: Path, key: list[str], line: int) -> Path:
        path = table
        for part in key:
            path = (*path, part)
            self.note(path, line)
        return path

    def _keyval(self, table: Path, pos: int) -> int:
        """``key = value`` at ``pos`` (inside ``table``); returns the position after it."""
        text = self.text
        m = _KEY_RE.match(text, pos)
        if not m:
            raise _Stop
        path = self._note_key(table, _split_key(m.group(0)), self.line(pos))
        pos = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
        if not text.startswith("=", pos):
            raise _Stop
        pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
        return self._value(path, pos)

    def _value(self, path: Path, pos: int) -> int:
        """Step over the value at ``pos``; returns the position after it."""
        text = self.text
        if text.startswith('"""', pos):
            return self._multiline(pos, '"')
        if text.startswith("'''", pos):
            return self._multiline(pos, "'")
        ch = text[pos : pos + 1]
        if ch == '"':
            m = _BASIC.match(text, pos)
        elif ch == "'":
            m = _LITERAL.match(text, pos)
        elif ch == "[":
            return self._array(path, pos + 1)
        elif ch == "{":
            return self._inline(path, pos + 1)
        else:
            m = _SCALAR.match(text, pos)
        if not m or m.end() == pos:
            raise _Stop
        return m.end()

    def _multiline(self, pos: int, quote: str) -> int:
        text, delimiter = self.text, quote * 3
        at = pos + 3
        while True:
            end = text.find(delimiter, at)
            if end < 0:
                raise _Stop
            if quote == '"':
                slashes = 0
                while text[end - 1 - slashes] == "\\":
                    slashes += 1
                if slashes % 2:
                    at = end + 1
                    continue
            # Up to two quotes may close the content right before the delimiter: """a"""" is 'a"'.
            run = end + 3
            while run < len(text) and text[run] == quote and run - end < 5:
                run += 1
            return run

    def _array(self, path: Path, pos: int) -> int:
        text = self.text
        index = 0
        while True:
            pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith("]", pos):
                return pos + 1
            self.note((*path, index), self.line(pos))
            pos = self._value((*path, index), pos)
            pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos += 1
                index += 1
            elif text.startswith("]", pos):
                return pos + 1
            else:
                raise _Stop

    def _inline(self, path: Path, pos: int) -> int:
        text = self.text
        while True:
            pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith("}", pos):
                return pos + 1
            pos = self._keyval(path, pos)
            pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith("}", pos):
                return pos + 1
            else:
                raise _Stop


def key_lines(text: str) -> KeyLines:
    """Map every key path written in ``text`` to its 1-based line number.

    A path is a tuple of keys and array indices: ``("rules", 3, "check", "all_of", 1)``. A table
    created implicitly (``a`` by ``[a.b]``, or by the dotted key ``a.b = 1``) maps to its first
    mention. Text that is not valid TOML gives the lines found up to the first problem.
    """
    scanner = _Scanner(text)
    with contextlib.suppress(_Stop, RecursionError):
        scanner.run()
    return scanner.lines


def line_of(lines: Mapping[Path, int], path: Sequence[PathPart]) -> int | None:
    """The line of the longest prefix of ``path`` that is written in the document."""
    for depth in range(len(path), 0, -1):
        found = lines.get(tuple(path[:depth]))
        if found is not None:
            return found
    return None
