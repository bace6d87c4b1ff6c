"""Evidence files: which file a proposal's ``evidence`` entry means, and what is checked across files.

A proposal names evidence files by paths relative to its own folder. :func:`resolve_evidence` is
the one place that turns such a path into a file, and the one place that keeps it inside the
proposal's root (``docs/format.md``, "Evidence files"): a proposal may not make reform-gate read a
file outside the folder tree it belongs to. The checks here need several files at once: an
evidence file's indicators against a criteria set, a proposal's evidence files against its
counterpart and against each other.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from pathlib import Path

from ..checks import Value, show_value
from ..errors import InvalidValueError, OutsideRootError, ReformGateError
from ..model import Criteria, Ledger, Proposal, entries_of, withdrawn
from .criteria_checks import check_entry_values
from .entry_checks import same_value
from .problems import Problems
from .resolve import contained, shown

__all__ = [
    "check_counterpart",
    "check_ledger",
    "disagreements",
    "evidence_root",
    "relocated",
    "resolve_evidence",
    "shown_evidence",
]


def evidence_root(proposal_path: str | None) -> Path:
    """The folder a proposal's evidence files must lie under: the working folder when the proposal
    lies under it (or came from no file), else the proposal's own folder."""
    cwd = Path.cwd().resolve()
    if proposal_path is None:
        return cwd
    folder = Path(proposal_path).resolve().parent
    return cwd if folder.is_relative_to(cwd) else folder


def resolve_evidence(ref: str, proposal_path: str | None, root: Path | None = None) -> Path:
    """The evidence file ``ref`` names, relative to the proposal's folder (the working folder for a
    proposal from text), after checking that it exists and, links followed, lies under ``root``
    (default :func:`evidence_root`).

    Raises an :class:`~reform_gate.errors.InvalidValueError` without file or line; the caller
    places it at the ``proposal.evidence`` entry.
    """
    base = Path(proposal_path).parent if proposal_path is not None else Path()
    candidate = base / ref
    limit = (root if root is not None else evidence_root(proposal_path)).resolve()
    try:
        contained(candidate, limit, "")  # the one rule for paths a file names (docs/security.md)
    except OutsideRootError:
        raise InvalidValueError(
            "",
            "",
            f"an evidence file under {_folder_words(limit)}, the folder this proposal's files must stay in",
            f'"{ref}", which leads outside it',
            "keep evidence files beside the proposals that read them, or in a folder below",
        ) from None
    if not candidate.is_file():
        found = "a folder" if candidate.is_dir() else "no such file"
        raise InvalidValueError(
            "", "", "the path of an evidence file, relative to the proposal's folder", f'"{ref}" ({found})'
        )
    return candidate


def _folder_words(folder: Path) -> str:
    """A folder as an error names it, the same on every machine: relative to the working folder."""
    where = shown(folder)
    return "the working folder" if where in ("", ".") else where


def shown_evidence(path: Path) -> str:
    """An evidence file's path as outputs show it: normalised, and relative to the working folder
    when it lies under it."""
    text = os.path.normpath(path)
    if os.path.isabs(text):
        try:
            return Path(text).relative_to(Path.cwd()).as_posix()
        except ValueError:
            return Path(text).as_posix()
    return Path(text).as_posix()


def check_ledger(ledger: Ledger, criteria: Criteria, p: Problems, *, every_id: bool) -> None:
    """Each entry's indicator and value against ``criteria``.

    With ``every_id`` (the set the evidence file names), an unknown indicator is an error; a
    proposal scored under another set reads only the indicators the two sets share, so there the
    others are left aside and only the values of the shared ones are checked.
    """
    for ident, held in ledger.observations.items():
        if ident not in criteria.indicators:
            if every_id:
                p.known(["observations", ident], ident, criteria.indicators, f"indicator of {criteria.id}")
            continue
        check_entry_values(p, ident, held, criteria.indicators[ident])


def check_counterpart(proposal: Proposal, ledger: Ledger, index: int, p: Problems) -> None:
    """An evidence file about another counterpart is the wrong file."""
    ours, theirs = proposal.proposal.counterpart, ledger.evidence.counterpart
    if ours != theirs:
        p.add(
            InvalidValueError,
            ["proposal", "evidence", index],
            f'an evidence file about the proposal\'s counterpart, "{ours}"',
            f'{ledger.file or ledger.id}, about "{theirs}"',
            "name the evidence file of this counterpart, or make the two counterparts read alike",
        )


def disagreements(ledgers: Sequence[Ledger], p: Problems) -> None:
    """Two evidence files of one proposal that disagree on an indicator's value on one date.

    Within one file an entry may correct another (``supersedes``); across files nothing says
    which is right, so the disagreement is an error at the second file's place in
    ``proposal.evidence``.
    """
    seen: dict[tuple[str, _dt.date], tuple[Value, str]] = {}
    for index, ledger in enumerate(ledgers):
        name = ledger.file or ledger.id
        for ident, held in ledger.observations.items():
            entries = entries_of(held)
            gone = withdrawn(entries)
            for i, obs in enumerate(entries):
                if i in gone:
                    continue
                value, where = seen.setdefault((ident, obs.as_of), (obs.value, name))
                if where == name or same_value(obs.value, value):
                    continue
                p.add(
                    InvalidValueError,
                    ["proposal", "evidence", index],
                    f"evidence files that agree: {ident} on {obs.as_of.isoformat()} is {show_value(value)} in {where}",
                    f"{show_value(obs.value)} in {name}",
                    "correct one of the files, or stop reading one of them",
                )


def relocated(err: ReformGateError, p: Problems, path: list[str | int]) -> None:
    """Record ``err`` (raised without a place) at ``path`` of ``p``'s file."""
    p.add(type(err), path, err.expected, err.found, err.hint)
