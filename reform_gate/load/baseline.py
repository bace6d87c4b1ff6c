"""Reading a stored run for ``score --baseline``: the output of ``reform-gate score --format json``.

It is one verdict (``reform-gate/verdict/2``, or ``/1``) or a run (``reform-gate/run/2``, or
``/1``); only what the comparison reads is checked (``docs/baseline.md``). Every problem is a
:class:`~reform_gate.errors.ReformGateError` naming the file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..errors import InputTooLargeError, InvalidValueError
from ..model import OUTCOMES
from ..verdict import DIFF_FORMAT, RUN_FORMAT, RUN_FORMAT_1, VERDICT_FORMAT, VERDICT_FORMAT_1
from .read import nesting_depth, read_bytes

__all__ = ["COMPARED", "MAX_BASELINE_BYTES", "MAX_BASELINE_DEPTH", "essentials", "load_baseline", "verdicts_of"]

#: A baseline holds every verdict of a run in full; 500 proposals take a few megabytes.
MAX_BASELINE_BYTES = 256 * 1024 * 1024
#: A run is five levels deep where the comparison reads it; nothing needs more than this.
MAX_BASELINE_DEPTH = 32
#: The longest integer accepted, in digits (Python refuses to read those of more than 4,300).
_MAX_DIGITS = 30
#: What the comparison reads of a verdict (``reform_gate.baseline.compare``); the rest (its
#: findings, evidence and gap, most of its size) is dropped as the baseline is read.
COMPARED = (
    "format",
    "proposal",
    "title",
    "file",
    "outcome",
    "requested_tier",
    "supported_tier",
    "overall_score",
    "design_score",
    "pillars",
    "blocking",
)


def essentials(verdict: dict[str, Any]) -> dict[str, Any]:
    """Of a verdict in its JSON form, only what the comparison reads."""
    return {k: verdict[k] for k in COMPARED if k in verdict}


def _trimmed(obj: dict[str, Any]) -> dict[str, Any]:
    # Called for every object as it is read, innermost first: a verdict loses its findings
    # before the next verdict is read, so memory holds one whole verdict at a time.
    if "findings" in obj and "outcome" in obj and "proposal" in obj:
        return essentials(obj)
    return obj


class _Refused(ValueError):
    """A JSON value the baseline may not hold (NaN, an infinity, an integer too long)."""


def _constant(name: str) -> float:
    raise _Refused(f"{name}, which JSON does not allow")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _Refused(f"an integer of {len(text.lstrip('-')):,} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]}, too large for a float")
    return value


def load_baseline(path: str | Path) -> list[dict[str, Any]]:
    """The verdicts of a stored JSON run; every problem is a ReformGateError naming the file.

    The file is read like any input (a regular file, at most :data:`MAX_BASELINE_BYTES`); it
    must be JSON without NaN or infinities, nested at most :data:`MAX_BASELINE_DEPTH` deep, with
    every value the comparison reads of the right type. Each verdict keeps only what the
    comparison reads (:func:`essentials`).
    """
    file = str(path)
    expected_file = "the output of reform-gate score --format json"
    raw = read_bytes(path, file, MAX_BASELINE_BYTES, expected_file)
    try:
        data = json.loads(
            raw.decode("utf-8"),
            object_hook=_trimmed,
            parse_constant=_constant,
            parse_int=_integer,
            parse_float=_float,
        )
    except UnicodeDecodeError as err:
        raise InvalidValueError(
            file, "", "UTF-8 JSON text", f"a byte that is not UTF-8 at offset {err.start}"
        ) from None
    except json.JSONDecodeError as err:
        raise InvalidValueError(
            file, "", f"JSON: {expected_file}", f"invalid JSON ({err.msg}, column {err.colno})", None, err.lineno
        ) from None
    except _Refused as err:
        raise InvalidValueError(file, "", f"JSON numbers: {expected_file}", str(err)) from None
    except RecursionError:
        raise InputTooLargeError(
            file, "", f"JSON nested at most {MAX_BASELINE_DEPTH} levels deep", "deeper nesting"
        ) from None
    depth = nesting_depth(data)
    if depth > MAX_BASELINE_DEPTH:
        raise InputTooLargeError(
            file, "", f"JSON nested at most {MAX_BASELINE_DEPTH} levels deep", f"{depth} levels"
        )
    return verdicts_of(data, file)


def verdicts_of(data: Any, file: str = "<baseline>") -> list[dict[str, Any]]:
    """The verdicts in parsed baseline data (a verdict or a run), checked for what :func:`compare` reads.

    Both versions are read: what :func:`compare` reads (outcome, scores, pillars, blocking) is the
    same in ``verdict/1`` and ``verdict/2``, which differ only in where the rules' texts are.
    """
    formats = f'"format": "{RUN_FORMAT}" (a run) or "{VERDICT_FORMAT}" (one verdict), or their /1 forms'
    if not isinstance(data, dict):
        raise InvalidValueError(file, "", f"a JSON object with {formats}", _kind(data))
    fmt = data.get("format")
    if fmt in (RUN_FORMAT, RUN_FORMAT_1):
        verdicts = data.get("verdicts")
        if not isinstance(verdicts, list):
            raise InvalidValueError(file, "verdicts", "an array of verdicts", _kind(verdicts))
        for i, v in enumerate(verdicts):
            _check_verdict(v, file, f"verdicts[{i}]")
        return list(verdicts)
    untagged = fmt is None and isinstance(data.get("proposal"), str) and "outcome" in data
    if fmt in (VERDICT_FORMAT, VERDICT_FORMAT_1) or untagged:
        # A single verdict; older output left out its "format" key.
        _check_verdict(data, file, "")
        return [data]
    found = f'"format": {_shown(fmt)}' if fmt is not None else "no format key"
    hint = "a --baseline file is what score --format json printed" if fmt == DIFF_FORMAT else None
    raise InvalidValueError(file, "format", formats, found, hint)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _shown(value: Any) -> str:
    """A found value for an error: short, whatever it is."""
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 60 else value[:57] + "...")
    return _kind(value)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_verdict(v: Any, file: str, where: str) -> None:
    """Every value :func:`reform_gate.baseline.compare` reads has the type it expects."""

    def at(key: str) -> str:
        return f"{where}.{key}" if where else key

    def need(ok: bool, key: str, expected: str, value: Any) -> None:
        if not ok:
            raise InvalidValueError(file, at(key), expected, _kind(value))

    if not isinstance(v, dict):
        raise InvalidValueError(file, where, "a verdict object", _kind(v))
    need(isinstance(v.get("proposal"), str), "proposal", "the proposal id, a string", v.get("proposal"))
    if v.get("outcome") not in OUTCOMES:
        raise InvalidValueError(file, at("outcome"), "one of " + ", ".join(OUTCOMES), _shown(v.get("outcome")))
    need(_number(v.get("overall_score")), "overall_score", "a number", v.get("overall_score"))
    for key in ("design_score",):
        need(v.get(key) is None or _number(v.get(key)), key, "a number or null", v.get(key))
    for key in ("title", "file", "requested_tier", "supported_tier"):
        need(v.get(key) is None or isinstance(v.get(key), str), key, "a string or null", v.get(key))
    for key in ("pillars", "blocking"):
        need(isinstance(v.get(key, []), list), key, "an array", v.get(key))
    for i, p in enumerate(v.get("pillars", [])):
        need(isinstance(p, dict), f"pillars[{i}]", "a pillar object", p)
        need(isinstance(p.get("id"), str), f"pillars[{i}].id", "the pillar id, a string", p.get("id"))
        score = p.get("score")
        need(score is None or _number(score), f"pillars[{i}].score", "a number or null", score)
    for i, r in enumerate(v.get("blocking", [])):
        need(isinstance(r, dict), f"blocking[{i}]", "a requirement object", r)
        for key in ("kind", "subject", "text"):
            value = r.get(key, "")
            need(isinstance(value, str), f"blocking[{i}].{key}", "a string", value)
