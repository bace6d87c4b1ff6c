"""Strings from files, made safe to print: one line, no terminal control, no CI workflow command.

A proposal or criteria file may come from an attacker (a pull request scored in CI, see
``docs/security.md``). Any string read from one, or a file name found on disk, that is printed
for a person goes through :func:`printable` first:

- every C0 and C1 control character, DEL, the Unicode line and paragraph separators, the
  bidirectional controls (the "Trojan Source" characters) and lone surrogates (from file names
  that are not UTF-8) are shown escaped: ``\\n``, ``\\r``, ``\\t``, ``\\x1b``, ``\\u2028``;
- a backslash that would read as the start of such an escape is doubled, so the notation is
  reversible (:func:`unprintable` gives the original back);
- a leading ``::`` (after spaces) and every ``##[`` are broken, ``\\x3a:`` and ``\\x23#[``: the
  GitHub Actions runner takes a line that starts with ``::``, or holds ``##[`` anywhere, for a
  workflow command.

So a printed string can neither start a new line, nor move the cursor, set the clipboard (OSC
52) or change colours, nor reorder what is shown around it. The formats that carry data (JSON,
SARIF, JUnit) escape it their own way and keep it as it is; see ``docs/security.md``.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

__all__ = ["UNSAFE", "folded", "json_inert", "printable", "unprintable"]

if TYPE_CHECKING:
    #: Characters that never reach a terminal as they are (compiled when first asked for: ``__getattr__``).
    UNSAFE: re.Pattern[str]

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}\ud800-\udfff]"
#: Whitespace the runner trims before looking for ``::`` (and that is not itself escaped).
_LEAD = r"[^\S\x00-\x1f\x7f-\x9f\u2028\u2029]*"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", "#": "\\x23"}
_UNESCAPE = re.compile(r"\\(?:\\|n|r|t|x([0-9a-f]{2})|u([0-9a-f]{4}))")


@functools.cache
def _compiled() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """``UNSAFE``, the escaping pattern and the quick test for it, compiled when first needed:
    their character classes take milliseconds to compile, and a run that prints nothing from a
    file (``score --format json``) never needs them (start-up time, ``docs/performance.md``)."""
    unsafe = re.compile(_UNSAFE)
    # One pass does it all, so that the escapes read back: a leading ``::``, a ``##[``, an unsafe
    # character, and a backslash that would otherwise read as the start of an escape.
    escape = re.compile(
        rf"(?P<lead>\A{_LEAD}):(?=:)"
        r"|#(?=#\[)"
        rf"|{_UNSAFE}"
        rf"|\\(?=[\\nrtxuU]|{_UNSAFE}|##\[|\Z)"
    )
    needs = re.compile(rf"{_UNSAFE}|\\|\A{_LEAD}::|##\[")
    return unsafe, escape, needs


def __getattr__(name: str) -> re.Pattern[str]:
    # ``UNSAFE``: the characters that never reach a terminal as they are (compiled when first asked for).
    if name == "UNSAFE":
        return _compiled()[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _escape(m: re.Match[str]) -> str:
    lead = m.group("lead")
    if lead is not None:
        return lead + "\\x3a"
    ch = m.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` as one printable line, every unsafe character escaped (see the module docstring).

    >>> print(printable("a\\n::error::x\\x1b[31m"))
    a\\n::error::x\\x1b[31m
    >>> print(printable("::error::x ##[warning]y"))
    \\x3a:error::x \\x23#[warning]y
    """
    _, escape, needs = _compiled()
    if not needs.search(text):
        return text
    return escape.sub(_escape, text)


def folded(text: str) -> str:
    """Prose (a description, a rationale) as one printable line: each run of whitespace, line
    breaks included, becomes one space; then :func:`printable`. A paragraph written across lines
    of a multi-line TOML string reads as the paragraph it is."""
    return printable(" ".join(text.split()))


def unprintable(text: str) -> str:
    """The string :func:`printable` was given: every escape it writes, read back."""

    def one(m: re.Match[str]) -> str:
        hex_code = m.group(1) or m.group(2)
        if hex_code is not None:
            return chr(int(hex_code, 16))
        return {"\\\\": "\\", "\\n": "\n", "\\r": "\r", "\\t": "\t"}[m.group()]

    return _UNESCAPE.sub(one, text)


#: What JSON text may still hold raw after the standard escaping (which covers U+0000-U+001F):
#: DEL, C1, the line separators, the bidi controls, lone surrogates; and ``##[``.
_JSON_RAW = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}\ud800-\udfff]|##\\[")


def _json_escape(m: re.Match[str]) -> str:
    found = m.group()
    return "\\u0023#[" if found == "##[" else f"\\u{ord(found):04x}"


def json_inert(json_text: str) -> str:
    """JSON text with what a terminal or the GitHub runner would act on written as ``\\uXXXX``
    escapes: the same data to every JSON reader, inert in a log. Apply it to text produced by a
    JSON encoder: outside strings JSON has none of these characters."""
    return _JSON_RAW.sub(_json_escape, json_text) if _JSON_RAW.search(json_text) else json_text
