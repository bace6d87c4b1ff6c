"""Problems found in one file, collected so that one run names every mistake, each at its line."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..errors import DanglingReferenceError, InvalidFileError, ReformGateError, suggest
from .lines import key_lines, line_of
from .paths import PathPart, format_path

__all__ = ["Problems", "line_order", "parse_path"]


class Problems:
    """The problems of one file, with its text for their lines (scanned only if a problem needs one)."""

    def __init__(
        self,
        file: str,
        text: str | None,
        data: Any = None,
        lines: Mapping[tuple[PathPart, ...], int] | None = None,
    ) -> None:
        self.file = file
        self.text = text
        #: The parsed file, for naming array elements by their ids in key paths.
        self.data = data
        self._lines = lines
        self.found: list[ReformGateError] = []

    def lines(self) -> Mapping[tuple[PathPart, ...], int]:
        """The line of every key path in the file (scanned once)."""
        if self._lines is None:
            self._lines = key_lines(self.text or "")
        return self._lines

    def line(self, path: Sequence[PathPart]) -> int | None:
        """The line of ``path``, or of its longest prefix written in the file."""
        return line_of(self.lines(), path)

    def add(
        self,
        error: type[ReformGateError],
        path: Sequence[PathPart],
        expected: str,
        found: str,
        hint: str | None = None,
    ) -> None:
        """Record one problem at ``path``."""
        self.found.append(error(self.file, format_path(list(path), self.data), expected, found, hint, self.line(path)))

    def known(self, path: Sequence[PathPart], ident: str, choices: Collection[str], what: str) -> bool:
        """Whether ``ident`` is one of ``choices``; if not, record a dangling reference (with a hint)."""
        # Membership is tested on the collection given (a dict of indicators is a hash lookup);
        # the choices are listed only for the error.
        if ident in choices:
            return True
        listed = list(dict.fromkeys(choices))
        shown = ", ".join(listed) if len(listed) <= 12 else ", ".join(listed[:12]) + ", ..."
        self.add(
            DanglingReferenceError,
            path,
            f"the id of {'an' if what[0] in 'aeiou' else 'a'} {what} ({shown})",
            f'"{ident}"',
            suggest(ident, listed),
        )
        return False

    def locate(self, error: ReformGateError) -> ReformGateError:
        """``error`` (from the converter) with the line of each of its problems filled in."""
        for problem in error.problems():
            path = parse_path(problem.path)
            problem.line = self.line(path)
            problem.path = format_path(path, self.data)
            problem.args = (problem.render(),)
        if isinstance(error, InvalidFileError):
            error = InvalidFileError(sorted(error.problems(), key=line_order))
        else:
            error.args = (error.render(),)
        return error

    def raise_found(self) -> None:
        """Raise every problem recorded so far, in line order, as one error."""
        if self.found:
            raise InvalidFileError.of(sorted(self.found, key=line_order))


def line_order(error: ReformGateError) -> tuple[int, int]:
    # Stable sort: problems on one line, or with no line, keep the order they were found in.
    return (0, error.line) if error.line is not None else (1, 0)


def parse_path(text: str) -> list[PathPart]:
    """``rules[3].check."a.b"`` -> ``["rules", 3, "check", "a.b"]``."""
    parts: list[PathPart] = []
    for token in re.findall(r'"[^"]*"|\[\d+\]|[^.\[\]"]+', text):
        if token.startswith("["):
            parts.append(int(token[1:-1]))
        else:
            parts.append(token.strip('"'))
    return parts
