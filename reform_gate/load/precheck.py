"""Cheap checks of a file's raw text before ``tomllib`` reads it (``docs/security.md``).

``tomllib`` takes time and memory that grow with the square of a dotted key's length: 80 KB of
``a.a.a.a... = 1`` takes gigabytes, and one table header of 320 KB about a minute. Python also
refuses to turn an integer of more than 4,300 digits into text, which ``tomllib`` does not catch.
So before parsing, in time linear in the text:

- no line is longer than :data:`MAX_LINE_CHARS` characters (a table header is one line);
- no key, dotted or in a ``[table]`` header, has more than :data:`MAX_KEY_PARTS` parts. Deeper
  keys nest deeper than the loader accepts anyway (``MAX_DEPTH``), so nothing valid is lost;
- no number is longer than :data:`MAX_NUMBER_CHARS` characters.

Strings and comments are stepped over first (each becomes one placeholder), so a dotted name or
a long run of digits inside a string or comment is text, not a key or a number. The stepping
over follows TOML's own order (the leftmost string or comment wins), as ``tomllib`` does on
every text it accepts, so a key cannot hide from the check inside what looks like a string.
"""

from __future__ import annotations

import re

from ..errors import InputTooLargeError

__all__ = ["MAX_KEY_PARTS", "MAX_LINE_CHARS", "MAX_NUMBER_CHARS", "check_text"]

#: The longest line accepted. The shipped files' longest is about 600 characters.
MAX_LINE_CHARS = 10_000
#: The most parts in one key (``a.b.c`` has three); the same as the loader's nesting limit.
MAX_KEY_PARTS = 16
#: The longest number accepted, in characters: far more than any score, count or date needs.
MAX_NUMBER_CHARS = 100

#: Strings (multi-line first) and comments, in TOML's order: each becomes one key-like "S".
_STRINGS_AND_COMMENTS = re.compile(
    r'"""[^"\\]*+(?:(?:\\.|""?(?!"))[^"\\]*+)*+"{3,5}'
    r"|'''[^']*+(?:''?(?!')[^']*+)*+'{3,5}"
    r'|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
    r"|'[^'\n]*+'"
    r"|#[^\n]*+",
    re.DOTALL,
)
_PART = r"[A-Za-z0-9_-]++"
#: A key of more than MAX_KEY_PARTS parts, or a number of more than MAX_NUMBER_CHARS characters.
_TOO_LONG = re.compile(
    rf"(?P<key>(?<![A-Za-z0-9_-]){_PART}(?:[ \t]*+\.[ \t]*+{_PART}){{{MAX_KEY_PARTS},}})"
    rf"|(?P<number>(?<![A-Za-z0-9_.+-])[+-]?[0-9][0-9A-Za-z_.+-]{{{MAX_NUMBER_CHARS},}})"
)


def check_text(text: str, file: str) -> None:
    """Refuse ``text`` before parsing if it is beyond a limit; the error names the line."""
    rows = text.split("\n")
    if max(map(len, rows)) > MAX_LINE_CHARS:
        number, row = next((n, row) for n, row in enumerate(rows, start=1) if len(row) > MAX_LINE_CHARS)
        raise InputTooLargeError(
            file, "", f"lines of at most {MAX_LINE_CHARS:,} characters", f"a line of {len(row):,}", None, number
        )
    del rows
    skeleton = _STRINGS_AND_COMMENTS.sub("S", text)
    if _TOO_LONG.search(skeleton) is None:
        return
    # Rare: again, keeping the line breaks of what was stepped over, for the error's line.
    skeleton = _STRINGS_AND_COMMENTS.sub(lambda m: "S" + "\n" * m.group().count("\n"), text)
    found = _TOO_LONG.search(skeleton) or _TOO_LONG.search(_STRINGS_AND_COMMENTS.sub("S", text))
    assert found is not None  # the same text, in which the first search found it
    line: int | None = skeleton.count("\n", 0, found.start()) + 1 if found.string is skeleton else None
    if found.group("key") is not None:
        parts = found.group().count(".") + 1
        raise InputTooLargeError(
            file, "", f"keys of at most {MAX_KEY_PARTS} parts", f"a key of {parts:,} parts", None, line
        )
    raise InputTooLargeError(
        file,
        "",
        f"numbers of at most {MAX_NUMBER_CHARS} characters",
        f"a number of {len(found.group()):,} characters",
        None,
        line,
    )
