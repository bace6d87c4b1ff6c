"""Which file a criteria reference means (a set's id, shipped or installed, or a path), and where
paths may lead.

A proposal names its criteria set by an id (``reform-before-recognition``) or by a path relative
to the proposal's own folder; ``--criteria`` on the command line names one relative to the
working folder. The shipped sets sit inside the package in a wheel and beside it in a checkout.
Other installed packages offer sets through the ``reform_gate.criteria`` entry-point group
(:func:`installed_criteria`, ``docs/plugins.md``); a shipped id wins over an installed one. A
path that a file names must lead under the root (``--criteria-root``): :func:`contained` is that
rule, for every such path (``docs/security.md``).
"""

from __future__ import annotations

import os
from pathlib import Path

from attrs import frozen

from ..errors import CriteriaNotFoundError, OutsideRootError, suggest

__all__ = [
    "ENTRY_POINT_GROUP",
    "SHIPPED_PREFIX",
    "Installed",
    "contained",
    "installed_criteria",
    "looks_like_path",
    "resolve_criteria",
    "shipped_criteria",
    "shown",
    "shown_criteria",
]

#: The entry-point group through which an installed package offers criteria sets.
ENTRY_POINT_GROUP = "reform_gate.criteria"


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


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL
        return False


@frozen
class Installed:
    """A criteria set an installed package offers: entry point ``id = "package"`` names the package
    that holds ``<id>.toml``. ``problem`` says why it cannot be used (``None`` when it can)."""

    id: str
    distribution: str
    package: str
    path: Path | None
    problem: str | None = None
    #: True when a shipped set has the same id (the shipped one wins).
    shadowed: bool = False


def installed_criteria() -> list[Installed]:
    """Every criteria set offered through the ``reform_gate.criteria`` entry points, by id.

    Each entry point's name is the set's id and its value a package (``my_sets.criteria``) holding
    ``<id>.toml`` as a file. Reading the list imports those packages, so it is done only when an
    id is not shipped, or for ``criteria list``.
    """
    import importlib.metadata
    import importlib.resources

    shipped = shipped_criteria()
    found = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist is not None else "an unknown distribution"
        path: Path | None = None
        problem: str | None = None
        if ep.attr:
            problem = f'an entry point that names a package ("{ep.module}"), not "{ep.value}"'
        else:
            try:
                resource = importlib.resources.files(ep.module) / f"{ep.name}.toml"
            except Exception as err:  # a broken plugin must not stop the others: say what went wrong
                problem = f'a package "{ep.module}" that imports ({type(err).__name__}: {err})'[:200]
            else:
                if not isinstance(resource, Path):
                    problem = f'"{ep.name}.toml" in package "{ep.module}" installed as a file, not inside an archive'
                elif not resource.is_file():
                    problem = f'a file "{ep.name}.toml" in package "{ep.module}"'
                else:
                    path = resource
        found.append(Installed(ep.name, dist, ep.module, path, problem, ep.name in shipped))
    return sorted(found, key=lambda i: (i.id, i.distribution))


def looks_like_path(ref: str) -> bool:
    """Whether a criteria reference is written as a path (``x.toml``, ``sets/x``) rather than an id."""
    return ref.endswith(".toml") or "/" in ref or "\\" in ref


def _installed(ref: str, origin: str, key: str) -> tuple[Path | None, list[str]]:
    """The file of the installed set ``ref``, if one package offers it; every installed id, for hints."""
    offers = [i for i in installed_criteria() if not i.shadowed]
    mine = [i for i in offers if i.id == ref]
    if len(mine) > 1:
        raise CriteriaNotFoundError(
            origin,
            key,
            f'one installed package offering criteria set "{ref}"',
            ", ".join(i.distribution for i in mine),
            "uninstall one of them, or name the criteria file by its path",
        )
    if mine and mine[0].problem is not None:
        raise CriteriaNotFoundError(
            origin, key, mine[0].problem, f'the entry point "{ref}" of {mine[0].distribution}', None
        )
    return (mine[0].path if mine else None), [i.id for i in offers]


def resolve_criteria(
    ref: str, relative_to: Path | None, origin: str, key: str, root: str | Path | None = None
) -> Path:
    """The file ``ref`` names; ``origin`` and ``key`` say where it was named, for the error.

    A path (when ``ref`` looks like one and the file exists) first, then a shipped id, then an id
    an installed package offers. With ``root`` (a criteria path written in a proposal), a path
    must lie under it (:func:`contained`); an id is always allowed. When none is found, the error
    names every file it looked for.
    """
    path_like = looks_like_path(ref)
    tried: list[Path] = []
    if path_like:
        candidate = Path(ref) if relative_to is None else relative_to / ref
        if root is not None:
            candidate = contained(candidate, root, origin, key)
        if _is_file(candidate):
            return candidate
        tried.append(candidate)
    shipped = shipped_criteria()
    if ref in shipped:
        return shipped[ref]
    found, installed = (None, []) if path_like else _installed(ref, origin, key)
    if found is not None:
        return found
    if not path_like:
        tried += [folder / f"{ref}.toml" for folder in _package_criteria_dirs()]
    expected = "a shipped criteria set (" + ", ".join(shipped) + ")"
    if installed:
        expected += ", an installed one (" + ", ".join(installed) + ")"
    expected += " or the path of a criteria file"
    if path_like and relative_to is not None:
        expected += " relative to the proposal"
    # Name every file looked for, so a path that resolved somewhere unexpected is plain to see.
    shown_ref = f'"{ref}" (tried ' + ", ".join(shown(p) for p in tried) + ")" if tried else f'"{ref}"'
    raise CriteriaNotFoundError(origin, key, expected, shown_ref, suggest(ref, [*shipped, *installed]))


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
