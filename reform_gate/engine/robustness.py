"""The robustness figure (``docs/scoring.md``, "How often do random weight changes keep it?").

Each rule weight and each pillar weight is multiplied by its own factor drawn uniformly from
``[1 - SPREAD, 1 + SPREAD]``, in a fixed order (every rule in file order, then every pillar), with
``random.Random(seed)``; the proposal's credits are scored with those weights through the ordinary
standing and ladder. The same seed gives the same draws on every machine and every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..analysis import Robustness
from ..model import Criteria, Pillar, Rule
from ..numbers import show
from .ladder import ladder_of, position
from .standing import Standing

__all__ = ["SPREAD", "robustness"]

#: Each weight of a draw is multiplied by a factor drawn uniformly from [1 - SPREAD, 1 + SPREAD].
SPREAD = 0.25


def robustness(standing: Standing, requested: str, *, seed: int, draws: int, spread: float = SPREAD) -> Robustness:
    """The share of ``draws`` random weight changes that keep the outcome (and the supported tier).

    Each draw multiplies every rule weight, then every pillar weight, in file order, by its own
    factor drawn uniformly from ``[1 - spread, 1 + spread]`` with ``random.Random(seed)``: the
    same seed gives the same draws on any machine.
    """
    c = standing.criteria
    here = position(standing, requested)
    ladder = ladder_of(c)
    # Weights are the only thing that moves: each rule and pillar is rebuilt from its own fields,
    # passed in order (keywords would cost ten times as much, and a 200-rule set draws 200,000).
    rule_args, rule_at = _fields_of(c.rules, Rule)
    pillar_args, pillar_at = _fields_of(c.pillars, Pillar)
    new_rule: Callable[..., Rule] = Rule
    new_pillar: Callable[..., Pillar] = Pillar
    rng = random.Random(seed)
    low, high = 1 - spread, 1 + spread
    kept_outcome = kept_place = 0
    for _ in range(draws):
        rules = tuple(new_rule(*a[:rule_at], a[rule_at] * rng.uniform(low, high), *a[rule_at + 1 :]) for a in rule_args)
        pillars = tuple(
            new_pillar(*a[:pillar_at], a[pillar_at] * rng.uniform(low, high), *a[pillar_at + 1 :]) for a in pillar_args
        )
        moved = Criteria(c.criteria, pillars, c.indicators, rules, c.tiers)
        moved.derived.get("ladder", lambda: ladder)  # the tiers' requirements read no weight
        there = position(Standing(moved, standing.credits, standing.counted, standing.waived), requested)
        kept_outcome += there.outcome == here.outcome
        kept_place += there.key == here.key
    rule = (
        f"each rule and pillar weight independently multiplied by a factor drawn uniformly from "
        f"[{show(1 - spread)}, {show(1 + spread)}]"
    )
    return Robustness(seed, draws, spread, rule, kept_outcome, kept_place)


def _fields_of(
    items: Sequence[Rule] | Sequence[Pillar], cls: type[Rule] | type[Pillar]
) -> tuple[list[tuple[Any, ...]], int]:
    """Each item's constructor arguments in order, and where its weight is among them."""
    names = [f.name for f in attrs.fields(cls) if f.init]
    return [tuple(getattr(item, n) for n in names) for item in items], names.index("weight")
