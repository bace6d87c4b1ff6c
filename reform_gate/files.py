"""Writing output files: atomically, and never over an existing file unless asked (``docs/cli.md``).

:class:`AtomicFile` streams text into a temporary file beside the target, which takes the
target's name in one step when it is committed; nothing is left behind when it is discarded
(an error, Ctrl-C, SIGTERM). :func:`write_text` does that for a whole text at once. A target
that is not a regular file (a device such as ``/dev/null``, a pipe, ``/dev/stdout``) cannot be
replaced in one step and must not become one: with ``overwrite`` it is written through, never
replaced (``docs/security.md``).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path
from typing import TextIO

from .errors import WriteError

__all__ = ["REPOSITORY_MARKERS", "AtomicFile", "repository_root", "rule_page_url", "safe_file_name", "write_text"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
#: What marks the top folder of a repository (a folder, or a file in a git worktree).
REPOSITORY_MARKERS = (".git", ".hg", ".svn")


def safe_file_name(key: str) -> str:
    """``key`` as a file name: characters unsafe in a path become ``_`` (``CT-1`` stays ``CT-1``).

    A rule's page is ``safe_file_name(rule_id) + ".md"``, both where the pages are written and where
    outputs link to them.
    """
    return _UNSAFE.sub("_", key)


def rule_page_url(base: str | None, rule: str) -> str | None:
    """The page of ``rule`` under ``--rule-docs BASE``: ``BASE + RULE-ID + .md``, or ``None`` without a base.

    ``BASE`` is an absolute URL (the command line checks it); a ``/`` is put after it when it has
    none. Renderers reach this through :func:`reform_gate.render.shared.rule_url`; the rule
    catalogue calls it directly.
    """
    if not base:
        return None
    from urllib.parse import quote

    return f"{base}{'' if base.endswith('/') else '/'}{quote(safe_file_name(rule))}.md"


def repository_root(start: str | Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a ``.git`` (or ``.hg``, ``.svn``); None outside one."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in REPOSITORY_MARKERS):
            return folder
    return None


def _through(target: Path) -> bool:
    """Whether ``target`` is written through rather than replaced: something that exists and is
    not a regular file (after following links), or any name under ``/dev`` (``/dev/stdout``
    links to whatever standard output is, a regular file included)."""
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return False
    if stat.S_ISBLK(mode):
        raise WriteError(str(target), "", "a file, a pipe or a character device", "a block device")
    if stat.S_ISDIR(mode):
        return False
    return not stat.S_ISREG(mode) or os.path.abspath(target).startswith("/dev/")


class AtomicFile:
    """A new file at ``path``, written as a stream and put in place in one step by :meth:`commit`.

    Without ``overwrite`` an existing name is refused, up front and again at the last step (a
    hard link, which fails if the name was taken meanwhile; where the file system has no hard
    links, ``os.replace`` after a last check). With ``overwrite`` the last step is
    ``os.replace``, which swaps the whole file at once, or, for a device or a pipe, the text was
    written straight through it. The text is UTF-8 with ``\\n`` line ends; a character UTF-8
    cannot carry (half of a surrogate pair, from a file name that is not UTF-8) is written
    escaped, ``\\udcff``.
    """

    def __init__(self, path: str | Path, *, overwrite: bool = False) -> None:
        self.target = Path(path)
        self.file = str(path)
        self.overwrite = overwrite
        self.tmp: Path | None = None
        target = self.target
        if not overwrite and (target.exists() or target.is_symlink()):
            raise WriteError(
                self.file, "", "a new file name", "a file that already exists", "use --force to replace it"
            )
        if target.is_dir():
            raise WriteError(self.file, "", "a file name", "a folder")
        if overwrite and _through(target):
            flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
            try:
                fd = os.open(target, flags)
            except OSError as err:
                raise WriteError(self.file, "", "a file that can be written", err.strerror or str(err)) from None
        else:
            self.tmp = target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp"
            try:
                # os.open applies the umask, so the file gets the same mode as any other new file.
                fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            except OSError as err:
                self.tmp = None
                raise WriteError(
                    self.file, "", "a folder that exists and can be written", err.strerror or str(err)
                ) from None
        self.stream: TextIO = open(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n")  # noqa: SIM115

    def commit(self) -> None:
        """Put the file in place (or finish writing through); raises WriteError when it cannot."""
        target, tmp = self.target, self.tmp
        try:
            try:
                self.stream.flush()
                if tmp is not None:
                    os.fsync(self.stream.fileno())
            finally:
                self.stream.close()
            if tmp is None:
                return
            if self.overwrite:
                os.replace(tmp, target)
                return
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise WriteError(
                    self.file, "", "a new file name", "a file created meanwhile", "use --force to replace it"
                ) from None
            except OSError:
                if target.exists():
                    raise WriteError(self.file, "", "a new file name", "a file that already exists", None) from None
                os.replace(tmp, target)
        except OSError as err:
            raise WriteError(self.file, "", "a file that can be written", err.strerror or str(err)) from None
        finally:
            self._remove_tmp()

    def discard(self) -> None:
        """Drop what was written: the temporary file goes, the target stays as it was."""
        with contextlib.suppress(OSError):
            self.stream.close()
        self._remove_tmp()

    def _remove_tmp(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                self.tmp.unlink()
            self.tmp = None


def write_text(path: str | Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` in one step (:class:`AtomicFile`).

    The text goes to a temporary file in the same folder and then takes its name, so a reader
    (a CI upload step, an editor) never sees half a file. Without ``overwrite`` an existing file
    is never replaced; with it the whole file is swapped at once.
    """
    out = AtomicFile(path, overwrite=overwrite)
    try:
        out.stream.write(text)
    except OSError as err:
        out.discard()
        raise WriteError(str(path), "", "a file that can be written", err.strerror or str(err)) from None
    except BaseException:
        out.discard()
        raise
    out.commit()
