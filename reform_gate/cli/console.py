"""How much the command line says, and whether in colour (``docs/cli.md``, "Options of every command").

``-q`` keeps a command to its result and its errors: no progress line, counts or notes. ``-v``
adds, on standard error, which configuration file and settings were used and which criteria
files were read. Colour follows ``--color``: ``always`` and ``never`` are taken at their word;
``auto`` draws colour on a terminal unless ``NO_COLOR`` is set or ``TERM`` is ``dumb``, and
``FORCE_COLOR`` draws it off a terminal too. ``TERM=dumb`` gets no control sequence in ``auto``,
the progress line's included (:class:`~reform_gate.cli.progress.Progress`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import TextIO

__all__ = ["detail", "note", "quiet", "use_color", "verbose"]


def use_color(choice: str | None, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to draw colour on ``stream`` for ``--color choice`` (``None`` is ``auto``)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    if env.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def quiet(args: argparse.Namespace) -> bool:
    """``-q``: only the result and errors."""
    return bool(getattr(args, "quiet", False))


def verbose(args: argparse.Namespace) -> bool:
    """``-v``: also what was read, on standard error."""
    return bool(getattr(args, "verbose", False))


def note(args: argparse.Namespace, text: str) -> None:
    """A line for the reader on standard output (a count, ``wrote FILE``) that ``-q`` leaves out."""
    if not quiet(args):
        print(text)


def detail(args: argparse.Namespace, text: str) -> None:
    """A line for ``-v`` on standard error, marked as the tool's."""
    if verbose(args):
        sys.stderr.write(f"reform-gate: {text}\n")
