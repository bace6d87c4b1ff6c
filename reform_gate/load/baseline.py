"""Reading a stored run for ``score --baseline``: the output of ``reform-gate score --format json``.

It is one verdict (``reform-gate/verdict/1``) or a run (``reform-gate/run/1``); only what the
comparison reads is checked (``docs/baseline.md``). Every problem is a
:class:`~reform_gate.errors.ReformGateError` naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputTooLargeError, InvalidValueError, UsageError
from ..model import OUTCOMES
from ..verdict import DIFF_FORMAT, RUN_FORMAT, VERDICT_FORMAT

__all__ = ["MAX_BASELINE_BYTES", "load_baseline", "verdicts_of"]

#: A baseline holds every verdict of a run in full; 500 proposals take a few megabytes.
MAX_BASELINE_BYTES = 256 * 1024 * 1024


def load_baseline(path: str | Path) -> list[dict[str, Any]]:
    """The verdicts of a stored JSON run; every problem is a ReformGateError naming the file."""
    file = str(path)
    expected_file = "the output of reform-gate score --format json"
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(file, "", f"an existing file: {expected_file}", "no such file") from None
    except IsADirectoryError:
        raise UsageError(file, "", f"a file: {expected_file}", "a directory") from None
    except OSError as err:
        raise UsageError(file, "", "a readable file", err.strerror or str(err)) from None
    if len(raw) > MAX_BASELINE_BYTES:
        raise InputTooLargeError(file, "", f"at most {MAX_BASELINE_BYTES:,} bytes", f"{len(raw):,} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InvalidValueError(
            file, "", "UTF-8 JSON text", f"a byte that is not UTF-8 at offset {err.start}"
        ) from None
    except json.JSONDecodeError as err:
        raise InvalidValueError(
            file, "", f"JSON: {expected_file}", f"invalid JSON ({err.msg}, column {err.colno})", None, err.lineno
        ) from None
    return verdicts_of(data, file)


def verdicts_of(data: Any, file: str = "<baseline>") -> list[dict[str, Any]]:
    """The verdicts in parsed baseline data (a verdict or a run), checked for what :func:`compare` reads."""
    formats = f'"format": "{RUN_FORMAT}" (a run) or "{VERDICT_FORMAT}" (one verdict)'
    if not isinstance(data, dict):
        raise InvalidValueError(file, "", f"a JSON object with {formats}", _kind(data))
    fmt = data.get("format")
    if fmt == RUN_FORMAT:
        verdicts = data.get("verdicts")
        if not isinstance(verdicts, list):
            raise InvalidValueError(file, "verdicts", "an array of verdicts", _kind(verdicts))
        for i, v in enumerate(verdicts):
            _check_verdict(v, file, f"verdicts[{i}]")
        return list(verdicts)
    if fmt == VERDICT_FORMAT or (fmt is None and isinstance(data.get("proposal"), str) and "outcome" in data):
        # A single verdict; older output left out its "format" key.
        _check_verdict(data, file, "")
        return [data]
    found = f'"format": {json.dumps(fmt)}' if fmt is not None else "no format key"
    hint = "a --baseline file is what score --format json printed" if fmt == DIFF_FORMAT else None
    raise InvalidValueError(file, "format", formats, found, hint)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _check_verdict(v: Any, file: str, where: str) -> None:
    def at(key: str) -> str:
        return f"{where}.{key}" if where else key

    if not isinstance(v, dict):
        raise InvalidValueError(file, where, "a verdict object", _kind(v))
    if not isinstance(v.get("proposal"), str):
        raise InvalidValueError(file, at("proposal"), "the proposal id, a string", _kind(v.get("proposal")))
    if v.get("outcome") not in OUTCOMES:
        raise InvalidValueError(
            file, at("outcome"), "one of " + ", ".join(OUTCOMES), json.dumps(v.get("outcome", None))
        )
    for key in ("overall_score",):
        if isinstance(v.get(key), bool) or not isinstance(v.get(key), int | float):
            raise InvalidValueError(file, at(key), "a number", _kind(v.get(key)))
    for key in ("pillars", "blocking"):
        if not isinstance(v.get(key, []), list):
            raise InvalidValueError(file, at(key), "an array", _kind(v.get(key)))
