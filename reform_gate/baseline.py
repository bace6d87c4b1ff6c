"""``score --baseline``: what changed against a stored JSON run (in the manner of Checkov's baseline).

The baseline is the output of ``reform-gate score --format json``: one verdict
(``reform-gate/verdict/1``) or a run (``reform-gate/run/1``). :func:`compare` is a pure function
over verdict data (the JSON form, so a baseline from an older run compares with a fresh one the
same way) and returns the diff as data, ``"format": "reform-gate/diff/1"``:

- proposals are matched by proposal id (by id and file where an id occurs twice);
- a proposal is *new* (not in the baseline), *gone* (only in the baseline), *changed*, or
  unchanged (counted, not listed);
- a change is an outcome change (``worse`` or ``better`` in the CI order rejected < scale-back <
  revise < supported), a change of requested or supported tier, a blocking requirement that is
  new or cleared (matched by kind and subject: gate CT-1, min_pillar civil-liberties, ...), or a
  score that moved by more than 0.05 points (overall, design, or a pillar's).

Exit code (:func:`exit_code`): only proposals that are new, or whose outcome got worse, count
against ``--fail-below``; a proposal that stays below the bar without getting worse is known debt
and passes. See ``docs/baseline.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from .errors import InputTooLargeError, InvalidValueError, UsageError
from .model import OUTCOMES, below

__all__ = ["DIFF_FORMAT", "SCORE_MOVE", "compare", "exit_code", "load_baseline", "render_text"]

DIFF_FORMAT = "reform-gate/diff/1"
VERDICT_FORMAT = "reform-gate/verdict/1"
RUN_FORMAT = "reform-gate/run/1"
#: Score moves at or below this many points are noise (scores render to one decimal).
SCORE_MOVE = 0.05
#: A baseline holds every verdict of a run in full; 500 proposals take a few megabytes.
MAX_BASELINE_BYTES = 256 * 1024 * 1024

Data = Mapping[str, Any]


# --- reading a baseline ------------------------------------------------------------------------


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


# --- comparing ---------------------------------------------------------------------------------


def _keys(verdicts: Sequence[Data], other: Sequence[Data]) -> list[str]:
    """Match keys: the proposal id, or id and file where an id occurs twice on either side."""
    counts: dict[str, int] = {}
    for side in (verdicts, other):
        seen: dict[str, int] = {}
        for v in side:
            seen[v["proposal"]] = seen.get(v["proposal"], 0) + 1
        for ident, n in seen.items():
            counts[ident] = max(counts.get(ident, 0), n)
    return [v["proposal"] if counts[v["proposal"]] == 1 else f"{v['proposal']} ({v.get('file', '')})" for v in verdicts]


def _blocking(v: Data) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for req in v.get("blocking", []):
        if not isinstance(req, dict):
            continue
        kind = str(req.get("kind", ""))
        subject = str(req.get("subject", "")) or str(req.get("scope", ""))
        out[(kind, subject)] = {
            "kind": kind,
            "subject": str(req.get("subject", "")),
            "scope": req.get("scope"),
            "text": str(req.get("text", "")),
        }
    return out


def _scores(v: Data) -> dict[tuple[str, str | None], float | None]:
    out: dict[tuple[str, str | None], float | None] = {
        ("overall", None): v.get("overall_score"),
        ("design", None): v.get("design_score"),
    }
    for p in v.get("pillars", []):
        if isinstance(p, dict) and "id" in p:
            out[("pillar", str(p["id"]))] = p.get("score")
    return out


def _moves(before: Data | None, after: Data | None, tolerance: float) -> list[dict[str, Any]]:
    old = _scores(before) if before is not None else {}
    new = _scores(after) if after is not None else {}
    moves = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        if a is None and b is None:
            continue
        if a is not None and b is not None and abs(b - a) <= tolerance + 1e-9:
            continue
        if before is None or after is None:
            continue  # a new or gone proposal has scores, not moves
        moves.append(
            {
                "score": key[0],
                "pillar": key[1],
                "before": a,
                "after": b,
                "delta": None if a is None or b is None else b - a,
            }
        )
    return moves


def _change(before: str | None, after: str | None) -> str:
    if before is None:
        return "new"
    if after is None:
        return "gone"
    a, b = OUTCOMES.index(before), OUTCOMES.index(after)
    return "same" if a == b else "worse" if b < a else "better"


def _entry(key: str, before: Data | None, after: Data | None, tolerance: float) -> dict[str, Any] | None:
    latest = after if after is not None else before
    assert latest is not None
    old_block = _blocking(before) if before is not None else {}
    new_block = _blocking(after) if after is not None else {}
    outcome = {
        "before": before["outcome"] if before else None,
        "after": after["outcome"] if after else None,
    }
    outcome["change"] = _change(outcome["before"], outcome["after"])
    entry: dict[str, Any] = {
        "key": key,
        "proposal": latest["proposal"],
        "title": latest.get("title"),
        "file": latest.get("file"),
        "status": "new" if before is None else "gone" if after is None else "changed",
        "outcome": outcome,
        "requested_tier": {
            "before": before.get("requested_tier") if before else None,
            "after": after.get("requested_tier") if after else None,
        },
        "supported_tier": {
            "before": before.get("supported_tier") if before else None,
            "after": after.get("supported_tier") if after else None,
        },
        "new_blocking": [r for k, r in new_block.items() if k not in old_block] if before is not None else [],
        "cleared_blocking": [r for k, r in old_block.items() if k not in new_block] if after is not None else [],
        "blocking": list(new_block.values()) if before is None else [],
        "scores": _moves(before, after, tolerance),
        "overall_score": {
            "before": before.get("overall_score") if before else None,
            "after": after.get("overall_score") if after else None,
        },
    }
    if entry["status"] == "changed":
        same = (
            outcome["change"] == "same"
            and entry["requested_tier"]["before"] == entry["requested_tier"]["after"]
            and entry["supported_tier"]["before"] == entry["supported_tier"]["after"]
            and not entry["new_blocking"]
            and not entry["cleared_blocking"]
            and not entry["scores"]
        )
        if same:
            return None
    return entry


def compare(
    baseline: Sequence[Data],
    current: Sequence[Data],
    tolerance: float = SCORE_MOVE,
    baseline_file: str = "",
    errors: Sequence[Data] = (),
) -> dict[str, Any]:
    """The diff of ``current`` verdicts against ``baseline`` verdicts, as JSON-ready data.

    Both sides are verdicts in their JSON form (:func:`reform_gate.render.json_.verdict_data`).
    Listed are the new, gone and changed proposals, in the current run's order and then the
    baseline's; unchanged ones are only counted. ``errors`` (files of the current run that could
    not be scored, as :func:`reform_gate.render.json_.error_data`) are carried through.
    """
    old_keys = _keys(baseline, current)
    new_keys = _keys(current, baseline)
    old = dict(zip(old_keys, baseline, strict=True))
    new = dict(zip(new_keys, current, strict=True))
    entries: list[dict[str, Any]] = []
    unchanged = 0
    for key, after in new.items():
        entry = _entry(key, old.get(key), after, tolerance)
        if entry is None:
            unchanged += 1
        else:
            entries.append(entry)
    for key, before in old.items():
        if key not in new:
            gone = _entry(key, before, None, tolerance)
            assert gone is not None
            entries.append(gone)
    changes = [e["outcome"]["change"] for e in entries]
    summary = {
        "baseline": len(baseline),
        "current": len(current),
        "changed": sum(1 for e in entries if e["status"] == "changed"),
        "new": changes.count("new"),
        "gone": changes.count("gone"),
        "unchanged": unchanged,
        "worse": changes.count("worse"),
        "better": changes.count("better"),
    }
    return {
        "format": DIFF_FORMAT,
        "baseline": baseline_file,
        "score_move": tolerance,
        "summary": summary,
        "proposals": entries,
        "errors": [dict(e) for e in errors],
    }


def exit_code(diff: Data, fail_below: str) -> int:
    """1 when a new proposal, or one whose outcome got worse, is below ``fail_below``; else 0."""
    for e in diff["proposals"]:
        if e["outcome"]["change"] in ("new", "worse") and below(e["outcome"]["after"], fail_below):
            return 1
    return 0


# --- the text report ---------------------------------------------------------------------------


def _num(x: float | None) -> str:
    return "none" if x is None else f"{x:.1f}"


def _delta(x: float | None) -> str:
    return "" if x is None else f" ({x:+.1f})"


def render_text(diff: Data, out: TextIO, fail_below: str | None = None) -> None:
    """The diff for a person: a summary line, then each listed proposal with what changed."""
    s = diff["summary"]
    where = f" {diff['baseline']}" if diff.get("baseline") else ""
    out.write(
        f"Against baseline{where}: {s['changed']} changed ({s['worse']} worse, {s['better']} better), "
        f"{s['new']} new, {s['gone']} gone, {s['unchanged']} unchanged.\n"
    )
    if not diff["proposals"]:
        out.write("Nothing changed.\n")
        return
    floor = OUTCOMES.index(fail_below) if fail_below in OUTCOMES else None
    for e in diff["proposals"]:
        o = e["outcome"]
        out.write(f"\n{e['proposal']}  ({e['file']})\n" if e.get("file") else f"\n{e['proposal']}\n")
        if e["status"] == "new":
            tier = e["requested_tier"]["after"]
            out.write(f"  new: {o['after']}, requested {tier}, supports {e['supported_tier']['after'] or 'none'}")
            out.write(f", overall {_num(e['overall_score']['after'])}\n")
            for r in e["blocking"]:
                out.write(f"  x blocking: {r['text']}\n")
        elif e["status"] == "gone":
            out.write(f"  gone from this run (was {o['before']})\n")
        else:
            if o["change"] != "same":
                out.write(f"  outcome: {o['before']} -> {o['after']}  ({o['change']})\n")
            for name in ("requested_tier", "supported_tier"):
                t = e[name]
                if t["before"] != t["after"]:
                    label = name.replace("_", " ")
                    out.write(f"  {label}: {t['before'] or 'none'} -> {t['after'] or 'none'}\n")
            for r in e["new_blocking"]:
                out.write(f"  + new blocking: {r['text']}\n")
            for r in e["cleared_blocking"]:
                out.write(f"  - cleared: {r['text']}\n")
            for m in e["scores"]:
                label = f"{m['pillar']} score" if m["score"] == "pillar" else f"{m['score']} score"
                out.write(f"  {label}: {_num(m['before'])} -> {_num(m['after'])}{_delta(m['delta'])}\n")
        if floor is not None and o["change"] in ("new", "worse") and OUTCOMES.index(o["after"]) < floor:
            out.write(f"  fails: {o['after']} is below --fail-below {fail_below}\n")
