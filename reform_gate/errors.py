"""The one error hierarchy of reform-gate.

Every bad input ends in exactly one :class:`ReformGateError`. Its message is part of the
interface: it names the file, the key path, what was expected and what was found, and offers a
"did you mean" where a near spelling exists. Tests assert whole messages.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CriteriaNotFoundError",
    "DanglingReferenceError",
    "DuplicateIdError",
    "InputTooLargeError",
    "InvalidValueError",
    "MissingKeyError",
    "ReformGateError",
    "TomlSyntaxError",
    "UnknownKeyError",
    "UsageError",
    "WriteError",
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
        """``file:line: key.path`` as far as each is known."""
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
        if self.path:
            place += f": {self.path}"
        return place

    def render(self) -> str:
        """The whole message, as the CLI prints it after ``error: ``."""
        lines = [f"{self.where()}: {self.kind}", f"  expected: {self.expected}", f"  found:    {self.found}"]
        if self.hint:
            lines.append(f"  {self.hint}")
        return "\n".join(lines)


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


class InputTooLargeError(ReformGateError):
    """A file beyond the size or nesting limits."""

    kind = "input too large"


class UsageError(ReformGateError):
    """A command-line usage problem that is not about a file's content."""

    kind = "usage error"


class WriteError(ReformGateError):
    """A file could not be written, or would have been overwritten."""

    kind = "cannot write"
