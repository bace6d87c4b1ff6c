"""The one converter: strict about types, every problem of a file at once, check kinds from the registry."""

from __future__ import annotations

import datetime as dt

import pytest

from reform_gate import checks
from reform_gate import model as m
from reform_gate.errors import InvalidFileError, InvalidValueError, ReformGateError, UnknownKeyError
from reform_gate.load.convert import format_path, structure, unstructure

OBSERVATION = {"value": True, "source": "s", "as_of": dt.date(2024, 1, 1), "reliability": "B2"}


def test_no_silent_coercion() -> None:
    """``"5"`` is not a number, ``5.7`` not an integer, a string not an array."""
    for data, cls in (
        ({"count": "5"}, m.MinMet),
        ({"count": 5.7}, m.MinMet),
        ({"count": 1, "among": "CT-1"}, m.MinMet),
    ):
        with pytest.raises(InvalidValueError):
            structure(data, cls, "f.toml")


def test_grades_are_checked_with_the_shapes() -> None:
    """A bad grade and an unknown key of one observation are both reported."""
    data = {**OBSERVATION, "reliability": "b2", "sorce": "x"}
    with pytest.raises(InvalidFileError) as info:
        structure(data, m.Observation, "f.toml")
    found = {(p.path, type(p)) for p in info.value.problems()}
    assert found == {("reliability", InvalidValueError), ("sorce", UnknownKeyError)}


def test_every_element_of_an_array_is_checked() -> None:
    """Two bad elements of one array: two problems, each at its index."""
    with pytest.raises(InvalidFileError) as info:
        structure({"count": 1, "among": ["A", 2, 3]}, m.MinMet, "f.toml")
    assert [p.path for p in info.value.problems()] == ["among[1]", "among[2]"]


@pytest.mark.parametrize("key", sorted(checks.KINDS))
def test_each_registered_kind_structures_and_unstructures(key: str) -> None:
    """A check table of every kind in the registry becomes its class and back into the same table."""
    argument = {
        "value": True,
        "values": [True, False],
        "number": 3,
        "pair": [0, 10],
        "credits": {"closed": 0, "open": 1},
    }[checks.KINDS[key].argument]
    table = {"indicator": "x", key: argument}
    check = structure(table, checks.Check, "f.toml")  # type: ignore[arg-type]
    assert isinstance(check, checks.KINDS[key].cls)
    assert unstructure(check) == table


def test_a_check_with_an_unknown_key_names_it_and_suggests() -> None:
    """``at_lest`` is an unknown check key with a "did you mean"."""
    with pytest.raises(ReformGateError) as info:
        structure({"indicator": "x", "at_lest": 3}, checks.Check, "f.toml")  # type: ignore[arg-type]
    assert info.value.path == "at_lest"
    assert info.value.hint == 'did you mean "at_least"?'


def test_format_path_names_unique_ids() -> None:
    """An element of an array of tables is named by its id when unique and plain, else by its index."""
    data = {"rules": [{"id": "CT-1"}, {"id": "CT-1"}, {"id": "weird id"}, {"id": "CT-3"}]}
    assert format_path(["rules", 0, "weight"], data) == "rules[0].weight"
    assert format_path(["rules", 2, "weight"], data) == "rules[2].weight"
    assert format_path(["rules", 3, "check", "scale", 1], data) == "rules[CT-3].check.scale[1]"
    assert format_path(["observations", "a.b", "value"]) == 'observations."a.b".value'
