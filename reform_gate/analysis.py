"""The results of the analyses: sensitivity, what-if and comparison, as plain data.

Like the verdict (:mod:`reform_gate.verdict`), each result is frozen data that renderers only
arrange: the engine (:mod:`reform_gate.engine.sensitivity`, ``what_if``, ``compare``) computes it,
``to_dict`` gives its public JSON form, and each carries a ``format`` string of its own
(``docs/output-formats.md``). A result holds whole verdicts where it needs them, so a renderer can
draw the verdict beside the analysis without scoring again.
"""

from __future__ import annotations

from typing import Any, Literal

from attrs import frozen

from .checks import Value
from .model import Outcome
from .verdict import Verdict, _plain, catalogue

__all__ = [
    "COMPARE_FORMAT",
    "SENSITIVITY_FORMAT",
    "WHAT_IF_FORMAT",
    "Comparison",
    "ComparisonColumn",
    "FindingChange",
    "FindingRow",
    "ObservationChange",
    "ObservationFlip",
    "PillarRow",
    "Place",
    "RequirementChange",
    "Robustness",
    "Sensitivity",
    "WeightRange",
    "WhatIf",
]

#: The ``format`` of each analysis's JSON document.
#: Version 2 of each: the verdicts they hold are ``reform-gate/verdict/2``, whose rules' texts are
#: in the analysis's own ``criteria`` catalogue (``docs/output-formats.md``, "Analyses in JSON").
SENSITIVITY_FORMAT = "reform-gate/sensitivity/2"
WHAT_IF_FORMAT = "reform-gate/what-if/2"
COMPARE_FORMAT = "reform-gate/compare/2"


@frozen
class Place:
    """Where a verdict lands: its outcome and the tier the record supports (what a flip changes)."""

    outcome: Outcome
    supported_tier: str | None


# --- sensitivity ------------------------------------------------------------------------------


@frozen
class WeightRange:
    """How far one weight may move, every other weight fixed, before the outcome or the supported
    tier changes (``docs/scoring.md``, "Sensitivity").

    The verdict stays the same for every weight from ``low`` to ``high`` (``None``: no upper end);
    ``low_included`` and ``high_included`` say whether the ends themselves keep it. ``below`` and
    ``above`` are where the verdict lands just past each end (``None`` where nothing flips).
    ``change`` is the smallest relative change of the weight that flips the verdict, ``|edge -
    weight| / weight`` at the nearer end that flips; ``None`` when nothing flips or the weight is 0.
    """

    kind: Literal["rule", "pillar"]
    id: str
    title: str
    pillar: str
    weight: float
    low: float
    low_included: bool
    high: float | None
    high_included: bool
    below: Place | None
    above: Place | None
    change: float | None
    #: Why the weight cannot matter, when it cannot ("" otherwise).
    note: str = ""

    @property
    def flips(self) -> bool:
        """Whether some value of this weight changes the verdict."""
        return self.below is not None or self.above is not None


@frozen
class ObservationFlip:
    """One value of one indicator that, alone, changes the outcome or the supported tier.

    ``kind`` is ``value`` (a level, a bool, or one exact number), ``range`` (numbers from ``low``
    to ``high``; ``None`` is open-ended) or ``missing`` (no usable evidence). ``now`` is the value
    that counts today (``None`` when none does); ``text`` says the alternative in words; for a
    range, ``value`` is its end nearest to today's value.
    """

    indicator: str
    title: str
    rules: tuple[str, ...]
    now: Value | None
    kind: Literal["value", "range", "missing"]
    value: Value | None
    text: str
    place: Place
    low: float | None = None
    low_included: bool = False
    high: float | None = None
    high_included: bool = False


@frozen
class Robustness:
    """The seeded Monte-Carlo figure: how many random weight changes keep the verdict."""

    seed: int
    draws: int
    #: Each weight is multiplied by a factor drawn uniformly from [1 - spread, 1 + spread].
    spread: float
    rule: str
    kept_outcome: int
    kept_place: int

    @property
    def share_outcome(self) -> float:
        """The share of draws that keep the outcome."""
        return self.kept_outcome / self.draws if self.draws else 1.0

    @property
    def share_place(self) -> float:
        """The share of draws that keep both the outcome and the supported tier."""
        return self.kept_place / self.draws if self.draws else 1.0


@frozen
class Sensitivity:
    """How robust a verdict is: each weight's range, the single observations that flip it, and the
    share of random weight changes that keep it."""

    verdict: Verdict
    #: Closest to flipping first (``docs/scoring.md``, "Sensitivity").
    weights: tuple[WeightRange, ...]
    flips: tuple[ObservationFlip, ...]
    robustness: Robustness
    format: str = SENSITIVITY_FORMAT

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (``"format": "reform-gate/sensitivity/2"``), with the ``criteria``
        catalogue of its verdict."""
        data: dict[str, Any] = _plain(self)
        data["criteria"] = catalogue([self.verdict])
        data["robustness"]["share_outcome"] = self.robustness.share_outcome
        data["robustness"]["share_place"] = self.robustness.share_place
        return data


# --- what-if ----------------------------------------------------------------------------------


@frozen
class ObservationChange:
    """One observation the what-if replaced: the value that counted before and after (``None``:
    no usable evidence)."""

    indicator: str
    before: Value | None
    after: Value | None


@frozen
class FindingChange:
    """A rule whose status or credit the change moved."""

    rule: str
    title: str
    before_status: str
    after_status: str
    before_credit: float
    after_credit: float


@frozen
class RequirementChange:
    """A requirement of the requested tier that started or stopped holding."""

    text: str
    before: bool
    after: bool


@frozen
class WhatIf:
    """A proposal scored as it is and with some observations changed, side by side."""

    changes: tuple[ObservationChange, ...]
    before: Verdict
    after: Verdict
    findings: tuple[FindingChange, ...]
    requirements: tuple[RequirementChange, ...]
    format: str = WHAT_IF_FORMAT

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (``"format": "reform-gate/what-if/2"``), with the ``criteria``
        catalogue of its two verdicts."""
        data: dict[str, Any] = _plain(self)
        data["criteria"] = catalogue([self.before, self.after])
        return data


# --- compare ----------------------------------------------------------------------------------


@frozen
class ComparisonColumn:
    """One verdict of a comparison: which proposal, under which criteria set, and its label."""

    label: str
    proposal: str
    file: str
    criteria_id: str
    criteria_version: str


@frozen
class PillarRow:
    """One pillar's score in each column (``None`` where the column's set has no such pillar)."""

    id: str
    scores: tuple[float | None, ...]


@frozen
class FindingRow:
    """One rule whose finding differs between columns: its status and credit in each
    (``None`` where the column's set has no such rule)."""

    rule: str
    title: str
    statuses: tuple[str | None, ...]
    credits: tuple[float | None, ...]
    observed: tuple[str | None, ...]


@frozen
class Comparison:
    """Several verdicts side by side, and the findings that differ between them."""

    columns: tuple[ComparisonColumn, ...]
    verdicts: tuple[Verdict, ...]
    pillars: tuple[PillarRow, ...]
    differences: tuple[FindingRow, ...]
    #: How many rules are in at least one column and have the same finding in every column.
    same: int
    format: str = COMPARE_FORMAT

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (``"format": "reform-gate/compare/2"``), with the ``criteria``
        catalogue of its verdicts."""
        data: dict[str, Any] = _plain(self)
        data["criteria"] = catalogue(self.verdicts)
        return data
