"""The one error hierarchy of reform-gate.

Every bad input ends in one :class:`ReformGateError`. Its message is part of the interface: it
names the file, the key path, what was expected and what was found, and offers a "did you mean"
where a near spelling exists. Tests assert whole messages. A file with several problems raises
one :class:`InvalidFileError` that holds each of them (``docs/architecture.md``, "Errors").
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

from .safe_text import printable

__all__ = [
    "CriteriaNotFoundError",
    "DanglingReferenceError",
    "DuplicateIdError",
    "InputTooLargeError",
    "InvalidArgumentError",
    "InvalidFileError",
    "InvalidValueError",
    "MissingKeyError",
    "OutsideRootError",
    "ReformGateError",
    "TomlSyntaxError",
    "UnknownKeyError",
    "UsageError",
    "WriteError",
    "describe",
    "did_you_mean",
    "suggest",
]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Return the closest of ``choices`` to ``word``, or None when nothing is close.

    Case is ignored, and a tie goes to the choice listed first (the order of the file), not to
    whichever sorts last: ``R-l`` suggests ``R-1``, not ``R-2``.
    """
    import difflib  # only when there is an error to explain (start-up time)

    best, best_ratio = None, 0.6
    for choice in dict.fromkeys(choices):
        ratio = difflib.SequenceMatcher(None, word.lower(), choice.lower()).ratio()
        if ratio > best_ratio or (best is None and ratio >= best_ratio):
            best, best_ratio = choice, ratio
    return best


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The hint for a misspelt ``word``: ``did you mean "x"?``, or None when nothing is close."""
    close = did_you_mean(word, choices)
    return f'did you mean "{close}"?' if close else None


def describe(value: Any) -> str:
    """A found value as a user would recognise it from their file, with its type."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int):
        if value.bit_length() > 200:  # Python refuses to write out integers past 4,300 digits
            return f"an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits"
        return f"{value} (an integer)"
    if isinstance(value, float):
        return f"{value!r} (a float)"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}" (a string)'
    if isinstance(value, _dt.datetime):
        return f"{value.isoformat()} (a date-time)"
    if isinstance(value, _dt.date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, _dt.time):
        return f"{value.isoformat()} (a time)"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    return type(value).__name__


class ReformGateError(Exception):
    """A problem with the user's input, reported without a traceback.

    ``file`` is the path as the user gave it, ``path`` the dotted key path inside the document
    (empty for whole-file problems), ``expected`` and ``found`` describe the mismatch, and
    ``hint`` is an optional "did you mean" or next step.
    """

    kind = "invalid input"

    def __init__(
        self,
        file: str,
        path: str,
        expected: str,
        found: str,
        hint: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.path = path
        self.expected = expected
        self.found = found
        self.hint = hint
        self.line = line
        super().__init__(self.render())

    def where(self) -> str:
        """``file:line: key.path`` as far as each is known, printable (``docs/security.md``)."""
        place = printable(self.file)
        if self.line is not None:
            place += f":{self.line}"
        if self.path:
            place += f": {printable(self.path)}"
        return place

    def render(self) -> str:
        """The whole message, as the CLI prints it after ``error: ``.

        Every part may quote a file (a value, a key, a file name), so each is made printable:
        one line each, no control characters, no workflow command (``docs/security.md``).
        """
        lines = [
            f"{self.where()}: {self.kind}",
            f"  expected: {printable(self.expected)}",
            f"  found:    {printable(self.found)}",
        ]
        if self.hint:
            lines.append(f"  {printable(self.hint)}")
        return "\n".join(lines)

    def problems(self) -> tuple[ReformGateError, ...]:
        """Each problem this error stands for: itself, or every problem of an :class:`InvalidFileError`."""
        return (self,)


class InvalidFileError(ReformGateError):
    """Several problems found in one file, each a :class:`ReformGateError` of its own.

    Loading goes on after a problem wherever the rest can still be checked, so one run of
    ``reform-gate validate`` names every mistake in a file, not only the first. The error's own
    fields are those of the first problem (in line order); :meth:`render` gives every problem.
    """

    kind = "invalid file"

    def __init__(self, problems: Sequence[ReformGateError]) -> None:
        self._problems = tuple(p for problem in problems for p in problem.problems())
        first = self._problems[0]
        super().__init__(first.file, first.path, first.expected, first.found, first.hint, first.line)

    def render(self) -> str:
        """Every problem's message, one after another."""
        return "\n".join(p.render() for p in self._problems)

    def problems(self) -> tuple[ReformGateError, ...]:
        return self._problems

    @staticmethod
    def of(problems: Sequence[ReformGateError]) -> ReformGateError:
        """One error for ``problems``: the problem itself when there is one, else a group."""
        return problems[0] if len(problems) == 1 else InvalidFileError(problems)


class TomlSyntaxError(ReformGateError):
    """The file is not valid TOML."""

    kind = "TOML syntax error"


class UnknownKeyError(ReformGateError):
    """A key the format does not define (often a misspelling)."""

    kind = "unknown key"


class InvalidValueError(ReformGateError):
    """A value of the wrong type, out of range, or otherwise not allowed."""

    kind = "invalid value"


class MissingKeyError(ReformGateError):
    """A key the format requires is absent."""

    kind = "missing key"


class DuplicateIdError(ReformGateError):
    """Two pillars, rules, tiers or waivers share an id."""

    kind = "duplicate id"


class DanglingReferenceError(ReformGateError):
    """A reference to an id that does not exist."""

    kind = "unknown id"


class CriteriaNotFoundError(ReformGateError):
    """A proposal names a criteria set that is neither shipped nor a file."""

    kind = "criteria set not found"


class OutsideRootError(ReformGateError):
    """A path that a file names (or a link leads to) lies outside the folder files may come from."""

    kind = "path outside the root"


class InputTooLargeError(ReformGateError):
    """A file beyond the size or nesting limits."""

    kind = "input too large"


class UsageError(ReformGateError):
    """A command-line usage problem that is not about a file's content."""

    kind = "usage error"


class WriteError(ReformGateError):
    """A file could not be written, or would have been overwritten."""

    kind = "cannot write"


class InvalidArgumentError(ReformGateError):
    """A library function was called with an argument of the wrong type.

    ``file`` names the function; the message says what it takes and what it was given.
    """

    kind = "invalid argument"
