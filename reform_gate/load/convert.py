"""The one cattrs converter, configured once for TOML.

It starts from cattrs' preconfigured tomllib converter and makes it strict: cattrs would happily
turn ``"5"`` into ``5``, ``5.7`` into ``5`` and a string into a tuple of characters, which would
hide real mistakes in a proposal. Every hook here raises :class:`ShapeError` with what it
expected and the key path below it. Hooks over arrays and tables go on past a bad element, and
cattrs' detailed validation does the same over a class's attributes, so :func:`structure` reports
every shape problem of a file at once, each as a :class:`~reform_gate.errors.ReformGateError`.
"""

from __future__ import annotations

import datetime as _dt
import math
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.tomllib import make_converter

from .. import checks
from .. import model as m
from ..errors import (
    InvalidFileError,
    InvalidValueError,
    MissingKeyError,
    ReformGateError,
    UnknownKeyError,
    describe,
    suggest,
)
from ..grades import grade_hint, is_grade
from .paths import PathPart, format_path

__all__ = [
    "MAX_MAGNITUDE",
    "NOT_TOML",
    "PathPart",
    "ShapeError",
    "converter",
    "format_path",
    "structure",
    "unstructure",
]

T = TypeVar("T")

#: Fields of the model that are not TOML keys: where a file came from, and values derived from it.
NOT_TOML = ("origin", "derived", "ledgers")


class ShapeError(Exception):
    """A value of the wrong shape, found by one of our hooks, with the path below the hook."""

    def __init__(self, expected: str, value: Any, path: list[PathPart] | None = None, hint: str | None = None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.value = value
        self.path: list[PathPart] = path or []
        self.hint = hint


class ShapeErrors(Exception):
    """Several shape problems below one hook (an array or a table with more than one bad element)."""

    def __init__(self, errors: list[ShapeError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


# --- strict primitive hooks --------------------------------------------------------------------


def _str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise ShapeError("a string", value)
    return value


def _bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise ShapeError("true or false", value)
    return value


#: The largest magnitude of a number in a file: beyond it whole numbers are no longer exact as
#: floats (2**53), and a huge integer (``0x`` and 2,000 hex digits) could not be scored or shown.
MAX_MAGNITUDE = 2**53
_IN_RANGE = f"between -{MAX_MAGNITUDE:,} and {MAX_MAGNITUDE:,}"


def _int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShapeError("an integer", value)
    if abs(value) > MAX_MAGNITUDE:
        raise ShapeError(f"an integer {_IN_RANGE}", value)
    return value


def _float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ShapeError("a number", value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ShapeError("a finite number", value)
    if abs(value) > MAX_MAGNITUDE:
        raise ShapeError(f"a number {_IN_RANGE}", value)
    # Ints stay ints, so that they render as the user wrote them.
    return value


def _date(value: Any, _: Any) -> _dt.date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ShapeError("a TOML date such as 2024-07-01 (no quotes, no time)", value)
    return value


def _grade(example: str) -> Callable[[Any, Any], str]:
    """A hook for an Admiralty grade such as ``B2`` (``reform_gate.grades``)."""
    expected = f'an Admiralty grade: a letter A-F and a digit 1-6, such as "{example}"'

    def hook(value: Any, _: Any) -> str:
        if not isinstance(value, str) or not is_grade(value):
            raise ShapeError(expected, value, hint=grade_hint(value) if isinstance(value, str) else None)
        return value

    return hook


def _value(value: Any, _: Any) -> checks.Value:
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return _float(value, None)
    raise ShapeError("true/false, a number, or a level name", value)


# --- hooks for containers and unions -----------------------------------------------------------


def _is_literal(tp: Any) -> bool:
    return typing.get_origin(tp) is Literal


def _literal_hook(tp: Any) -> Callable[[Any, Any], Any]:
    allowed = typing.get_args(tp)
    expected = "one of " + ", ".join(f'"{a}"' for a in allowed)

    def hook(value: Any, _: Any) -> Any:
        if value not in allowed or not isinstance(value, str):
            raise ShapeError(expected, value)
        return value

    return hook


def _is_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _element_hook(inner: Any) -> Callable[[Any], Any]:
    def one(item: Any) -> Any:
        return converter.structure(item, inner)

    return one


def _each(items: list[tuple[PathPart, Any]], one: Callable[[Any], Any]) -> list[Any]:
    """``one`` applied to every item; the problems of all items are raised together."""
    out: list[Any] = []
    errors: list[ShapeError] = []
    for part, item in items:
        try:
            out.append(_at(part, one, item))
        except ShapeErrors as group:
            errors.extend(group.errors)
    if errors:
        raise ShapeErrors(errors)
    return out


def _tuple_hook(tp: Any) -> Callable[[Any, Any], Any]:
    one = _element_hook(typing.get_args(tp)[0])

    def hook(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ShapeError("an array", value)
        return tuple(_each(list(enumerate(value)), one))

    return hook


def _is_dict(tp: Any) -> bool:
    return typing.get_origin(tp) is dict


def _dict_hook(tp: Any) -> Callable[[Any, Any], Any]:
    one = _element_hook(typing.get_args(tp)[1])

    def hook(value: Any, _: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ShapeError("a table", value)
        return dict(zip(value, _each(list(value.items()), one), strict=True))

    return hook


def _at(part: PathPart, fn: Callable[[Any], T], value: Any) -> T:
    """Run ``fn`` on one element; any problem's path is prefixed with ``part`` (as ShapeErrors)."""
    try:
        return fn(value)
    except ShapeError as err:
        err.path.insert(0, part)
        raise ShapeErrors([err]) from None
    except ShapeErrors as group:
        for each in group.errors:
            each.path.insert(0, part)
        raise
    except BaseValidationError as cattrs_group:
        raise ShapeErrors(_leaves(cattrs_group, [part])) from None


_CHECK_WORDS = sorted([*checks.KINDS, *checks.COMBINATORS, "indicator"])
_ONE_KIND = "exactly one of " + ", ".join([*checks.KINDS, *checks.COMBINATORS])

#: How each shape of argument (see ``checks.Kind.argument``) is structured.
_ARGUMENTS: dict[str, Callable[[Any], Any]] = {
    "value": lambda v: _value(v, None),
    "values": lambda v: _nonempty(_tuple_hook(tuple[checks.Value, ...])(v, None), v, "at least one value"),
    "number": lambda v: _float(v, None),
    "pair": lambda v: _pair(v),
    "credits": lambda v: _dict_hook(dict[str, float])(v, None),
}


def _nonempty(parsed: tuple[Any, ...], raw: Any, expected: str) -> tuple[Any, ...]:
    if not parsed:
        raise ShapeError(expected, raw)
    return parsed


def _check(value: Any, _: Any) -> checks.Check:
    """A check is a table with one kind key; dispatch on which key is present (``checks.KINDS``)."""
    if not isinstance(value, dict):
        raise ShapeError('a check table such as { indicator = "x", equals = true }', value)
    unknown = [key for key in value if key not in _CHECK_WORDS]
    if unknown:
        raise ShapeErrors(
            [
                ShapeError(
                    "one of the check keys " + ", ".join(_CHECK_WORDS),
                    _UnknownKey(key, suggest(key, _CHECK_WORDS)),
                    [key],
                )
                for key in unknown
            ]
        )
    kinds = [k for k in value if k in checks.KINDS or k in checks.COMBINATORS]
    if len(kinds) != 1:
        found = "no check kind" if not kinds else "several: " + ", ".join(kinds)
        raise ShapeError(_ONE_KIND, _Raw(found))
    key = kinds[0]
    if key in checks.COMBINATORS:
        if "indicator" in value:
            raise ShapeError(
                f"no indicator beside {key} (each part names its own)", _UnknownKey("indicator", None), ["indicator"]
            )
        parts = _at(key, lambda v: _tuple_hook(tuple[checks.Check, ...])(v, None), value[key])
        if not parts:
            raise ShapeError("at least one check", value[key], [key])
        return checks.COMBINATORS[key](parts)
    if "indicator" not in value:
        raise ShapeError("an indicator id", _Raw("nothing"), ["indicator"])
    kind = checks.KINDS[key]
    errors: list[ShapeError] = []
    indicator = argument = None
    for part, fn in (("indicator", lambda v: _str(v, None)), (key, _ARGUMENTS[kind.argument])):
        try:
            parsed = _at(part, fn, value[part])
        except ShapeErrors as group:
            errors.extend(group.errors)
            continue
        if part == "indicator":
            indicator = parsed
        else:
            argument = parsed
    if errors:
        raise ShapeErrors(errors)
    made: checks.Check = kind.cls(indicator, argument)
    return made


def _pair(value: Any) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ShapeError("an array of two numbers [a, b]", value)
    low, high = _each([(0, value[0]), (1, value[1])], lambda v: _float(v, None))
    return (low, high)


def _gates(value: Any, _: Any) -> Literal["all"] | tuple[str, ...] | None:
    if value == "all":
        return "all"
    if isinstance(value, list):
        rules: tuple[str, ...] = _tuple_hook(tuple[str, ...])(value, None)
        return rules
    raise ShapeError('"all" or an array of rule ids', value)


def _entries(value: Any) -> m.Entries:
    """An indicator's observation: one table, or an array of dated tables (at least one)."""
    if isinstance(value, dict):
        one: m.Observation = converter.structure(value, m.Observation)
        return one
    if isinstance(value, list):
        if not value:
            raise ShapeError("at least one entry ([[observations.X]] tables)", value)
        return tuple(_each(list(enumerate(value)), lambda v: converter.structure(v, m.Observation)))
    raise ShapeError("a table ([observations.X]) or an array of tables ([[observations.X]])", value)


def _min_met(value: Any, _: Any) -> m.MinMet | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return m.MinMet(count=_int(value, None))
    if isinstance(value, dict):
        table: m.MinMet = _min_met_table(value, m.MinMet)
        return table
    raise ShapeError("a count, or a table { count = N, among = [rule ids] }", value)


class _UnknownKey:
    """Stands in for the found value when the problem is an unknown key inside a hook."""

    def __init__(self, key: str, hint: str | None) -> None:
        self.key = key
        self.hint = hint


class _Raw:
    """A found value already described in words."""

    def __init__(self, text: str) -> None:
        self.text = text


class _ExtraKey:
    """Stands in for the found value when cattrs found a key the class does not have."""

    def __init__(self, cls: type[Any], key: str) -> None:
        self.cls = cls
        self.key = key


class _Missing:
    pass


# --- the converter -----------------------------------------------------------------------------

converter = make_converter(detailed_validation=True, forbid_extra_keys=True, omit_if_default=True)

converter.register_structure_hook(str, _str)
converter.register_structure_hook(bool, _bool)
converter.register_structure_hook(int, _int)
converter.register_structure_hook(float, _float)
converter.register_structure_hook(_dt.date, _date)
converter.register_structure_hook(checks.Check, _check)
converter.register_structure_hook_factory(_is_literal, _literal_hook)
converter.register_structure_hook_factory(_is_tuple, _tuple_hook)
converter.register_structure_hook_factory(_is_dict, _dict_hook)


def _is_type(union: Any) -> Callable[[Any], bool]:
    return lambda tp: bool(tp == union)


# Unions go last, as predicates: cattrs would otherwise hand them to the union passthrough of the
# tomllib preconf, which reports a list observed for a value as "not part of bool | int | float | str".
converter.register_structure_hook_func(_is_type(checks.Value), _value)
converter.register_structure_hook_func(_is_type(Literal["all"] | tuple[str, ...] | None), _gates)
converter.register_structure_hook_func(_is_type(m.MinMet | None), _min_met)
converter.register_structure_hook_func(_is_type(m.Entries), lambda v, _: _entries(v))

# Grades are checked with the shapes, so that a bad grade is reported beside an unknown key.
converter.register_structure_hook(
    m.Observation, make_dict_structure_fn(m.Observation, converter, reliability=override(struct_hook=_grade("B2")))
)
converter.register_structure_hook(
    m.CriteriaInfo,
    make_dict_structure_fn(m.CriteriaInfo, converter, min_reliability=override(struct_hook=_grade("C3"))),
)
for _cls in (m.Criteria, m.Proposal, m.Ledger):
    _omit = {name: override(omit=True) for name in NOT_TOML if name in attrs.fields_dict(_cls)}
    converter.register_structure_hook(_cls, make_dict_structure_fn(_cls, converter, **_omit))  # type: ignore[arg-type]
    converter.register_unstructure_hook(
        _cls,
        make_dict_unstructure_fn(_cls, converter, _cattrs_omit_if_default=True, **_omit),  # type: ignore[arg-type]
    )
converter.register_unstructure_hook_func(
    _is_type(m.Entries),
    lambda v: [converter.unstructure(e, m.Observation) for e in v]
    if isinstance(v, tuple)
    else converter.unstructure(v, m.Observation),
)
_min_met_table = make_dict_structure_fn(m.MinMet, converter)


def _unstructure_check(check: checks.Check) -> dict[str, Any]:
    if isinstance(check, checks.AllOf | checks.AnyOf):
        return {checks.key_of(check): [_unstructure_check(c) for c in checks.parts_of(check)]}
    out: dict[str, Any] = converter.unstructure(check)
    return out


converter.register_unstructure_hook(checks.Check, _unstructure_check)
converter.register_unstructure_hook(checks.AllOf, _unstructure_check)
converter.register_unstructure_hook(checks.AnyOf, _unstructure_check)
for _kind in checks.KINDS.values():
    converter.register_unstructure_hook(_kind.cls, make_dict_unstructure_fn(_kind.cls, converter))
converter.register_unstructure_hook(
    m.MinMet | None,
    lambda v: None if v is None else ({"count": v.count} if v.among is None else converter.unstructure(v, m.MinMet)),
)


# --- from cattrs errors to ReformGateErrors ----------------------------------------------------


def _leaves(exc: BaseException, path: list[PathPart]) -> list[ShapeError]:
    """Every problem in cattrs' grouped errors, each with its whole key path."""
    if isinstance(exc, BaseValidationError):
        out: list[ShapeError] = []
        for child in exc.exceptions:
            below = path
            for note in getattr(child, "__notes__", []):
                if isinstance(note, AttributeValidationNote):
                    below = [*path, note.name]
                    break
                if isinstance(note, IterableValidationNote):
                    below = [*path, note.index]
                    break
            out += _leaves(child, below)
        return out
    if isinstance(exc, ShapeError):
        return [ShapeError(exc.expected, exc.value, [*path, *exc.path], exc.hint)]
    if isinstance(exc, ShapeErrors):
        return [ShapeError(e.expected, e.value, [*path, *e.path], e.hint) for e in exc.errors]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [ShapeError("", _ExtraKey(exc.cl, key), path) for key in sorted(exc.extra_fields)]
    if isinstance(exc, KeyError):
        return [ShapeError("", _Missing(), path)]
    return [ShapeError("a valid value", _Raw(str(exc)), path)]


def structure(data: dict[str, Any], cls: type[T], file: str) -> T:
    """Structure ``data`` into ``cls``.

    Raises a :class:`~reform_gate.errors.ReformGateError` naming ``file`` for each shape problem
    (one problem, or an :class:`~reform_gate.errors.InvalidFileError` holding all of them, in the
    order of the file's keys). Their lines are filled in by the loader, which has the text.
    """
    try:
        return converter.structure(data, cls)
    except (BaseValidationError, ShapeError, ShapeErrors, ForbiddenExtraKeysError) as exc:
        shapes = _leaves(exc, [])
    errors: dict[tuple[str, str, str], ReformGateError] = {}
    for shape in shapes:
        err = _to_error(shape, data, cls, file)
        errors.setdefault((err.path, err.kind, err.found), err)
    raise InvalidFileError.of(list(errors.values())) from None


def _to_error(shape: ShapeError, data: dict[str, Any], cls: type[Any], file: str) -> ReformGateError:
    path = list(shape.path)
    value = shape.value
    if isinstance(value, _ExtraKey):
        known = [a.name for a in attrs.fields(value.cls) if a.name not in NOT_TOML]
        return _unknown(file, [*path, value.key], value.key, known)
    if isinstance(value, _UnknownKey):
        return _unknown(file, path, value.key, [], value.hint, shape.expected)
    if isinstance(value, _Missing):
        owner = _owner_class(cls, path[:-1])
        table = _dig(data, path[:-1])
        if owner is not None and isinstance(table, dict):
            # A missing key beside an unknown one is usually a misspelling: say that instead.
            known = [a.name for a in attrs.fields(owner) if a.name not in NOT_TOML]
            extra = [k for k in table if k not in known]
            if extra:
                return _unknown(file, [*path[:-1], extra[0]], extra[0], known)
        needed = _field_words(owner, str(path[-1])) if owner else "a value"
        return MissingKeyError(file, format_path(path), needed, "nothing: the key is absent")
    found = value.text if isinstance(value, _Raw) else describe(value)
    hint = shape.hint
    if isinstance(value, str) and shape.expected.startswith("one of"):
        choices = [c.strip().strip('"') for c in shape.expected[7:].split(",")]
        hint = suggest(value, choices)
    if "TOML date" in shape.expected:
        hint = _date_hint(path, value)
    return InvalidValueError(file, format_path(path), shape.expected, found, hint)


def _date_hint(path: list[PathPart], value: Any) -> str | None:
    """How to write the date the user meant, under the key they used."""
    key = next((p for p in reversed(path) if isinstance(p, str)), "date")
    if isinstance(value, _dt.datetime):
        return f"drop the time: {key} = {value.date().isoformat()}"
    if not isinstance(value, str):
        return None
    try:
        day = _dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        day = "2024-07-01"
    return f"write the date without quotes: {key} = {day}"


def _unknown(
    file: str, path: list[PathPart], key: str, known: list[str], hint: str | None = None, expected: str | None = None
) -> UnknownKeyError:
    return UnknownKeyError(
        file,
        format_path(path),
        expected or ("one of " + ", ".join(known)),
        f'"{key}"',
        hint if hint is not None else suggest(key, known),
    )


def _dig(data: Any, path: list[PathPart]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _owner_class(cls: type[Any], path: list[PathPart]) -> type[Any] | None:
    """The attrs class that owns the key at ``path`` (for naming what a missing key holds)."""
    current: Any = cls
    for part in path:
        current = _optional_of(current)
        if current == m.Entries:
            # One observation table, or an element of an array of them.
            current = m.Observation
            if isinstance(part, int):
                continue
        if isinstance(part, int) or typing.get_origin(current) is dict:
            args = typing.get_args(current)
            # tuple[X, ...] holds its items first, dict[str, X] last.
            current = (args[0] if typing.get_origin(current) is tuple else args[-1]) if args else None
            continue
        if not attrs.has(current):
            return None
        hints = typing.get_type_hints(current)
        current = hints.get(part)
    current = _optional_of(current)
    if current == m.Entries:
        current = m.Observation
    return current if current is not None and attrs.has(current) else None


def _optional_of(tp: Any) -> Any:
    """``X | None`` -> ``X``; anything else unchanged."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def _field_words(cls: type[Any], name: str) -> str:
    tp = typing.get_type_hints(cls).get(name)
    words = {str: "a string", float: "a number", int: "an integer", bool: "true or false", _dt.date: "a TOML date"}
    if tp in words:
        return words[tp]
    if _is_literal(tp):
        return "one of " + ", ".join(f'"{a}"' for a in typing.get_args(tp))
    if _is_dict(tp):
        return "a table"
    if _is_tuple(tp):
        return f"an array of tables ([[{name}]])" if attrs.has(typing.get_args(tp)[0]) else "an array"
    if tp is not None and attrs.has(tp):
        return f"a table ([{name}])"
    if tp == checks.Check:
        return 'a check table such as { indicator = "x", equals = true }'
    return f"a value for {name}"


def unstructure(obj: Any) -> Any:
    """The TOML-ready form of a model object (defaults and None left out)."""
    return converter.unstructure(obj)
