"""Which files a command reads: the files named, and the TOML files found in the folders named.

A folder is searched recursively, in sorted order, skipping what is not a proposal's home:

- hidden files and folders (a name that starts with ``.``: ``.git``, ``.venv``, ``.tox``);
- virtual environments (``venv``, and any folder holding a ``pyvenv.cfg``), ``node_modules``
  and ``__pycache__``;
- what ``.gitignore`` ignores, when the folder is in a git work tree and ``git`` is installed
  (``git check-ignore``; without git, nothing is left out this way);
- what ``--exclude GLOB`` names: a glob matched against each file's or folder's path relative
  to the folder searched (``drafts/*``), and against its name alone (``*-old.toml``).

Of the ``*.toml`` files found, only those that look like reform-gate files are loaded: a line
that opens a ``[proposal]`` table (or ``[criteria]``, where criteria sets are wanted), even if
it breaks off (a truncated file is reported, not skipped), or that starts ``proposal.`` or
``proposal =``. Deciding costs a look at the bytes, no parse. A file named on the command line
is always loaded. See ``docs/cli.md``, "Files and folders".
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Collection, Sequence
from pathlib import Path

from attrs import frozen

__all__ = ["SKIPPED_FOLDERS", "Found", "Walk", "files_under", "looks_like"]

#: Folders never searched, besides hidden ones and those holding a pyvenv.cfg.
SKIPPED_FOLDERS = frozenset({"venv", "node_modules", "__pycache__"})


@frozen
class Walk:
    """How folders are searched and where files may lead.

    ``root`` (``--criteria-root``) is the folder that a criteria path written in a proposal, and
    a symbolic link found or named, must lead into (``reform_gate.load.resolve.contained``;
    ``None``: anywhere, for library callers that trust their files); ``exclude`` the
    ``--exclude`` globs; ``gitignore`` whether ``.gitignore`` is honoured.
    """

    root: str | None = os.curdir
    exclude: tuple[str, ...] = ()
    gitignore: bool = True


@frozen
class Found:
    """A file to read: its path, and whether it was named (rather than found in a folder)."""

    path: str
    named: bool


def _excluded(rel: str, name: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def _skipped_folder(name: str, full: str) -> bool:
    return name.startswith(".") or name in SKIPPED_FOLDERS or os.path.isfile(os.path.join(full, "pyvenv.cfg"))


def _search(folder: str, walk: Walk) -> list[str]:
    found: list[str] = []
    for here, dirs, files in os.walk(folder):
        rel_here = os.path.relpath(here, folder)
        prefix = "" if rel_here == os.curdir else Path(rel_here).as_posix() + "/"
        dirs[:] = [
            d
            for d in dirs
            if not _skipped_folder(d, os.path.join(here, d)) and not _excluded(prefix + d, d, walk.exclude)
        ]
        for name in files:
            if not name.endswith(".toml") or name.startswith(".") or _excluded(prefix + name, name, walk.exclude):
                continue
            full = os.path.join(here, name)
            if os.path.isfile(full):
                found.append(full)
    return found


def _ignored(folder: str, files: Sequence[str]) -> set[str]:
    """Those of ``files`` that git ignores (``.gitignore``, ``info/exclude``, the global file)."""
    import shutil  # with subprocess, only when a folder is walked: off the start-up path
    import subprocess

    git = shutil.which("git")
    if git is None or not files:
        return set()
    rels = [os.path.relpath(f, folder) for f in files]
    names = b"".join(os.fsencode(r) + b"\0" for r in rels)
    try:
        # fsmonitor off: nothing but git itself runs, whatever the repository's config says.
        done = subprocess.run(
            [git, "-c", "core.fsmonitor=false", "check-ignore", "--stdin", "-z"],
            cwd=folder,
            input=names,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode not in (0, 1):  # 128: not a git work tree (or git failed): no ignoring
        return set()
    ignored = {os.fsdecode(p) for p in done.stdout.split(b"\0") if p}
    return {f for f, r in zip(files, rels, strict=True) if r in ignored}


def files_under(paths: Sequence[str], walk: Walk | None = None) -> list[Found]:
    """The files named, and each folder's files (see the module docstring), in sorted order.

    Kept as strings, for a batch to hold: 10,000 ``Path`` objects take 6 MB, and so would
    ``Path.rglob``, which keeps every path it yields. Folders are not followed through links,
    and files are sorted as paths sort: part by part.
    """
    walk = walk or Walk()
    out: list[Found] = []
    for raw in paths:
        if os.path.isdir(raw):
            found = _search(raw, walk)
            if walk.gitignore:
                skip = _ignored(raw, found)
                found = [f for f in found if f not in skip]
            out += [Found(f, False) for f in sorted(found, key=lambda name: name.replace(os.sep, "\0"))]
        else:
            out.append(Found(str(Path(raw)), True))
    return out


_HEADERS: dict[tuple[str, ...], re.Pattern[bytes]] = {}


def looks_like(raw: bytes, tables: Collection[str]) -> bool:
    """Whether the file's bytes have a line that opens one of ``tables``: ``[proposal]`` (or a
    line that starts it and breaks off), ``proposal.id = ...`` or ``proposal = {...}``."""
    key = tuple(sorted(tables))
    pattern = _HEADERS.get(key)
    if pattern is None:
        names = "|".join(re.escape(t) for t in key).encode()
        # A header, even a broken one ("[proposal" of a truncated file: it must be reported, not
        # skipped), or the table written as a dotted key or an inline table.
        pattern = re.compile(rb"^[ \t]*(?:\[[ \t]*(?:" + names + rb")\b|(?:" + names + rb")[ \t]*[.=])", re.MULTILINE)
        _HEADERS[key] = pattern
    return pattern.search(raw) is not None
