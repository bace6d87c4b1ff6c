"""The one cattrs converter, configured once for TOML (STYLE 3).

It starts from cattrs' preconfigured tomllib converter and makes it strict: cattrs would happily
turn ``"5"`` into ``5``, ``5.7`` into ``5`` and a string into a tuple of characters, which would
hide real mistakes in a proposal. Every hook here raises :class:`ShapeError` with what it
expected and the key path below it; :func:`structure` turns that (and cattrs' own grouped
errors) into one :class:`~reform_gate.errors.ReformGateError`.
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

from . import model as m
from .errors import InvalidValueError, MissingKeyError, UnknownKeyError, suggest

T = TypeVar("T")
PathPart = str | int


class ShapeError(Exception):
    """A value of the wrong shape, found by one of our hooks, with the path below the hook."""

    def __init__(self, expected: str, value: Any, path: list[PathPart] | None = None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.value = value
        self.path: list[PathPart] = path or []


def describe(value: Any) -> str:
    """A value as a user would recognise it from their TOML, with its type."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int):
        return f"{value} (an integer)"
    if isinstance(value, float):
        return f"{value!r} (a float)"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}" (a string)'
    if isinstance(value, _dt.datetime):
        return f"{value.isoformat()} (a date-time)"
    if isinstance(value, _dt.date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, _dt.time):
        return f"{value.isoformat()} (a time)"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    return type(value).__name__


def format_path(parts: list[PathPart]) -> str:
    """``["rules", 3, "check"]`` -> ``rules[3].check``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += "." + (part if _bare(part) else f'"{part}"')
        else:
            out = part if _bare(part) else f'"{part}"'
    return out


def _bare(key: str) -> bool:
    return bool(key) and all(c.isalnum() or c in "_-" for c in key) and key.isascii()


# --- strict primitive hooks --------------------------------------------------------------------


def _str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise ShapeError("a string", value)
    return value


def _bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise ShapeError("true or false", value)
    return value


def _int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShapeError("an integer", value)
    return value


def _float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ShapeError("a number", value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ShapeError("a finite number", value)
    # Ints stay ints, so that they render as the user wrote them.
    return value


def _date(value: Any, _: Any) -> _dt.date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ShapeError("a TOML date such as 2024-07-01 (no quotes, no time)", value)
    return value


def _value(value: Any, _: Any) -> m.Value:
    if isinstance(value, bool | str):
        return value
    return _float(value, None) if isinstance(value, int | float) else _fail_value(value)


def _fail_value(value: Any) -> m.Value:
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


def _tuple_hook(tp: Any) -> Callable[[Any, Any], Any]:
    inner = typing.get_args(tp)[0]
    one = _element_hook(inner)

    def hook(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ShapeError("an array", value)
        return tuple(_at(i, one, item) for i, item in enumerate(value))

    return hook


def _is_dict(tp: Any) -> bool:
    return typing.get_origin(tp) is dict


def _dict_hook(tp: Any) -> Callable[[Any, Any], Any]:
    inner = typing.get_args(tp)[1]
    one = _element_hook(inner)

    def hook(value: Any, _: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ShapeError("a table", value)
        return {key: _at(key, one, item) for key, item in value.items()}

    return hook


def _at(part: PathPart, fn: Callable[[Any], T], value: Any) -> T:
    """Run ``fn`` on one element, prefixing any error's path with ``part``."""
    try:
        return fn(value)
    except ShapeError as err:
        err.path.insert(0, part)
        raise
    except BaseValidationError as group:
        raise _first_shape_error(group, [part]) from None


_CHECK_KINDS: dict[str, type[Any]] = {
    "equals": m.Equals,
    "one_of": m.OneOf,
    "at_least": m.AtLeast,
    "at_most": m.AtMost,
    "scale": m.Scale,
    "credit": m.Credit,
}
_CHECK_WORDS = sorted([*_CHECK_KINDS, "all_of", "any_of", "indicator"])


def _check(value: Any, _: Any) -> m.Check:
    """A check is a table with one kind key (DESIGN 4.1); dispatch on which key is present."""
    if not isinstance(value, dict):
        raise ShapeError('a check table such as { indicator = "x", equals = true }', value)
    for key in value:
        if key not in _CHECK_WORDS:
            raise ShapeError(
                "one of the check keys " + ", ".join(_CHECK_WORDS),
                _UnknownKey(key, suggest(key, _CHECK_WORDS)),
                [key],
            )
    kinds = [k for k in value if k in _CHECK_KINDS or k in ("all_of", "any_of")]
    if len(kinds) != 1:
        found = "no check kind" if not kinds else "several: " + ", ".join(kinds)
        raise ShapeError(
            "exactly one of equals, one_of, at_least, at_most, scale, credit, all_of, any_of",
            _Raw(found),
        )
    kind = kinds[0]
    if kind in ("all_of", "any_of"):
        if "indicator" in value:
            raise ShapeError(
                f"no indicator beside {kind} (each part names its own)", _UnknownKey("indicator", None), ["indicator"]
            )
        parts = _at(kind, lambda v: _tuple_hook(tuple[m.Check, ...])(v, None), value[kind])
        if not parts:
            raise ShapeError("at least one check", value[kind], [kind])
        return m.AllOf(parts) if kind == "all_of" else m.AnyOf(parts)
    if "indicator" not in value:
        raise ShapeError("an indicator id", _Raw("nothing"), ["indicator"])
    indicator = _at("indicator", lambda v: _str(v, None), value["indicator"])
    cls = _CHECK_KINDS[kind]
    arg: Any = value[kind]
    if kind == "equals":
        arg = _at(kind, lambda v: _value(v, None), arg)
    elif kind == "one_of":
        arg = _at(kind, lambda v: _tuple_hook(tuple[m.Value, ...])(v, None), arg)
        if not arg:
            raise ShapeError("at least one value", value[kind], [kind])
    elif kind in ("at_least", "at_most"):
        arg = _at(kind, lambda v: _float(v, None), arg)
    elif kind == "scale":
        arg = _at(kind, _pair, arg)
    else:
        arg = _at(kind, lambda v: _dict_hook(dict[str, float])(v, None), arg)
    return cls(indicator, arg)  # type: ignore[no-any-return]


def _pair(value: Any) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ShapeError("an array of two numbers [a, b]", value)
    return (_at(0, lambda v: _float(v, None), value[0]), _at(1, lambda v: _float(v, None), value[1]))


def _gates(value: Any, _: Any) -> Literal["all"] | tuple[str, ...] | None:
    if value == "all":
        return "all"
    if isinstance(value, list):
        rules: tuple[str, ...] = _tuple_hook(tuple[str, ...])(value, None)
        return rules
    raise ShapeError('"all" or an array of rule ids', value)


def _min_met(value: Any, _: Any) -> m.MinMet | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return m.MinMet(count=value)
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


# --- the converter -----------------------------------------------------------------------------

converter = make_converter(detailed_validation=True, forbid_extra_keys=True, omit_if_default=True)

converter.register_structure_hook(str, _str)
converter.register_structure_hook(bool, _bool)
converter.register_structure_hook(int, _int)
converter.register_structure_hook(float, _float)
converter.register_structure_hook(_dt.date, _date)
converter.register_structure_hook(m.Check, _check)
converter.register_structure_hook_factory(_is_literal, _literal_hook)
converter.register_structure_hook_factory(_is_tuple, _tuple_hook)
converter.register_structure_hook_factory(_is_dict, _dict_hook)


def _is_type(union: Any) -> Callable[[Any], bool]:
    return lambda tp: bool(tp == union)


# Unions go last, as predicates: cattrs would otherwise hand them to the union passthrough of the
# tomllib preconf, which reports a list observed for a value as "not part of bool | int | float | str".
converter.register_structure_hook_func(_is_type(m.Value), _value)
converter.register_structure_hook_func(_is_type(Literal["all"] | tuple[str, ...] | None), _gates)
converter.register_structure_hook_func(_is_type(m.MinMet | None), _min_met)

# ``origin`` records where a file was read from and ``text`` what it held; neither is a TOML key.
_NOT_TOML = ("origin", "text")
for _cls in (m.Criteria, m.Proposal):
    converter.register_structure_hook(
        _cls, make_dict_structure_fn(_cls, converter, origin=override(omit=True), text=override(omit=True))
    )
    converter.register_unstructure_hook(
        _cls,
        make_dict_unstructure_fn(
            _cls, converter, _cattrs_omit_if_default=True, origin=override(omit=True), text=override(omit=True)
        ),
    )
_min_met_table = make_dict_structure_fn(m.MinMet, converter)

# A verdict is a public JSON contract (DESIGN 5): every field is always present, defaults and None
# included, so "format" and "gap": null are never dropped the way TOML dumping drops defaults.
converter.register_unstructure_hook_factory(
    lambda cls: attrs.has(cls) and getattr(cls, "__module__", "") == "reform_gate.verdict",
    lambda cls: make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=False),
)


def _unstructure_check(check: m.Check) -> dict[str, Any]:
    if isinstance(check, m.AllOf):
        return {"all_of": [_unstructure_check(c) for c in check.all_of]}
    if isinstance(check, m.AnyOf):
        return {"any_of": [_unstructure_check(c) for c in check.any_of]}
    out: dict[str, Any] = converter.unstructure(check)
    return out


converter.register_unstructure_hook(m.Check, _unstructure_check)
for _kind in (*_CHECK_KINDS.values(), m.AllOf, m.AnyOf):
    converter.register_unstructure_hook(
        _kind, _unstructure_check if _kind in (m.AllOf, m.AnyOf) else make_dict_unstructure_fn(_kind, converter)
    )
converter.register_unstructure_hook(
    m.MinMet | None,
    lambda v: None if v is None else ({"count": v.count} if v.among is None else converter.unstructure(v, m.MinMet)),
)


# --- from cattrs errors to one ReformGateError ------------------------------------------------


def _first_shape_error(exc: BaseException, path: list[PathPart]) -> ShapeError:
    """Walk cattrs' grouped errors down to the first leaf, collecting the key path."""
    while isinstance(exc, BaseValidationError):
        child = exc.exceptions[0]
        for note in getattr(child, "__notes__", []):
            if isinstance(note, AttributeValidationNote):
                path = [*path, note.name]
                break
            if isinstance(note, IterableValidationNote):
                path = [*path, note.index]
                break
        exc = child
    if isinstance(exc, ShapeError):
        return ShapeError(exc.expected, exc.value, [*path, *exc.path])
    if isinstance(exc, ForbiddenExtraKeysError):
        return ShapeError("", _ExtraKeys(exc), path)
    if isinstance(exc, KeyError):
        return ShapeError("", _Missing(), path)
    return ShapeError("a valid value", _Raw(str(exc)), path)


class _ExtraKeys:
    def __init__(self, exc: ForbiddenExtraKeysError) -> None:
        self.exc = exc


class _Missing:
    pass


def structure(data: dict[str, Any], cls: type[T], file: str) -> T:
    """Structure ``data`` into ``cls``; any problem becomes one ReformGateError naming ``file``."""
    try:
        return converter.structure(data, cls)
    except (BaseValidationError, ShapeError, ForbiddenExtraKeysError) as exc:
        shape = exc if isinstance(exc, ShapeError) else _first_shape_error(exc, [])
    raise _to_error(shape, data, cls, file) from None


def _to_error(shape: ShapeError, data: dict[str, Any], cls: type[Any], file: str) -> Exception:
    path = list(shape.path)
    value = shape.value
    if isinstance(value, _ExtraKeys):
        table = _dig(data, path)
        extra = [k for k in table if k in value.exc.extra_fields] if isinstance(table, dict) else []
        key = extra[0] if extra else sorted(value.exc.extra_fields)[0]
        known = [a.name for a in attrs.fields(value.exc.cl) if a.name not in _NOT_TOML]
        return _unknown(file, [*path, key], key, known)
    if isinstance(value, _UnknownKey):
        return _unknown(file, path, value.key, [], value.hint, shape.expected)
    if isinstance(value, _Missing):
        owner = _owner_class(cls, path[:-1])
        table = _dig(data, path[:-1])
        if owner is not None and isinstance(table, dict):
            # A missing key beside an unknown one is usually a misspelling: say that instead.
            known = [a.name for a in attrs.fields(owner) if a.name not in _NOT_TOML]
            extra = [k for k in table if k not in known]
            if extra:
                return _unknown(file, [*path[:-1], extra[0]], extra[0], known)
        needed = _field_words(owner, str(path[-1])) if owner else "a value"
        return MissingKeyError(file, format_path(path), needed, "nothing: the key is absent")
    found = value.text if isinstance(value, _Raw) else describe(value)
    hint = None
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
    if tp == m.Check:
        return 'a check table such as { indicator = "x", equals = true }'
    return f"a value for {name}"


def unstructure(obj: Any) -> Any:
    """The TOML-ready form of a model object (defaults and None left out)."""
    return converter.unstructure(obj)
