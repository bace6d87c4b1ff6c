"""Writing output files: atomically, and never over an existing file unless asked (``docs/cli.md``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import WriteError

__all__ = ["REPOSITORY_MARKERS", "repository_root", "rule_page_url", "safe_file_name", "write_text"]

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


def write_text(path: str | Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` in one step.

    The text goes to a temporary file in the same folder and then takes its name, so a reader
    (a CI upload step, an editor) never sees half a file. Without ``overwrite`` the last step is a
    hard link, which fails if the name is taken, even by a file created meanwhile; where the file
    system has no hard links it is ``os.replace`` after a last check. With ``overwrite`` it is
    ``os.replace``, which swaps the whole file at once.
    """
    target = Path(path)
    file = str(path)
    if not overwrite and (target.exists() or target.is_symlink()):
        raise WriteError(file, "", "a new file name", "a file that already exists", "use --force to replace it")
    if target.is_dir():
        raise WriteError(file, "", "a file name", "a folder")
    tmp = target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp"
    try:
        # os.open applies the umask, so the file gets the same mode as any other new file.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:
        raise WriteError(file, "", "a folder that exists and can be written", err.strerror or str(err)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, target)
            return
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise WriteError(
                file, "", "a new file name", "a file created meanwhile", "use --force to replace it"
            ) from None
        except OSError:
            if target.exists():
                raise WriteError(file, "", "a new file name", "a file that already exists", None) from None
            os.replace(tmp, target)
    except OSError as err:
        raise WriteError(file, "", "a file that can be written", err.strerror or str(err)) from None
    finally:
        if tmp.exists():
            tmp.unlink()
