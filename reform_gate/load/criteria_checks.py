"""What a criteria set's types cannot say: unique ids, references that resolve, ranges, levels.

Each check records its problem in a :class:`~reform_gate.load.problems.Problems` and goes on, so
one run names every mistake; a check that needs an earlier one to have passed (a rule's pillar
must exist before its weights are summed) is skipped when that one failed. Problems name the
rule, tier or pillar by its id beside its index: ``rules[3]`` (``CT-4``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from .. import checks
from ..checks import Check, Value
from ..errors import DanglingReferenceError, DuplicateIdError, InvalidValueError, describe, suggest
from ..model import Criteria, Entries, Indicator, RequirementGroup, entries_of
from ..numbers import exact, show
from .paths import PathPart
from .problems import Problems

__all__ = ["check_criteria", "check_entry_values", "check_value", "group_kinds"]


def check_criteria(c: Criteria, p: Problems) -> None:
    """Record every problem of ``c`` in ``p``."""
    info = c.criteria
    if info.max_evidence_age_days is not None and info.max_evidence_age_days < 0:
        p.add(
            InvalidValueError,
            ["criteria", "max_evidence_age_days"],
            "a number of days, 0 or more",
            describe(info.max_evidence_age_days),
        )
    _check_pillars(c, p)
    for ident, ind in c.indicators.items():
        _check_indicator(p, ident, ind)
    pillars_ok = _check_rules(c, p)
    _check_tiers(c, p, pillars_ok)


def _unique(p: Problems, items: Iterable[tuple[int, str]], where: str) -> bool:
    seen: dict[str, int] = {}
    ok = True
    for index, ident in items:
        if ident in seen:
            p.add(
                DuplicateIdError,
                [where, index, "id"],
                f"a unique id (each {where[:-1]} once)",
                f'"{ident}", already used by {where}[{seen[ident]}]',
            )
            ok = False
        else:
            seen[ident] = index
    return ok


def _percent(p: Problems, path: Sequence[PathPart], value: float, what: str) -> None:
    if not 0 <= value <= 100:
        p.add(InvalidValueError, path, f"{what} between 0 and 100", describe(value))


def _check_pillars(c: Criteria, p: Problems) -> None:
    if not c.pillars:
        p.add(InvalidValueError, ["pillars"], "at least one pillar", "none")
        return
    _unique(p, ((i, x.id) for i, x in enumerate(c.pillars)), "pillars")
    for i, x in enumerate(c.pillars):
        if x.weight < 0:
            p.add(InvalidValueError, ["pillars", i, "weight"], "a weight of 0 or more", describe(x.weight))
    reform = [x for x in c.pillars if x.kind == "reform"]
    if not reform:
        p.add(InvalidValueError, ["pillars"], 'at least one pillar of kind "reform"', "only safeguard pillars")
    elif sum(x.weight for x in reform) <= 0:
        p.add(InvalidValueError, ["pillars"], "reform pillar weights with a positive sum", "weights summing to 0")


def _check_indicator(p: Problems, ident: str, ind: Indicator) -> None:
    path: list[PathPart] = ["indicators", ident]
    if ind.type == "level":
        if ind.levels is None or len(ind.levels) < 2:
            p.add(
                InvalidValueError,
                [*path, "levels"],
                "at least two levels, worst first",
                "none" if ind.levels is None else f"{len(ind.levels)}",
            )
        elif len(set(ind.levels)) != len(ind.levels):
            p.add(DuplicateIdError, [*path, "levels"], "each level once", "a level listed twice")
    elif ind.levels is not None:
        p.add(
            InvalidValueError,
            [*path, "levels"],
            'levels only on an indicator of type "level"',
            f'levels on type "{ind.type}"',
        )
    if ind.type != "number":
        for key in ("min", "max", "unit"):
            if getattr(ind, key) is not None:
                p.add(
                    InvalidValueError,
                    [*path, key],
                    f'{key} only on an indicator of type "number"',
                    f'{key} on type "{ind.type}"',
                )
    if ind.min is not None and ind.max is not None and ind.min >= ind.max:
        p.add(InvalidValueError, [*path, "max"], f"a maximum above the minimum ({show(ind.min)})", describe(ind.max))


def _check_rules(c: Criteria, p: Problems) -> bool:
    """Check every rule; whether every rule's pillar exists (the tiers' checks rely on it)."""
    _unique(p, ((i, r.id) for i, r in enumerate(c.rules)), "rules")
    pillar_ids = [x.id for x in c.pillars]
    pillars_ok = True
    for i, r in enumerate(c.rules):
        pillars_ok &= p.known(["rules", i, "pillar"], r.pillar, pillar_ids, "pillar")
        if r.weight < 0:
            p.add(InvalidValueError, ["rules", i, "weight"], "a weight of 0 or more", describe(r.weight))
        if not 0 < r.gate_min <= 1:
            p.add(InvalidValueError, ["rules", i, "gate_min"], "a credit above 0 and at most 1", describe(r.gate_min))
        _check_check(p, ["rules", i, "check"], r.check, c.indicators)
        if r.may_not_apply and pillars_ok and r.pillar in pillar_ids and c.pillar(r.pillar).kind != "safeguard":
            p.add(
                InvalidValueError,
                ["rules", i, "may_not_apply"],
                "may_not_apply only on a rule of a safeguard pillar (the proposal's design)",
                f'a rule of the reform pillar "{r.pillar}"',
                "a counterpart's record always applies; drop may_not_apply",
            )
    for x in c.pillars:
        rules = [r for r in c.rules if r.pillar == x.id]
        if rules and sum(r.weight for r in rules) <= 0:
            p.add(
                InvalidValueError,
                ["rules", c.rules.index(rules[0]), "weight"],
                f'rule weights in pillar "{x.id}" with a positive sum',
                "weights summing to 0",
            )
    return pillars_ok


def _check_check(p: Problems, path: list[PathPart], check: Check, indicators: dict[str, Indicator]) -> None:
    if isinstance(check, checks.AllOf | checks.AnyOf):
        key = checks.key_of(check)
        for j, part in enumerate(checks.parts_of(check)):
            _check_check(p, [*path, key, j], part, indicators)
        return
    if not p.known([*path, "indicator"], check.indicator, indicators, "indicator"):
        return
    ind = indicators[check.indicator]
    kind = checks.kind_of(check)
    at = [*path, kind.key]
    if ind.type not in kind.types:
        wanted = " or ".join(f'"{t}"' for t in kind.types)
        p.add(
            InvalidValueError,
            at,
            f"an indicator of type {wanted} for {kind.key}",
            f'indicator "{check.indicator}" of type "{ind.type}"',
        )
        return
    argument = getattr(check, kind.key)
    if kind.argument == "value":
        check_value(p, at, argument, ind, check.indicator)
    elif kind.argument == "values":
        for j, v in enumerate(argument):
            check_value(p, [*at, j], v, ind, check.indicator, ranged=False)
    elif kind.argument == "pair" and argument[0] == argument[1]:
        p.add(InvalidValueError, at, "two different ends [a, b]", f"[{show(argument[0])}, {show(argument[1])}]")
    elif kind.argument == "credits":
        _check_credits(p, at, argument, ind, check.indicator)


def _check_credits(p: Problems, at: list[PathPart], credits: dict[str, float], ind: Indicator, ident: str) -> None:
    levels = ind.levels or ()
    if len(levels) < 2:
        return  # the indicator's own problem is reported; its levels cannot be checked against
    for level, value in credits.items():
        if level not in levels:
            p.add(
                DanglingReferenceError,
                [*at, level],
                "a level of " + ident + ": " + ", ".join(levels),
                f'"{level}"',
                suggest(level, levels),
            )
        if not 0 <= value <= 1:
            p.add(InvalidValueError, [*at, level], "a credit between 0 and 1", describe(value))
    absent = [lv for lv in levels if lv not in credits]
    if absent:
        p.add(
            InvalidValueError,
            at,
            "a credit for every level: " + ", ".join(levels),
            "no credit for " + ", ".join(absent),
        )


def check_entry_values(p: Problems, ident: str, held: Entries, ind: Indicator) -> None:
    """Each entry's value for indicator ``ident`` (one table or an array of them) must fit it;
    the key path names the entry's place in the array when there is one."""
    many = isinstance(held, tuple)
    for i, obs in enumerate(entries_of(held)):
        path: list[PathPart] = ["observations", ident, "value"]
        if many:
            path.insert(2, i)
        check_value(p, path, obs.value, ind, ident)


def check_value(
    p: Problems, path: Sequence[PathPart], value: Value, ind: Indicator, ident: str, ranged: bool = True
) -> None:
    """An observed or compared value must fit its indicator's type, range and levels."""
    if ind.type == "bool" and not isinstance(value, bool):
        p.add(InvalidValueError, path, f'true or false (indicator "{ident}" is a bool)', describe(value))
    elif ind.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            unit = f" in {ind.unit}" if ind.unit else ""
            p.add(InvalidValueError, path, f'a number{unit} (indicator "{ident}" is a number)', describe(value))
            return
        low = -float("inf") if ind.min is None else ind.min
        high = float("inf") if ind.max is None else ind.max
        if ranged and not low <= value <= high:
            p.add(
                InvalidValueError,
                path,
                f'a number from {checks.show_bound(ind.min)} to {checks.show_bound(ind.max)} for "{ident}"',
                describe(value),
            )
    elif ind.type == "level":
        levels = ind.levels or ()
        if not isinstance(value, str) or value not in levels:
            p.add(
                InvalidValueError,
                path,
                f'one of the levels of "{ident}": ' + ", ".join(f'"{lv}"' for lv in levels),
                describe(value),
                suggest(value, levels) if isinstance(value, str) else None,
            )


def group_kinds(group: RequirementGroup, c: Criteria) -> set[str]:
    """Which kinds of pillar (``reform``, ``safeguard``) a requirement group reads."""
    kinds: set[str] = set()
    if group.min_score is not None:
        kinds.add("reform")
    for pillar in [*group.min_pillar, *group.min_pillar_points]:
        kinds.update(x.kind for x in c.pillars if x.id == pillar)
    rule_kind = {r.id: x.kind for r in c.rules for x in c.pillars if x.id == r.pillar}
    if group.gates == "all":
        kinds.update(rule_kind[r.id] for r in c.rules if r.gate and r.id in rule_kind)
    elif group.gates:
        kinds.update(rule_kind[g] for g in group.gates if g in rule_kind)
    if group.min_met is not None:
        among = group.min_met.among
        kinds.update({rule_kind[g] for g in among if g in rule_kind} if among else {"reform"})
    return kinds


def _check_tiers(c: Criteria, p: Problems, pillars_ok: bool) -> None:
    if not c.tiers:
        p.add(InvalidValueError, ["tiers"], "at least one tier (the engagement ladder)", "none")
        return
    _unique(p, ((i, t.id) for i, t in enumerate(c.tiers)), "tiers")
    for i, t in enumerate(c.tiers):
        _check_group(p, ["tiers", i], t.own_group(), c, pillars_ok)
        for j, group in enumerate(t.any_of):
            _check_group(p, ["tiers", i, "any_of", j], group, c, pillars_ok)
        if t.outside_ladder and pillars_ok:
            reads = {k for g in (t.own_group(), *t.any_of) for k in group_kinds(g, c)}
            if "reform" in reads:
                p.add(
                    InvalidValueError,
                    ["tiers", i, "outside_ladder"],
                    "a tier outside the ladder whose requirements read only safeguard pillars and rules",
                    "requirements on the counterpart's record (min_score, a reform pillar or rule)",
                    "a track beside the ladder is judged on the proposal's design; move the reform bars "
                    "to a rung of the ladder, or drop outside_ladder",
                )
        if t.any_of:
            kinds = {k for g in t.any_of for k in group_kinds(g, c)}
            if len(kinds) > 1:
                p.add(
                    InvalidValueError,
                    ["tiers", i, "any_of"],
                    "groups that read only reform pillars and rules, or only safeguard ones",
                    "groups mixing reform and safeguard requirements",
                )
            if any(not group_kinds(g, c) for g in t.any_of):
                p.add(
                    InvalidValueError,
                    ["tiers", i, "any_of"],
                    "every group with at least one requirement",
                    "an empty group",
                )


def _check_group(p: Problems, path: list[PathPart], g: RequirementGroup, c: Criteria, pillars_ok: bool) -> None:
    if g.min_score is not None:
        _percent(p, [*path, "min_score"], g.min_score, "a score")
    pillar_ids = [x.id for x in c.pillars]
    for pillar, minimum in g.min_pillar.items():
        p.known([*path, "min_pillar", pillar], pillar, pillar_ids, "pillar")
        _percent(p, [*path, "min_pillar", pillar], minimum, "a pillar score")
    for pillar, points in g.min_pillar_points.items():
        at = [*path, "min_pillar_points", pillar]
        if not p.known(at, pillar, pillar_ids, "pillar") or not pillars_ok:
            continue
        total = sum((exact(r.weight) for r in c.rules if r.pillar == pillar), Fraction(0))
        if not 0 <= exact(points) <= total:
            p.add(
                InvalidValueError,
                at,
                f"points from 0 to {show(float(total))} (the total weight of the rules of {pillar})",
                describe(points),
            )
    rule_ids = [r.id for r in c.rules]
    if isinstance(g.gates, tuple):
        for j, rule in enumerate(g.gates):
            if p.known([*path, "gates", j], rule, rule_ids, "rule") and not c.rule(rule).gate:
                p.add(
                    InvalidValueError,
                    [*path, "gates", j],
                    "a rule marked gate = true",
                    f'"{rule}", which is not a gate',
                )
    if g.min_met is None:
        return
    among = g.min_met.among
    known = True
    for j, rule in enumerate(among or ()):
        known &= p.known([*path, "min_met", "among", j], rule, rule_ids, "rule")
        if rule in (among or ())[:j]:
            p.add(DuplicateIdError, [*path, "min_met", "among", j], "each rule once", f'"{rule}", listed twice')
    if not (known and pillars_ok):
        return  # counting rules by their pillars' kind needs every id to resolve
    pool = len(among) if among else sum(1 for r in c.rules if c.pillar(r.pillar).kind == "reform")
    if not 0 <= g.min_met.count <= pool:
        p.add(
            InvalidValueError,
            [*path, "min_met", "count"],
            f"a count from 0 to {pool} (the rules it counts)",
            describe(g.min_met.count),
        )
    if among and len({c.pillar(c.rule(r).pillar).kind for r in among}) > 1:
        p.add(
            InvalidValueError,
            [*path, "min_met", "among"],
            "rules all from reform pillars or all from safeguard pillars",
            "a mix of both",
        )
