"""The domain model: criteria sets, proposals and their parts, as frozen attrs classes.

Field names are the TOML keys, so the one converter in :mod:`reform_gate.load.convert` maps files
to these classes and back without renaming. Every class is immutable: a loaded criteria set or
proposal is a value, and scoring is a pure function of values. The check kinds a rule may use are
defined with everything else about them in :mod:`reform_gate.checks`.

A loaded file also carries its :class:`Origin`: the path to show, the digest of its content and
the line of every key, so that nothing downstream reads a file again (``docs/architecture.md``).

An indicator's observation may be one entry or several dated entries, written in a proposal or in
an evidence file (a :class:`Ledger`) that the proposal names. :meth:`Proposal.record` gathers, per
indicator, the entries a scorer may weigh, each with the file and line it is written at
(``docs/format.md``, "Evidence files"; ``docs/scoring.md``, "Several dated entries").
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
    "Entries",
    "Entry",
    "Equals",
    "Expect",
    "Indicator",
    "Ledger",
    "LedgerInfo",
    "MinMet",
    "Observation",
    "OneOf",
    "Origin",
    "Pillar",
    "Precision",
    "Proposal",
    "ProposalInfo",
    "RequirementGroup",
    "Rule",
    "Scale",
    "Tier",
    "Value",
    "Waiver",
    "counts_from",
    "entries_of",
    "entries_with_lines",
    "in_date_order",
    "withdrawn",
]

T = TypeVar("T")

#: A key path inside a TOML document: keys and array indices, ``("rules", 3, "check")``.
KeyPath: TypeAlias = tuple[str | int, ...]

IndicatorType: TypeAlias = Literal["bool", "number", "level"]
PillarKind: TypeAlias = Literal["reform", "safeguard"]
Outcome: TypeAlias = Literal["rejected", "scale-back", "revise", "supported"]
#: How precisely an entry's ``as_of`` is known (``docs/scoring.md``, "Dates known to the month").
Precision: TypeAlias = Literal["day", "month", "year"]

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

    def by_id(self, name: str, items: tuple[Any, ...]) -> dict[str, Any]:
        """``items`` by their ``id``, built once per name: the common case is one dict lookup.

        Rule lookups are the innermost step of scoring and of the gap search, so no closure is
        made per call.
        """
        try:
            found: dict[str, Any] = self._values[name]
        except KeyError:
            found = self._values.setdefault(name, _by_id(items))
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
    #: Pillar id -> points of the pillar's total rule weight, compared exactly (``docs/scoring.md``).
    min_pillar_points: dict[str, float] = field(factory=dict)

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
    #: Pillar id -> points of the pillar's total rule weight, compared exactly (``docs/scoring.md``).
    min_pillar_points: dict[str, float] = field(factory=dict)

    def own_group(self) -> RequirementGroup:
        """The tier's requirements outside ``any_of``, as one group."""
        return RequirementGroup(self.min_score, self.min_pillar, self.gates, self.min_met, self.min_pillar_points)


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
        found: Pillar = self.derived.by_id("pillars", self.pillars)[pillar_id]
        return found

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (a dict lookup, built once per set: scoring asks often)."""
        found: Rule = self.derived.by_id("rules", self.rules)[rule_id]
        return found

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id."""
        found: Tier = self.derived.by_id("tiers", self.tiers)[tier_id]
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
    #: The criteria set; may be left out when the set is given on the command line (``--criteria``).
    criteria: str | None = None
    summary: str | None = None
    #: Evidence files (paths relative to the proposal) whose entries the proposal reads.
    evidence: tuple[str, ...] = ()


@frozen
class Observation:
    """One dated entry for an indicator: its value, and the evidence for it.

    ``as_of_precision`` says how much of ``as_of`` is known: a ``"month"`` entry is written on the
    first of its month and counts only from the month's last day (a ``"year"`` entry from 31
    December). ``supersedes`` names the ``as_of`` of an entry of the same indicator, in the same
    file, that this one corrects: that entry then counts on no date at all.
    """

    value: Value
    source: str
    as_of: _dt.date
    reliability: str = "F6"
    note: str | None = None
    url: str | None = None
    as_of_precision: Precision = "day"
    supersedes: _dt.date | None = None

    @property
    def counts_from(self) -> _dt.date:
        """The first day on which the entry can count: its date, or the end of its month or year."""
        return counts_from(self.as_of, self.as_of_precision)


def counts_from(as_of: _dt.date, precision: str) -> _dt.date:
    """The day an entry dated ``as_of``, known to ``precision``, counts from: the date itself, or
    the last day of its month or year (``docs/scoring.md``, "Dates known to the month")."""
    if precision == "year":
        return _dt.date(as_of.year, 12, 31)
    if precision == "month":
        following = _dt.date(as_of.year + as_of.month // 12, as_of.month % 12 + 1, 1)
        return following - _dt.timedelta(days=1)
    return as_of


#: What an indicator's key holds: one table, or an array of dated tables.
Entries: TypeAlias = Observation | tuple[Observation, ...]


def entries_of(held: Entries) -> tuple[Observation, ...]:
    """The entries an ``[observations.X]`` table or ``[[observations.X]]`` array holds, as written."""
    return held if isinstance(held, tuple) else (held,)


@frozen
class Entry:
    """One entry as a scorer weighs it: the observation and where it is written.

    ``file`` and ``line`` point at the entry's ``value`` in the file that holds it: the proposal,
    or an evidence file. ``anchor`` is the line in the proposal that brings the entry in: the
    entry itself, or the element of ``proposal.evidence`` that names its evidence file. ``ledger``
    is the evidence file's id, or ``None`` for the proposal's own entry.
    """

    indicator: str
    observation: Observation
    file: str
    line: int | None
    anchor: int | None
    ledger: str | None = None


def entries_with_lines(
    observations: Mapping[str, Entries], origin: Origin | None
) -> dict[str, list[tuple[Observation, int | None]]]:
    """Each indicator's entries with the line of their ``value``, in the order of the file."""
    out: dict[str, list[tuple[Observation, int | None]]] = {}
    for ident, held in observations.items():
        many = isinstance(held, tuple)
        for i, obs in enumerate(entries_of(held)):
            path: KeyPath = ("observations", ident, i, "value") if many else ("observations", ident, "value")
            out.setdefault(ident, []).append((obs, origin.line(path) if origin is not None else None))
    return out


def withdrawn(entries: tuple[Observation, ...]) -> set[int]:
    """The positions of the entries another entry of the same list supersedes."""
    named = {(e.supersedes, i) for i, e in enumerate(entries) if e.supersedes is not None}
    return {i for i, e in enumerate(entries) if any(day == e.as_of and j != i for day, j in named)}


def _live(items: list[tuple[Observation, int | None]]) -> list[tuple[Observation, int | None]]:
    gone = withdrawn(tuple(obs for obs, _ in items))
    return [item for i, item in enumerate(items) if i not in gone]


def in_date_order(entries: list[Entry]) -> tuple[Entry, ...]:
    """Entries ordered as a scorer reads them: by the day each counts from, then its written date.

    The sort is stable, so entries equal on both keep the order of the files (evidence files in
    the order the proposal lists them, entries in the order written): the last of them wins.
    """
    return tuple(sorted(entries, key=lambda e: (e.observation.counts_from, e.observation.as_of)))


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
class LedgerInfo:
    """The ``[evidence]`` table: whose record an evidence file holds, in which set's indicators."""

    id: str
    counterpart: str
    title: str
    #: The criteria set whose indicators the entries are written in (a shipped id or a path).
    criteria: str
    description: str | None = None


@frozen
class Ledger:
    """An evidence file: dated, sourced entries about one counterpart's record, shared by proposals."""

    evidence: LedgerInfo
    observations: dict[str, Entries] = field(factory=dict)
    #: Where the file was read from (not part of the TOML).
    origin: Origin | None = field(default=None, eq=False, repr=False)
    #: Values derived from the file, built once: a batch reads one ledger for many proposals.
    derived: Derived = field(factory=Derived, init=False, eq=False, repr=False)

    @property
    def id(self) -> str:
        return self.evidence.id

    @property
    def file(self) -> str:
        """The evidence file as outputs show it (empty for one built in code)."""
        return self.origin.file if self.origin is not None else ""

    def record(self, anchor: int | None = None) -> dict[str, tuple[Entry, ...]]:
        """Each indicator's entries that count on some day (none superseded), in date order.

        ``anchor`` is the line of the proposal that reads the file; the result is built once per
        anchor and shared (do not change it).
        """

        def build() -> dict[str, tuple[Entry, ...]]:
            return {
                ident: in_date_order(
                    [Entry(ident, obs, self.file, line, anchor, self.id) for obs, line in _live(items)]
                )
                for ident, items in entries_with_lines(self.observations, self.origin).items()
            }

        return self.derived.get(f"record:{anchor}", build)


@frozen
class Proposal:
    """An engagement proposal: the tier sought and the evidence about the counterpart.

    ``ledgers`` are the evidence files named in ``proposal.evidence``, attached by the loader in
    the same order; they are not part of the proposal's TOML (nor of its digest).
    """

    proposal: ProposalInfo
    observations: dict[str, Entries] = field(factory=dict)
    waivers: tuple[Waiver, ...] = ()
    expect: Expect | None = None
    #: Where the proposal was read from (not part of the TOML).
    origin: Origin | None = field(default=None, eq=False, repr=False)
    #: The evidence files it reads, loaded (not part of the TOML).
    ledgers: tuple[Ledger, ...] = field(default=(), eq=False, repr=False)

    @property
    def id(self) -> str:
        return self.proposal.id

    @property
    def file(self) -> str:
        """The proposal file as outputs show it (empty for a proposal built in code)."""
        return self.origin.file if self.origin is not None else ""

    def record(self) -> dict[str, tuple[Entry, ...]]:
        """Per indicator, the entries the scorer weighs, in date order (``docs/scoring.md``).

        The proposal's own entries for an indicator replace the evidence files' entries for it
        entirely; the evidence files' entries for one indicator are pooled. Superseded entries are
        left out. Indicators come in the order the proposal writes them, then the evidence files'.
        """
        origin = self.origin
        out = {
            ident: in_date_order([Entry(ident, obs, self.file, line, line) for obs, line in _live(items)])
            for ident, items in entries_with_lines(self.observations, origin).items()
        }
        pooled: dict[str, list[Entry]] = {}
        for i, ledger in enumerate(self.ledgers):
            anchor = origin.line(("proposal", "evidence", i)) if origin is not None else None
            for ident, entries in ledger.record(anchor).items():
                if ident not in out:
                    pooled.setdefault(ident, []).extend(entries)
        out.update((ident, in_date_order(entries)) for ident, entries in pooled.items())
        return out

    def overridden(self) -> dict[str, str]:
        """Indicators the proposal observes itself although an evidence file has entries for them,
        each with the first such file (its entries are not read)."""
        out: dict[str, str] = {}
        for ledger in self.ledgers:
            for ident in ledger.observations:
                if ident in self.observations:
                    out.setdefault(ident, ledger.file or ledger.id)
        return out
