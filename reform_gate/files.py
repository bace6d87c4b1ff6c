"""Writing output files: atomically, and never over an existing file unless asked (``docs/cli.md``)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import WriteError

__all__ = ["write_text"]


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
