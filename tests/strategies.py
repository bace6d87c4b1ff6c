"""Hypothesis strategies for reform-gate's domain objects.

Every builder returns model objects (:mod:`reform_gate.model`) that pass the loader's own
validation: :func:`criteria` runs the criteria checks of :mod:`reform_gate.load` on what it built,
and :func:`proposals` runs :func:`reform_gate.validate_proposal`, so a strategy that drifts from
the contract fails loudly instead of feeding the properties inputs the tool would reject.

The builders take the pieces they depend on (an indicator for its checks, the pillars and rules
for a tier, a criteria set for its proposals), so tests can compose them or ask for one whole,
valid criteria set at once.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Literal

import attrs
from hypothesis import strategies as st

from reform_gate import model as m
from reform_gate.engine.standing import Standing
from reform_gate.load import validate_proposal
from reform_gate.load.criteria_checks import check_criteria
from reform_gate.load.problems import Problems
from reform_gate.numbers import exact

__all__ = [
    "better_value",
    "check_trees",
    "credits",
    "criteria",
    "criteria_infos",
    "dates",
    "expects",
    "fits",
    "grades",
    "histories",
    "ids",
    "indicators",
    "leaf_checks",
    "leaves",
    "numbers",
    "observations",
    "pillar_points",
    "pillar_sets",
    "pillars",
    "proposals",
    "requirement_groups",
    "rules",
    "scaled",
    "shuffled_criteria",
    "shuffled_proposal",
    "sources",
    "standings",
    "texts",
    "thresholds",
    "tiers",
    "validated",
    "values",
    "waivers",
    "weights",
    "without_points",
]

PillarKind = Literal["reform", "safeguard"]
Missing = Literal["zero", "exclude"]
MISSING: tuple[Missing, ...] = ("zero", "exclude")
REFORM: PillarKind = "reform"
SAFEGUARD: PillarKind = "safeguard"
LeafCheck = m.Equals | m.OneOf | m.AtLeast | m.AtMost | m.Scale | m.Credit

#: Numbers stay in a range where float arithmetic is exact enough to reason about.
BOUND = 1000
DATE_MIN = _dt.date(2000, 1, 1)
DATE_MAX = _dt.date(2035, 12, 31)


# --- small values --------------------------------------------------------------------------------


@functools.cache
def ids() -> st.SearchStrategy[str]:
    """Ids as authors write them (``civil-liberties``, ``CT_1``), and now and then any text."""
    return st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,7}", fullmatch=True) | st.text(min_size=1, max_size=6)


@functools.cache
def texts() -> st.SearchStrategy[str]:
    """Titles, rationales, sources: any text, including quotes, newlines and control characters."""
    return st.text(max_size=20)


@functools.cache
def sources() -> st.SearchStrategy[str]:
    """Where evidence comes from: any text with something besides white space (an empty source is an error)."""
    return texts().filter(lambda text: bool(text.strip()))


@functools.cache
def maybe_texts() -> st.SearchStrategy[str | None]:
    """No text, or any text (optional descriptions and notes)."""
    return st.none() | texts()


@functools.cache
def numbers(low: float = -BOUND, high: float = BOUND) -> st.SearchStrategy[int | float]:
    """Ints (kept as ints, as the converter does) and finite floats in ``[low, high]``."""
    ints = st.integers(math.ceil(low), math.floor(high)) if math.ceil(low) <= math.floor(high) else st.nothing()
    return ints | st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@functools.cache
def weights() -> st.SearchStrategy[int | float]:
    """A pillar or rule weight: 0 or more, mostly small integers as criteria authors write them."""
    return st.integers(0, 20) | st.floats(0, 100, allow_nan=False, allow_subnormal=False)


@functools.cache
def thresholds() -> st.SearchStrategy[int | float]:
    """A minimum score: round bars as in the shipped set, and any value from 0 to 100."""
    return st.sampled_from([0, 10, 25, 50, 75, 100]) | st.integers(0, 100) | st.floats(0, 100, allow_nan=False)


@functools.cache
def credits() -> st.SearchStrategy[float]:
    """A credit in [0, 1], with the ends and a half likely."""
    return st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 1, allow_nan=False)


@functools.cache
def grades() -> st.SearchStrategy[str]:
    """An Admiralty grade: source letter A-F and information digit 1-6."""
    return st.builds(lambda a, b: a + b, st.sampled_from("ABCDEF"), st.sampled_from("123456"))


@functools.cache
def dates() -> st.SearchStrategy[_dt.date]:
    return st.dates(DATE_MIN, DATE_MAX)


# --- indicators and their values -------------------------------------------------------------------


@st.composite
def indicators(draw: st.DrawFn, kind: m.IndicatorType | None = None) -> m.Indicator:
    """A bool, number (with optional ``min`` < ``max`` and unit) or level indicator."""
    kind = kind or draw(st.sampled_from(["bool", "number", "level"]))
    title = draw(texts())
    description = draw(maybe_texts())
    if kind == "bool":
        return m.Indicator("bool", title, description)
    if kind == "level":
        levels = draw(st.lists(ids(), min_size=2, max_size=4, unique=True))
        return m.Indicator("level", title, description, levels=tuple(levels))
    low = draw(st.none() | numbers())
    high = draw(st.none() | numbers())
    if low is not None and high is not None:
        low, high = sorted((low, high))
        if low == high:
            high = low + 1
    unit = draw(st.none() | st.sampled_from(["%", "ha", "days"]))
    return m.Indicator("number", title, description, unit, low, high)


def _range(ind: m.Indicator) -> tuple[float, float]:
    low = ind.min if ind.min is not None else -2 * BOUND
    high = ind.max if ind.max is not None else 2 * BOUND
    return low, high


def fits(ind: m.Indicator, value: m.Value) -> bool:
    """Whether ``value`` is a valid observation of ``ind`` (type, range, levels)."""
    if ind.type == "bool":
        return isinstance(value, bool)
    if ind.type == "level":
        return isinstance(value, str) and value in (ind.levels or ())
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    low, high = _range(ind)
    return low <= value <= high


def values(ind: m.Indicator, targets: Sequence[m.Value] = ()) -> st.SearchStrategy[m.Value]:
    """A valid observed value of ``ind``; ``targets`` (values the checks compare with) are likely."""
    if ind.type == "bool":
        base: st.SearchStrategy[m.Value] = st.booleans()
    elif ind.type == "level":
        base = st.sampled_from(ind.levels or ())
    else:
        base = numbers(*_range(ind))
    usable = [t for t in targets if fits(ind, t)]
    return st.sampled_from(usable) | base if usable else base


# --- checks ------------------------------------------------------------------------------------------


@st.composite
def leaf_checks(draw: st.DrawFn, ident: str, ind: m.Indicator) -> LeafCheck:
    """A check of one indicator, of any kind that fits its type."""
    kind = draw(_LEAF_KINDS[ind.type])
    if ind.type == "bool":
        if kind == "equals":
            return m.Equals(ident, draw(st.booleans()))
        return m.OneOf(ident, tuple(draw(st.lists(st.booleans(), min_size=1, max_size=2))))
    if ind.type == "level":
        levels = ind.levels or ()
        if kind == "equals":
            return m.Equals(ident, draw(st.sampled_from(levels)))
        if kind == "one_of":
            return m.OneOf(ident, tuple(draw(st.lists(st.sampled_from(levels), min_size=1, max_size=3))))
        return m.Credit(ident, {lv: draw(credits()) for lv in draw(st.permutations(levels))})
    low, high = _range(ind)
    # Bars a little outside the indicator's range are legal and exercise the clamp.
    bar = numbers(low, high) | numbers(low - 10, high + 10)
    if kind == "equals":
        return m.Equals(ident, draw(values(ind)))
    if kind == "one_of":
        return m.OneOf(ident, tuple(draw(st.lists(bar, min_size=1, max_size=3))))
    if kind == "at_least":
        return m.AtLeast(ident, draw(bar))
    if kind == "at_most":
        return m.AtMost(ident, draw(bar))
    a, b = draw(bar), draw(bar)
    if a == b:
        b = a + draw(st.sampled_from([1, -1]))
    return m.Scale(ident, (a, b))


_LEAF_KINDS = {
    "bool": st.sampled_from(["equals", "one_of"]),
    "level": st.sampled_from(["equals", "one_of", "credit"]),
    "number": st.sampled_from(["equals", "one_of", "at_least", "at_most", "scale"]),
}


@st.composite
def check_trees(draw: st.DrawFn, leaf: st.SearchStrategy[m.Check], depth: int = 2) -> m.Check:
    """A leaf, or ``all_of`` / ``any_of`` of 1-3 subtrees, at most ``depth`` levels deep."""
    if depth <= 0 or draw(st.integers(0, 2)) > 0:
        return draw(leaf)
    parts = tuple(draw(check_trees(leaf, depth - 1)) for _ in range(draw(st.integers(1, 3))))
    return m.AllOf(parts) if draw(st.booleans()) else m.AnyOf(parts)


def leaves(check: m.Check) -> Iterator[LeafCheck]:
    """The leaf checks of a check tree, in order."""
    if isinstance(check, m.AllOf | m.AnyOf):
        for part in check.all_of if isinstance(check, m.AllOf) else check.any_of:
            yield from leaves(part)
    else:
        yield check


# --- criteria sets -------------------------------------------------------------------------------


@st.composite
def criteria_infos(draw: st.DrawFn, missing: Missing | None = None) -> m.CriteriaInfo:
    """The ``[criteria]`` table with any evidence policy."""
    return m.CriteriaInfo(
        id=draw(ids()),
        version=draw(st.sampled_from(["1.0.0", "2"]) | texts()),
        title=draw(texts()),
        description=draw(maybe_texts()),
        missing=draw(st.sampled_from(MISSING)) if missing is None else missing,
        max_evidence_age_days=draw(st.none() | st.integers(0, 3000)),
        stale=draw(st.sampled_from(["warn", "unknown"])),
        min_reliability=draw(st.sampled_from(["F6", "C3"]) | grades()),
    )


@st.composite
def pillars(draw: st.DrawFn, ident: str, kind: PillarKind) -> m.Pillar:
    """One pillar of the given kind."""
    return m.Pillar(ident, kind, draw(weights()), draw(texts()), draw(maybe_texts()))


@st.composite
def pillar_sets(draw: st.DrawFn, safeguard: bool | None = None) -> tuple[m.Pillar, ...]:
    """1-3 reform pillars with a positive weight sum, and 0-2 safeguard pillars (``safeguard``
    forces at least one, or none)."""
    n_reform = draw(st.integers(1, 3))
    low, high = (0, 2) if safeguard is None else (1, 2) if safeguard else (0, 0)
    n_safeguard = draw(st.integers(low, high))
    names = draw(st.lists(ids(), min_size=n_reform + n_safeguard, max_size=n_reform + n_safeguard, unique=True))
    kinds = [REFORM] * n_reform + [SAFEGUARD] * n_safeguard
    out = [draw(pillars(name, kind)) for name, kind in zip(names, kinds, strict=True)]
    if sum(p.weight for p in out if p.kind == "reform") <= 0:
        out[0] = attrs.evolve(out[0], weight=draw(st.integers(1, 20)))
    return tuple(draw(st.permutations(out)))


@st.composite
def rules(draw: st.DrawFn, ident: str, pillar: str, check: m.Check) -> m.Rule:
    """A rule around ``check``: any weight, maybe a gate (with a ``gate_min``), maybe waivable, now and
    then kept out of the gap (``in_gap = false``)."""
    gate = draw(st.booleans())
    return m.Rule(
        id=ident,
        pillar=pillar,
        weight=draw(weights()),
        title=draw(texts()),
        check=check,
        rationale=draw(texts()),
        remedy=draw(texts()),
        references=tuple(draw(st.lists(texts(), max_size=2))),
        gate=gate,
        gate_min=draw(st.just(1.0) | st.sampled_from([0.5, 1]) | st.floats(0.01, 1)) if gate else 1.0,
        waivable=draw(st.booleans()),
        in_gap=draw(st.sampled_from([True, True, False])),
    )


def _kind_of_rule(pillar_list: Sequence[m.Pillar], rule_list: Sequence[m.Rule]) -> dict[str, PillarKind]:
    kind = {p.id: p.kind for p in pillar_list}
    return {r.id: kind[r.pillar] for r in rule_list}


@st.composite
def requirement_groups(
    draw: st.DrawFn,
    pillar_list: Sequence[m.Pillar],
    rule_list: Sequence[m.Rule],
    kind: PillarKind | None = None,
) -> m.RequirementGroup:
    """A group of requirements; with ``kind``, one that reads only that kind of pillar and rule
    and holds at least one requirement (what an ``any_of`` group must be)."""
    rule_kind = _kind_of_rule(pillar_list, rule_list)
    ok_pillars = [p.id for p in pillar_list if kind in (None, p.kind)]
    ok_rules = [r.id for r in rule_list if kind in (None, rule_kind[r.id])]
    gate_ids = [r.id for r in rule_list if r.gate]
    ok_gates = [g for g in gate_ids if g in ok_rules]
    reform_rules = [r for r in rule_kind if rule_kind[r] == "reform"]

    min_score = draw(st.none() | thresholds()) if kind in (None, "reform") else None
    chosen = draw(st.lists(st.sampled_from(ok_pillars), unique=True, max_size=3)) if ok_pillars else []
    min_pillar = {p: draw(thresholds()) for p in chosen}
    by_points = draw(st.lists(st.sampled_from(ok_pillars), unique=True, max_size=2)) if ok_pillars else []
    min_pillar_points = {p: draw(pillar_points(rule_list, p)) for p in by_points}
    gate_options: list[st.SearchStrategy[Literal["all"] | tuple[str, ...] | None]] = [st.none()]
    if ok_gates:
        gate_options.append(st.lists(st.sampled_from(ok_gates), min_size=1, unique=True).map(tuple))
    if gate_ids and (kind is None or ok_gates == gate_ids):
        gate_options.append(st.just("all"))
    gates = draw(st.one_of(gate_options))

    min_met = None
    choice = draw(st.sampled_from(["none", "all-reform", "among"]))
    if choice == "all-reform" and kind in (None, "reform"):
        min_met = m.MinMet(draw(st.integers(0, len(reform_rules))))
    elif choice == "among" and ok_rules:
        among_kind = kind or draw(st.sampled_from(sorted({rule_kind[r] for r in ok_rules})))
        pool = [r for r in ok_rules if rule_kind[r] == among_kind]
        among = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        min_met = m.MinMet(draw(st.integers(0, len(among))), tuple(among))

    group = m.RequirementGroup(min_score, min_pillar, gates, min_met, min_pillar_points)
    if kind is not None and group == m.RequirementGroup():
        # An any_of group must say something; a minimum on a pillar of its kind always can.
        group = attrs.evolve(group, min_pillar={draw(st.sampled_from(ok_pillars)): draw(thresholds())})
    return group


@st.composite
def pillar_points(draw: st.DrawFn, rule_list: Sequence[m.Rule], pillar: str) -> int | float:
    """A ``min_pillar_points`` bar for ``pillar``: from 0 to its total rule weight, and often exactly
    what some set of its rules weighs (the boundary that points are meant to hit exactly)."""
    weights_in = [exact(r.weight) for r in rule_list if r.pillar == pillar]
    total = sum(weights_in, Fraction(0))
    subset = draw(st.lists(st.sampled_from(range(len(weights_in))), unique=True)) if weights_in else []
    at_boundary = sum((weights_in[i] for i in subset), Fraction(0))
    candidates = [0, at_boundary, total]
    value = draw(st.sampled_from(candidates).map(_decimal) | st.floats(0, float(total), allow_nan=False))
    return value if exact(value) <= total else 0


def _decimal(x: Fraction | int) -> int | float:
    """An exact decimal sum of weights as the number an author would write."""
    x = Fraction(x)
    return int(x) if x.denominator == 1 else float(x)


@st.composite
def tiers(draw: st.DrawFn, ident: str, pillar_list: Sequence[m.Pillar], rule_list: Sequence[m.Rule]) -> m.Tier:
    """A tier with any of ``min_score``, ``min_pillar``, ``gates``, ``min_met`` and ``any_of``
    (groups all of one kind: reform, or safeguard when the set has safeguard pillars)."""
    own = draw(requirement_groups(pillar_list, rule_list))
    any_of: tuple[m.RequirementGroup, ...] = ()
    if draw(st.booleans()):
        kinds = sorted({p.kind for p in pillar_list})
        kind = draw(st.sampled_from(kinds))
        n = draw(st.integers(1, 3))
        any_of = tuple(draw(requirement_groups(pillar_list, rule_list, kind)) for _ in range(n))
    return m.Tier(
        ident,
        draw(texts()),
        draw(maybe_texts()),
        own.min_score,
        own.min_pillar,
        own.gates,
        own.min_met,
        any_of,
        own.min_pillar_points,
    )


class InvalidStrategyOutput(AssertionError):
    """A strategy built something the loader rejects: a bug in the strategy, not in the tool."""


def validated(c: m.Criteria) -> m.Criteria:
    """``c``, after the loader's own checks of a criteria set."""
    try:
        problems = Problems("<generated criteria>", "")
        check_criteria(c, problems)
        problems.raise_found()
    except Exception as err:
        raise InvalidStrategyOutput(f"generated criteria failed validation: {err}\n{c!r}") from err
    return c


@st.composite
def _fresh_indicator(draw: st.DrawFn, found: dict[str, m.Indicator]) -> str:
    """A new indicator, added to ``found``; its id."""
    ident = draw(ids())
    while ident in found:
        ident += f"-{len(found)}"
    found[ident] = draw(indicators())
    return ident


@st.composite
def _indicator_leaves(draw: st.DrawFn, found: dict[str, m.Indicator], one_reader: bool) -> m.Check:
    """A leaf check of an indicator in ``found`` or of a new one (always new with ``one_reader``)."""
    if found and not one_reader and draw(st.booleans()):
        ident = draw(st.sampled_from(list(found)))
    else:
        ident = draw(_fresh_indicator(found))
    return draw(leaf_checks(ident, found[ident]))


@st.composite
def criteria(
    draw: st.DrawFn,
    *,
    missing: Missing | None = None,
    min_rules: int = 1,
    max_rules: int = 8,
    one_reader: bool = False,
    safeguard: bool | None = None,
    max_tiers: int = 4,
    max_depth: int = 2,
) -> m.Criteria:
    """A whole criteria set that passes the loader's validation.

    ``one_reader`` gives every leaf check an indicator of its own, so "better evidence" for an
    indicator is well defined (tests of monotonicity need that); otherwise checks may share
    indicators. Some indicators are read by no rule at all, as in real sets.
    """
    info = draw(criteria_infos(missing))
    pillar_list = draw(pillar_sets(safeguard))
    n = draw(st.integers(min_rules, max_rules))
    rule_ids = draw(st.lists(ids(), min_size=n, max_size=n, unique=True))
    found: dict[str, m.Indicator] = {}
    rule_list = []
    for rule_id in rule_ids:
        pillar = draw(st.sampled_from(pillar_list)).id
        check = draw(check_trees(_indicator_leaves(found, one_reader), draw(st.integers(0, max_depth))))
        rule_list.append(draw(rules(rule_id, pillar, check)))
    for _ in range(draw(st.integers(0, 2))):
        draw(_fresh_indicator(found))
    # Each pillar's rule weights must have a positive sum (the loader insists).
    for p in pillar_list:
        mine = [i for i, r in enumerate(rule_list) if r.pillar == p.id]
        if mine and sum(rule_list[i].weight for i in mine) <= 0:
            rule_list[mine[0]] = attrs.evolve(rule_list[mine[0]], weight=draw(st.integers(1, 10)))
    n_tiers = draw(st.integers(1, max_tiers))
    tier_ids = draw(st.lists(ids(), min_size=n_tiers, max_size=n_tiers, unique=True))
    tier_list = tuple(draw(tiers(t, pillar_list, rule_list)) for t in tier_ids)
    indicator_order = draw(st.permutations(list(found)))
    return validated(m.Criteria(info, pillar_list, {i: found[i] for i in indicator_order}, tuple(rule_list), tier_list))


# --- proposals -----------------------------------------------------------------------------------


def _targets(c: m.Criteria, ident: str) -> list[m.Value]:
    """The values the checks reading ``ident`` compare with: the interesting observations."""
    out: list[m.Value] = []
    for rule in c.rules:
        for check in leaves(rule.check):
            if check.indicator != ident:
                continue
            if isinstance(check, m.Equals):
                out.append(check.equals)
            elif isinstance(check, m.OneOf):
                out.extend(check.one_of)
            elif isinstance(check, m.AtLeast):
                out.append(check.at_least)
            elif isinstance(check, m.AtMost):
                out.append(check.at_most)
            elif isinstance(check, m.Scale):
                out.extend(check.scale)
    return out


@st.composite
def observations(
    draw: st.DrawFn, ind: m.Indicator, date: _dt.date, targets: Sequence[m.Value] = (), usable: bool = False
) -> m.Observation:
    """An observation of ``ind`` made around ``date``; ``usable`` makes it fresh and graded A1."""
    value = draw(values(ind, targets))
    if usable:
        return m.Observation(value, draw(sources()), date, "A1")
    # Mostly before the proposal's date, sometimes after it (not yet known then).
    age = draw(st.integers(-30, 2000) | st.integers(0, 400))
    as_of = max(DATE_MIN, min(DATE_MAX, date - _dt.timedelta(days=age)))
    return m.Observation(
        value,
        draw(sources()),
        as_of,
        draw(st.just("A1") | grades()),
        draw(maybe_texts()),
        draw(st.none() | st.just("https://example.org/report")),
    )


@st.composite
def histories(
    draw: st.DrawFn, ind: m.Indicator, date: _dt.date, targets: Sequence[m.Value] = ()
) -> tuple[m.Observation, ...]:
    """Several dated entries of ``ind`` around ``date``, as a record that changed: some before and
    some after ``date``, some known only to the month or the year, some weakly graded, and now and
    then two sources for one fact on one day (same date, same value)."""
    out: list[m.Observation] = []
    for _ in range(draw(st.integers(1, 4))):
        if out and draw(st.integers(0, 5)) == 0:
            twin = out[-1]
            out.append(attrs.evolve(twin, source=draw(sources())))
            continue
        entry = draw(observations(ind, date, targets))
        precision = draw(st.sampled_from(["day", "day", "month", "year"]))
        as_of = entry.as_of.replace(day=1) if precision == "month" else entry.as_of
        as_of = as_of.replace(month=1, day=1) if precision == "year" else as_of
        if any(e.as_of == as_of and e.value != entry.value for e in out):
            continue  # two values on one date is an input error (without a correction)
        out.append(attrs.evolve(entry, as_of=as_of, as_of_precision=precision))
    return tuple(out)


@st.composite
def waivers(draw: st.DrawFn, rule: str, date: _dt.date) -> m.Waiver:
    """A waiver of ``rule`` that may be in force on ``date`` or may have expired."""
    expires = date + _dt.timedelta(days=draw(st.integers(-400, 400)))
    return m.Waiver(rule, draw(texts()), draw(texts()), max(DATE_MIN, min(DATE_MAX, expires)))


@st.composite
def expects(draw: st.DrawFn, c: m.Criteria) -> m.Expect:
    """An ``[expect]`` table (scoring ignores it)."""
    return m.Expect(
        draw(st.sampled_from(m.OUTCOMES)),
        draw(st.sampled_from(["none", *(t.id for t in c.tiers)])),
        draw(st.none() | st.floats(0, 100)),
        draw(st.none() | st.floats(0, 100)),
    )


@st.composite
def proposals(draw: st.DrawFn, c: m.Criteria, *, usable: bool = False, complete: bool = False) -> m.Proposal:
    """A proposal against ``c`` that passes :func:`validate_proposal`: observations of a subset of
    the indicators (all with ``complete``), waivers, and sometimes an ``[expect]`` table."""
    date = draw(st.dates(_dt.date(2005, 1, 1), _dt.date(2030, 12, 31)))
    info = m.ProposalInfo(
        id=draw(ids()),
        title=draw(texts()),
        actor=draw(texts()),
        counterpart=draw(texts()),
        tier=draw(st.sampled_from([t.id for t in c.tiers])),
        date=date,
        criteria=c.id,
        summary=draw(maybe_texts()),
    )
    observed: dict[str, m.Observation] = {}
    for ident, ind in c.indicators.items():
        if complete or draw(st.integers(0, 4)) > 0:
            observed[ident] = draw(observations(ind, date, _targets(c, ident), usable))
    waived = draw(st.lists(st.sampled_from([r.id for r in c.rules]), unique=True, max_size=3))
    proposal = m.Proposal(
        info,
        observed,
        tuple(draw(waivers(rule, date)) for rule in waived),
        draw(st.none() | expects(c)),
    )
    validate_proposal(proposal, c)
    return proposal


# --- hypothetical standings (for the gap) ----------------------------------------------------------


@st.composite
def standings(draw: st.DrawFn, c: m.Criteria) -> Standing:
    """Any credits the evidence could have produced: under ``missing = "exclude"`` some rules are
    left out (with credit 0, as scoring leaves them); some gates are waived."""
    counted = {r.id: c.criteria.missing == "zero" or draw(st.booleans()) for r in c.rules}
    credit = {r.id: draw(credits()) if counted[r.id] else 0.0 for r in c.rules}
    gates = [r.id for r in c.rules if r.gate]
    waived = draw(st.lists(st.sampled_from(gates), unique=True)) if gates else []
    return Standing(c, credit, counted, frozenset(waived))


# --- "better" evidence and reordering ------------------------------------------------------------


@st.composite
def better_value(draw: st.DrawFn, check: LeafCheck, ind: m.Indicator, old: m.Value) -> m.Value:
    """A valid value of ``ind`` that earns ``check`` at least the credit ``old`` earns."""
    if isinstance(check, m.Equals):
        return check.equals
    if isinstance(check, m.OneOf):
        hits = [v for v in check.one_of if fits(ind, v)]
        return draw(st.sampled_from(hits)) if hits else old
    if isinstance(check, m.Credit):
        return draw(st.sampled_from([lv for lv, cr in check.credit.items() if cr >= check.credit[str(old)]]))
    assert isinstance(old, int | float)
    low, high = _range(ind)
    rising = isinstance(check, m.AtLeast) or (isinstance(check, m.Scale) and check.scale[1] > check.scale[0])
    return draw(numbers(old, high) if rising else numbers(low, old))


def _shuffled_check(draw: st.DrawFn, check: m.Check) -> m.Check:
    if isinstance(check, m.AllOf):
        return m.AllOf(tuple(draw(st.permutations([_shuffled_check(draw, p) for p in check.all_of]))))
    if isinstance(check, m.AnyOf):
        return m.AnyOf(tuple(draw(st.permutations([_shuffled_check(draw, p) for p in check.any_of]))))
    if isinstance(check, m.Credit):
        return m.Credit(check.indicator, dict(draw(st.permutations(list(check.credit.items())))))
    return check


def _shuffled_group(draw: st.DrawFn, g: m.RequirementGroup) -> m.RequirementGroup:
    gates = tuple(draw(st.permutations(g.gates))) if isinstance(g.gates, tuple) else g.gates
    min_met = g.min_met
    if min_met is not None and min_met.among is not None:
        min_met = m.MinMet(min_met.count, tuple(draw(st.permutations(min_met.among))))
    points = dict(draw(st.permutations(list(g.min_pillar_points.items()))))
    return m.RequirementGroup(
        g.min_score, dict(draw(st.permutations(list(g.min_pillar.items())))), gates, min_met, points
    )


@st.composite
def shuffled_criteria(draw: st.DrawFn, c: m.Criteria) -> m.Criteria:
    """``c`` with its rules, pillars, indicators and every order inside checks and tiers permuted
    (the ladder of tiers keeps its order: that order means something)."""
    tier_list = []
    for t in c.tiers:
        own = _shuffled_group(draw, t.own_group())
        groups = [_shuffled_group(draw, g) for g in t.any_of]
        tier_list.append(
            m.Tier(
                t.id,
                t.title,
                t.description,
                own.min_score,
                own.min_pillar,
                own.gates,
                own.min_met,
                tuple(draw(st.permutations(groups))),
                own.min_pillar_points,
            )
        )
    rule_list = [attrs.evolve(r, check=_shuffled_check(draw, r.check)) for r in c.rules]
    return validated(
        m.Criteria(
            c.criteria,
            tuple(draw(st.permutations(c.pillars))),
            dict(draw(st.permutations(list(c.indicators.items())))),
            tuple(draw(st.permutations(rule_list))),
            tuple(tier_list),
        )
    )


@st.composite
def shuffled_proposal(draw: st.DrawFn, p: m.Proposal) -> m.Proposal:
    """``p`` with its observations and waivers in another order."""
    return m.Proposal(
        p.proposal,
        dict(draw(st.permutations(list(p.observations.items())))),
        tuple(draw(st.permutations(p.waivers))),
        p.expect,
    )


def without_points(c: m.Criteria) -> m.Criteria:
    """``c`` with every ``min_pillar_points`` bar written as the pillar score it stands for (for laws
    about relative weights: points are counted exactly in the units the weights are written in, so
    float scaling moves them; a percentage scales with the weights)."""
    total = {p.id: sum(float(r.weight) for r in c.rules if r.pillar == p.id) for p in c.pillars}

    def percent(g: m.Tier | m.RequirementGroup) -> dict[str, float]:
        out = dict(g.min_pillar)
        for pillar, points in g.min_pillar_points.items():
            bar = min(100.0, 100.0 * points / total[pillar]) if total[pillar] > 0 else 0.0
            out[pillar] = max(out.get(pillar, 0.0), bar)
        return out

    def plain(g: m.RequirementGroup) -> m.RequirementGroup:
        return attrs.evolve(g, min_pillar=percent(g), min_pillar_points={})

    tiers = tuple(
        attrs.evolve(t, min_pillar=percent(t), min_pillar_points={}, any_of=tuple(plain(g) for g in t.any_of))
        for t in c.tiers
    )
    return validated(attrs.evolve(c, tiers=tiers))


def scaled(c: m.Criteria, k: float) -> m.Criteria:
    """``c`` with every rule weight and every pillar weight multiplied by ``k``."""
    return m.Criteria(
        c.criteria,
        tuple(attrs.evolve(p, weight=p.weight * k) for p in c.pillars),
        c.indicators,
        tuple(attrs.evolve(r, weight=r.weight * k) for r in c.rules),
        c.tiers,
    )
