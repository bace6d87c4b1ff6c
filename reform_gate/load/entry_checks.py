"""What the types of an indicator's entries cannot say, in a proposal or an evidence file alike.

These checks need no criteria set: every entry has a source; a date known only to the month (or
year) is written on its first day; two entries of one indicator on one date agree, unless one
corrects the other with ``supersedes``; and each ``supersedes`` names another entry of the same
indicator in the same file, without a loop (``docs/format.md``, "Entries"). Each problem is
recorded and the checks go on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

from ..checks import Value, show_value
from ..errors import DanglingReferenceError, InvalidValueError, suggest
from ..model import Entries, Observation, entries_of
from .paths import PathPart
from .problems import Problems

__all__ = ["check_entries", "same_value"]


def same_value(a: Value, b: Value) -> bool:
    """Whether two observed values are the same (``true`` is not ``1``; ``60`` is ``60.0``)."""
    return isinstance(a, bool) == isinstance(b, bool) and a == b


def check_entries(observations: Mapping[str, Entries], p: Problems) -> None:
    """Check every indicator's entries in one file (``p`` names the file)."""
    for ident, held in observations.items():
        many = isinstance(held, tuple)
        entries = entries_of(held)
        paths: list[list[PathPart]] = [
            ["observations", ident, i] if many else ["observations", ident] for i in range(len(entries))
        ]
        for obs, path in zip(entries, paths, strict=True):
            _one(obs, path, p)
        _agree(ident, entries, paths, p)
        _supersedes(ident, entries, paths, p)


def _one(obs: Observation, path: list[PathPart], p: Problems) -> None:
    if not obs.source.strip():
        p.add(InvalidValueError, [*path, "source"], "a source: who reported the value, and where", f'"{obs.source}"')
    first = {"month": obs.as_of.replace(day=1), "year": obs.as_of.replace(month=1, day=1)}.get(obs.as_of_precision)
    if first is not None and first != obs.as_of:
        p.add(
            InvalidValueError,
            [*path, "as_of"],
            f'the first day of its {obs.as_of_precision} when as_of_precision = "{obs.as_of_precision}"',
            f"{obs.as_of.isoformat()} (a date)",
            f"write as_of = {first.isoformat()}: the entry counts from the end of its {obs.as_of_precision}",
        )


def _agree(ident: str, entries: tuple[Observation, ...], paths: list[list[PathPart]], p: Problems) -> None:
    """Entries of one date must agree, unless one supersedes the date (it corrects the other)."""
    corrected = {e.supersedes for e in entries if e.supersedes is not None}
    first: dict[_dt.date, int] = {}
    for i, obs in enumerate(entries):
        j = first.setdefault(obs.as_of, i)
        if j == i or obs.as_of in corrected or same_value(obs.value, entries[j].value):
            continue
        day = obs.as_of.isoformat()
        p.add(
            InvalidValueError,
            [*paths[i], "value"],
            f"the value of the other entry of {ident} on {day} ({show_value(entries[j].value)}, entry {j})",
            f"{show_value(obs.value)}: two entries of one date disagree",
            f"if this entry corrects the other, add supersedes = {day} to it",
        )


def _supersedes(ident: str, entries: tuple[Observation, ...], paths: list[list[PathPart]], p: Problems) -> None:
    dates = [e.as_of for e in entries]
    for i, obs in enumerate(entries):
        day = obs.supersedes
        if day is None:
            continue
        if not any(d == day and j != i for j, d in enumerate(dates)):
            others = [d.isoformat() for j, d in enumerate(dates) if j != i]
            p.add(
                DanglingReferenceError,
                [*paths[i], "supersedes"],
                f"the as_of of another entry of {ident} in this file ({', '.join(others)})",
                f"{day.isoformat()} (a date)",
                suggest(day.isoformat(), others),
            )
    loop = _loop(entries)
    if loop is not None:
        p.add(
            InvalidValueError,
            [*paths[loop], "supersedes"],
            "corrections that end: an entry may not, through others, supersede itself",
            f"a loop through {entries[loop].as_of.isoformat()}",
        )


def _loop(entries: tuple[Observation, ...]) -> int | None:
    """An entry from which following ``supersedes`` comes back to it, if any."""
    by_date: dict[_dt.date, list[int]] = {}
    for i, e in enumerate(entries):
        by_date.setdefault(e.as_of, []).append(i)
    for start in range(len(entries)):
        seen: set[int] = set()
        frontier = [start]
        while frontier:
            i = frontier.pop()
            day = entries[i].supersedes
            for j in by_date.get(day, []) if day is not None else []:
                if j == i:
                    continue
                if j == start:
                    return start
                if j not in seen:
                    seen.add(j)
                    frontier.append(j)
    return None
