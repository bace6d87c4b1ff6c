"""Invariant: a pillar minimum written in points is compared exactly (docs/scoring.md, "Points").

A proposal whose met rules weigh exactly N points meets ``min_pillar_points = N``, whatever decimal
weights the rules carry (0.1 + 0.2 is 0.3 here, as the author wrote it); one rule less fails it.
The same bar written as a rounded percentage does not always agree: that is what points are for.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from reform_gate.engine.standing import Standing, holds_one
from reform_gate.model import Criteria, CriteriaInfo, Equals, Indicator, Pillar, Rule, Tier
from reform_gate.numbers import exact
from reform_gate.requirements import compile_tier

from ..strategies import validated

#: Weights as authors write them: integers and short decimals whose binary sums are not exact.
WEIGHTS = st.sampled_from([1, 2, 3, 5, 0.1, 0.2, 0.3, 0.7, 1.1, 2.25, 3.3, 0.05])


def _set(weights: list[float], points: float, missing: str) -> Criteria:
    info = CriteriaInfo("points", "1", "Points", missing=missing)  # type: ignore[arg-type]
    rules = tuple(Rule(f"R{i}", "ct", w, f"R{i}", Equals("x", True), "", "", ()) for i, w in enumerate(weights))
    tier = Tier("t", "t", min_pillar_points={"ct": points})
    pillar = (Pillar("ct", "reform", 1, "ct"),)
    return validated(Criteria(info, pillar, {"x": Indicator("bool", "x")}, rules, (tier,)))


def _decimal(x: Fraction) -> float:
    return int(x) if x.denominator == 1 else float(x)


cases = st.lists(WEIGHTS, min_size=1, max_size=8).flatmap(
    lambda ws: st.tuples(st.just(ws), st.lists(st.booleans(), min_size=len(ws), max_size=len(ws)))
)


@given(cases, st.sampled_from(["zero", "exclude"]))
@example(([0.1, 0.2, 0.7], [True, True, False]), "zero")
@example(([10, 10, 10, 10, 8], [True, True, True, False, False]), "zero")
def test_exactly_at_the_bar_holds_and_one_rule_less_fails(case: tuple[list[float], list[bool]], missing: str) -> None:
    weights, met = case
    won = sum((exact(w) for w, m in zip(weights, met, strict=True) if m), Fraction(0))
    c = _set(weights, _decimal(won), missing)
    (req,) = compile_tier(c.tier("t"), c)
    credits = {f"R{i}": 1.0 if m else 0.0 for i, m in enumerate(met)}
    standing = Standing(c, credits, dict.fromkeys(credits, True))
    assert standing.pillar_points("ct") == won
    assert holds_one(req, standing)
    lightest = min((i for i, m in enumerate(met) if m), key=lambda i: weights[i], default=None)
    if lightest is not None:
        short = Standing(c, {**credits, f"R{lightest}": 0.0}, dict.fromkeys(credits, True))
        assert not holds_one(req, short)


def test_a_rounded_percentage_misclassifies_what_points_do_not() -> None:
    """40 of 48 points is 83.333...%; written as 83.3 it lets 39.99 points through, points do not."""
    c = _set([10, 10, 10, 10, 8], 40, "zero")
    credits = {"R0": 1.0, "R1": 1.0, "R2": 1.0, "R3": 0.999, "R4": 0.0}
    standing = Standing(c, credits, dict.fromkeys(credits, True))
    assert 83.3 <= standing.pillar_score("ct") < 100 * 40 / 48
    (req,) = compile_tier(c.tier("t"), c)
    assert not holds_one(req, standing)
    assert holds_one(req, standing.raised(["R3"]))
