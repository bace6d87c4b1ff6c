"""Invariant: the start-up path's structuring (``load/plain.py``) is the converter's, or steps aside.

For any data, :func:`reform_gate.load.plain.structure` either gives an object equal to the
converter's, or answers None and leaves the file to the converter, which then gives the object or
the errors users see. It never gives an object where the converter would refuse the file: error
messages come from one place. ``plain.unstructure`` is the converter's ``unstructure`` (the
audit digests use it).
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from reform_gate.errors import ReformGateError
from reform_gate.load import convert, plain
from reform_gate.model import Criteria, Ledger, Proposal

from ..strategies import criteria, proposals
from ..test_fuzz import CRITERIA, SEEDS, _load, _mutated, fuzz

LEDGER = SEEDS[0].parent / "evidence" / "afghanistan.toml"


def _same_as_the_converter(data: dict[str, Any], cls: type[Any]) -> object | None:
    ours = plain.structure(data, cls)
    try:
        theirs = convert.structure(data, cls, "f.toml")
    except ReformGateError:
        assert ours is None, "the start-up path took a file the converter refuses"
        return None
    if ours is not None:
        assert ours == theirs
        assert repr(ours) == repr(theirs)  # the same types too: 60 and 60.0 are equal but print apart
    return theirs


def _unstructured_alike(obj: object) -> None:
    ours, theirs = plain.unstructure(obj), convert.unstructure(obj)
    assert ours == theirs
    assert json.dumps(ours, default=str) == json.dumps(theirs, default=str)


def _through_toml(obj: Criteria | Proposal) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(tomli_w.dumps(convert.unstructure(obj)))
    return data


@given(criteria())
def test_generated_criteria_sets_structure_alike(c: Criteria) -> None:
    data = _through_toml(c)
    assert plain.structure(data, Criteria) == c
    _same_as_the_converter(data, Criteria)
    _unstructured_alike(c)


@given(criteria(max_rules=3, max_tiers=2).flatmap(proposals))
def test_generated_proposals_structure_alike(p: Proposal) -> None:
    data = _through_toml(p)
    assert plain.structure(data, Proposal) == p
    _same_as_the_converter(data, Proposal)
    _unstructured_alike(p)


def test_the_shipped_files_take_the_start_up_path() -> None:
    for path, cls in [(CRITERIA, Criteria), (LEDGER, Ledger), *((s, Proposal) for s in SEEDS)]:
        data = _load(path)
        assert plain.structure(data, cls) is not None, path
        obj = _same_as_the_converter(data, cls)
        _unstructured_alike(obj)


@fuzz
@given(data=st.data(), seed=st.sampled_from(SEEDS))
def test_damaged_proposals_are_structured_alike_or_left_to_the_converter(data: st.DataObject, seed: Any) -> None:
    _same_as_the_converter(data.draw(_mutated(_load(seed))), Proposal)


@fuzz
@given(data=st.data())
def test_damaged_criteria_sets_are_structured_alike_or_left_to_the_converter(data: st.DataObject) -> None:
    _same_as_the_converter(data.draw(_mutated(_load(CRITERIA))), Criteria)


@fuzz
@given(data=st.data())
def test_damaged_ledgers_are_structured_alike_or_left_to_the_converter(data: st.DataObject) -> None:
    _same_as_the_converter(data.draw(_mutated(_load(LEDGER))), Ledger)
