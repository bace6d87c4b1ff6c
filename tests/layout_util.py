"""The verdict layout written the slow, obvious way with ``json.dumps``: the reference the fast
encoder of ``reform_gate.render.json_`` is held to (``docs/output-formats.md``, "Layout")."""

from __future__ import annotations

import json
from typing import Any

from reform_gate.safe_text import json_inert

#: Arrays whose elements are laid out as objects; every other array has one element per line.
LAID_OUT = ("verdicts", "criteria")


def _one_line(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _laid(value: Any, indent: str, key: str) -> str:
    inner = indent + "  "
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [_laid(v, inner, "") if key in LAID_OUT else _one_line(v) for v in value]
        return "[\n" + ",\n".join(inner + item for item in items) + "\n" + indent + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: "
            + (_one_line(value[k]) if key == "rules" else _laid(value[k], inner, k))
            for k in sorted(value)
        ]
        return "{\n" + ",\n".join(lines) + "\n" + indent + "}"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def reference(data: Any) -> str:
    """``data`` (plain JSON data) in the verdict layout, with a final newline."""
    return json_inert(_laid(data, "", "")) + "\n"
