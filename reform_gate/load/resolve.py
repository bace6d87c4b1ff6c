"""Which file a criteria reference means (a shipped set's id, or a path), and where paths may lead.

A proposal names its criteria set by a shipped id (``reform-before-recognition``) or by a path
relative to the proposal's own folder; ``--criteria`` on the command line names one relative to
the working folder. The shipped sets sit inside the package in a wheel and beside it in a
checkout. A path that a file names must lead under the root (``--criteria-root``):
:func:`contained` is that rule, for every such path (``docs/security.md``).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import CriteriaNotFoundError, OutsideRootError, suggest

__all__ = [
    "SHIPPED_PREFIX",
    "contained",
    "repo_root",
    "resolve_criteria",
    "shipped_criteria",
    "shown",
    "shown_criteria",
]


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


def contained(path: str | Path, root: str | Path, origin: str, key: str = "", line: int | None = None) -> Path:
    """``path`` with every link resolved, if that lies under ``root`` (also resolved); else an
    :class:`~reform_gate.errors.OutsideRootError` naming ``origin`` (and ``key`` and ``line``
    there), which quotes the path as written and never what the file holds.

    The one rule for every path that a file, rather than the person running the command, names
    or leads to: a criteria path written in a proposal, a symbolic link in a folder searched, an
    evidence file (``docs/security.md``). ``../``, an absolute path and a link that leaves the
    root are refused alike; the file is not opened.
    """
    base = os.path.realpath(root)
    try:
        real = os.path.realpath(path)
        inside = os.path.commonpath([real, base]) == base
    except (OSError, ValueError):  # another drive, a NUL, a name the system refuses
        inside = False
    if not inside:
        raise OutsideRootError(
            origin,
            key,
            f"a file under {root} (the --criteria-root)",
            f'"{path}", which leads outside it',
            "only files under the root may be read; run with --criteria-root DIR to allow another folder",
            line,
        )
    return Path(real)


def repo_root(start: str | Path = os.curdir) -> str:
    """The repository that holds ``start``: the nearest folder upwards with a ``.git``, or
    ``""`` (the working folder) when there is none. SARIF and GitHub give paths from it."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return str(folder)
    return ""


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL
        return False


def resolve_criteria(
    ref: str, relative_to: Path | None, origin: str, key: str, root: str | Path | None = None
) -> Path:
    """The file ``ref`` names; ``origin`` and ``key`` say where it was named, for the error.

    With ``root`` (a criteria path written in a proposal), the file must lie under it
    (:func:`contained`); a shipped id is always allowed.
    """
    looks_like_path = ref.endswith(".toml") or "/" in ref or "\\" in ref
    if looks_like_path:
        candidate = Path(ref) if relative_to is None else relative_to / ref
        if root is not None:
            candidate = contained(candidate, root, origin, key)
        if _is_file(candidate):
            return candidate
    shipped = shipped_criteria()
    if ref in shipped:
        return shipped[ref]
    expected = "a shipped criteria set (" + ", ".join(shipped) + ") or the path of a criteria file"
    if looks_like_path and relative_to is not None:
        expected += " relative to the proposal"
    raise CriteriaNotFoundError(origin, key, expected, f'"{ref}"', suggest(ref, shipped))


#: How a shipped criteria set is named in every output, wherever the package is installed.
SHIPPED_PREFIX = "reform_gate/criteria/"


def shown_criteria(path: str | Path) -> str:
    """A criteria file as outputs show it: a shipped set as ``reform_gate/criteria/<file>``
    (never the install path under site-packages, nor ``criteria/`` of a checkout), any other
    file as :func:`shown` shows it."""
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return shown(path)
    for file in shipped_criteria().values():
        if file.resolve() == real:
            return SHIPPED_PREFIX + file.name
    return shown(path)


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
