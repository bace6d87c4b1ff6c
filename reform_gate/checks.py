"""Check kinds: how a rule turns observed values into a credit in [0, 1].

Every kind lives in one place: the :data:`KINDS` registry below holds, for each TOML key
(``equals``, ``at_least`` ...), its class, the indicator types it applies to, the shape of its
argument, how it earns credit, how it is worded ("what full credit takes"), how partial credit
arises (for the rule pages) and the JSON Schema of its argument. The loader, the engine, the
renderers and the authoring tools all read the registry, so adding a kind is one class and one
entry here (``docs/architecture.md``, "Adding a check kind").

Checks are data. A check is evaluated through its kind's ``credit`` function; nothing is ever
evaluated as code. ``all_of`` and ``any_of`` combine other checks: the weakest or the strongest
part's credit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol, TypeAlias

from attrs import frozen

from .numbers import TOLERANCE, show

__all__ = [
    "COMBINATORS",
    "KINDS",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "Check",
    "Credit",
    "Equals",
    "Kind",
    "OneOf",
    "Scale",
    "Value",
    "credit",
    "indicators_of",
    "key_of",
    "needed",
    "show_bound",
    "show_value",
]

#: What an observation can hold: a bool, a number, or the name of a level.
Value: TypeAlias = bool | int | float | str

#: The shape of a kind's argument, which the loader structures and checks.
Argument: TypeAlias = Literal["value", "values", "number", "pair", "credits"]


class Indicator(Protocol):
    """What wording a value needs from its indicator (a :class:`reform_gate.model.Indicator`)."""

    @property
    def unit(self) -> str | None: ...


@frozen
class Equals:
    """Full credit when the value equals ``equals``."""

    indicator: str
    equals: Value


@frozen
class OneOf:
    """Full credit when the value is one of ``one_of``."""

    indicator: str
    one_of: tuple[Value, ...]


@frozen
class AtLeast:
    """Full credit when the number is at least ``at_least``."""

    indicator: str
    at_least: float


@frozen
class AtMost:
    """Full credit when the number is at most ``at_most``."""

    indicator: str
    at_most: float


@frozen
class Scale:
    """Credit rising linearly from ``scale[0]`` (none) to ``scale[1]`` (full); reversed when a > b."""

    indicator: str
    scale: tuple[float, float]


@frozen
class Credit:
    """A credit for every level of a level indicator."""

    indicator: str
    credit: dict[str, float]


@frozen
class AllOf:
    """The weakest of its parts: every part must hold for full credit."""

    all_of: tuple[Check, ...]


@frozen
class AnyOf:
    """The strongest of its parts: one part holding is enough."""

    any_of: tuple[Check, ...]


Check: TypeAlias = Equals | OneOf | AtLeast | AtMost | Scale | Credit | AllOf | AnyOf
Leaf: TypeAlias = Equals | OneOf | AtLeast | AtMost | Scale | Credit

#: The keys that combine checks, and their classes.
COMBINATORS: dict[str, type[AllOf] | type[AnyOf]] = {"all_of": AllOf, "any_of": AnyOf}


# --- values in words ----------------------------------------------------------------------------


def show_value(value: Value, indicator: Indicator | None = None) -> str:
    """A value as the analyst reads it: ``true``, ``12.5 %``, ``partial``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = show(value)
        unit = indicator.unit if indicator else None
        return f"{text} {unit}" if unit else text
    return value


def show_bound(x: float | None) -> str:
    """An indicator's ``min`` or ``max`` in words: ``0``, or ``any`` when it has none."""
    return "any" if x is None else show(x)


def _same(a: Value, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    return abs(a - b) <= TOLERANCE


def _clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


# --- the kinds -----------------------------------------------------------------------------------


@frozen
class Kind:
    """Everything about one check kind, in one place."""

    #: The TOML key that names the kind and holds its argument.
    key: str
    cls: type[Any]
    #: The indicator types the kind applies to.
    types: tuple[str, ...]
    argument: Argument
    #: The credit, in [0, 1], for a usable observed value.
    credit: Callable[[Any, Any], float]
    #: What full credit takes, in words, for the indicator's id ``name``.
    needed: Callable[[Any, str, Indicator | None], str]
    #: How credit arises, for a rule's page.
    explain: Callable[[Any, Indicator | None], str]
    #: The JSON Schema of the argument.
    schema: Mapping[str, Any]
    #: One line for the format reference and the schema.
    description: str
    #: Whether the kind can earn part credit (between 0 and 1), not only all or nothing.
    partial: bool = False


def _scale_needed(c: Scale, name: str, ind: Indicator | None) -> str:
    a, b = c.scale
    sign = ">=" if b > a else "<="
    return f"{name} {sign} {show_value(b, ind)} (no credit {'<=' if b > a else '>='} {show_value(a, ind)})"


def _credit_needed(c: Credit, name: str, ind: Indicator | None) -> str:
    full = [level for level, x in c.credit.items() if x >= 1.0 - TOLERANCE]
    return f"{name} = " + " or ".join(full) if full else f"{name}: no level earns full credit"


_ALL_OR_NOTHING = "Credit is 1 when this holds and 0 otherwise."

#: Every leaf kind by its TOML key, in the order the format reference lists them.
KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            "equals",
            Equals,
            ("bool", "number", "level"),
            "value",
            lambda c, v: 1.0 if _same(v, c.equals) else 0.0,
            lambda c, name, ind: f"{name} = {show_value(c.equals, ind)}",
            lambda c, ind: _ALL_OR_NOTHING,
            {"type": ["boolean", "number", "string"]},
            "Full credit when the value equals this one.",
        ),
        Kind(
            "one_of",
            OneOf,
            ("bool", "number", "level"),
            "values",
            lambda c, v: 1.0 if any(_same(v, x) for x in c.one_of) else 0.0,
            lambda c, name, ind: f"{name} one of " + ", ".join(show_value(v, ind) for v in c.one_of),
            lambda c, ind: _ALL_OR_NOTHING,
            {"type": "array", "items": {"type": ["boolean", "number", "string"]}, "minItems": 1},
            "Full credit when the value is one of these.",
        ),
        Kind(
            "at_least",
            AtLeast,
            ("number",),
            "number",
            lambda c, v: 1.0 if v >= c.at_least - TOLERANCE else 0.0,
            lambda c, name, ind: f"{name} >= {show_value(c.at_least, ind)}",
            lambda c, ind: _ALL_OR_NOTHING,
            {"type": "number"},
            "Full credit when the number is at least this.",
        ),
        Kind(
            "at_most",
            AtMost,
            ("number",),
            "number",
            lambda c, v: 1.0 if v <= c.at_most + TOLERANCE else 0.0,
            lambda c, name, ind: f"{name} <= {show_value(c.at_most, ind)}",
            lambda c, ind: _ALL_OR_NOTHING,
            {"type": "number"},
            "Full credit when the number is at most this.",
        ),
        Kind(
            "scale",
            Scale,
            ("number",),
            "pair",
            lambda c, v: _clamp((v - c.scale[0]) / (c.scale[1] - c.scale[0])),
            _scale_needed,
            lambda c, ind: f"Credit rises in a straight line from 0 at {show_value(c.scale[0], ind)} to 1 at "
            f"{show_value(c.scale[1], ind)}, and stays within 0 and 1 beyond them.",
            {
                "type": "array",
                "prefixItems": [{"type": "number"}, {"type": "number"}],
                "items": False,
                "minItems": 2,
                "maxItems": 2,
            },
            "[a, b]: credit 0 at a rising to 1 at b; a > b means lower is better.",
            partial=True,
        ),
        Kind(
            "credit",
            Credit,
            ("level",),
            "credits",
            lambda c, v: float(c.credit[v]),
            _credit_needed,
            lambda c, ind: "Credit by level: " + ", ".join(f"`{lv}` {show(x)}" for lv, x in c.credit.items()) + ".",
            {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
            "A credit from 0 to 1 for every level of the indicator.",
            partial=True,
        ),
    )
}

_BY_CLASS: dict[type[Any], Kind] = {k.cls: k for k in KINDS.values()}


def key_of(check: Check) -> str:
    """The check kind's TOML key, e.g. ``"at_least"``."""
    if isinstance(check, AllOf):
        return "all_of"
    if isinstance(check, AnyOf):
        return "any_of"
    return _BY_CLASS[type(check)].key


def kind_of(check: Leaf) -> Kind:
    """The registry entry of a leaf check."""
    return _BY_CLASS[type(check)]


def parts_of(check: AllOf | AnyOf) -> tuple[Check, ...]:
    """The checks an ``all_of`` or ``any_of`` combines."""
    return check.all_of if isinstance(check, AllOf) else check.any_of


# --- evaluating and wording ----------------------------------------------------------------------


def credit(check: Check, values: Mapping[str, Value]) -> float | None:
    """The credit of ``check`` given usable ``values`` by indicator id.

    ``None`` means no indicator the check reads has a usable value (the rule is missing). In
    ``all_of`` / ``any_of``, a part without evidence earns 0: unknown is not credit.
    """
    if isinstance(check, AllOf | AnyOf):
        parts = [credit(p, values) for p in parts_of(check)]
        if all(p is None for p in parts):
            return None
        known = [0.0 if p is None else p for p in parts]
        return min(known) if isinstance(check, AllOf) else max(known)
    if check.indicator not in values:
        return None
    return _BY_CLASS[type(check)].credit(check, values[check.indicator])


def indicators_of(check: Check) -> list[str]:
    """The indicator ids a check reads, in order, without repeats."""
    if isinstance(check, AllOf | AnyOf):
        seen: list[str] = []
        for part in parts_of(check):
            seen += [i for i in indicators_of(part) if i not in seen]
        return seen
    return [check.indicator]


def needed(check: Check, indicators: Mapping[str, Indicator]) -> str:
    """What full credit takes, in words: ``safe_haven_denied = true``, ``women_pct >= 30 %``."""
    if isinstance(check, AllOf | AnyOf):
        joiner = " and " if isinstance(check, AllOf) else " or "
        return joiner.join(_grouped(p, indicators) for p in parts_of(check))
    return _BY_CLASS[type(check)].needed(check, check.indicator, indicators.get(check.indicator))


def _grouped(check: Check, indicators: Mapping[str, Indicator]) -> str:
    text = needed(check, indicators)
    return f"({text})" if isinstance(check, AllOf | AnyOf) else text


def explain(check: Leaf, indicator: Indicator | None) -> str:
    """How a leaf check's credit arises, in a sentence (for rule pages)."""
    return _BY_CLASS[type(check)].explain(check, indicator)
