"""Recover the line of a key path in a TOML document.

``tomllib`` gives values but no positions. This scanner reads the document line by line, keeps
track of the current table (``[a.b]``, ``[[a]]`` with its index), dotted keys, and skips the inside
of multi-line strings and multi-line arrays, so that ``observations.safe_haven_denied.value`` or
``rules[3].check`` maps to the line where that key is written. A key inside an inline table maps
to the line of the key that holds the inline table.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["KeyLines", "key_lines", "line_of"]

PathPart = str | int
KeyLines = dict[tuple[PathPart, ...], int]


def _split_key(text: str) -> list[str]:
    """Split a dotted TOML key, honouring quotes: ``a."b.c".d`` -> ``[a, b.c, d]``."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        if text[i] in "\"'":
            quote = text[i]
            j = i + 1
            buf = []
            while j < n and text[j] != quote:
                if quote == '"' and text[j] == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            parts.append("".join(buf))
            i = j + 1
        else:
            j = i
            while j < n and text[j] not in ". \t":
                j += 1
            parts.append(text[i:j])
            i = j
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
    return parts


def _key_end(line: str) -> int:
    """Index of the ``=`` that ends the key on this line, or -1."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return i
        elif ch == "#":
            return -1
    return -1


def _scan_value(text: str, state: list[str]) -> None:
    """Track open brackets and multi-line strings through ``text``; ``state`` is a stack."""
    i, n = 0, len(text)
    while i < n:
        top = state[-1] if state else ""
        if top in ('"""', "'''"):
            end = text.find(top, i)
            if end < 0:
                return
            state.pop()
            i = end + 3
            continue
        ch = text[i]
        if ch == "#":
            return
        if text.startswith('"""', i) or text.startswith("'''", i):
            state.append(text[i : i + 3])
            i += 3
            continue
        if ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if ch == '"' and text[j] == "\\" else 1
            i = j + 1
            continue
        if ch in "[{":
            state.append(ch)
        elif ch in "]}" and state:
            state.pop()
        i += 1


def key_lines(text: str) -> KeyLines:
    """Map every key path written in ``text`` to its 1-based line number."""
    lines: KeyLines = {}
    table: tuple[PathPart, ...] = ()
    counters: dict[tuple[PathPart, ...], int] = {}
    state: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if state:
            _scan_value(raw, state)
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):
            name = tuple(_split_key(line[2 : line.index("]]")]))
            index = counters.get(name, -1) + 1
            counters[name] = index
            table = (*name, index)
            lines.setdefault(name, number)
            lines[table] = number
            continue
        if line.startswith("["):
            name = tuple(_split_key(line[1 : line.index("]")]))
            table = _with_indices(name, counters)
            lines.setdefault(table, number)
            continue
        eq = _key_end(line)
        if eq < 0:
            continue
        path = (*table, *_split_key(line[:eq]))
        for depth in range(len(table) + 1, len(path) + 1):
            lines.setdefault(path[:depth], number)
        _scan_value(line[eq + 1 :], state)
    return lines


def _with_indices(name: tuple[PathPart, ...], counters: dict[tuple[PathPart, ...], int]) -> tuple[PathPart, ...]:
    """``[tiers.any_of]`` under ``[[tiers]]`` refers to the latest tier: put its index in."""
    out: tuple[PathPart, ...] = ()
    for part in name:
        out = (*out, part)
        plain = tuple(p for p in out if isinstance(p, str))
        if plain in counters and len(plain) == len([p for p in out if isinstance(p, str)]):
            out = (*out, counters[plain])
    return out


def line_of(lines: KeyLines, path: Sequence[PathPart]) -> int | None:
    """The line of the longest prefix of ``path`` that is written in the document."""
    for depth in range(len(path), 0, -1):
        found = lines.get(tuple(path[:depth]))
        if found is not None:
            return found
    return None
