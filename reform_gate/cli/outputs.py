"""``--format`` / ``--output`` pairs: which format goes where, checked before any scoring.

Each ``--output FILE`` belongs to the ``--format`` written next to it: the one just before it
if that one has no file yet, else the one just after it. A format with no file goes to standard
output, and only one may. So ``--format sarif --output r.sarif --format junit --output r.xml
--format text`` writes two files and prints text; ``--output r.json --format json`` also works,
and ``--output FILE`` with no ``--format`` at all writes text. ``--output -`` is standard output,
as no ``--output`` is. An ``--output`` left without a format of its own is an error, not a guess.
Files are written atomically and never replace an existing file unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from attrs import evolve, frozen

from ..errors import ReformGateError, UsageError, WriteError
from ..render import Run, Writer, open_writer
from ..verdict import Verdict

__all__ = ["STDOUT", "OrderedOption", "Outputs", "Target", "check_targets", "pair_targets", "write_targets"]

#: ``--output -``: standard output.
STDOUT = "-"


@frozen
class Target:
    """One output: a format, and the file it goes to (``None``: standard output)."""

    format: str
    path: str | None = None


class OrderedOption(argparse.Action):
    """Keeps ``--format`` and ``--output`` in the order given, in ``namespace.outputs``."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        events = list(getattr(namespace, self.dest, None) or [])
        events.append((self.const, values))
        setattr(namespace, self.dest, events)


def pair_targets(events: Sequence[tuple[str, str]] | None) -> list[Target]:
    """Pair ``("format", name)`` and ``("output", path)`` events as the module docstring says."""
    targets: list[Target] = []
    pending_format: str | None = None
    pending_output: str | None = None
    for kind, value in events or ():
        if kind == "format":
            if pending_output is not None:
                targets.append(Target(value, pending_output))
                pending_output = None
                continue
            if pending_format is not None:
                targets.append(Target(pending_format))
            pending_format = value
        else:
            if pending_format is not None:
                targets.append(Target(pending_format, value))
                pending_format = None
            elif pending_output is not None:
                raise UsageError(
                    "--output", "", "one --format for each --output", f'--output "{pending_output}" and "{value}"'
                )
            else:
                pending_output = value
    if pending_format is not None:
        targets.append(Target(pending_format))
    if pending_output is not None:
        if targets:
            raise UsageError("--output", "", "one --format for each --output", f'--output "{pending_output}" alone')
        targets.append(Target("text", pending_output))
    # ``--output -`` is standard output, as for most command-line tools, not a file named "-".
    return [Target(t.format) if t.path == STDOUT else t for t in targets] or [Target("text")]


def check_targets(targets: Sequence[Target], force: bool) -> None:
    """Refuse, before any work: two formats on standard output, a file named twice, a file in the way."""
    to_stdout = [t.format for t in targets if t.path is None]
    if len(to_stdout) > 1:
        raise UsageError(
            "--format",
            "",
            "at most one format without --output (it goes to standard output)",
            ", ".join(to_stdout),
            "give each other format an --output FILE",
        )
    seen: dict[Path, str] = {}
    for t in targets:
        if t.path is None:
            continue
        key = Path(t.path).resolve()
        if key in seen:
            raise UsageError("--output", "", "a different file for each format", f'"{t.path}" twice')
        seen[key] = t.format
        path = Path(t.path)
        if path.is_dir():
            raise WriteError(t.path, "", "a file name", "a folder")
        if path.is_block_device():
            raise WriteError(t.path, "", "a file, a pipe or a character device", "a block device")
        if not force and (path.exists() or path.is_symlink()):
            raise WriteError(t.path, "", "a new file name", "a file that already exists", "use --force to replace it")
        if not path.parent.is_dir():
            raise WriteError(t.path, "", "a file in a folder that exists", f'no folder "{path.parent}"')


class Outputs:
    """Every target of a run open at once, each with its format's writer, fed verdict by verdict.

    Files are :class:`~reform_gate.files.AtomicFile`: written as the run goes, put in place by
    :meth:`close`, and gone without a trace by :meth:`discard` (an error, Ctrl-C, SIGTERM). So
    memory does not grow with the number of proposals, whatever the formats (``docs/cli.md``).
    Formats other than text go to standard output as UTF-8 whatever its encoding (they are file
    formats that say so), and text with the encoding of the terminal.
    """

    def __init__(self, targets: Sequence[Target], run: Run, stdout: TextIO, force: bool, details: bool) -> None:
        from ..files import AtomicFile  # only when a file is written: keeps start-up light

        self.files: list[AtomicFile] = []
        self.streams: list[io.TextIOWrapper] = []
        self.writers: list[Writer] = []
        try:
            for t in targets:
                if t.path is None:
                    stream = self._stdout(t.format, stdout)
                    options = run if t.format == "text" else evolve(run, color=False)
                else:
                    file = AtomicFile(t.path, overwrite=force)
                    self.files.append(file)
                    stream = file.stream
                    options = evolve(run, color=False)
                self.writers.append(open_writer(t.format, options, stream, details))
        except BaseException:
            self.discard()
            raise

    def _stdout(self, fmt: str, stdout: TextIO) -> TextIO:
        encoding = (getattr(stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
        if fmt == "text" or encoding in ("utf-8", "utf8") or not hasattr(stdout, "buffer"):
            return stdout
        stdout.flush()
        wrapper = io.TextIOWrapper(stdout.buffer, encoding="utf-8", errors="backslashreplace", write_through=True)
        self.streams.append(wrapper)
        return wrapper

    def add(self, verdict: Verdict) -> None:
        """Hand one verdict to every format."""
        for w in self.writers:
            w.add(verdict)

    def close(self, errors: Sequence[ReformGateError]) -> None:
        """Finish every format, then put every file in place."""
        try:
            for w in self.writers:
                w.close(errors)
            for file in self.files:
                file.commit()
        except BaseException:
            self.discard()
            raise
        finally:
            self._release()

    def discard(self) -> None:
        """Drop every file not yet put in place (the targets stay as they were)."""
        for file in self.files:
            file.discard()
        self._release()

    def _release(self) -> None:
        for wrapper in self.streams:
            wrapper.flush()
            wrapper.detach()  # standard output itself stays open
        self.streams = []


def write_targets(run: Run, targets: Sequence[Target], stdout: TextIO, force: bool, details: bool = False) -> None:
    """Render ``run`` to every target: files atomically, standard output as it comes."""
    outputs = Outputs(targets, evolve(run, verdicts=(), errors=()), stdout, force, details)
    try:
        for v in run.verdicts:
            outputs.add(v)
    except BaseException:
        outputs.discard()
        raise
    outputs.close(run.errors)
