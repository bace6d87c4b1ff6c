"""Key paths as users read them: ``rules[CT-4].check`` (``docs/format.md``).

Apart from the converter (:mod:`.convert`, which re-exports these) so that naming a path never
needs cattrs: the start-up path loads valid files without building the converter.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PathPart", "format_path"]

PathPart = str | int


def format_path(parts: list[PathPart], data: Any = None) -> str:
    """``["rules", 3, "check"]`` -> ``rules[3].check``; with the file's ``data``, ``rules[CT-4].check``.

    An element of an array of tables is named by its ``id`` where that id is unique in the array
    and reads plainly (letters, digits, ``-``, ``_``, ``.``); else by its index.
    """
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{_element_name(data, part)}]"
            data = data[part] if isinstance(data, list) and 0 <= part < len(data) else None
            continue
        data = data.get(part) if isinstance(data, dict) else None
        if out:
            out += "." + (part if _bare(part) else f'"{part}"')
        else:
            out = part if _bare(part) else f'"{part}"'
    return out


def _element_name(array: Any, index: int) -> str:
    if not isinstance(array, list) or not 0 <= index < len(array) or not isinstance(array[index], dict):
        return str(index)
    ident = array[index].get("id")
    if not isinstance(ident, str) or not ident or not all(c.isalnum() or c in "-_." for c in ident):
        return str(index)
    if ident.isdigit() or sum(1 for x in array if isinstance(x, dict) and x.get("id") == ident) != 1:
        return str(index)
    return ident


def _bare(key: str) -> bool:
    return bool(key) and all(c.isalnum() or c in "_-" for c in key) and key.isascii()
