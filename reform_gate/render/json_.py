"""JSON: the public contract (``docs/output-formats.md``), with sorted keys and ISO dates.

One file gives one verdict object (``"format": "reform-gate/verdict/1"``). Several files, or a
folder, give a run object (``"format": "reform-gate/run/1"``) holding ``verdicts`` and ``errors``,
so a CI job can parse the output the same way however many files it scored.
"""

from __future__ import annotations

import datetime as _dt
import json
import shutil
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring
from typing import Any, TextIO

from ..errors import ReformGateError
from ..safe_text import json_inert
from ..verdict import RUN_FORMAT, Verdict
from . import Run

__all__ = ["RunWriter", "Writer", "dumps", "error_data", "render", "to_json", "verdict_data", "write_array"]


def _string(text: str) -> str:
    """A JSON string, inert in a log (:func:`reform_gate.safe_text.json_inert`): a ``##[`` is
    written ``\\u0023#[`` and C1 controls, DEL, line separators and bidi controls ``\\uXXXX``
    (the same text to a JSON reader). The GitHub Actions runner takes ``##[`` anywhere on a line
    of a step's log for a workflow command, and JSON printed in a step is such a log
    (``docs/security.md``).
    """
    return json_inert(encode_basestring(text))


def verdict_data(verdict: Verdict) -> dict[str, Any]:
    """A verdict as plain JSON-ready data (every field, None included): :meth:`Verdict.to_dict`."""
    return verdict.to_dict()


def to_json(verdict: Verdict) -> str:
    """A verdict as JSON text, exactly as ``reform-gate score FILE --format json`` prints it."""
    return dumps(verdict.to_dict())


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
    """Canonical JSON text: sorted keys, two-space indent, UTF-8, trailing newline.

    Byte for byte what ``json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False,
    allow_nan=False)`` writes (tuples as arrays, dates as ISO text, as :func:`verdict_data`
    gives them), about 1.6 times faster: with an indent, the standard library leaves its C
    encoder for a generator per nesting level, where a batch of verdicts spent most of its
    time. Anything this encoder does not know goes to ``json.dumps`` unchanged.
    """
    return _dumps_at(data, "\n") + "\n"


class _Unknown(Exception):
    """A value the fast encoder leaves to ``json.dumps``."""


_INDENT = "  "


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    """Append the JSON text of ``value``; ``newline`` is a newline and the current indent."""
    scalar = _scalar(value)
    if scalar is not None:
        parts.append(scalar)
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        try:
            items = sorted(value.items())
        except TypeError:
            raise _Unknown from None
        for key, item in items:
            if type(key) is not str:
                raise _Unknown
            # Most values are scalars: one string per item, no call per value.
            scalar = _scalar(item)
            if scalar is not None:
                parts.append(f"{separator}{_string(key)}: {scalar}")
            else:
                parts.append(f"{separator}{_string(key)}: ")
                _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            scalar = _scalar(item)
            if scalar is not None:
                parts.append(separator + scalar)
            else:
                parts.append(separator)
                _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    else:
        raise _Unknown


def _scalar(value: Any) -> str | None:
    """The JSON text of a string, number, boolean, null or date; None for anything else."""
    kind = type(value)
    if kind is str:
        return json_inert(encode_basestring(value))
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value or value in (_INF, -_INF):
            raise ValueError("Out of range float values are not JSON compliant: " + repr(value))
        return float.__repr__(value)
    if kind is _dt.date or kind is _dt.datetime:
        return _string(value.isoformat())
    if kind in (dict, list, tuple):
        return None
    raise _Unknown


_INF = float("inf")


class RunWriter:
    """A run object drawn verdict by verdict, for batches too large to hold (``reform-gate score DIR``).

    The output is byte for byte what :func:`render` writes for the same run. Keys are sorted,
    so ``errors`` comes before ``verdicts`` although errors are known only at the end: the
    verdicts wait in a temporary file (in memory while small), not as objects.
    """

    #: Bytes of verdict text kept in memory before the buffer moves to a temporary file.
    SPOOL = 4 * 1024 * 1024

    def __init__(self) -> None:
        import tempfile

        # Closed by close() or discard(), not by a with-block: it outlives this call.
        self._buffer = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=self.SPOOL, mode="w+", encoding="utf-8"
        )
        self._count = 0

    def add(self, verdict: Verdict) -> None:
        """Draw one verdict (at the depth it has inside the run's ``verdicts`` array)."""
        self._buffer.write(",\n    " if self._count else "[\n    ")
        self._buffer.write(_dumps_at(verdict.to_dict(), "\n    "))
        self._count += 1

    def close(self, errors: Sequence[ReformGateError], out: TextIO) -> None:
        """Write the whole run to ``out``: the errors, the format, then every verdict."""
        try:
            out.write('{\n  "errors": ')
            out.write(_dumps_at([error_data(e) for e in errors], "\n  "))
            out.write(f',\n  "format": {_string(RUN_FORMAT)},\n  "verdicts": ')
            if self._count:
                self._buffer.seek(0)
                shutil.copyfileobj(self._buffer, out)
                out.write("\n  ]")
            else:
                out.write("[]")
            out.write("\n}\n")
        finally:
            self.discard()

    def discard(self) -> None:
        """Drop the buffered verdicts (after :meth:`close`, or when the run is abandoned)."""
        self._buffer.close()


def _dumps_at(data: Any, newline: str) -> str:
    """:func:`dumps` of ``data`` nested where ``newline`` (a newline and an indent) starts a line."""
    parts: list[str] = []
    try:
        _encode(data, newline, parts)
    except _Unknown:
        text = json.dumps(_plain(data), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
        return json_inert(text).replace("\n", newline)
    return "".join(parts)


class Writer:
    """The JSON format drawn verdict by verdict (:func:`reform_gate.render.open_writer`): one
    verdict named alone is a verdict object, anything else a run object (:class:`RunWriter`)."""

    def __init__(self, run: Run, out: TextIO) -> None:
        self.run = run
        self.out = out
        self.alone: list[Verdict] = []
        self.writer = RunWriter()

    def add(self, verdict: Verdict) -> None:
        if self.run.single:
            self.alone.append(verdict)
        else:
            self.writer.add(verdict)

    def close(self, errors: Sequence[ReformGateError]) -> None:
        if len(self.alone) == 1 and not errors:
            self.writer.discard()
            self.out.write(dumps(self.alone[0].to_dict()))
            return
        for v in self.alone:
            self.writer.add(v)
        self.writer.close(errors, self.out)


def write_array(out: TextIO, items: Iterable[Any], newline: str) -> None:
    """A JSON array of ``items`` nested where ``newline`` starts a line, written item by item:
    the same text as :func:`dumps` gives for the whole array at that depth."""
    inner = newline + _INDENT
    separator = "[" + inner
    for item in items:
        out.write(separator + _dumps_at(item, inner))
        separator = "," + inner
    out.write("[]" if separator.startswith("[") else newline + "]")


def render(run: Run, out: TextIO) -> None:
    """Write the run as JSON."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
