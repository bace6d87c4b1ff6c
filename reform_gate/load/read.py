"""From a file to TOML data: bounded reading, UTF-8, and syntax errors with their line.

Every failure is a :class:`~reform_gate.errors.ReformGateError` naming the file; nothing here
knows what a proposal or a criteria set is. A file is read only if it is a regular file (a FIFO
would hang, ``/dev/zero`` never ends), and never more than its size limit and one byte; its text
passes the cheap checks of :mod:`.precheck` before the parser sees it (``docs/security.md``):
``tomllib``, or a faster exact one when installed (:mod:`.toml_parser`), with ``tomllib``'s messages.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputTooLargeError, TomlSyntaxError, UsageError
from .precheck import check_text
from .toml_parser import loads

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "decode",
    "nesting_depth",
    "parse",
    "read_bytes",
    "read_stream",
    "read_text",
    "read_toml",
]

#: Proposals and criteria sets are small; anything larger is a mistake or an attack.
MAX_BYTES = 2 * 1024 * 1024
#: Deeper nesting than this has no meaning in either format.
MAX_DEPTH = 16

# Patterns for tomllib's messages, compiled (and cached by ``re``) only when a file fails to parse.
_TOML_POSITION = r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$"
#: tomllib names a key as a Python tuple, ``('tiers', 'any_of')``; users wrote ``tiers.any_of``.
_TOML_KEY_TUPLE = r"\((?:'[^']*',? ?)+\)"
_TOML_CHAR_REPR = r"'(\\(?:[ntr\\']|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}))'"


#: How each kind of file that is not a regular file is named in errors.
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: str | Path, file: str, limit: int, what: str = "") -> bytes:
    """At most ``limit`` bytes of the regular file ``path``; anything else is a ReformGateError.

    The file's type is checked before it is opened (a device is never opened) and again on the
    open descriptor (a file swapped meanwhile is refused). It is opened without blocking, so a
    FIFO put in its place cannot hang the run, and read only up to ``limit`` + 1 bytes. ``what``
    says what the file should hold, for the errors.
    """
    suffix = f": {what}" if what else ""
    expected = "a readable file"
    try:
        before = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(file, "", f"an existing file{suffix}", "no such file") from None
    except OSError as err:  # a name too long, a loop of links, no permission
        raise UsageError(file, "", expected, err.strerror or type(err).__name__) from None
    except ValueError:  # a NUL in the name
        raise UsageError(file, "", expected, "a name with a NUL character") from None
    if stat.S_ISDIR(before.st_mode):
        raise UsageError(file, "", f"a file{suffix}", "a directory")
    if not stat.S_ISREG(before.st_mode):
        raise UsageError(file, "", f"a regular file{suffix}", _kind_of(before.st_mode))
    if before.st_size > limit:
        raise InputTooLargeError(file, "", f"at most {limit:,} bytes", f"{before.st_size:,} bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise UsageError(file, "", expected, err.strerror or type(err).__name__) from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise UsageError(file, "", f"a regular file{suffix}", "a file replaced while it was opened")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise UsageError(file, "", expected, err.strerror or type(err).__name__) from None
    finally:
        os.close(fd)
    if size > limit:
        raise InputTooLargeError(file, "", f"at most {limit:,} bytes", f"more than {limit:,} bytes")
    return b"".join(chunks)


def read_text(path: str | Path, file: str | None = None) -> str:
    """The UTF-8 text of ``path`` (without a byte-order mark); ``file`` names it in errors."""
    file = str(path) if file is None else file
    return decode(read_bytes(path, file, MAX_BYTES), file)


def read_stream(stream: BinaryIO, file: str) -> str:
    """The UTF-8 text of an open binary stream (standard input), read to its end within :data:`MAX_BYTES`."""
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InputTooLargeError(file, "", f"at most {MAX_BYTES:,} bytes", f"more than {MAX_BYTES:,} bytes")
    return decode(raw, file)


def decode(raw: bytes, file: str) -> str:
    """A file's bytes as UTF-8 text (without a byte-order mark); ``file`` names it in errors."""
    try:
        # A byte-order mark is what some editors write first; it means nothing in UTF-8.
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        byte_line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        found = f"the byte 0x{raw[err.start]:02x}, which is not UTF-8, at column {column}"
        raise TomlSyntaxError(file, "", "UTF-8 text (save the file as UTF-8)", found, None, byte_line) from None


def parse(text: str, file: str) -> dict[str, Any]:
    """TOML text as data, within :data:`MAX_DEPTH` levels of nesting and the limits of
    :mod:`.precheck` (checked first, on the raw text)."""
    check_text(text, file)
    depth = None
    try:
        data, fast = loads(text)
        if fast:
            depth = nesting_depth(data)
            if depth > MAX_DEPTH:
                # tomllib runs out of stack on some of these and says so differently: let it speak.
                data = tomllib.loads(text)
                depth = None
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        match = re.search(_TOML_POSITION, message)
        line = int(match.group(1)) if match and match.group(1) else None
        if match and match.group(1) is None:
            # "At end of document" (a truncated file, an unclosed array or string): the last
            # line that holds anything is where the reader should look.
            line = text.rstrip().count("\n") + 1
        what = re.sub(_TOML_POSITION, "", message)
        what = re.sub(_TOML_KEY_TUPLE, lambda m: ".".join(re.findall(r"'([^']*)'", m.group())), what)
        # tomllib names a character by its repr ('\\n'); the message is made printable when shown,
        # which would show that backslash doubled: hand it the character itself.
        what = re.sub(_TOML_CHAR_REPR, lambda m: "'" + m.group(1).encode().decode("unicode_escape") + "'", what)
        raise TomlSyntaxError(file, "", "valid TOML", what[:1].lower() + what[1:], None, line) from None
    except RecursionError:
        raise InputTooLargeError(file, "", f"at most {MAX_DEPTH} levels of nesting", "deeper nesting") from None
    if depth is None:  # measured once: tomllib's data, or the fast parser's already measured
        depth = nesting_depth(data)
    if depth > MAX_DEPTH:
        raise InputTooLargeError(file, "", f"at most {MAX_DEPTH} levels of nesting", f"{depth} levels")
    return data


def read_toml(path: str | Path, file: str | None = None) -> tuple[str, dict[str, Any]]:
    """Read and parse one TOML file: its text and its data."""
    file = str(path) if file is None else file
    text = read_text(path, file)
    return text, parse(text, file)


def nesting_depth(value: Any) -> int:
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
