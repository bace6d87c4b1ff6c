"""Values derived from a frozen object (a criteria set), computed once instead of once per proposal.

A criteria set scores thousands of proposals in a batch; its rule lookups, compiled tier
requirements and digest are the same for each. Model objects are frozen attrs classes with dict
fields (so unhashable, and without room for extra attributes): the cache is keyed by identity and
holds the object itself, so an id is never reused while its entry lives. The few most recent
objects are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["by_id", "derived", "index"]

T = TypeVar("T")

#: Objects whose derived values are kept; the oldest entry goes first.
SIZE = 32

_entries: dict[int, tuple[object, dict[str, Any]]] = {}


def derived(owner: object, name: str, build: Callable[[], T]) -> T:
    """``build()``, computed once per ``owner`` and ``name``."""
    entry = _entries.get(id(owner))
    if entry is None or entry[0] is not owner:
        while len(_entries) >= SIZE:
            del _entries[next(iter(_entries))]
        entry = (owner, {})
        _entries[id(owner)] = entry
    values = entry[1]
    if name not in values:
        values[name] = build()
    value: T = values[name]
    return value


def index(owner: object, attribute: str) -> dict[str, Any]:
    """``owner.<attribute>`` (a tuple of things with ids) by id, built once: a lookup per call.

    Rule lookups are the innermost step of scoring and of the gap search, so the common case
    (already built) is kept to two dict lookups, with no closure made per call.
    """
    entry = _entries.get(id(owner))
    if entry is not None and entry[0] is owner:
        found: dict[str, Any] | None = entry[1].get(attribute)
        if found is not None:
            return found
    return derived(owner, attribute, lambda: by_id(getattr(owner, attribute)))


def by_id(items: tuple[Any, ...]) -> dict[str, Any]:
    """Items by their ``id``; with a repeated id the first wins (as a linear search would)."""
    out: dict[str, Any] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out
