"""Valid files into the model without the converter: the start-up path (``docs/performance.md``).

Building the cattrs converter and generating its functions takes longer than scoring a proposal,
and a command that scores one file pays it on every run. Most files are valid, so the loader
first tries :func:`structure`, which walks the attrs fields itself and builds the model objects
when every value is plainly of its type. It never reports a problem: on anything it is not sure
of (a wrong type, an unknown or missing key, a number out of range, a field type it does not
know) it answers ``None``, and the loader hands the data to the converter
(:func:`reform_gate.load.convert.structure`), which says what is wrong in its own words. So error
messages are the converter's, byte for byte, and a valid file gives equal objects either way
(``tests/property/test_plain_structure.py``).

:func:`unstructure` is the converter's ``unstructure`` for the model (defaults left out) without
the converter, for the audit digests of every loaded file.
"""

from __future__ import annotations

import datetime as _dt
import math
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import attrs

from .. import checks
from .. import model as m
from ..grades import is_grade

__all__ = ["structure", "unstructure"]

T = TypeVar("T")

#: Fields of the model that are not TOML keys (as ``convert.NOT_TOML``).
_NOT_TOML = ("origin", "derived", "ledgers")
#: As ``convert.MAX_MAGNITUDE``: beyond it numbers are refused.
_MAX = 2**53
#: Fields whose strings are Admiralty grades.
_GRADES = {(m.Observation, "reliability"), (m.CriteriaInfo, "min_reliability")}


class _Doubt(Exception):
    """Not plainly valid: the converter decides."""


_DOUBT = _Doubt()


def structure(data: dict[str, Any], cls: type[T]) -> T | None:
    """``data`` as a ``cls`` when every value is plainly valid, else None (the converter decides)."""
    try:
        made: T = _structurer(cls)(data)
    except (_Doubt, TypeError, ValueError, AttributeError):  # an attrs validator, a bad hash ...
        return None
    return made


# --- one structuring function per type, made once -----------------------------------------------

_Fn = Callable[[Any], Any]
_made: dict[Any, _Fn] = {}


def _structurer(tp: Any) -> _Fn:
    fn = _made.get(tp)
    if fn is None:
        fn = _made[tp] = _make(tp)
    return fn


def _str(v: Any) -> str:
    if type(v) is not str:
        raise _DOUBT
    return v


def _bool(v: Any) -> bool:
    if type(v) is not bool:
        raise _DOUBT
    return v


def _int(v: Any) -> int:
    if type(v) is not int or abs(v) > _MAX:
        raise _DOUBT
    return v


def _float(v: Any) -> float:
    t = type(v)
    if t is int:
        if abs(v) > _MAX:
            raise _DOUBT
        return v  # type: ignore[no-any-return]
    if t is not float or not math.isfinite(v) or abs(v) > _MAX:
        raise _DOUBT
    return v  # type: ignore[no-any-return]


def _date(v: Any) -> _dt.date:
    if type(v) is not _dt.date:
        raise _DOUBT
    return v


def _value(v: Any) -> checks.Value:
    t = type(v)
    if t is bool or t is str:
        return v  # type: ignore[no-any-return]
    return _float(v)


def _grade(v: Any) -> str:
    if type(v) is not str or not is_grade(v):
        raise _DOUBT
    return v


def _gates(v: Any) -> Literal["all"] | tuple[str, ...]:
    if v == "all":
        return "all"
    if type(v) is not list:
        raise _DOUBT
    return tuple(_str(x) for x in v)


def _min_met(v: Any) -> m.MinMet:
    if type(v) is int:
        return m.MinMet(count=_int(v))
    if type(v) is not dict:
        raise _DOUBT
    made: m.MinMet = _structurer(m.MinMet)(v)
    return made


def _entries(v: Any) -> m.Entries:
    one = _structurer(m.Observation)
    if type(v) is dict:
        made: m.Observation = one(v)
        return made
    if type(v) is not list or not v:
        raise _DOUBT
    return tuple(one(x) for x in v)


def _pair(v: Any) -> tuple[float, float]:
    if type(v) is not list or len(v) != 2:
        raise _DOUBT
    return (_float(v[0]), _float(v[1]))


def _credits(v: Any) -> dict[str, float]:
    if type(v) is not dict:
        raise _DOUBT
    return {k: _float(x) for k, x in v.items()}


def _values(v: Any) -> tuple[checks.Value, ...]:
    if type(v) is not list or not v:
        raise _DOUBT
    return tuple(_value(x) for x in v)


_ARGUMENTS: dict[str, _Fn] = {"value": _value, "values": _values, "number": _float, "pair": _pair, "credits": _credits}


def _check(v: Any) -> checks.Check:
    if type(v) is not dict or len(v) > 2:
        raise _DOUBT
    if len(v) == 1:
        ((key, parts),) = v.items()
        combinator = checks.COMBINATORS.get(key)
        if combinator is None or type(parts) is not list or not parts:
            raise _DOUBT
        return combinator(tuple(_check(p) for p in parts))
    kinds = [k for k in v if k != "indicator"]
    kind = checks.KINDS.get(kinds[0]) if len(kinds) == 1 else None
    if kind is None or "indicator" not in v:
        raise _DOUBT
    made: checks.Check = kind.cls(_str(v["indicator"]), _ARGUMENTS[kind.argument](v[kind.key]))
    return made


_UNIONS: dict[Any, _Fn] = {
    checks.Value: _value,
    checks.Check: _check,
    m.Entries: _entries,
    Literal["all"] | tuple[str, ...] | None: _gates,
    m.MinMet | None: _min_met,
}
_PRIMITIVES: dict[Any, _Fn] = {str: _str, bool: _bool, int: _int, float: _float, _dt.date: _date}


def _make(tp: Any) -> _Fn:
    for known, fn in _UNIONS.items():
        if tp == known:
            return fn
    if tp in _PRIMITIVES:
        return _PRIMITIVES[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and args[1] is type(None):
        return _structurer(args[0])  # TOML has no null: an optional key is there or absent
    if origin is Literal:
        allowed = frozenset(args)

        def literal(v: Any) -> Any:
            if type(v) is not str or v not in allowed:
                raise _DOUBT
            return v

        return literal
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _structurer(args[0])

        def array(v: Any) -> tuple[Any, ...]:
            if type(v) is not list:
                raise _DOUBT
            return tuple(item(x) for x in v)

        return array
    if origin is dict and args and args[0] is str:
        value = _structurer(args[1])

        def table(v: Any) -> dict[str, Any]:
            if type(v) is not dict:
                raise _DOUBT
            return {k: value(x) for k, x in v.items()}

        return table
    if isinstance(tp, type) and attrs.has(tp):
        return _class(tp)
    raise _DOUBT  # a type this module does not know: the converter's


def _class(cls: type[Any]) -> _Fn:
    hints = typing.get_type_hints(cls)
    fields = [f for f in attrs.fields(cls) if f.name not in _NOT_TOML]
    required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
    by_name: dict[str, _Fn] = {}
    for f in fields:
        # Made on first use: a class may hold itself (a check's parts) or a type not yet known.
        by_name[f.name] = _grade if (cls, f.name) in _GRADES else _lazy(hints[f.name])

    def build(v: Any) -> Any:
        if type(v) is not dict or not required.issubset(v):
            raise _DOUBT
        kwargs = {}
        for key, x in v.items():
            fn = by_name.get(key)
            if fn is None:
                raise _DOUBT
            kwargs[key] = fn(x)
        return cls(**kwargs)

    return build


def _lazy(tp: Any) -> _Fn:
    def first(v: Any) -> Any:
        return _structurer(tp)(v)

    return first


# --- unstructuring, for the digests ----------------------------------------------------------------

_fields: dict[type[Any], list[tuple[str, Any]]] = {}


#: Whether each type met is an attrs class (``attrs.has`` is slow next to a dict look-up).
_is_class: dict[type[Any], bool] = {}


def unstructure(obj: Any, leaf: Callable[[Any], Any] | None = None) -> Any:
    """The TOML form of a model object, as the converter gives it: defaults and None left out,
    tuples as lists, a check as ``{kind: argument, "indicator": ...}``.

    ``leaf``, when given, is applied to every value that is not a list, table or model object
    (the digests make ``60.0`` read ``60`` this way, in the same walk).
    """
    cls = type(obj)
    if cls is tuple or cls is list:
        return [unstructure(x, leaf) for x in obj]
    if cls is dict:
        return {k: unstructure(x, leaf) for k, x in obj.items()}
    is_class = _is_class.get(cls)
    if is_class is None:
        is_class = _is_class.setdefault(cls, attrs.has(cls))
    if not is_class:
        return obj if leaf is None else leaf(obj)
    if cls in _CHECK_CLASSES:
        if cls is checks.AllOf or cls is checks.AnyOf:
            return {checks.key_of(obj): [unstructure(c, leaf) for c in checks.parts_of(obj)]}
        # A leaf check keeps all its fields, as the converter's hook for it does.
        return {f.name: unstructure(getattr(obj, f.name), leaf) for f in attrs.fields(cls)}
    spec = _fields.get(cls)
    if spec is None:
        spec = _fields[cls] = [(f.name, _default(f)) for f in attrs.fields(cls) if f.name not in _NOT_TOML]
    out: dict[str, Any] = {}
    for name, default in spec:
        value = getattr(obj, name)
        if default is not attrs.NOTHING and value == default:
            continue
        out[name] = unstructure(value, leaf)
    return out


def _default(f: attrs.Attribute[Any]) -> Any:
    """A field's default value (a factory's made once: defaults are compared, never kept)."""
    factory = getattr(f.default, "factory", None)
    return factory() if callable(factory) else f.default


_CHECK_CLASSES = frozenset([*(k.cls for k in checks.KINDS.values()), checks.AllOf, checks.AnyOf])
