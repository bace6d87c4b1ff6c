"""Which file a criteria reference means: a shipped set's id, or a path.

A proposal names its criteria set by a shipped id (``reform-before-recognition``) or by a path
relative to the proposal's own folder; ``--criteria`` on the command line names one relative to
the working folder. The shipped sets sit inside the package in a wheel and beside it in a
checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import CriteriaNotFoundError, suggest

__all__ = ["resolve_criteria", "shipped_criteria", "shown"]


def _package_criteria_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent.parent
    # In a wheel the sets sit inside the package; in a checkout (editable install) beside it.
    return [d for d in (here / "criteria", here.parent / "criteria") if d.is_dir()]


def shipped_criteria() -> dict[str, Path]:
    """Shipped criteria sets by id (the file's stem), in id order."""
    found: dict[str, Path] = {}
    for folder in _package_criteria_dirs():
        for file in sorted(folder.glob("*.toml")):
            found.setdefault(file.stem, file)
    return dict(sorted(found.items()))


def resolve_criteria(ref: str, relative_to: Path | None, origin: str, key: str) -> Path:
    """The file ``ref`` names; ``origin`` and ``key`` say where it was named, for the error."""
    looks_like_path = ref.endswith(".toml") or "/" in ref or "\\" in ref
    tried: list[Path] = []
    if looks_like_path:
        candidate = Path(ref) if relative_to is None else relative_to / ref
        if candidate.is_file():
            return candidate
        tried.append(candidate)
    shipped = shipped_criteria()
    if ref in shipped:
        return shipped[ref]
    if not looks_like_path:
        tried += [folder / f"{ref}.toml" for folder in _package_criteria_dirs()]
    expected = "a shipped criteria set (" + ", ".join(shipped) + ") or the path of a criteria file"
    if looks_like_path and relative_to is not None:
        expected += " relative to the proposal"
    # Name every file looked for, so a path that resolved somewhere unexpected is plain to see.
    found = f'"{ref}" (tried ' + ", ".join(shown(p) for p in tried) + ")" if tried else f'"{ref}"'
    raise CriteriaNotFoundError(origin, key, expected, found, suggest(ref, shipped))


def shown(path: str | Path) -> str:
    """A path as outputs show it: under the working folder, relative to it, so outputs do not
    depend on where a checkout lives; anything else as given."""
    text = str(path)
    if not text or not os.path.isabs(text):
        return text
    try:
        return Path(text).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return text
