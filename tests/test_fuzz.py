"""Robustness: whatever a file holds, loading and scoring it ends in a verdict or one ReformGateError.

The loaders get random bytes, random TOML of any shape, and the shipped criteria set and seed
proposals with random parts replaced (wrong types, huge and tiny numbers, NaN and infinities,
unicode, long strings, deep nesting, unknown and missing keys). Any other exception is a bug.
An error names its file and, unless it is about the whole file (syntax, size, depth, reading),
the key path of the problem. ``HYPOTHESIS_PROFILE=thorough`` runs many more examples.
"""

from __future__ import annotations

import datetime as _dt
import math
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reform_gate
from reform_gate.errors import (
    InputTooLargeError,
    ReformGateError,
    TomlSyntaxError,
    UsageError,
)
from reform_gate.load import MAX_BYTES, MAX_DEPTH, load_document, read_toml
from reform_gate.verdict import Verdict

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))
CRITERIA = ROOT / "criteria" / "reform-before-recognition.toml"

#: Errors about the file as a whole: they need no key path.
WHOLE_FILE = (TomlSyntaxError, InputTooLargeError, UsageError)

fuzz = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _outcome(path: Path) -> Verdict | reform_gate.Criteria | ReformGateError:
    """Load ``path``; score it when it is a proposal. Only a ReformGateError may escape, and is returned."""
    try:
        doc = load_document(path)
        if isinstance(doc, reform_gate.Criteria):
            return doc
        return reform_gate.score(doc, reform_gate.criteria_for(doc))
    except ReformGateError as err:
        _check_error(err, path)
        return err


def _check_error(err: ReformGateError, path: Path) -> None:
    """An error names a file, has a key path unless it is about the whole file, and renders."""
    assert err.file, err
    assert err.path or isinstance(err, WHOLE_FILE) or err.file != str(path), err.render()
    assert err.expected and err.found, err.render()
    assert err.render().startswith(err.where())


# --- values that stress a loader ---------------------------------------------------------------

_text = (
    st.text(max_size=40) | st.text(min_size=1000, max_size=5000) | st.sampled_from(["", "\x00", "é", "🙂", "\u202e"])
)
_numbers = (
    st.integers()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.sampled_from([0, -1, 2**63 - 1, -(2**63), 10**30])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([math.nan, math.inf, -math.inf, 5e-324, 1.7976931348623157e308, -0.0])
)
_dates = st.dates() | st.datetimes() | st.times()
_scalars = _text | _numbers | st.booleans() | _dates


def _tables(depth: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    """TOML-able tables of any shape (keys from the formats' own words, so shapes half-match)."""
    words = st.sampled_from(
        ["proposal", "criteria", "observations", "rules", "tiers", "pillars", "indicators", "id", "value", "check"]
    )
    keys = words | st.text(min_size=1, max_size=12)
    values = st.recursive(
        _scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )
    return st.dictionaries(keys, values, max_size=6)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _dump(data: dict[str, Any]) -> str | None:
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):
        return None


# --- random bytes and random documents ---------------------------------------------------------


@fuzz
@given(raw=st.binary(max_size=2000))
def test_random_bytes_give_a_verdict_or_an_error(folder: Path, raw: bytes) -> None:
    """Any bytes at all: a verdict, a loaded criteria set, or one ReformGateError."""
    _outcome(_write(folder, "bytes.toml", raw))


@fuzz
@given(text=st.text(alphabet=st.sampled_from(list("[]{}=\"'.,#\n \tabc123-_:TZ+e")), max_size=300))
def test_random_toml_like_text_gives_a_verdict_or_an_error(folder: Path, text: str) -> None:
    """Text made of TOML's own punctuation (mostly invalid, sometimes not): never a traceback."""
    _outcome(_write(folder, "punct.toml", text))


@fuzz
@given(data=_tables())
def test_valid_toml_of_any_shape_gives_a_verdict_or_an_error(folder: Path, data: dict[str, Any]) -> None:
    """Valid TOML that is neither a proposal nor a criteria set, or half of one."""
    text = _dump(data)
    assume(text is not None)
    assert text is not None
    _outcome(_write(folder, "shape.toml", text))


# --- the real files with parts replaced ----------------------------------------------------------


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in ``data`` (tables and arrays), shallow first."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, value)}
    copy = list(data)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _delete(data: Any, path: tuple[Any, ...]) -> Any:
    head, rest = path[0], path[1:]
    if rest:
        return _replace(data, (head,), _delete(data[head], rest))
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k != head}
    return [v for i, v in enumerate(data) if i != head]


@st.composite
def _mutated(draw: st.DrawFn, original: dict[str, Any]) -> dict[str, Any]:
    """``original`` with one to three parts replaced by any value, deleted, or given a new key."""
    data: Any = original
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "delete":
            data = _delete(data, path)
        elif action == "add":
            target = path[:-1]
            node = data
            for part in target:
                node = node[part]
            if isinstance(node, dict):
                data = _replace(data, target, {**node, draw(st.text(min_size=1, max_size=10)): draw(_scalars)})
        else:
            value = draw(_scalars | st.lists(_scalars, max_size=3) | st.dictionaries(st.text(max_size=5), _scalars))
            data = _replace(data, path, value)
    return data  # type: ignore[no-any-return]


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


@fuzz
@given(data=st.data(), seed=st.sampled_from(SEEDS))
def test_mutated_seed_proposals_give_a_verdict_or_an_error(folder: Path, data: st.DataObject, seed: Path) -> None:
    """A seed proposal with wrong types, strange values, missing or unknown keys."""
    doc = data.draw(_mutated(_load(seed)))
    text = _dump(doc)
    assume(text is not None)
    assert text is not None
    _outcome(_write(folder, "proposal.toml", text))


@fuzz
@given(data=st.data())
def test_mutated_criteria_give_a_verdict_or_an_error(folder: Path, data: st.DataObject) -> None:
    """The shipped criteria set, damaged, then a seed proposal scored against it."""
    doc = data.draw(_mutated(_load(CRITERIA)))
    text = _dump(doc)
    assume(text is not None)
    assert text is not None
    crit = _write(folder, "criteria.toml", text)
    outcome = _outcome(crit)
    if not isinstance(outcome, reform_gate.Criteria):
        return
    proposal = _load(SEEDS[0])
    proposal["proposal"]["criteria"] = "criteria.toml"
    _outcome(_write(folder, "against.toml", tomli_w.dumps(proposal)))


@fuzz
@given(
    ident=st.sampled_from(["safe_haven_denied", "girls_secondary_schooling", "poppy_cultivation_ha", "nope"]),
    value=_scalars,
    as_of=_dates,
    reliability=_text,
)
def test_any_observation_gives_a_verdict_or_an_error(
    folder: Path, ident: str, value: Any, as_of: Any, reliability: str
) -> None:
    """One observation of any value, date and grade, on a real or an unknown indicator."""
    proposal = _load(SEEDS[0])
    proposal["observations"] = {ident: {"value": value, "source": "s", "as_of": as_of, "reliability": reliability}}
    text = _dump(proposal)
    assume(text is not None)
    assert text is not None
    _outcome(_write(folder, "observation.toml", text))


# --- the limits ----------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_parsing(folder: Path) -> None:
    """MAX_BYTES: the message gives the limit and the size found."""
    path = _write(folder, "huge.toml", "# " + "x" * MAX_BYTES + "\n")
    with pytest.raises(InputTooLargeError) as caught:
        read_toml(path)
    size = path.stat().st_size
    assert caught.value.render() == (
        f"{path}: input too large\n  expected: at most {MAX_BYTES:,} bytes\n  found:    {size:,} bytes"
    )


@pytest.mark.parametrize("kind", ["arrays", "inline tables", "tables"])
def test_nesting_past_the_limit_is_refused(folder: Path, kind: str) -> None:
    """MAX_DEPTH: one level too deep, by arrays, inline tables or dotted table headers."""
    depth = MAX_DEPTH + 1
    if kind == "arrays":
        text = "a = " + "[" * depth + "]" * depth + "\n"
    elif kind == "inline tables":
        text = "a = " + "{ b = " * (depth - 1) + "1" + " }" * (depth - 1) + "\n"
    else:
        text = "[" + ".".join(["t"] * depth) + "]\n"
    path = _write(folder, "deep.toml", text)
    with pytest.raises(InputTooLargeError) as caught:
        read_toml(path)
    if kind == "tables":
        # A header of more parts than the nesting limit is refused before parsing, at its line.
        assert caught.value.expected == f"keys of at most {MAX_DEPTH} parts"
        assert caught.value.found == f"a key of {depth} parts" and caught.value.line == 1
        return
    assert caught.value.expected == f"at most {MAX_DEPTH} levels of nesting"
    assert caught.value.found == f"{depth} levels"


def test_nesting_at_the_limit_is_accepted(folder: Path) -> None:
    """Exactly MAX_DEPTH levels parse (and then fail only for their shape)."""
    path = _write(folder, "deep-ok.toml", "[" + ".".join(["t"] * MAX_DEPTH) + "]\n")
    read_toml(path)


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_nesting_deep_enough_to_exhaust_the_parser_is_refused(folder: Path, depth: int) -> None:
    """Far past the limit the parser itself would overflow its stack: still one clear error."""
    path = _write(folder, "abyss.toml", "a = " + "[\n" * depth + "]\n" * depth)
    with pytest.raises(InputTooLargeError) as caught:
        read_toml(path)
    assert caught.value.expected == f"at most {MAX_DEPTH} levels of nesting"


def test_not_utf8_is_a_whole_file_error(folder: Path) -> None:
    path = _write(folder, "latin1.toml", b'[proposal]\nid = "caf\xe9"\n')
    with pytest.raises(TomlSyntaxError) as caught:
        read_toml(path)
    assert caught.value.expected.startswith("UTF-8 text")
    assert caught.value.path == ""


def test_nan_and_infinity_are_refused_with_their_key_path(folder: Path) -> None:
    """A NaN or infinite observation is not a number the scorer can compare."""
    for value in (math.nan, math.inf, -math.inf):
        seed = _load(SEEDS[0])
        seed["observations"]["poppy_cultivation_ha"] = {"value": value, "source": "s", "as_of": _dt.date(2024, 1, 1)}
        outcome = _outcome(_write(folder, "nan.toml", tomli_w.dumps(seed)))
        assert isinstance(outcome, ReformGateError)
        assert outcome.path == "observations.poppy_cultivation_ha.value", outcome.render()


def test_dates_of_every_kind_are_told_apart(folder: Path) -> None:
    """A date-time or a time where a date belongs is a typed error, not a crash."""
    seed = _load(SEEDS[0])
    for wrong in (_dt.datetime(2024, 1, 1, 12, 0), _dt.time(12, 0), "2024-01-01"):
        seed["proposal"]["date"] = wrong
        outcome = _outcome(_write(folder, "date.toml", tomli_w.dumps(seed)))
        assert isinstance(outcome, ReformGateError)
        assert outcome.path == "proposal.date"
