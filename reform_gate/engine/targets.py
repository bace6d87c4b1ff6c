"""How far each rule of the gap must rise: the least credit that still lets the tier hold.

The gap (:mod:`reform_gate.engine.gap`) finds the fewest rules to raise, each to full credit.
Full credit is often more than the tier needs: a gate that passes at credit 0.6, or a pillar
minimum that a scale rule reaches half way up. Here each rule of the answer is lowered, in the
order the steps are printed, to the least credit at which every requirement still holds with
the rules before it at their lowered credits and the rules after it at full credit
(``docs/scoring.md``, "Partial raises").

Only a rule whose check is one ``scale`` or one ``credit`` can be raised in part: a scale to a
value, rounded in the direction that helps to the precision of the scale's own bounds
(``benchmark_count >= 4``), a credit table to a level. Every other check earns all or nothing.
Lowering never changes which rules are raised, so the gap stays the fewest rules; each lowered
credit is confirmed by measuring the requirements again.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from .. import checks
from ..checks import Credit, Scale, Value
from ..model import Criteria, Rule
from ..numbers import TOLERANCE
from ..requirements import Alternatives, Requirement, TierRequirement, feeds
from .standing import Standing, holds, measure

__all__ = ["Target", "least_targets"]


@frozen
class Target:
    """The credit one rule of the gap is raised to; for a partial raise, the value and its words."""

    rule: str
    credit: float
    value: Value | None = None
    needed: str | None = None

    @property
    def partial(self) -> bool:
        return self.credit < 1.0 - TOLERANCE


def least_targets(rules: Sequence[str], reqs: Sequence[TierRequirement], standing: Standing) -> list[Target]:
    """Each of ``rules`` (in this order) lowered to the least credit at which ``reqs`` still hold."""
    c = standing.criteria
    out: dict[str, Target] = {r: Target(r, 1.0) for r in rules}
    lowerable = [r for r in rules if isinstance(c.rule(r).check, Scale | Credit)]
    # Every rule of the answer raised; each trial changes one rule of it (one pillar summed again).
    current = standing.raised(rules)
    if not lowerable or not holds(reqs, current):
        return list(out.values())  # nothing can stop short, or the tier is out of reach anyway
    leaves = _leaves(reqs)
    for ident in lowerable:
        rule = c.rule(ident)
        floor = standing.credits[ident] if standing.counted[ident] else -1.0
        for option in _options(rule, leaves, current, c):
            if option.credit <= floor + TOLERANCE or not option.partial:
                continue
            trial = current.raised_to({ident: option.credit})
            if holds(reqs, trial):
                current = trial
                out[ident] = option
                break
    return list(out.values())


def _leaves(reqs: Sequence[TierRequirement]) -> list[Requirement]:
    found = [r for r in reqs if isinstance(r, Requirement)]
    found += [x for r in reqs if isinstance(r, Alternatives) for g in r.groups for x in g]
    return found


def _options(rule: Rule, leaves: list[Requirement], s: Standing, c: Criteria) -> list[Target]:
    """Credits the rule could stop at, lowest first: each level of a credit table, or for a scale
    the value at which each requirement it feeds starts to hold."""
    check = rule.check
    indicator = c.indicators.get(check.indicator) if isinstance(check, Scale | Credit) else None
    if isinstance(check, Credit):
        found = []
        for level, credit in check.credit.items():
            levels = [lv for lv, x in check.credit.items() if x >= credit - TOLERANCE]
            found.append(Target(rule.id, float(credit), level, f"{check.indicator} = " + " or ".join(levels)))
        return sorted(found, key=lambda t: t.credit)
    assert isinstance(check, Scale)
    wanted: set[float] = set()
    fed = [req for req in leaves if feeds(req, rule, c)]
    if any(req.kind == "gate" for req in fed):
        wanted.add(rule.gate_min)
    scores = [req for req in fed if req.kind in ("min_pillar", "min_pillar_points", "min_score")]
    if scores:
        # A score is affine in one rule's credit: solve from its values at credit 0 and 1.
        none, full = s.raised_to({rule.id: 0.0}), s.raised_to({rule.id: 1.0})
        for req in scores:
            at0, at1 = measure(req, none), measure(req, full)
            if at1 - at0 > TOLERANCE:
                wanted.add(min(1.0, max(0.0, (req.needed - at0) / (at1 - at0))))
    a, b = check.scale
    places = max(_places(a), _places(b))
    found = []
    for credit in sorted(wanted):
        value = _round_towards(a + credit * (b - a), up=b > a, places=places)
        if indicator is not None and not _within(value, indicator.min, indicator.max):
            continue
        earned = checks.credit(check, {check.indicator: value}) or 0.0
        sign = ">=" if b > a else "<="
        words = f"{check.indicator} {sign} {checks.show_value(value, indicator)}"
        found.append(Target(rule.id, earned, value, words))
    return sorted(found, key=lambda t: t.credit)


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _places(x: float) -> int:
    """Decimal places of a bound as the author wrote it: 50000 -> 0, 0.25 -> 2, 1e-05 -> 5."""
    mantissa, _, exponent = repr(float(x)).partition("e")
    decimals = mantissa.partition(".")[2].rstrip("0")
    return max(0, len(decimals) - int(exponent or 0))


def _round_towards(x: float, *, up: bool, places: int) -> float:
    """``x`` rounded to ``places`` decimals, up or down: towards the side that earns more credit.

    The value is first cut to ten significant digits, so that 2.9999999999997 (float noise from
    solving) becomes 3 rather than a needless 4. The rounding itself is done on the decimal
    digits, in integers, so that 0.1 stays 0.1 (its float is a hair above it).
    """
    mantissa, _, exponent = f"{x:.10g}".partition("e")
    negative = mantissa.startswith("-")
    whole, _, fraction = mantissa.lstrip("-").partition(".")
    shift = len(fraction) - int(exponent or 0)  # the value is digits / 10**shift
    digits = int(whole + fraction) * (-1 if negative else 1)
    unit: int = 10**places
    if places >= shift:
        return digits * int(10 ** (places - shift)) / unit
    kept, dropped = divmod(digits, int(10 ** (shift - places)))  # floors, negative values too
    return (kept + (1 if up and dropped else 0)) / unit
