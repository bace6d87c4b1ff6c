"""``verify --coverage``: how far verified proposals cover each criteria set, as text and as data.

Sample::

    coverage of reform-before-recognition 1.0.0 (criteria/reform-before-recognition.toml), 11 verified proposals
      rules 28 of 28 (100.0 %)
      tiers 6 of 6 (100.0 %)

The definitions are in ``docs/scoring.md`` ("Coverage") and :mod:`reform_gate.engine.coverage`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from ..engine.coverage import SetCoverage
from ..safe_text import printable

__all__ = ["COVERAGE_FORMAT", "render_text", "to_data"]

#: The ``format`` of the coverage part of ``verify --format json``.
COVERAGE_FORMAT = "reform-gate/coverage/1"


def render_text(sets: Sequence[SetCoverage], out: TextIO, min_coverage: float | None = None) -> None:
    """Per criteria set: rules and tiers covered, and the ones that are not."""
    if not sets:
        out.write("coverage: no expectation holds, so nothing is covered\n")
    for s in sets:
        n = len(s.proposals)
        # Ids and names come from a criteria file, which may come from a pull request: printed inert.
        where = f" ({printable(s.file)})" if s.file else ""
        name = f"{printable(s.criteria)} {printable(s.version)}"
        out.write(f"coverage of {name}{where}, {n} verified proposal{'s' if n != 1 else ''}\n")
        rules = ("rules", len(s.rules), [printable(r.rule) for r in s.rules if not r.covered], s.rule_percent)
        tiers = ("tiers", len(s.tiers), [printable(t.tier) for t in s.tiers if not t.covered], s.tier_percent)
        for what, total, missing, percent in (rules, tiers):
            line = f"  {what} {total - len(missing)} of {total} ({percent:.1f} %)"
            if missing:
                line += "; not covered: " + ", ".join(missing)
            if min_coverage is not None and percent < min_coverage - 1e-9:
                line += f"  BELOW {min_coverage:g} %"
            out.write(line + "\n")


def to_data(sets: Sequence[SetCoverage]) -> list[dict[str, Any]]:
    """The coverage as JSON-ready data, one object per criteria set."""
    return [
        {
            "criteria": s.criteria,
            "version": s.version,
            "file": s.file,
            "proposals": list(s.proposals),
            "rules": {
                "covered": sum(1 for r in s.rules if r.covered),
                "total": len(s.rules),
                "percent": s.rule_percent,
                "each": [{"rule": r.rule, "covered_by": list(r.covered_by)} for r in s.rules],
            },
            "tiers": {
                "covered": sum(1 for t in s.tiers if t.covered),
                "total": len(s.tiers),
                "percent": s.tier_percent,
                "each": [{"tier": t.tier, "requested_by": list(t.requested_by)} for t in s.tiers],
            },
        }
        for s in sets
    ]
