"""JSON: the public contract of DESIGN 5, with sorted keys and ISO dates.

One file gives one verdict object (``"format": "reform-gate/verdict/1"``). Several files, or a
folder, give a run object (``"format": "reform-gate/run/1"``) holding ``verdicts`` and ``errors``,
so a CI job can parse the output the same way however many files it scored.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, TextIO

from .._convert import converter
from ..errors import ReformGateError
from . import Run

RUN_FORMAT = "reform-gate/run/1"


def verdict_data(verdict: Any) -> dict[str, Any]:
    """A verdict as plain JSON-ready data (every field, None included)."""
    data: dict[str, Any] = converter.unstructure(verdict)
    return _plain(data)  # type: ignore[no-any-return]


def error_data(error: ReformGateError) -> dict[str, Any]:
    """An input error as data: file, line, key path, expected, found, hint."""
    return {
        "file": error.file,
        "line": error.line,
        "path": error.path,
        "kind": error.kind,
        "expected": error.expected,
        "found": error.found,
        "hint": error.hint,
        "message": error.render(),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def dumps(data: Any) -> str:
    """Canonical JSON text: sorted keys, two-space indent, UTF-8, trailing newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render(run: Run, out: TextIO) -> None:
    """Write the run as JSON."""
    if run.single and run.verdicts and not run.errors:
        out.write(dumps(verdict_data(run.verdicts[0])))
        return
    out.write(
        dumps(
            {
                "format": RUN_FORMAT,
                "verdicts": [verdict_data(v) for v in run.verdicts],
                "errors": [error_data(e) for e in run.errors],
            }
        )
    )
