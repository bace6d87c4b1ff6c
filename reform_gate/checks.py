"""Check kinds: how a rule turns observed values into a credit in [0, 1] (DESIGN 4.1).

Checks are data. Each kind is evaluated through the dispatch table ``_CREDIT``; nothing is ever
evaluated as code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .model import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Check,
    Credit,
    Equals,
    Indicator,
    OneOf,
    Scale,
    Value,
)

__all__ = ["credit", "indicators_of", "kind_of", "needed", "show_bound", "show_value"]

TOLERANCE = 1e-9


def _same(a: Value, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    return abs(a - b) <= TOLERANCE


def _clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def _equals(c: Equals, v: Any) -> float:
    return 1.0 if _same(v, c.equals) else 0.0


def _one_of(c: OneOf, v: Any) -> float:
    return 1.0 if any(_same(v, x) for x in c.one_of) else 0.0


def _at_least(c: AtLeast, v: Any) -> float:
    return 1.0 if v >= c.at_least - TOLERANCE else 0.0


def _at_most(c: AtMost, v: Any) -> float:
    return 1.0 if v <= c.at_most + TOLERANCE else 0.0


def _scale(c: Scale, v: Any) -> float:
    a, b = c.scale
    return _clamp((v - a) / (b - a))


def _credit(c: Credit, v: Any) -> float:
    return float(c.credit[v])


_CREDIT: dict[type[Any], Callable[[Any, Any], float]] = {
    Equals: _equals,
    OneOf: _one_of,
    AtLeast: _at_least,
    AtMost: _at_most,
    Scale: _scale,
    Credit: _credit,
}


def credit(check: Check, values: Mapping[str, Value]) -> float | None:
    """The credit of ``check`` given usable ``values`` by indicator id.

    ``None`` means no indicator the check reads has a usable value (the rule is missing). In
    ``all_of`` / ``any_of``, a part without evidence earns 0: unknown is not credit.
    """
    if isinstance(check, AllOf | AnyOf):
        parts = [credit(p, values) for p in (check.all_of if isinstance(check, AllOf) else check.any_of)]
        if all(p is None for p in parts):
            return None
        known = [0.0 if p is None else p for p in parts]
        return min(known) if isinstance(check, AllOf) else max(known)
    if check.indicator not in values:
        return None
    return _CREDIT[type(check)](check, values[check.indicator])


def indicators_of(check: Check) -> list[str]:
    """The indicator ids a check reads, in order, without repeats."""
    if isinstance(check, AllOf | AnyOf):
        seen: list[str] = []
        for part in check.all_of if isinstance(check, AllOf) else check.any_of:
            seen += [i for i in indicators_of(part) if i not in seen]
        return seen
    return [check.indicator]


def kind_of(check: Check) -> str:
    """The check kind's TOML key, e.g. ``"at_least"``."""
    names = {
        Equals: "equals",
        OneOf: "one_of",
        AtLeast: "at_least",
        AtMost: "at_most",
        Scale: "scale",
        Credit: "credit",
        AllOf: "all_of",
        AnyOf: "any_of",
    }
    return names[type(check)]


def show_value(value: Value, indicator: Indicator | None = None) -> str:
    """A value as the analyst reads it: ``true``, ``12.5 %``, ``partial``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = f"{value:g}"
        unit = indicator.unit if indicator else None
        return f"{text} {unit}" if unit else text
    return value


def show_bound(x: float | None) -> str:
    """An indicator's ``min`` or ``max`` in words: ``0``, or ``any`` when it has none."""
    return "any" if x is None else f"{x:g}"


def needed(check: Check, indicators: Mapping[str, Indicator]) -> str:
    """What full credit takes, in words: ``safe_haven_denied = true``, ``women_pct >= 30 %``."""
    if isinstance(check, AllOf):
        return " and ".join(_grouped(p, indicators) for p in check.all_of)
    if isinstance(check, AnyOf):
        return " or ".join(_grouped(p, indicators) for p in check.any_of)
    ind = indicators.get(check.indicator)
    name = check.indicator
    if isinstance(check, Equals):
        return f"{name} = {show_value(check.equals, ind)}"
    if isinstance(check, OneOf):
        return f"{name} one of " + ", ".join(show_value(v, ind) for v in check.one_of)
    if isinstance(check, AtLeast):
        return f"{name} >= {show_value(check.at_least, ind)}"
    if isinstance(check, AtMost):
        return f"{name} <= {show_value(check.at_most, ind)}"
    if isinstance(check, Scale):
        a, b = check.scale
        sign = ">=" if b > a else "<="
        return f"{name} {sign} {show_value(b, ind)} (no credit {'<=' if b > a else '>='} {show_value(a, ind)})"
    full = [level for level, c in check.credit.items() if c >= 1.0 - TOLERANCE]
    return f"{name} = " + " or ".join(full) if full else f"{name}: no level earns full credit"


def _grouped(check: Check, indicators: Mapping[str, Indicator]) -> str:
    text = needed(check, indicators)
    return f"({text})" if isinstance(check, AllOf | AnyOf) else text
