"""The domain model: criteria sets, proposals and their parts, as frozen attrs classes.

Field names are the TOML keys, so the one converter in :mod:`reform_gate._convert` maps files to
these classes and back without renaming. Every class is immutable: a loaded criteria set or
proposal is a value, and scoring is a pure function of values.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal, TypeAlias

from attrs import field, frozen

from ._cache import index

__all__ = [
    "AllOf",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "Check",
    "Credit",
    "Criteria",
    "CriteriaInfo",
    "Equals",
    "Expect",
    "Indicator",
    "MinMet",
    "Observation",
    "OneOf",
    "Pillar",
    "Proposal",
    "ProposalInfo",
    "RequirementGroup",
    "Rule",
    "Scale",
    "Tier",
    "Value",
    "Waiver",
]

#: What an observation can hold: a bool, a number, or the name of a level.
Value: TypeAlias = bool | int | float | str

IndicatorType: TypeAlias = Literal["bool", "number", "level"]
PillarKind: TypeAlias = Literal["reform", "safeguard"]
Outcome: TypeAlias = Literal["rejected", "scale-back", "revise", "supported"]

#: Outcomes ordered for CI, worst first (DESIGN 4.4).
OUTCOMES: tuple[Outcome, ...] = ("rejected", "scale-back", "revise", "supported")


def below(outcome: str, floor: str) -> bool:
    """Whether ``outcome`` ranks under ``floor`` (``--fail-below``): what fails a CI run."""
    return OUTCOMES.index(outcome) < OUTCOMES.index(floor)


# --- checks: one class per check kind (DESIGN 4.1) -------------------------------------------


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


# --- criteria sets ---------------------------------------------------------------------------


@frozen
class CriteriaInfo:
    """The ``[criteria]`` table: identity and evidence policy of a criteria set."""

    id: str
    version: str
    title: str
    description: str | None = None
    missing: Literal["zero", "exclude"] = "zero"
    max_evidence_age_days: int | None = None
    stale: Literal["warn", "unknown"] = "warn"
    min_reliability: str = "F6"


@frozen
class Pillar:
    """An area of concern with a weight. ``reform`` pillars judge the counterpart's record;
    ``safeguard`` pillars judge the proposal's own design."""

    id: str
    kind: PillarKind
    weight: float
    title: str
    description: str | None = None


@frozen
class Indicator:
    """A named, typed fact that a proposal supplies as an observation."""

    type: IndicatorType
    title: str
    description: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    levels: tuple[str, ...] | None = None


@frozen
class Rule:
    """A weighted check of one or more indicators, in one pillar; a gate is a hard hurdle."""

    id: str
    pillar: str
    weight: float
    title: str
    check: Check
    rationale: str
    remedy: str
    references: tuple[str, ...]
    gate: bool = False
    gate_min: float = 1.0
    waivable: bool = False


@frozen
class MinMet:
    """At least ``count`` rules met, among ``among`` when given (the MCC "pass N of M" rule)."""

    count: int
    among: tuple[str, ...] | None = None


@frozen
class RequirementGroup:
    """One group of an ``any_of``: the same keys as a tier, without ``any_of``."""

    min_score: float | None = None
    min_pillar: dict[str, float] = field(factory=dict)
    gates: Literal["all"] | tuple[str, ...] | None = None
    min_met: MinMet | None = None

    def names_gate(self, rule: Rule) -> bool:
        """Whether this group needs ``rule`` to pass as a gate (by name, or as one of "all")."""
        return (self.gates == "all" and rule.gate) or (isinstance(self.gates, tuple) and rule.id in self.gates)


@frozen
class Tier:
    """One rung of the engagement ladder and what it requires."""

    id: str
    title: str
    description: str | None = None
    min_score: float | None = None
    min_pillar: dict[str, float] = field(factory=dict)
    gates: Literal["all"] | tuple[str, ...] | None = None
    min_met: MinMet | None = None
    any_of: tuple[RequirementGroup, ...] = ()

    def own_group(self) -> RequirementGroup:
        """The tier's requirements outside ``any_of``, as one group."""
        return RequirementGroup(self.min_score, self.min_pillar, self.gates, self.min_met)


@frozen
class Criteria:
    """A versioned rubric: pillars, indicators, rules and the ladder of tiers."""

    criteria: CriteriaInfo
    pillars: tuple[Pillar, ...]
    indicators: dict[str, Indicator]
    rules: tuple[Rule, ...]
    tiers: tuple[Tier, ...]
    #: Where the set was read from (not part of the TOML).
    origin: str = field(default="", eq=False)
    #: The file's text, kept so that verdicts can point at lines (not part of the TOML).
    text: str | None = field(default=None, eq=False, repr=False)

    @property
    def id(self) -> str:
        return self.criteria.id

    def pillar(self, pillar_id: str) -> Pillar:
        """The pillar with this id."""
        found: Pillar = index(self, "pillars")[pillar_id]
        return found

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (a dict lookup, built once per set: scoring asks often)."""
        found: Rule = index(self, "rules")[rule_id]
        return found

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id."""
        found: Tier = index(self, "tiers")[tier_id]
        return found


# --- proposals -------------------------------------------------------------------------------


@frozen
class ProposalInfo:
    """The ``[proposal]`` table: who seeks which engagement, and on what date."""

    id: str
    title: str
    actor: str
    counterpart: str
    tier: str
    date: _dt.date
    criteria: str
    summary: str | None = None


@frozen
class Observation:
    """A proposal's value for one indicator, with its evidence."""

    value: Value
    source: str
    as_of: _dt.date
    reliability: str = "F6"
    note: str | None = None
    url: str | None = None


@frozen
class Waiver:
    """Lets one waivable gate count as passed until ``expires`` (DESIGN 4.7)."""

    rule: str
    reason: str
    authority: str
    expires: _dt.date


@frozen
class Expect:
    """What ``reform-gate verify`` checks; scoring ignores it."""

    outcome: Outcome
    supported_tier: str
    overall_score: float | None = None
    design_score: float | None = None


@frozen
class Proposal:
    """An engagement proposal: the tier sought and the evidence about the counterpart."""

    proposal: ProposalInfo
    observations: dict[str, Observation] = field(factory=dict)
    waivers: tuple[Waiver, ...] = ()
    expect: Expect | None = None
    #: Where the proposal was read from (not part of the TOML).
    origin: str = field(default="", eq=False)
    #: The file's text, kept so that verdicts can point at lines (not part of the TOML).
    text: str | None = field(default=None, eq=False, repr=False)

    @property
    def id(self) -> str:
        return self.proposal.id
