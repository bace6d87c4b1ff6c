"""Derived criteria sets: ``extends`` in ``[criteria]``, resolved into one plain set before structuring.

A derived set names a base (a shipped id, or a path relative to the derived file, resolved as a
proposal's ``criteria`` is) and says only what differs (``docs/format.md``, "Derived sets"):

- ``[criteria]`` states the set's own ``id`` and ``version``; its other keys replace the base's;
- ``[drop]`` lists ``pillars``, ``indicators``, ``rules`` and ``tiers`` to leave out;
- ``[override.<collection>.<id>]`` replaces some keys of one base entry, each key whole (a
  ``check`` or a ``min_pillar`` table too); ``unset = [...]`` removes keys; a tier may move with
  ``after = "<tier>"`` or ``before = "<tier>"``;
- ``[[pillars]]``, ``[indicators.<id>]``, ``[[rules]]`` and ``[[tiers]]`` add entries, after the
  base's; a new tier goes to the top of the ladder unless it says ``after`` or ``before``.

The base is loaded (and checked) on its own first, so its problems are reported against its own
file. The merged data then goes through the ordinary converter and meaning checks, so the engine
never sees ``extends``; a problem there is reported against the derived file, at the line where the
key is written there (an entry that came unchanged from the base points at the ``extends`` line).
An override of an id the base does not have, a key that does not exist, and a chain of sets that
comes back to itself are errors with the usual file, line, key path and "did you mean".
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

from ..errors import (
    CriteriaNotFoundError,
    DuplicateIdError,
    InvalidFileError,
    InvalidValueError,
    MissingKeyError,
    OutsideRootError,
    ReformGateError,
    UnknownKeyError,
    describe,
    suggest,
)
from ..model import Criteria
from .paths import PathPart, format_path
from .problems import Problems
from .resolve import resolve_criteria

__all__ = ["COLLECTIONS", "Resolved", "is_derived", "refuse_changes", "resolve"]

#: The parts of a criteria set a derived set can drop, override and add to.
COLLECTIONS = ("pillars", "indicators", "rules", "tiers")
#: The keys a derived set may have at its top level.
_TOP = ("criteria", *COLLECTIONS, "override", "drop")
#: Keys that place a tier on the ladder, in a derived set only.
_PLACE = ("after", "before")

#: Loads a base criteria set from its path; the tuple is the chain of files extending it.
LoadBase = Callable[[Path, tuple[str, ...]], Criteria]
KeyPath = tuple[PathPart, ...]


@frozen
class Resolved:
    """A derived set merged with its base: plain criteria data, and the derived file's lines for it.

    ``sources`` pairs the key path of each merged entry written in the derived file with the path
    where it is written there (``rules[CT-2]`` with ``override.rules.CT-2``), for :meth:`relabel`.
    """

    data: dict[str, Any]
    lines: dict[KeyPath, int]
    base: Criteria
    sources: tuple[tuple[str, str], ...] = ()
    #: Each id left out by ``[drop]``, with its collection.
    dropped: tuple[tuple[str, str], ...] = ()

    def relabel(self, error: ReformGateError) -> ReformGateError:
        """``error`` (found in the merged data) with each key path as the derived file writes it,
        and a reference to a dropped id explained."""
        problems = list(error.problems())
        gone = {f'"{ident}"': collection for collection, ident in self.dropped}
        for problem in problems:
            if problem.found in gone:
                entry = re.match(r"(pillars|rules|tiers)\[([^\]]+)\]", problem.path)
                place = f"[override.{entry.group(1)}.{entry.group(2)}]" if entry else "the entry"
                problem.hint = (
                    f"{problem.found} is left out by [drop] {gone[problem.found]}: "
                    f"write {place} so that it no longer names it"
                )
                problem.args = (problem.render(),)
            for merged, written in self.sources:
                rest = problem.path[len(merged) :]
                if problem.path.startswith(merged) and rest[:1] in ("", ".", "["):
                    problem.path = written + rest
                    problem.args = (problem.render(),)
                    break
        return InvalidFileError.of(problems)


def is_derived(data: Mapping[str, Any]) -> bool:
    """Whether parsed criteria data extends another set."""
    info = data.get("criteria")
    return isinstance(info, dict) and "extends" in info


def resolve(
    data: dict[str, Any],
    text: str,
    file: str,
    path: str | None,
    chain: tuple[str, ...],
    load_base: LoadBase,
    root: str | Path | None = None,
) -> Resolved:
    """Merge the derived set ``data`` (the text of ``file``, read from ``path``) with its base.

    ``chain`` holds the files already being resolved (for cycles); ``load_base`` loads the base.
    Raises every problem of the derived parts together, in line order.
    """
    p = Problems(file, text, data)
    here = str(Path(path).resolve()) if path else f"<text {file}>"
    base = _base(data["criteria"]["extends"], p, path, (*chain, here), load_base, root)
    derived = _Derived(data, base, p)
    derived.check()
    p.raise_found()
    merged, origins = derived.merge()
    p.raise_found()
    dropped = tuple((c, ident) for c in COLLECTIONS for ident in sorted(derived.dropped[c]))
    return Resolved(merged, _lines(p.lines(), origins), base, _sources(merged, origins, data), dropped)


def refuse_changes(data: Mapping[str, Any], text: str, file: str) -> None:
    """A set without ``extends`` that has ``[drop]`` or ``[override]``: say what they need."""
    p = Problems(file, text, data)
    for key in ("override", "drop"):
        if key in data:
            p.add(
                UnknownKeyError,
                [key],
                "one of criteria, pillars, indicators, rules, tiers",
                f'"{key}"',
                f'[{key}] belongs to a derived set: name its base with extends = "..." in [criteria]',
            )
    p.raise_found()


# --- the base ------------------------------------------------------------------------------------


def _base(
    ref: Any, p: Problems, path: str | None, chain: tuple[str, ...], load_base: LoadBase, root: str | Path | None
) -> Criteria:
    at: KeyPath = ("criteria", "extends")
    if not isinstance(ref, str) or not ref:
        p.add(InvalidValueError, at, "the id of a shipped criteria set or the path of a criteria file", describe(ref))
        p.raise_found()
    folder = Path(path).parent if path else Path.cwd()
    try:
        found = resolve_criteria(ref, folder, p.file, "criteria.extends", root)
    except (CriteriaNotFoundError, OutsideRootError) as err:
        expected = err.expected.replace("relative to the proposal", "relative to this file")
        raise type(err)(p.file, "criteria.extends", expected, err.found, err.hint, p.line(at)) from None
    key = str(found.resolve())
    if key in chain:
        loop = [*chain[chain.index(key) :], key]
        p.add(
            InvalidValueError,
            at,
            "a base that does not extend this set again",
            "a cycle: " + " extends ".join(Path(x).name for x in loop),
        )
        p.raise_found()
    return load_base(found, chain)


# --- the derived parts ---------------------------------------------------------------------------


def _ids(base: dict[str, Any], collection: str) -> list[str]:
    """The ids of one collection of the base's data, in order."""
    if collection == "indicators":
        return list(base.get("indicators", {}))
    return [x["id"] for x in base.get(collection, [])]


def _words(collection: str) -> str:
    return {"pillars": "pillar", "indicators": "indicator", "rules": "rule", "tiers": "tier"}[collection]


class _Derived:
    """The derived file's data against its base's: checks, then the merge."""

    def __init__(self, data: dict[str, Any], base: Criteria, p: Problems) -> None:
        self.data = data
        self.base = base
        from .convert import unstructure  # only for derived sets: the converter stays off the start-up path

        self.base_data: dict[str, Any] = copy.deepcopy(unstructure(base))
        self.p = p
        self.dropped: dict[str, set[str]] = {c: set() for c in COLLECTIONS}
        self.overrides: dict[str, dict[str, dict[str, Any]]] = {c: {} for c in COLLECTIONS}

    # --- checks ------------------------------------------------------------------------------

    def check(self) -> None:
        p = self.p
        for key in self.data:
            if key not in _TOP:
                p.add(UnknownKeyError, [key], "one of " + ", ".join(_TOP), f'"{key}"', suggest(key, _TOP))
        self._check_identity()
        self._check_drop()
        self._check_overrides()
        self._check_additions()

    def _check_identity(self) -> None:
        """A derived set states its own id and version; with the base's id, a higher version."""
        info = self.data["criteria"]
        base = self.base.criteria
        for key in ("id", "version"):
            if key not in info:
                self.p.add(
                    MissingKeyError,
                    ["criteria", key],
                    f"the derived set's own {key} (a set that extends {base.id} {base.version} states both)",
                    "nothing: the key is absent",
                )
        ident, version = info.get("id"), info.get("version")
        if ident == base.id and isinstance(version, str) and not _newer(version, base.version):
            self.p.add(
                InvalidValueError,
                ["criteria", "version"],
                f"a version above {base.version}: a set that keeps the id {base.id} must bump its version",
                describe(version),
            )

    def _table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            self.p.add(InvalidValueError, [key], f"a table ([{key}])", describe(value))
            return {}
        for name in value:
            if name not in COLLECTIONS:
                self.p.add(
                    UnknownKeyError,
                    [key, name],
                    "one of " + ", ".join(COLLECTIONS),
                    f'"{name}"',
                    suggest(name, COLLECTIONS),
                )
        return {k: v for k, v in value.items() if k in COLLECTIONS}

    def _check_drop(self) -> None:
        for collection, ids in self._table("drop").items():
            at: list[PathPart] = ["drop", collection]
            if not isinstance(ids, list) or not all(isinstance(x, str) for x in ids):
                self.p.add(InvalidValueError, at, f"an array of {_words(collection)} ids", describe(ids))
                continue
            known = _ids(self.base_data, collection)
            for j, ident in enumerate(ids):
                if self.p.known([*at, j], ident, known, f"{_words(collection)} of {self.base.id}"):
                    self.dropped[collection].add(ident)

    def _check_overrides(self) -> None:
        for collection, entries in self._table("override").items():
            at: list[PathPart] = ["override", collection]
            if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
                self.p.add(
                    InvalidValueError,
                    at,
                    f"a table per {_words(collection)} id: [override.{collection}.<id>]",
                    describe(entries),
                )
                continue
            known = _ids(self.base_data, collection)
            for ident, table in entries.items():
                where = [*at, ident]
                if not self.p.known(where, ident, known, f"{_words(collection)} of {self.base.id}"):
                    continue
                if ident in self.dropped[collection]:
                    self.p.add(
                        InvalidValueError,
                        where,
                        f"an override of a {_words(collection)} that is kept (not listed in [drop])",
                        f'"{ident}", which [drop] {collection} leaves out',
                    )
                    continue
                if "id" in table:
                    self.p.add(
                        InvalidValueError,
                        [*where, "id"],
                        "no id: the table's name is the id (to rename, drop it and add it anew)",
                        describe(table["id"]),
                    )
                self._check_unset(where, table, self._base_entry(collection, ident))
                if collection != "tiers":
                    for key in _PLACE:
                        if key in table:
                            self.p.add(UnknownKeyError, [*where, key], "after and before only on tiers", f'"{key}"')
                self.overrides[collection][ident] = table

    def _check_unset(self, where: list[PathPart], table: dict[str, Any], entry: dict[str, Any]) -> None:
        unset = table.get("unset", [])
        if not isinstance(unset, list) or not all(isinstance(x, str) for x in unset):
            self.p.add(InvalidValueError, [*where, "unset"], "an array of key names", describe(unset))
            return
        for j, key in enumerate(unset):
            if key not in entry:
                have = [k for k in entry if k != "id"]
                self.p.add(
                    UnknownKeyError,
                    [*where, "unset", j],
                    "a key the base sets (" + ", ".join(have) + ")",
                    f'"{key}"',
                    suggest(key, have),
                )
            elif key in table:
                self.p.add(InvalidValueError, [*where, "unset", j], "a key not also set here", f'"{key}", set here too')

    def _base_entry(self, collection: str, ident: str) -> dict[str, Any]:
        if collection == "indicators":
            found: dict[str, Any] = self.base_data["indicators"][ident]
            return found
        return next(x for x in self.base_data[collection] if x["id"] == ident)

    def _check_additions(self) -> None:
        for collection in COLLECTIONS:
            added = self.data.get(collection)
            if added is None:
                continue
            items: list[tuple[PathPart, Any]] = []
            if collection == "indicators" and isinstance(added, dict):
                items = [(ident, ident) for ident in added]
            elif collection != "indicators" and isinstance(added, list):
                items = [(j, x.get("id")) for j, x in enumerate(added) if isinstance(x, dict)]
            else:
                shape = (
                    "a table per indicator ([indicators.<id>])"
                    if collection == "indicators"
                    else (f"an array of tables ([[{collection}]])")
                )
                self.p.add(InvalidValueError, [collection], shape, describe(added))
                continue
            kept = set(_ids(self.base_data, collection)) - self.dropped[collection]
            for part, ident in items:
                if isinstance(ident, str) and ident in kept:
                    self.p.add(
                        DuplicateIdError,
                        [collection, part] if collection == "indicators" else [collection, part, "id"],
                        f"a {_words(collection)} id the base does not have ({self.base.id} has {ident})",
                        f'"{ident}"',
                        f"to change some of its keys write [override.{collection}.{ident}]; "
                        f"to replace it whole, list it in [drop] {collection} and add it here",
                    )

    # --- the merge ---------------------------------------------------------------------------

    def merge(self) -> tuple[dict[str, Any], dict[str, list[tuple[str, PathPart]]]]:
        """The merged data, and where each entry of each collection came from:
        ``("base", id)``, ``("override", id)`` or ``("add", index or id in the derived file)``."""
        out: dict[str, Any] = {}
        info = dict(self.base_data["criteria"])
        info.update({k: v for k, v in self.data["criteria"].items() if k != "extends"})
        out["criteria"] = info
        origins: dict[str, list[tuple[str, PathPart]]] = {}
        for collection in COLLECTIONS:
            merged, origin = self._merge(collection)
            if collection == "indicators":
                out[collection] = dict(merged)
            else:
                out[collection] = [entry for _, entry in merged]
            origins[collection] = origin
        if "tiers" in out:
            self._place(out["tiers"], origins["tiers"])
        return out, origins

    def _merge(self, collection: str) -> tuple[list[tuple[str, Any]], list[tuple[str, PathPart]]]:
        base = self.base_data.get(collection, {} if collection == "indicators" else [])
        pairs = list(base.items()) if collection == "indicators" else [(x["id"], x) for x in base]
        merged: list[tuple[str, Any]] = []
        origin: list[tuple[str, PathPart]] = []
        for ident, entry in pairs:
            if ident in self.dropped[collection]:
                continue
            table = self.overrides[collection].get(ident)
            if table is None:
                merged.append((ident, entry))
                origin.append(("base", ident))
                continue
            changed = {k: v for k, v in entry.items() if k not in table.get("unset", [])}
            changed.update({k: copy.deepcopy(v) for k, v in table.items() if k != "unset"})
            merged.append((ident, changed))
            origin.append(("override", ident))
        added = self.data.get(collection)
        if isinstance(added, dict) and collection == "indicators":
            for ident, entry in added.items():
                merged.append((ident, copy.deepcopy(entry)))
                origin.append(("add", ident))
        elif isinstance(added, list):
            for j, entry in enumerate(added):
                ident = entry.get("id") if isinstance(entry, dict) else None
                merged.append((ident if isinstance(ident, str) else "", copy.deepcopy(entry)))
                origin.append(("add", j))
        return merged, origin

    def _place(self, tiers: list[Any], origin: list[tuple[str, PathPart]]) -> None:
        """Move each tier that says ``after`` or ``before`` to its place, in the order written."""
        for i in [i for i, t in enumerate(tiers) if isinstance(t, dict) and any(k in t for k in _PLACE)]:
            tier = tiers[i]
            where = self._source_path("tiers", origin[i])
            keys = [k for k in _PLACE if k in tier]
            if len(keys) > 1:
                self.p.add(InvalidValueError, [*where, "before"], "after or before, not both", "both")
            key = keys[0]
            target = tier.pop(key)
            for other in keys[1:]:
                tier.pop(other)
            ids = [t.get("id") for t in tiers if isinstance(t, dict) and t is not tier]
            if not isinstance(target, str) or target not in ids:
                choices = [x for x in ids if isinstance(x, str)]
                if isinstance(target, str):
                    self.p.known([*where, key], target, choices, "tier")
                else:
                    self.p.add(InvalidValueError, [*where, key], "the id of a tier", describe(target))
                continue
            at = tiers.index(tier)
            tiers.pop(at)
            moved = origin.pop(at)
            goal = next(j for j, t in enumerate(tiers) if isinstance(t, dict) and t.get("id") == target)
            goal += 1 if key == "after" else 0
            tiers.insert(goal, tier)
            origin.insert(goal, moved)

    @staticmethod
    def _source_path(collection: str, origin: tuple[str, PathPart]) -> list[PathPart]:
        kind, ref = origin
        return ["override", collection, ref] if kind == "override" else [collection, ref]


def _newer(version: str, than: str) -> bool:
    """Whether ``version`` is above ``than``, part by part (numbers as numbers): 1.10 > 1.9 > 1.9-rc."""

    def parts(v: str) -> list[tuple[int, int | str]]:
        out: list[tuple[int, int | str]] = []
        for piece in v.replace("-", ".").split("."):
            out.append((1, int(piece)) if piece.isdigit() else (0, piece))
        return out

    return parts(version) > parts(than)


# --- lines and key paths -------------------------------------------------------------------------


def _sources(
    merged: dict[str, Any], origins: dict[str, list[tuple[str, PathPart]]], data: dict[str, Any]
) -> tuple[tuple[str, str], ...]:
    """(merged key path, key path in the derived file) for each entry the derived file writes."""
    out: list[tuple[str, str]] = []
    for collection, origin in origins.items():
        for position, (kind, ref) in enumerate(origin):
            if kind == "base":
                continue
            at: list[PathPart] = [collection, ref if collection == "indicators" else position]
            source: list[PathPart] = ["override", collection, ref] if kind == "override" else [collection, ref]
            out.append((format_path(at, merged), format_path(source, data)))
    # Longest first, so that rules[1] never claims rules[12].
    return tuple(sorted(out, key=lambda pair: -len(pair[0])))


def _lines(lines: Mapping[KeyPath, int], origins: dict[str, list[tuple[str, PathPart]]]) -> dict[KeyPath, int]:
    """The merged set's key paths mapped to lines of the derived file.

    A key written in the derived file keeps its line; an entry that came unchanged from the base
    points at the ``extends`` line, through its collection's own path.
    """
    out: dict[KeyPath, int] = {k: v for k, v in lines.items() if k and k[0] == "criteria" and k[1:2] != ("extends",)}
    extends = lines.get(("criteria", "extends"))
    for collection, origin in origins.items():
        if extends is not None:
            out[(collection,)] = extends
        for position, (kind, ref) in enumerate(origin):
            merged: KeyPath = (collection, ref if collection == "indicators" else position)
            if kind == "base":
                continue
            source: KeyPath = ("override", collection, ref) if kind == "override" else (collection, ref)
            for key, line in lines.items():
                if key[: len(source)] == source:
                    out[(*merged, *key[len(source) :])] = line
    return out
