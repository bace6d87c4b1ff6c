"""Observed values typed on the command line (``what-if --set INDICATOR=VALUE``), read by the
indicator's type as strictly as a proposal file is: ``true`` or ``false`` for a bool, a number
within the indicator's bounds, one of its levels. A bad value is one clear
:class:`~reform_gate.errors.UsageError` naming the option, what was expected and what was found,
with a "did you mean" where one fits.
"""

from __future__ import annotations

import math
import re

from ..checks import Value
from ..errors import UsageError, suggest
from ..model import Criteria, Indicator
from ..numbers import show

__all__ = ["indicator_named", "parse_setting", "parse_value"]

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


def indicator_named(name: str, criteria: Criteria, option: str) -> Indicator:
    """The indicator ``name`` of ``criteria``, or a usage error with the nearest id."""
    found = criteria.indicators.get(name)
    if found is None:
        ids = list(criteria.indicators)
        # A short form of one id (``poppy`` for ``poppy_cultivation_ha``) is as good a hint as a misspelling.
        within = [i for i in ids if name and name.lower() in i.lower()]
        hint = suggest(name, ids) or (f'did you mean "{within[0]}"?' if len(within) == 1 else None)
        raise UsageError(option, "", f"an indicator of {criteria.id}", f'"{name}"', hint)
    return found


def parse_setting(text: str, criteria: Criteria, option: str = "--set") -> tuple[str, Value]:
    """``isisk_operations=sporadic`` -> ``("isisk_operations", "sporadic")``, checked against ``criteria``."""
    name, equals, raw = text.partition("=")
    name = name.strip()
    if not equals or not name:
        raise UsageError(option, "", "INDICATOR=VALUE, such as isisk_operations=sporadic", f'"{text}"')
    indicator = indicator_named(name, criteria, option)
    return name, parse_value(name, indicator, raw.strip(), option)


def parse_value(name: str, indicator: Indicator, raw: str, option: str = "--set") -> Value:
    """``raw`` as a value of ``indicator`` (whose id is ``name``)."""
    where = f"{option} {name}"
    drop = f"to remove the observation instead, use --drop {name}" if raw.lower() in ("missing", "none", "") else None
    if indicator.type == "bool":
        if raw in ("true", "false"):
            return raw == "true"
        hint = f'did you mean "{raw.lower()}"?' if raw.lower() in ("true", "false") else drop
        raise UsageError(where, "", "true or false", f'"{raw}"', hint)
    if indicator.type == "level":
        levels = list(indicator.levels or ())
        if raw in levels:
            return raw
        wanted = "one of the levels of " + f'"{name}": ' + ", ".join(f'"{lv}"' for lv in levels)
        raise UsageError(where, "", wanted, f'"{raw}"', suggest(raw, levels) or drop)
    if not _NUMBER.fullmatch(raw):
        raise UsageError(where, "", "a number, such as 12 or 0.5", f'"{raw}"', drop)
    number: int | float = int(raw) if _INTEGER.fullmatch(raw) else float(raw)
    if not math.isfinite(number):
        raise UsageError(where, "", "a finite number", f'"{raw}"')
    low, high = indicator.min, indicator.max
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            wanted = f"a number from {show(low)} to {show(high)}"
        elif low is not None:
            wanted = f"a number of at least {show(low)}"
        else:
            wanted = f"a number of at most {show(high or 0)}"
        raise UsageError(where, "", wanted, show(number))
    return number
