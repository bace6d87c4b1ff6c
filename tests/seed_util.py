"""The seeds outside the checkout: copies that keep their evidence file, and self-contained forms.

The ``ru-*`` seeds read the shared ledger ``seeds/evidence/afghanistan.toml`` by a path relative to
themselves, so a test that copies a seed elsewhere copies the ledger beside it
(:func:`copy_seed`). A test that edits a seed's observations as data starts from
:func:`self_contained`: the seed with the ledger's entries written into it, reading no other file.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
LEDGER = SEEDS / "evidence" / "afghanistan.toml"


def copy_seed(seed: str | Path, folder: Path) -> Path:
    """Copy ``seed`` (a path, or a seed's file name) into ``folder`` with the evidence files it reads."""
    source = Path(seed) if Path(seed).is_absolute() or Path(seed).exists() else SEEDS / seed
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy(source, target)
    for ref in tomllib.loads(source.read_text(encoding="utf-8"))["proposal"].get("evidence", []):
        (folder / ref).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source.parent / ref, folder / ref)
    return target


def self_contained(seed: str | Path, *, latest: bool = True) -> dict[str, Any]:
    """The seed's TOML data with the ledger's entries inlined and ``proposal.evidence`` removed.

    With ``latest``, each indicator holds only the ledger's last entry, as one table (what tests
    that edit ``data["observations"][x]["value"]`` expect); else every entry, as an array.
    """
    path = Path(seed) if Path(seed).is_absolute() else SEEDS / seed
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    refs = data["proposal"].pop("evidence", [])
    own = data.get("observations", {})
    inlined: dict[str, Any] = {}
    for ref in refs:
        ledger = tomllib.loads((path.parent / ref).read_text(encoding="utf-8"))
        for ident, held in ledger["observations"].items():
            entries = held if isinstance(held, list) else [held]
            inlined.setdefault(ident, []).extend(entries)
    for ident, entries in inlined.items():
        if ident not in own:
            own[ident] = entries[-1] if latest else entries
    data["observations"] = own
    return data
