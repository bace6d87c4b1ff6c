"""From a file to TOML data: bounded reading, UTF-8, and syntax errors with their line.

Every failure is a :class:`~reform_gate.errors.ReformGateError` naming the file; nothing here
knows what a proposal or a criteria set is.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputTooLargeError, TomlSyntaxError, UsageError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "parse", "read_stream", "read_text", "read_toml"]

#: Proposals and criteria sets are small; anything larger is a mistake or an attack.
MAX_BYTES = 2 * 1024 * 1024
#: Deeper nesting than this has no meaning in either format.
MAX_DEPTH = 16

# Patterns for tomllib's messages, compiled (and cached by ``re``) only when a file fails to parse.
_TOML_POSITION = r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$"
#: tomllib names a key as a Python tuple, ``('tiers', 'any_of')``; users wrote ``tiers.any_of``.
_TOML_KEY_TUPLE = r"\((?:'[^']*',? ?)+\)"


def read_text(path: str | Path, file: str | None = None) -> str:
    """The UTF-8 text of ``path`` (without a byte-order mark); ``file`` names it in errors."""
    file = str(path) if file is None else file
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(file, "", "an existing file", "no such file") from None
    except IsADirectoryError:
        raise UsageError(file, "", "a file", "a directory") from None
    except OSError as err:
        raise UsageError(file, "", "a readable file", err.strerror or str(err)) from None
    return _decoded(raw, file)


def read_stream(stream: BinaryIO, file: str) -> str:
    """The UTF-8 text of an open binary stream (standard input), read to its end within :data:`MAX_BYTES`."""
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InputTooLargeError(file, "", f"at most {MAX_BYTES:,} bytes", f"more than {MAX_BYTES:,} bytes")
    return _decoded(raw, file)


def _decoded(raw: bytes, file: str) -> str:
    if len(raw) > MAX_BYTES:
        raise InputTooLargeError(file, "", f"at most {MAX_BYTES:,} bytes", f"{len(raw):,} bytes")
    try:
        # A byte-order mark is what some editors write first; it means nothing in UTF-8.
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        byte_line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        found = f"the byte 0x{raw[err.start]:02x}, which is not UTF-8, at column {column}"
        raise TomlSyntaxError(file, "", "UTF-8 text (save the file as UTF-8)", found, None, byte_line) from None


def parse(text: str, file: str) -> dict[str, Any]:
    """TOML text as data, within :data:`MAX_DEPTH` levels of nesting."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        match = re.search(_TOML_POSITION, message)
        line = int(match.group(1)) if match and match.group(1) else None
        what = re.sub(_TOML_POSITION, "", message)
        what = re.sub(_TOML_KEY_TUPLE, lambda m: ".".join(re.findall(r"'([^']*)'", m.group())), what)
        raise TomlSyntaxError(file, "", "valid TOML", what[:1].lower() + what[1:], None, line) from None
    except RecursionError:
        raise InputTooLargeError(file, "", f"at most {MAX_DEPTH} levels of nesting", "deeper nesting") from None
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise InputTooLargeError(file, "", f"at most {MAX_DEPTH} levels of nesting", f"{depth} levels")
    return data


def read_toml(path: str | Path, file: str | None = None) -> tuple[str, dict[str, Any]]:
    """Read and parse one TOML file: its text and its data."""
    file = str(path) if file is None else file
    text = read_text(path, file)
    return text, parse(text, file)


def _depth(value: Any) -> int:
    """Nesting depth, without recursion (a hostile file must not exhaust the stack)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest
