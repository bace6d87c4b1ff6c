"""Golden files: rendered output compared byte for byte with a file under tests/golden/.

Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent


def check_golden(name: str, text: str) -> None:
    """Assert that ``text`` equals tests/golden/<name>, or rewrite it under UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file; rerun with UPDATE_GOLDEN=1 and review the diff"
