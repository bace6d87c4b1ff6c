"""JSON: the public contract (``docs/output-formats.md``), with sorted keys and ISO dates.

One file gives one verdict object (``"format": "reform-gate/verdict/2"``). Several files, or a
folder, give a run object (``"format": "reform-gate/run/2"``) holding ``criteria`` (each rule's
texts, once), ``verdicts`` and ``errors``, so a CI job can parse the output the same way however
many files it scored.

A verdict is written straight from its attrs objects (:func:`verdict_text`), in the verdict
layout (:func:`dumps_verdict`): objects indented, each element of an array on one line, so a
diff shows one changed finding as one changed line.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring
from typing import Any, TextIO

from ..errors import ReformGateError
from ..safe_text import json_inert
from ..verdict import RUN_FORMAT, Verdict, criteria_entry, json_fields
from . import Run

__all__ = [
    "RunWriter",
    "Writer",
    "dumps",
    "dumps_verdict",
    "error_data",
    "render",
    "schema_text",
    "to_json",
    "verdict_data",
    "verdict_text",
    "write_lines",
]


def _string(text: str) -> str:
    """A JSON string, inert in a log (:func:`reform_gate.safe_text.json_inert`): a ``##[`` is
    written ``\\u0023#[`` and C1 controls, DEL, line separators and bidi controls ``\\uXXXX``
    (the same text to a JSON reader). The GitHub Actions runner takes ``##[`` anywhere on a line
    of a step's log for a workflow command, and JSON printed in a step is such a log
    (``docs/security.md``).
    """
    return json_inert(encode_basestring(text))


def schema_text() -> str:
    """The JSON Schema (draft 2020-12) of what this format writes, a verdict object and a run object,
    as shipped in the package (``reform_gate/schemas/verdict-2.schema.json``)."""
    from importlib.resources import files

    return files("reform_gate").joinpath("schemas", "verdict-2.schema.json").read_text(encoding="utf-8")


def verdict_data(verdict: Verdict) -> dict[str, Any]:
    """A verdict as plain JSON-ready data (every field, None included): :meth:`Verdict.to_dict`."""
    return verdict.to_dict()


def to_json(verdict: Verdict) -> str:
    """A verdict as JSON text, exactly as ``reform-gate score FILE --format json`` prints it."""
    return verdict_text(verdict, "\n", criteria=True) + "\n"


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
    if kind in (dict, list, tuple) or hasattr(kind, "__attrs_attrs__"):
        return None
    raise _Unknown


_INF = float("inf")


class RunWriter:
    """A run object drawn verdict by verdict, for batches too large to hold (``reform-gate score DIR``).

    The output is byte for byte what :func:`render` writes for the same run. Keys are sorted,
    so ``errors`` comes before ``verdicts`` although errors are known only at the end: the
    verdicts wait in a temporary file (in memory while small), not as objects.
    """

    #: Characters of verdict text kept in memory before the buffer moves to a temporary file. Small
    #: (about 40 seed verdicts): the buffer can take several bytes a character, and with 4 Mi a
    #: run's peak memory still grew with its size until the buffer spilled (docs/performance.md).
    SPOOL = 1024 * 1024

    def __init__(self) -> None:
        import tempfile

        # Closed by close() or discard(), not by a with-block: it outlives this call.
        self._buffer = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=self.SPOOL, mode="w+", encoding="utf-8"
        )
        self._count = 0
        #: The catalogue entry of each criteria set seen, by SHA-256: one per set, not per verdict.
        self._criteria: dict[str, dict[str, Any]] = {}

    def add(self, verdict: Verdict) -> None:
        """Draw one verdict (at the depth it has inside the run's ``verdicts`` array)."""
        self._buffer.write(",\n    " if self._count else "[\n    ")
        self._buffer.write(verdict_text(verdict, "\n    ", criteria=False))
        self._count += 1
        if verdict.audit.criteria_sha256 not in self._criteria:
            self._criteria[verdict.audit.criteria_sha256] = criteria_entry(verdict)

    def close(self, errors: Sequence[ReformGateError], out: TextIO) -> None:
        """Write the whole run to ``out``: the catalogue, the errors, the format, then every verdict."""
        try:
            entries = sorted(self._criteria.values(), key=lambda e: (e["id"], e["version"], e["sha256"]))
            out.write('{\n  "criteria": ')
            out.write(_laid(entries, "\n  ", "criteria"))
            out.write(',\n  "errors": ')
            out.write(_laid([error_data(e) for e in errors], "\n  ", "errors"))
            out.write(f',\n  "format": {_string(RUN_FORMAT)},\n  "verdicts": ')
            if self._count:
                self._buffer.seek(0)
                import shutil  # only a run copies its buffer; a lone verdict never loads it

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
        # Made at the first verdict of a run, not here: a lone verdict never needs its buffer, and
        # the buffer's tempfile brings random, shutil, bz2 and lzma into a one-file score's start-up.
        self._writer: RunWriter | None = None

    @property
    def writer(self) -> RunWriter:
        if self._writer is None:
            self._writer = RunWriter()
        return self._writer

    def add(self, verdict: Verdict) -> None:
        if self.run.single:
            self.alone.append(verdict)
        else:
            self.writer.add(verdict)

    def close(self, errors: Sequence[ReformGateError]) -> None:
        if len(self.alone) == 1 and not errors:
            self.out.write(to_json(self.alone[0]))
            return
        for v in self.alone:
            self.writer.add(v)
        self.writer.close(errors, self.out)


def write_lines(out: TextIO, items: Iterable[Any], newline: str) -> None:
    """A JSON array of ``items`` nested where ``newline`` starts a line, written item by item, each
    item on one line: the same text as :func:`dumps_verdict` gives for such an array."""
    inner = newline + _INDENT
    separator = "[" + inner
    for item in items:
        parts: list[str] = [separator]
        _line(item, parts)
        out.write("".join(parts))
        separator = "," + inner
    out.write("[]" if separator.startswith("[") else newline + "]")


# --- the verdict layout ----------------------------------------------------------------------

#: Arrays whose elements are objects laid out over several lines; the elements of every other
#: array are written one per line, each on a single line.
_LAID_OUT = frozenset({"verdicts", "criteria"})
#: Objects whose values are each written on a single line (a catalogue entry's rules, by id).
_ONE_PER_LINE = frozenset({"rules"})


def dumps_verdict(data: Any) -> str:
    """JSON text in the verdict layout: sorted keys; objects indented two spaces; each element of
    an array (each finding, gap step, warning, rung ...) on one line of its own, written
    ``{"key": value, "key": value}``, like each rule of a catalogue's ``rules``; the elements of
    ``verdicts`` and ``criteria`` laid out as objects. A verdict, a run and the analyses that hold
    verdicts are written so (``docs/output-formats.md``, "Layout").

    ``data`` is plain data or attrs objects (written as :func:`reform_gate.verdict.plain` would
    give them); a trailing newline ends the text. Anything else raises ``TypeError``, as
    ``json.dumps`` does.
    """
    try:
        return _laid(data, "\n", "") + "\n"
    except _Unknown:
        raise TypeError(f"not JSON data: {data!r:.80}") from None


def verdict_text(verdict: Verdict, newline: str, criteria: bool) -> str:
    """One verdict in the verdict layout, nested where ``newline`` starts a line, straight from the
    attrs objects (no dict tree): the same text as :func:`dumps_verdict` of
    ``verdict.to_dict(criteria)``. ``criteria`` adds the verdict's own catalogue entry."""
    extra = {"criteria": [criteria_entry(verdict)]} if criteria else None
    parts: list[str] = []
    _object(verdict, newline, parts, extra)
    return "".join(parts)


def _laid(value: Any, newline: str, key: str) -> str:
    parts: list[str] = []
    _value(value, newline, key, parts)
    return "".join(parts)


def _value(value: Any, newline: str, key: str, parts: list[str]) -> None:
    """Append ``value``, the value of ``key``, laid out where ``newline`` starts a line."""
    scalar = _scalar(value)
    if scalar is not None:
        parts.append(scalar)
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            if key in _LAID_OUT:
                _value(item, inner, "", parts)
            else:
                _line(item, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif key in _ONE_PER_LINE and isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        for name, item in sorted(value.items()):
            parts.append(f"{separator}{_string(name)}: ")
            _line(item, parts)
            separator = "," + inner
        parts.append(newline + "}")
    else:
        _object(value, newline, parts, None)


def _items(value: Any, extra: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """The keys and values of an object (a dict or an attrs object), in sorted order."""
    if isinstance(value, dict):
        items = list(value.items())
        if any(type(k) is not str for k, _ in items):
            raise _Unknown
    elif hasattr(type(value), "__attrs_attrs__"):
        items = [(name, getattr(value, name)) for name in json_fields(type(value))]
        if extra is None:
            return items
    else:
        raise _Unknown
    if extra:
        items.extend(extra.items())
    return sorted(items, key=lambda item: item[0])


def _object(value: Any, newline: str, parts: list[str], extra: dict[str, Any] | None) -> None:
    items = _items(value, extra)
    if not items:
        parts.append("{}")
        return
    inner = newline + _INDENT
    separator = "{" + inner
    for key, item in items:
        scalar = _scalar(item)
        if scalar is not None:
            parts.append(f"{separator}{_string(key)}: {scalar}")
        else:
            parts.append(f"{separator}{_string(key)}: ")
            _value(item, inner, key, parts)
        separator = "," + inner
    parts.append(newline + "}")


def _line(value: Any, parts: list[str]) -> None:
    """Append ``value`` on one line: ``{"key": value, "key": value}``, ``[value, value]``."""
    scalar = _scalar(value)
    if scalar is not None:
        parts.append(scalar)
        return
    if isinstance(value, list | tuple):
        separator = "["
        for item in value:
            parts.append(separator)
            _line(item, parts)
            separator = ", "
        parts.append("[]" if separator == "[" else "]")
        return
    kind = type(value)
    keys = _LINE_KEYS.get(kind)
    if keys is None and hasattr(kind, "__attrs_attrs__"):
        keys = _LINE_KEYS[kind] = tuple((_string(name) + ": ", name) for name in json_fields(kind))
    if keys is not None:
        separator = "{"
        for text, name in keys:
            item = getattr(value, name)
            scalar = _scalar(item)
            if scalar is not None:
                parts.append(f"{separator}{text}{scalar}")
            else:
                parts.append(separator + text)
                _line(item, parts)
            separator = ", "
        parts.append("{}" if separator == "{" else "}")
        return
    separator = "{"
    for key, item in _items(value, None):
        parts.append(f"{separator}{_string(key)}: ")
        _line(item, parts)
        separator = ", "
    parts.append("{}" if separator == "{" else "}")


#: Each attrs class's keys as written on one line (``"key": ``) with the field they read.
_LINE_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}


def render(run: Run, out: TextIO) -> None:
    """Write the run as JSON."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
