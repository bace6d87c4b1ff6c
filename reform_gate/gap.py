"""What it would take: the fewest rules to raise to full credit so a tier's requirements hold.

DESIGN 4.5 describes the greedy order (failing gates first, then the largest gains per pillar,
then for the overall minimum and ``min_met``). Greedy is exact only while every rule competes on
one measure. A ``min_met`` restricted to a list of rules, or a pillar mixing counted and excluded
rules, breaks that, so the greedy answer is only an upper bound here. The exact answer comes from
a dominance argument: split the candidates into classes whose members differ only in size of gain
(same pillar, same counted-ness, same membership of every ``among`` list). Within a class a larger
gain is never worse for any requirement, so some optimum takes a prefix of each class, sorted.
Searching prefix lengths by rising total finds the minimum; the property tests check it against
brute force.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from ._standing import AnyOfReq, Req, Requirement, Standing

__all__ = ["Solution", "fewest_rules"]

#: Prefix-length vectors tried before settling for the greedy answer (marked not exact).
SEARCH_BUDGET = 200_000


class Solution:
    """Rules to raise, whether that reaches the tier, and whether it is proven minimal."""

    def __init__(self, rules: list[str], reachable: bool, exact: bool) -> None:
        self.rules = rules
        self.reachable = reachable
        self.exact = exact


def fewest_rules(reqs: Sequence[Requirement], standing: Standing) -> Solution:
    """The fewest rules to raise so that all ``reqs`` hold; with ``any_of``, the cheapest group."""
    leaves = [r for r in reqs if isinstance(r, Req)]
    alternatives = [r.groups for r in reqs if isinstance(r, AnyOfReq)]
    best: Solution | None = None
    for choice in itertools.product(*alternatives):
        conj = leaves + [req for group in choice for req in group]
        found = _solve(conj, standing)
        if best is None or (found.reachable and (not best.reachable or len(found.rules) < len(best.rules))):
            best = found
    return best or Solution([], True, True)


def _solve(reqs: list[Req], standing: Standing) -> Solution:
    forced = [r.subject for r in reqs if r.kind == "gate" and not r.holds(standing)]
    base = standing.raised(forced)
    failing = [r for r in reqs if not r.holds(base)]
    if not failing:
        return Solution(forced, True, True)
    candidates = _candidates(failing, base, set(forced))
    if not all(r.holds(base.raised(candidates)) for r in failing):
        return Solution(forced + candidates, False, True)
    greedy = _greedy(failing, base, candidates)
    low = _lower_bound(failing, base, candidates)
    if len(greedy) <= low:
        return Solution(forced + greedy, True, True)
    classes = _classes(failing, base, candidates)
    tried = 0
    for total in range(low, len(greedy)):
        for lengths in _compositions(total, [len(c) for c in classes]):
            tried += 1
            if tried > SEARCH_BUDGET:
                return Solution(forced + greedy, True, False)
            picks = [rule for cls, n in zip(classes, lengths, strict=True) for rule in cls[:n]]
            trial = base.raised(picks)
            if all(r.holds(trial) for r in failing):
                return Solution(forced + picks, True, True)
    return Solution(forced + greedy, True, True)


def _candidates(failing: list[Req], s: Standing, forced: set[str]) -> list[str]:
    """Rules not yet at full credit whose raising could help some failing requirement."""
    c = s.criteria
    pillars = {r.subject for r in failing if r.kind == "min_pillar"}
    overall = any(r.kind == "min_score" for r in failing)
    among = {rule for r in failing if r.kind == "min_met" for rule in r.among}
    out = []
    for rule in c.rules:
        if rule.id in forced or s.met(rule.id):
            continue
        kind = c.pillar(rule.pillar).kind
        if rule.pillar in pillars or (overall and kind == "reform") or rule.id in among:
            out.append(rule.id)
    return out


def _pillar_gain(s: Standing, rule: str, target: float) -> float:
    """Weight units this rule adds towards a pillar minimum of ``target`` (0..1): linear."""
    r = s.criteria.rule(rule)
    return r.weight * (1.0 - s.credits[rule]) if s.counted[rule] else r.weight * (1.0 - target)


def _overall_gain(s: Standing, rule: str) -> float:
    """Points of the overall (or design) score this rule adds on its own."""
    r = s.criteria.rule(rule)
    pillar = s.criteria.pillar(r.pillar)
    kin = [p for p in s.criteria.pillars if p.kind == pillar.kind]
    total = sum(p.weight for p in kin)
    if total <= 0:
        return 0.0
    won = s.pillar_score(r.pillar) * s.pillar_weight(r.pillar) / 100.0
    weight = s.pillar_weight(r.pillar)
    if s.counted[rule]:
        after = 100.0 * (won + r.weight * (1.0 - s.credits[rule])) / weight if weight > 0 else 0.0
    else:
        after = 100.0 * (won + r.weight) / (weight + r.weight) if weight + r.weight > 0 else 0.0
    return pillar.weight / total * (after - s.pillar_score(r.pillar))


def _order(s: Standing, rules: list[str], key: float | None = None) -> list[str]:
    def rank(rule: str) -> tuple[float, str]:
        gain = _overall_gain(s, rule) if key is None else _pillar_gain(s, rule, key)
        return (-gain, rule)

    return sorted(rules, key=rank)


def _greedy(failing: list[Req], base: Standing, candidates: list[str]) -> list[str]:
    """DESIGN 4.5's order: per failing pillar the largest gains, then overall, then counts."""
    picks: list[str] = []
    current = base
    c = base.criteria
    for req in sorted(failing, key=lambda r: ("min_pillar", "min_score", "min_met").index(r.kind)):
        if req.kind == "min_pillar":
            pool = [x for x in candidates if c.rule(x).pillar == req.subject]
            order = _order(current, pool, req.needed / 100.0)
        elif req.kind == "min_score":
            order = _order(current, [x for x in candidates if c.pillar(c.rule(x).pillar).kind == "reform"])
        else:
            order = _order(current, [x for x in candidates if x in req.among])
        for rule in order:
            if req.holds(current):
                break
            if rule not in picks:
                picks.append(rule)
                current = current.raised([rule])
    return picks


def _fewest_to(gains: list[float], deficit: float) -> int:
    """How many of the largest ``gains`` it takes to cover ``deficit`` (len+1 if never)."""
    if deficit <= 1e-9:
        return 0
    total = 0.0
    for n, g in enumerate(sorted(gains, reverse=True), start=1):
        total += g
        if total >= deficit - 1e-9:
            return n
    return len(gains) + 1


def _lower_bound(failing: list[Req], s: Standing, candidates: list[str]) -> int:
    """No solution is smaller than what the hardest single requirement needs on its own."""
    c = s.criteria
    low = 1
    for req in failing:
        if req.kind == "min_pillar":
            target = req.needed / 100.0
            pool = [x for x in candidates if c.rule(x).pillar == req.subject]
            won = s.pillar_score(req.subject) * s.pillar_weight(req.subject) / 100.0
            deficit = target * s.pillar_weight(req.subject) - won
            need = _fewest_to([_pillar_gain(s, x, target) for x in pool], deficit)
            low = max(low, need if s.pillar_weight(req.subject) > 0 else max(need, 1))
        elif req.kind == "min_score" and c.criteria.missing == "zero":
            pool = [x for x in candidates if c.pillar(c.rule(x).pillar).kind == "reform"]
            low = max(low, _fewest_to([_overall_gain(s, x) for x in pool], req.needed - s.overall()))
        elif req.kind == "min_met":
            low = max(low, round(req.needed - req.measure(s)))
    return low


def _classes(failing: list[Req], s: Standing, candidates: list[str]) -> list[list[str]]:
    """Candidates grouped so that, within a group, a larger gain dominates (see module doc)."""
    c = s.criteria
    lists = [r.among for r in failing if r.kind == "min_met"]
    groups: dict[tuple[object, ...], list[str]] = {}
    for rule in candidates:
        key = (c.rule(rule).pillar, s.counted[rule], *(rule in among for among in lists))
        groups.setdefault(key, []).append(rule)
    out = []
    for _key, rules in sorted(groups.items(), key=lambda kv: str(kv[0])):
        if s.counted[rules[0]]:
            out.append(sorted(rules, key=lambda x: (-c.rule(x).weight * (1.0 - s.credits[x]), x)))
        else:
            out.append(sorted(rules, key=lambda x: (-c.rule(x).weight, x)))
    return out


def _compositions(total: int, limits: list[int]) -> Iterator[list[int]]:
    """Every way to take ``total`` items from classes of the given sizes, as counts per class."""
    if not limits:
        if total == 0:
            yield []
        return
    head, rest = limits[0], limits[1:]
    room = sum(rest)
    for n in range(min(head, total), -1, -1):
        if total - n <= room:
            for tail in _compositions(total - n, rest):
                yield [n, *tail]
