"""``score --baseline``: what changed against a stored JSON run (in the manner of Checkov's baseline).

:func:`compare` is a pure function over verdict data (the JSON form,
:meth:`~reform_gate.verdict.Verdict.to_dict`, so a baseline from an older run compares with a
fresh one the same way) and returns the diff as data, ``"format": "reform-gate/diff/1"``:

- proposals are matched by proposal id (by id and file where an id occurs twice);
- a proposal is *new* (not in the baseline), *gone* (only in the baseline), *changed*, or
  unchanged (counted, not listed);
- a change is an outcome change (``worse`` or ``better`` in the CI order rejected < scale-back <
  revise < supported), a change of requested or supported tier, a blocking requirement that is
  new or cleared (matched by kind and subject: gate CT-1, min_pillar civil-liberties, ...), or a
  score that moved by more than 0.05 points (overall, design, or a pillar's).

Only proposals that are new, or whose outcome got worse, count against ``--fail-below``
(:func:`counted_outcomes`): a proposal that stays below the bar without getting worse is known
debt and passes. Reading the stored run is :mod:`reform_gate.load.baseline`; the text report is
:mod:`reform_gate.render.diff`. See ``docs/baseline.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .model import OUTCOMES, Outcome
from .numbers import TOLERANCE
from .verdict import DIFF_FORMAT

__all__ = ["DIFF_FORMAT", "SCORE_MOVE", "compare", "counted_outcomes"]

#: Score moves at or below this many points are noise (scores render to one decimal).
SCORE_MOVE = 0.05

Data = Mapping[str, Any]


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
        if a is not None and b is not None and abs(b - a) <= tolerance + TOLERANCE:
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

    Both sides are verdicts in their JSON form (:meth:`reform_gate.verdict.Verdict.to_dict`).
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


def counted_outcomes(diff: Data) -> list[Outcome]:
    """The outcomes that count against ``--fail-below``: those of new proposals and worse ones."""
    return [e["outcome"]["after"] for e in diff["proposals"] if e["outcome"]["change"] in ("new", "worse")]
