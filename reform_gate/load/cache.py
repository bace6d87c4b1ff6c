"""The compiled criteria cache: a checked criteria set kept between runs (``docs/performance.md``).

A command that scores one proposal spends more time reading, checking and digesting the 33 KB
criteria set than scoring. After a set is loaded and checked, its TOML form, its digest and the
line of every key are written to the user's cache folder as JSON, under a name made from the
set's path, its exact text and reform-gate's version; the next run that reads the same text from
the same path structures that instead (:func:`reform_gate.load.plain.structure`, which checks every
type) and skips parsing, the checks, the line scan and the digest.

Safety (``docs/security.md``): the cache is JSON, never pickle, so an entry cannot run code. It
lives only in a folder the user alone can write (``0700``, owned by them); an entry in a folder or
file that anyone else can write, or not owned by the user, is ignored, as is one that does not
parse, names another key or version, or does not structure. Entries are written atomically and
any failure to write (a read-only home, a full disk) is silent: the cache only ever saves time.
Derived sets (``extends``) are not cached: their content depends on another file.

``REFORM_GATE_CACHE=off`` turns it off; ``REFORM_GATE_CACHE=/some/folder`` puts it there.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from attrs import evolve

from ..model import Criteria, Origin
from ..version import __version__
from . import plain
from .digest import sha256_hex

__all__ = ["ENV", "FORMAT", "folder", "load", "store"]

#: The environment variable: ``off``, or the folder to use.
ENV = "REFORM_GATE_CACHE"
#: The format of an entry; a change to it, or to the model, comes with a new version anyway.
FORMAT = "reform-gate/criteria-cache/1"
#: An entry larger than this is not read (the shipped set's is about 60 KB).
_MAX_ENTRY = 8 * 1024 * 1024


def folder() -> Path | None:
    """Where entries live, or None when the cache is off or there is no home to put it in."""
    chosen = os.environ.get(ENV, "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "")
        return Path(base, "reform-gate", "Cache") if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "reform-gate"
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder
            return None
    return Path(base, "reform-gate")


def _key(path: str, text: str) -> str:
    return sha256_hex("\0".join((FORMAT, __version__, os.path.abspath(path), text)))


def _private(st: os.stat_result, kind: int) -> bool:
    """Owned by this user, of the right kind, and writable by no one else (POSIX)."""
    if stat.S_IFMT(st.st_mode) != kind:
        return False
    if not hasattr(os, "getuid"):
        return True  # Windows: the user's local application data is theirs
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load(path: str, text: str, file: str) -> Criteria | None:
    """The checked set at ``path`` with this ``text`` from the cache, or None (never an error)."""
    where = folder()
    if where is None:
        return None
    key = _key(path, text)
    entry = where / f"{key}.json"
    try:
        if not _private(os.lstat(where), stat.S_IFDIR):
            return None
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        try:
            if not _private(os.fstat(fd), stat.S_IFREG):
                return None
            with os.fdopen(fd, "rb", closefd=False) as stream:
                raw = stream.read(_MAX_ENTRY + 1)
        finally:
            os.close(fd)
        if len(raw) > _MAX_ENTRY:
            return None
        found = json.loads(raw)
        return _criteria(found, key, path, file)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _criteria(found: Any, key: str, path: str, file: str) -> Criteria | None:
    if not isinstance(found, dict) or found.get("format") != FORMAT or found.get("key") != key:
        return None
    if found.get("version") != __version__:
        return None
    digest, lines = found["sha256"], found["lines"]
    if not isinstance(digest, str) or len(digest) != 64 or not isinstance(lines, list):
        return None
    table: dict[tuple[str | int, ...], int] = {}
    for row in lines:
        if not isinstance(row, list) or not row or type(row[-1]) is not int:
            return None
        parts = tuple(row[:-1])
        if not all(type(p) is str or type(p) is int for p in parts):
            return None
        table[parts] = row[-1]
    criteria = plain.structure(found["data"], Criteria)
    if criteria is None:
        return None
    return evolve(criteria, origin=Origin(file, path, digest, table))


def store(path: str, text: str, criteria: Criteria) -> None:
    """Keep ``criteria`` (checked, loaded from ``text`` at ``path``) for the next run; silent on failure."""
    where = folder()
    if where is None or criteria.origin is None:
        return
    key = _key(path, text)
    try:
        entry = {
            "format": FORMAT,
            "key": key,
            "version": __version__,
            "sha256": criteria.origin.sha256,
            "lines": [[*parts, line] for parts, line in criteria.origin.lines.items()],
            "data": plain.unstructure(criteria),
        }
        payload = json.dumps(entry, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.lstat(where), stat.S_IFDIR):
            return
        temporary = where / f".{key}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb", closefd=False) as stream:
                stream.write(payload)
        finally:
            os.close(fd)
        os.replace(temporary, where / f"{key}.json")
    except (OSError, TypeError, ValueError):
        # A read-only or full disk, a date in a set (not JSON): the cache only saves time.
        with contextlib.suppress(OSError):
            os.unlink(where / f".{key}.{os.getpid()}.tmp")
