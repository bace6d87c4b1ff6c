"""Invariant: the flip list names exactly the single-observation changes that change the outcome
or the supported tier (docs/scoring.md, "Sensitivity"), checked by brute force: each changed
proposal is scored again, end to end, through ``reform_gate.score``.

Bools and levels: every other value (every value, when none counts now) and losing the
observation are tried, and the list holds exactly those that flip. Numbers: the engine's verdict
at many values (each bend of a check, each edge of a listed range, points on either side of
them, and values in between) is the listed range's verdict inside a range and today's outside.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

import attrs
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st

import reform_gate
from reform_gate.analysis import ObservationFlip, Place
from reform_gate.checks import AllOf, AnyOf, AtLeast, AtMost, Check, Equals, OneOf, Scale, Value, indicators_of
from reform_gate.model import Criteria, Indicator, Observation, Proposal

from ..strategies import criteria, proposals


def _note(text: str) -> None:
    if currently_in_test_context():
        event(text)


def _place(c: Criteria, p: Proposal, ident: str, value: Value | None) -> Place:
    """The verdict with ``ident`` observed as ``value`` (usable: dated on the day, graded A1), or absent."""
    observations = dict(p.observations)
    if value is None:
        observations.pop(ident, None)
    else:
        observations[ident] = Observation(value, "brute force", p.proposal.date, "A1")
    # The evidence files' entries for the indicator go too, so that nothing else is left to count.
    ledgers = tuple(
        attrs.evolve(ledger, observations={k: v for k, v in ledger.observations.items() if k != ident})
        for ledger in p.ledgers
    )
    changed = attrs.evolve(Proposal(p.proposal, observations, p.waivers, p.expect), ledgers=ledgers)
    v = reform_gate.score(changed, c, gap=False)
    return Place(v.outcome, v.supported_tier)


def _bends(check: Check, ident: str) -> Iterable[float]:
    if isinstance(check, AllOf | AnyOf):
        for part in check.all_of if isinstance(check, AllOf) else check.any_of:
            yield from _bends(part, ident)
    elif check.indicator == ident:
        if isinstance(check, Equals | OneOf):
            values = [check.equals] if isinstance(check, Equals) else list(check.one_of)
            yield from (float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool))
        elif isinstance(check, AtLeast):
            yield check.at_least
        elif isinstance(check, AtMost):
            yield check.at_most
        elif isinstance(check, Scale):
            yield from check.scale


def _inside(f: ObservationFlip, x: float) -> bool:
    low_ok = f.low is None or x > f.low or (x == f.low and f.low_included)
    high_ok = f.high is None or x < f.high or (x == f.high and f.high_included)
    return low_ok and high_ok


def _fits(ind: Indicator, x: float) -> bool:
    return (ind.min is None or x >= ind.min) and (ind.max is None or x <= ind.max)


def _near_an_edge(x: float, edges: list[float]) -> bool:
    """Within float doubt of an edge (the engine's tolerance is 1e-9): neither side is certain."""
    return any(0 < abs(x - e) <= 1e-6 * max(1.0, abs(e)) for e in edges)


def _check_numbers(
    c: Criteria, p: Proposal, ident: str, ind: Indicator, here: Place, flips: list[ObservationFlip]
) -> None:
    ranges = [f for f in flips if f.kind == "range"]
    for a, b in itertools.pairwise(ranges):
        assert a.high is not None and b.low is not None and a.high <= b.low, (a, b)
    edges = [x for f in ranges for x in (f.low, f.high) if x is not None]
    bends = [x for r in c.rules for x in _bends(r.check, ident)]
    samples: set[float] = set()
    for x in [*edges, *bends, 0.0, 1.0, -1.0]:
        for d in (0.0, 1e-4, 0.5, 3.0, 1000.0):
            samples.update((x - d * max(1.0, abs(x)), x + d * max(1.0, abs(x))))
    if len(edges + bends) > 1:
        ordered = sorted(edges + bends)
        samples.update((a + b) / 2 for a, b in itertools.pairwise(ordered))
    tried = 0
    for x in sorted(samples):
        if not math.isfinite(x) or not _fits(ind, x) or _near_an_edge(x, edges):
            continue
        tried += 1
        listed = [f for f in ranges if _inside(f, x)]
        assert len(listed) <= 1, (x, listed)
        value: Value = int(x) if x == int(x) and abs(x) < 2**53 else x
        there = _place(c, p, ident, value)
        if listed:
            assert there == listed[0].place != here, (ident, x, there, listed[0])
        else:
            assert there == here, (ident, x, there, "not listed")
    _note(f"{tried // 10 * 10}+ values of a number tried")


def _check(c: Criteria, p: Proposal) -> None:
    s = reform_gate.sensitivity(p, c, draws=1)
    here = Place(s.verdict.outcome, s.verdict.supported_tier)
    read = {i for r in c.rules for i in indicators_of(r.check)}
    usable = {e.indicator: e.value for f in s.verdict.findings for e in f.evidence if e.counted}
    assert {f.indicator for f in s.flips} <= read
    for ident, ind in c.indicators.items():
        flips = [f for f in s.flips if f.indicator == ident]
        if ident not in read:
            continue
        now = usable.get(ident)
        if now is not None:
            lost = _place(c, p, ident, None)
            listed = [f for f in flips if f.kind == "missing"]
            assert bool(listed) == (lost != here), (ident, lost, here)
            if listed:
                assert listed[0].place == lost
                _note("losing an observation flips")
        if ind.type == "number":
            _check_numbers(c, p, ident, ind, here, flips)
            continue
        options: list[Value] = [True, False] if ind.type == "bool" else list(ind.levels or ())
        expected = {}
        for value in options:
            if value == now and type(value) is type(now):
                continue
            there = _place(c, p, ident, value)
            if there != here:
                expected[value] = there
        found = {f.value: f.place for f in flips if f.kind == "value"}
        assert found == expected, (ident, found, expected)
        if expected:
            _note(f"a {ind.type} value flips")


cases = criteria(max_rules=5).flatmap(lambda c: st.tuples(st.just(c), proposals(c)))


@given(cases)
def test_flip_list_is_what_brute_force_finds(case: tuple[Criteria, Proposal]) -> None:
    _check(*case)


def test_isis_k_operations_one_level_down_drops_a_rung() -> None:
    """The issue's own example: sporadic operations against ISIS-K drop recognition's supported
    tier from dialogue to humanitarian, and the list says so."""
    from tests.render_util import REPO

    proposal = reform_gate.load_proposal(REPO / "seeds" / "ru-formal-recognition.toml")
    s = reform_gate.sensitivity(proposal, reform_gate.criteria_for(proposal), draws=1)
    flip = next(f for f in s.flips if f.indicator == "isisk_operations" and f.value == "sporadic")
    assert flip.place == Place("scale-back", "humanitarian") and flip.now == "sustained"
    _check(reform_gate.criteria_for(proposal), proposal)
