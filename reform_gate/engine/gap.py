"""What it would take: the fewest rules to raise to full credit so a tier's requirements hold.

``docs/scoring.md`` ("What it would take") describes the greedy order (failing gates first, then
the largest gains per pillar, then for the overall minimum and ``min_met``). Greedy is exact only
while every rule competes on one measure. A ``min_met`` restricted to a list of rules, or a pillar
mixing counted and excluded rules, breaks that, so the greedy answer is only an upper bound here.
The exact answer comes from a dominance argument: split the candidates into classes whose members
differ only in size of gain (same pillar, same counted-ness, same membership of every ``among``
list). Within a class a larger gain is never worse for any requirement, so some optimum takes a
prefix of each class, sorted. Searching prefix lengths by rising total finds the minimum; the
property tests check it against brute force.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from ..model import Criteria, Rule
from ..numbers import TOLERANCE
from ..requirements import Alternatives, Requirement, TierRequirement, pillar_total
from .standing import Standing, holds_one, measure, pillars_of_kind

__all__ = ["Solution", "fewest_rules"]

#: Prefix-length vectors visited before settling for the greedy answer (marked not exact).
SEARCH_BUDGET = 200_000
#: Options combined by the knapsack over pillars that finds the least total.
DP_BUDGET = 2_000_000
#: The prefix arithmetic adds in another order than Standing: judge it this loosely, then confirm.
_LOOSE = 1e-7


class Solution:
    """Rules to raise, whether that reaches the tier, and whether it is proven minimal."""

    def __init__(self, rules: list[str], reachable: bool, exact: bool) -> None:
        self.rules = rules
        self.reachable = reachable
        self.exact = exact


def fewest_rules(reqs: Sequence[TierRequirement], standing: Standing) -> Solution:
    """The fewest rules to raise so that all ``reqs`` hold; with ``any_of``, the cheapest group."""
    leaves = [r for r in reqs if isinstance(r, Requirement)]
    alternatives = [r.groups for r in reqs if isinstance(r, Alternatives)]
    best: Solution | None = None
    for choice in itertools.product(*alternatives):
        conj = leaves + [req for group in choice for req in group]
        found = _solve(conj, standing)
        if best is None or _rank(found) < _rank(best):
            best = found
    return best or Solution([], True, True)


def _rank(s: Solution) -> tuple[bool, int, list[str]]:
    """Reachable first, then fewest rules, then by rule id: the order of ``any_of`` groups must
    never change the answer, not even which unreachable group is reported."""
    return (not s.reachable, len(s.rules), sorted(s.rules))


def _solve(reqs: list[Requirement], standing: Standing) -> Solution:
    # A gate may appear twice (in the tier and in an any_of group): raise it once.
    failing_gates = list(dict.fromkeys(r.subject for r in reqs if r.kind == "gate" and not holds_one(r, standing)))
    # A failing gate the criteria set keeps out of the gap (``in_gap = false``) cannot be proposed.
    forced = [g for g in failing_gates if standing.criteria.rule(g).in_gap and g not in standing.set_aside]
    base = standing.raised(forced)
    failing = [r for r in reqs if not holds_one(r, base)]
    if not failing:
        return Solution(forced, True, True)
    candidates = _candidates(failing, base, set(forced))
    if len(forced) < len(failing_gates):
        return Solution(forced + candidates, False, True)
    best = base.raised(candidates)  # the best the gap can do: raised once, not once per requirement
    if not all(holds_one(r, best) for r in failing):
        return Solution(forced + candidates, False, True)
    greedy = _greedy(failing, base, candidates)
    low = _lower_bound(failing, base, candidates)
    if len(greedy) <= low:
        return Solution(forced + greedy, True, True)
    classes = _classes(failing, base, candidates)
    picks, exact = _Prefixes(failing, base, classes).search(low, greedy)
    return Solution(forced + picks, True, exact)


#: The requirement kinds that ask for a pillar's share: a score in percent, or points of its total.
_PILLAR_KINDS = ("min_pillar", "min_pillar_points")


class _Facts:
    """What the search asks of a rule, looked up once per criteria set: the search asks it
    thousands of times per proposal, and ``Criteria.rule`` and ``Criteria.pillar`` are a method
    call and a dict lookup each."""

    def __init__(self, c: Criteria) -> None:
        rules: dict[str, Rule] = c.derived.by_id("rules", c.rules)
        kinds = {p.id: p.kind for p in c.derived.by_id("pillars", c.pillars).values()}
        self.pillar_of = {ident: r.pillar for ident, r in rules.items()}
        self.weight_of = {ident: r.weight for ident, r in rules.items()}
        #: Rules of a reform pillar: the only ones that move the overall score.
        self.reform = frozenset(ident for ident, r in rules.items() if kinds.get(r.pillar) == "reform")
        #: Each rule's pillar weight and the total weight of the pillars of its kind.
        totals = pillars_of_kind(c)
        self.share_of = {
            ident: (c.pillar(r.pillar).weight, totals[kinds[r.pillar]][1])
            for ident, r in rules.items()
            if r.pillar in kinds
        }


def _facts(c: Criteria) -> _Facts:
    return c.derived.get("gap-facts", lambda: _Facts(c))


def _pillar_bar(req: Requirement, c: Criteria) -> float:
    """A pillar requirement's bar as a pillar score (0-100).

    ``min_pillar_points`` N of a pillar whose rules weigh W in all asks for the share N / W: the
    same bar as ``min_pillar = 100 N / W``. The search below uses it in floats, loosely, and every
    answer is confirmed by :func:`holds_one`, which compares the points exactly.
    """
    if req.kind == "min_pillar":
        return req.needed
    total = float(pillar_total(c, req.subject))
    return 100.0 * req.needed / total if total > 0 else 0.0


def _candidates(failing: list[Requirement], s: Standing, forced: set[str]) -> list[str]:
    """Rules not yet at full credit whose raising could help some failing requirement (and that
    the criteria set lets the gap propose)."""
    c = s.criteria
    reform = _facts(c).reform
    pillars = {r.subject for r in failing if r.kind in _PILLAR_KINDS}
    overall = any(r.kind == "min_score" for r in failing)
    among = {rule for r in failing if r.kind == "min_met" for rule in r.among}
    out = []
    for rule in c.rules:
        if rule.id in forced or s.met(rule.id) or not rule.in_gap or rule.id in s.set_aside:
            continue
        if rule.pillar in pillars or (overall and rule.id in reform) or rule.id in among:
            out.append(rule.id)
    return out


def _pillar_gain(s: Standing, rule: str, target: float, facts: _Facts | None = None) -> float:
    """Weight units this rule adds towards a pillar minimum of ``target`` (0..1): linear."""
    weight = (facts or _facts(s.criteria)).weight_of[rule]
    return weight * (1.0 - s.credits[rule]) if s.counted[rule] else weight * (1.0 - target)


def _overall_gain(s: Standing, rule: str, facts: _Facts | None = None) -> float:
    """Points of the overall (or design) score this rule adds on its own."""
    facts = facts or _facts(s.criteria)
    pillar_weight, total = facts.share_of[rule]
    if total <= 0:
        return 0.0
    pillar, own = facts.pillar_of[rule], facts.weight_of[rule]
    score = s.pillar_score(pillar)
    weight = s.pillar_weight(pillar)
    won = score * weight / 100.0
    if s.counted[rule]:
        after = 100.0 * (won + own * (1.0 - s.credits[rule])) / weight if weight > 0 else 0.0
    else:
        after = 100.0 * (won + own) / (weight + own) if weight + own > 0 else 0.0
    return pillar_weight / total * (after - score)


def _order(s: Standing, rules: list[str], key: float | None = None) -> list[str]:
    facts = _facts(s.criteria)

    def rank(rule: str) -> tuple[float, str]:
        gain = _overall_gain(s, rule, facts) if key is None else _pillar_gain(s, rule, key, facts)
        return (-gain, rule)

    return sorted(rules, key=rank)


def _greedy(failing: list[Requirement], base: Standing, candidates: list[str]) -> list[str]:
    """The documented greedy order: per failing pillar the largest gains, then overall, then counts."""
    picks: list[str] = []
    current = base
    c = base.criteria
    facts = _facts(c)
    for req in sorted(failing, key=lambda r: (*_PILLAR_KINDS, "min_score", "min_met").index(r.kind)):
        if req.kind in _PILLAR_KINDS:
            pool = [x for x in candidates if facts.pillar_of[x] == req.subject]
            order = _order(current, pool, _pillar_bar(req, c) / 100.0)
        elif req.kind == "min_score":
            order = _order(current, [x for x in candidates if x in facts.reform])
        else:
            order = _order(current, [x for x in candidates if x in req.among])
        for rule in order:
            if holds_one(req, current):
                break
            if rule not in picks:
                picks.append(rule)
                current = current.raised([rule])
    return picks


def _fewest_to(gains: list[float], deficit: float) -> int:
    """How many of the largest ``gains`` it takes to cover ``deficit`` (len+1 if never)."""
    if deficit <= TOLERANCE:
        return 0
    total = 0.0
    for n, g in enumerate(sorted(gains, reverse=True), start=1):
        total += g
        if total >= deficit - TOLERANCE:
            return n
    return len(gains) + 1


def _lower_bound(failing: list[Requirement], s: Standing, candidates: list[str]) -> int:
    """No solution is smaller than what the hardest single requirement needs on its own."""
    c = s.criteria
    facts = _facts(c)
    low = 1
    for req in failing:
        if req.kind in _PILLAR_KINDS:
            target = _pillar_bar(req, c) / 100.0
            pool = [x for x in candidates if facts.pillar_of[x] == req.subject]
            won = s.pillar_score(req.subject) * s.pillar_weight(req.subject) / 100.0
            deficit = target * s.pillar_weight(req.subject) - won
            need = _fewest_to([_pillar_gain(s, x, target, facts) for x in pool], deficit)
            low = max(low, need if s.pillar_weight(req.subject) > 0 else max(need, 1))
        elif req.kind == "min_score" and c.criteria.missing == "zero":
            pool = [x for x in candidates if x in facts.reform]
            low = max(low, _fewest_to([_overall_gain(s, x, facts) for x in pool], req.needed - s.overall()))
        elif req.kind == "min_met":
            low = max(low, round(req.needed - measure(req, s)))
    return low


def _classes(failing: list[Requirement], s: Standing, candidates: list[str]) -> list[list[str]]:
    """Candidates grouped so that, within a group, a larger gain dominates (see module doc)."""
    facts = _facts(s.criteria)
    pillar_of, weight_of = facts.pillar_of, facts.weight_of
    lists = [r.among for r in failing if r.kind == "min_met"]
    groups: dict[tuple[object, ...], list[str]] = {}
    for rule in candidates:
        key = (pillar_of[rule], s.counted[rule], *(rule in among for among in lists))
        groups.setdefault(key, []).append(rule)
    out = []
    for _key, rules in sorted(groups.items(), key=lambda kv: str(kv[0])):
        if s.counted[rules[0]]:
            out.append(sorted(rules, key=lambda x: (-weight_of[x] * (1.0 - s.credits[x]), x)))
        else:
            out.append(sorted(rules, key=lambda x: (-weight_of[x], x)))
    return out


class _OutOfBudget(Exception):
    """The search has used up its budget."""


class _Prefixes:
    """The failing requirements measured for "the first n rules of each class raised".

    Trying a vector of prefix lengths through :meth:`Standing.raised` rebuilds every score, so
    the search used to spend its time there. Here each class's gains are summed once into
    prefix arrays, and a trial is a few additions per class. The arithmetic is done in a
    different order from :class:`Standing`'s, so it is judged with a slightly looser tolerance
    (never missing a solution), and every answer is confirmed with ``Standing`` itself.
    """

    def __init__(self, failing: list[Requirement], base: Standing, classes: list[list[str]]) -> None:
        c = base.criteria
        self.failing = failing
        self.base = base
        self.classes = classes
        self.sizes = [len(k) for k in classes]
        facts = _facts(c)
        self.pillar_of = [facts.pillar_of[k[0]] for k in classes]
        self.won = {p.id: 0.0 for p in c.pillars}
        self.weight = {p.id: 0.0 for p in c.pillars}
        for rule in c.rules:
            if base.counted[rule.id]:
                self.won[rule.pillar] += rule.weight * base.credits[rule.id]
                self.weight[rule.pillar] += rule.weight
        # Per class, the won weight and the counted weight that its first n rules add.
        self.add_won: list[list[float]] = []
        self.add_weight: list[list[float]] = []
        for cls in classes:
            won, weight = [0.0], [0.0]
            for ident in cls:
                w = facts.weight_of[ident]
                counted = base.counted[ident]
                won.append(won[-1] + (w * (1.0 - base.credits[ident]) if counted else w))
                weight.append(weight[-1] + (0.0 if counted else w))
            self.add_won.append(won)
            self.add_weight.append(weight)
        # Per min_met requirement: what is still needed, and per class how many its first n add
        # (a rule listed twice in ``among`` counts twice, as ``measure`` counts it).
        self.counts: list[tuple[int, list[list[int]]]] = []
        for req in failing:
            if req.kind == "min_met":
                need = max(0, math.ceil(req.needed - measure(req, base) - _LOOSE))
                adds = []
                for cls in classes:
                    sums = [0]
                    for ident in cls:
                        sums.append(sums[-1] + req.among.count(ident))
                    adds.append(sums)
                self.counts.append((need, adds))
        self.pillar_mins = [(r.subject, _pillar_bar(r, c)) for r in failing if r.kind in _PILLAR_KINDS]
        self.score_min = max((r.needed for r in failing if r.kind == "min_score"), default=None)
        self.reform = [(p.id, p.weight) for p in c.pillars if p.kind == "reform"]
        self.reform_total = sum(w for _, w in self.reform)
        self.others = [r for r in failing if r.kind not in (*_PILLAR_KINDS, "min_score", "min_met")]

    # --- measures -----------------------------------------------------------------------------

    @staticmethod
    def _score(won: float, weight: float) -> float:
        """As :meth:`Standing.pillar_score` computes it."""
        return 100.0 * (won / weight) if weight > 0 else 0.0

    def _scores(self, lengths: Sequence[int]) -> dict[str, float]:
        won = dict(self.won)
        weight = dict(self.weight)
        for i, n in enumerate(lengths):
            if n:
                pillar = self.pillar_of[i]
                won[pillar] += self.add_won[i][n]
                weight[pillar] += self.add_weight[i][n]
        return {p: self._score(won[p], weight[p]) for p in won}

    def _overall_holds(self, value: float) -> bool:
        """``value`` is the sum of weight * score over reform pillars."""
        if self.score_min is None:
            return True
        overall = min(value / self.reform_total, 100.0) if self.reform_total > 0 else 0.0
        return overall >= self.score_min - _LOOSE

    def holds(self, lengths: Sequence[int]) -> bool:
        """Whether every failing requirement might hold (loose tolerance: never a false no)."""
        for need, adds in self.counts:
            if sum(adds[i][n] for i, n in enumerate(lengths)) < need:
                return False
        scores = self._scores(lengths)
        if any(scores[p] < needed - _LOOSE for p, needed in self.pillar_mins):
            return False
        return self._overall_holds(sum(w * scores[p] for p, w in self.reform))

    def _picks(self, lengths: Sequence[int]) -> list[str]:
        return [rule for cls, n in zip(self.classes, lengths, strict=True) for rule in cls[:n]]

    def _confirmed(self, lengths: Sequence[int]) -> bool:
        trial = self.base.raised(self._picks(lengths))
        return all(holds_one(r, trial) for r in self.failing)

    # --- search -------------------------------------------------------------------------------

    def search(self, low: int, greedy: list[str]) -> tuple[list[str], bool]:
        """The fewest picks (as rule ids) and whether that is proven; ``greedy`` when no fewer do.

        The least total comes from :meth:`_least_totals`, a knapsack over pillars; the picks of
        that total are then the first, in a fixed order of prefix vectors, that hold, so equal
        answers are always reported the same way.
        """
        if self.others:
            return greedy, False
        try:
            totals = self._least_totals(len(greedy))
        except _OutOfBudget:
            totals = None
        budget = [SEARCH_BUDGET]
        for total in range(low, len(greedy)):
            if totals is not None and total not in totals:
                continue
            try:
                lengths = self._first(total, budget)
            except _OutOfBudget:
                fallback = (totals or {}).get(total)
                if fallback is not None and self._confirmed(fallback):
                    return self._picks(fallback), True
                return greedy, False
            if lengths is not None:
                return self._picks(lengths), True
        return greedy, True

    def _first(self, total: int, budget: list[int]) -> list[int] | None:
        """The first prefix vector of ``total`` picks that holds, in the order: first class
        largest first, then the next; branches that cannot hold even when over-filled are cut."""
        sizes = self.sizes
        k = len(sizes)
        room = [sum(sizes[j:]) for j in range(k + 1)]
        lengths = [0] * k

        def walk(j: int, left: int) -> bool:
            budget[0] -= 1
            if budget[0] < 0:
                raise _OutOfBudget
            if j == k:
                return left == 0 and self.holds(lengths) and self._confirmed(lengths)
            if not self.holds([*lengths[:j], *(min(s, left) for s in sizes[j:])]):
                return False
            for n in range(min(sizes[j], left), -1, -1):
                if left - n <= room[j + 1]:
                    lengths[j] = n
                    if walk(j + 1, left - n):
                        return True
            lengths[j] = 0
            return False

        return list(lengths) if walk(0, total) else None

    def _least_totals(self, limit: int) -> dict[int, list[int]]:
        """For each total below ``limit`` at which some prefix vector holds, one such vector.

        Pillar by pillar, every prefix vector of the pillar's classes is one option: its picks,
        what it adds to each ``min_met`` count (capped at the need), and its weighted score.
        Options combine like a knapsack, keeping per (picks, counts) the best weighted score.
        """
        need = tuple(n for n, _ in self.counts)
        pillars = list(dict.fromkeys(self.pillar_of))
        fixed = sum(w * self._score(self.won[p], self.weight[p]) for p, w in self.reform if p not in pillars)
        reform = dict(self.reform)
        states: dict[tuple[int, tuple[int, ...]], tuple[float, tuple[int, ...]]] = {
            (0, tuple(0 for _ in need)): (fixed, tuple(0 for _ in self.sizes))
        }
        work = 0
        for pillar in pillars:
            mine = [i for i, p in enumerate(self.pillar_of) if p == pillar]
            mins = [needed for p, needed in self.pillar_mins if p == pillar]
            options: dict[tuple[int, tuple[int, ...]], tuple[float, tuple[int, ...]]] = {}
            for combo in itertools.product(*(range(self.sizes[i] + 1) for i in mine)):
                work += 1
                if work > DP_BUDGET:
                    raise _OutOfBudget
                won, weight = self.won[pillar], self.weight[pillar]
                for i, n in zip(mine, combo, strict=True):
                    won += self.add_won[i][n]
                    weight += self.add_weight[i][n]
                score = self._score(won, weight)
                if any(score < needed - _LOOSE for needed in mins):
                    continue
                adds = tuple(
                    min(cap, sum(a[i][n] for i, n in zip(mine, combo, strict=True)))
                    for cap, (_, a) in zip(need, self.counts, strict=True)
                )
                key = (sum(combo), adds)
                value = reform.get(pillar, 0.0) * score
                if key not in options or value > options[key][0]:
                    options[key] = (value, combo)
            merged: dict[tuple[int, tuple[int, ...]], tuple[float, tuple[int, ...]]] = {}
            for (m1, c1), (v1, l1) in states.items():
                for (m2, c2), (v2, combo) in options.items():
                    work += 1
                    if work > DP_BUDGET:
                        raise _OutOfBudget
                    if m1 + m2 >= limit:
                        continue
                    key = (m1 + m2, tuple(min(cap, a + b) for cap, a, b in zip(need, c1, c2, strict=True)))
                    value = v1 + v2
                    if key not in merged or value > merged[key][0]:
                        joined = list(l1)
                        for i, n in zip(mine, combo, strict=True):
                            joined[i] = n
                        merged[key] = (value, tuple(joined))
            states = merged
        found: dict[int, list[int]] = {}
        for (m, counts), (value, vector) in sorted(states.items()):
            if counts == need and m not in found and self._overall_holds(value):
                found[m] = list(vector)
        return found
