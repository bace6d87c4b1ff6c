"""The domain model: criteria sets, proposals and their parts, as frozen attrs classes.

Field names are the TOML keys, so the one converter in :mod:`reform_gate.load.convert` maps files
to these classes and back without renaming. Every class is immutable: a loaded criteria set or
proposal is a value, and scoring is a pure function of values. The check kinds a rule may use are
defined with everything else about them in :mod:`reform_gate.checks`.

A loaded file also carries its :class:`Origin`: the path to show, the digest of its content and
the line of every key, so that nothing downstream reads a file again (``docs/architecture.md``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeAlias, TypeVar

from attrs import field, frozen

from .checks import AllOf, AnyOf, AtLeast, AtMost, Check, Credit, Equals, OneOf, Scale, Value

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
    "Origin",
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

T = TypeVar("T")

#: A key path inside a TOML document: keys and array indices, ``("rules", 3, "check")``.
KeyPath: TypeAlias = tuple[str | int, ...]

IndicatorType: TypeAlias = Literal["bool", "number", "level"]
PillarKind: TypeAlias = Literal["reform", "safeguard"]
Outcome: TypeAlias = Literal["rejected", "scale-back", "revise", "supported"]

#: Outcomes ordered for CI, worst first (``docs/scoring.md``, "The outcome").
OUTCOMES: tuple[Outcome, ...] = ("rejected", "scale-back", "revise", "supported")


def below(outcome: str, floor: str) -> bool:
    """Whether ``outcome`` ranks under ``floor`` (``--fail-below``): what fails a CI run."""
    return OUTCOMES.index(outcome) < OUTCOMES.index(floor)


@frozen
class Origin:
    """Where a loaded file came from, as the loader read it.

    ``file`` is the path as outputs show it; ``path`` where it was read (``None`` for text that
    came from no file). ``sha256`` is the digest of the normalized content (for the audit), and
    ``lines`` the line of every key path written in it (for pointing findings at lines).
    """

    file: str
    path: str | None = None
    sha256: str = ""
    lines: Mapping[KeyPath, int] = field(factory=dict, repr=False)

    def line(self, path: KeyPath) -> int | None:
        """The line of the longest prefix of ``path`` that is written in the file."""
        for depth in range(len(path), 0, -1):
            found = self.lines.get(path[:depth])
            if found is not None:
                return found
        return None


class Derived:
    """Values computed once from a frozen object (a criteria set scores thousands of proposals).

    Each criteria set holds its own, so concurrent scoring never shares a cache: two threads
    that ask at once may both build a value, but they build the same value and the first one
    stored wins (``dict.setdefault`` is atomic).
    """

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def get(self, name: str, build: Callable[[], T]) -> T:
        """``build()``, computed once per name."""
        try:
            found: T = self._values[name]
        except KeyError:
            found = self._values.setdefault(name, build())
        return found


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
    #: False keeps the rule out of "what it would take": a bonus question, not a remedy to propose.
    in_gap: bool = True


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


def _by_id(items: tuple[Any, ...]) -> dict[str, Any]:
    """Items by their ``id``; with a repeated id the first wins (as a linear search would)."""
    out: dict[str, Any] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out


@frozen
class Criteria:
    """A versioned rubric: pillars, indicators, rules and the ladder of tiers."""

    criteria: CriteriaInfo
    pillars: tuple[Pillar, ...]
    indicators: dict[str, Indicator]
    rules: tuple[Rule, ...]
    tiers: tuple[Tier, ...]
    #: Where the set was read from (not part of the TOML).
    origin: Origin | None = field(default=None, eq=False, repr=False)
    #: Values derived from the set, built once (not part of the TOML).
    derived: Derived = field(factory=Derived, init=False, eq=False, repr=False)

    @property
    def id(self) -> str:
        return self.criteria.id

    @property
    def file(self) -> str:
        """The criteria file as outputs show it (empty for a set built in code)."""
        return self.origin.file if self.origin is not None else ""

    def pillar(self, pillar_id: str) -> Pillar:
        """The pillar with this id."""
        found: Pillar = self.derived.get("pillars", lambda: _by_id(self.pillars))[pillar_id]
        return found

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (a dict lookup, built once per set: scoring asks often)."""
        found: Rule = self.derived.get("rules", lambda: _by_id(self.rules))[rule_id]
        return found

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id."""
        found: Tier = self.derived.get("tiers", lambda: _by_id(self.tiers))[tier_id]
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
    """Lets one waivable gate count as passed until ``expires`` (``docs/scoring.md``, "Waivers")."""

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
    origin: Origin | None = field(default=None, eq=False, repr=False)

    @property
    def id(self) -> str:
        return self.proposal.id

    @property
    def file(self) -> str:
        """The proposal file as outputs show it (empty for a proposal built in code)."""
        return self.origin.file if self.origin is not None else ""
