"""Scoring: ``score(proposal, criteria) -> Verdict``, a pure function (DESIGN 4.1-4.5, 4.7).

"Now" is the proposal's date, or ``as_of`` when replaying what was known on another day; the
clock is never read.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from typing import Any

from . import checks
from ._convert import unstructure
from ._standing import AnyOfReq, Req, Requirement, Standing, compile_tier, holds
from .evidence import judge
from .gap import fewest_rules
from .load import validate_proposal
from .model import Criteria, Outcome, Proposal, Rule, Value
from .verdict import (
    Audit,
    Evidence,
    Finding,
    Gap,
    GapStep,
    PillarScore,
    Status,
    Verdict,
    VerdictWarning,
    WaiverInForce,
)
from .verdict import (
    Requirement as RequirementResult,
)

__all__ = ["digest", "score"]


def digest(obj: Any) -> str:
    """SHA-256 of an object's normalized content: its TOML form as canonical JSON."""
    text = json.dumps(unstructure(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def score(proposal: Proposal, criteria: Criteria, as_of: _dt.date | None = None) -> Verdict:
    """Score ``proposal`` against ``criteria`` and explain the verdict.

    ``as_of`` replaces the proposal's date as "now" (evidence dated later counts as not yet
    known). Raises :class:`~reform_gate.errors.ReformGateError` if the proposal does not fit the
    criteria set.
    """
    validate_proposal(proposal, criteria)
    from . import __version__

    now = as_of or proposal.proposal.date
    policy = criteria.criteria
    warnings: list[VerdictWarning] = []

    usable: dict[str, Value] = {}
    judged: dict[str, Evidence] = {}
    for ident, obs in proposal.observations.items():
        verdict = judge(obs, policy, now)
        judged[ident] = Evidence(
            ident,
            obs.value,
            obs.source,
            obs.as_of,
            obs.reliability,
            verdict.age_days,
            verdict.usable,
            verdict.problem,
            obs.note,
            obs.url,
        )
        if verdict.usable:
            usable[ident] = obs.value
        if verdict.problem:
            warnings.append(
                _evidence_warning(ident, judged[ident], policy.min_reliability, policy.max_evidence_age_days, now)
            )

    waived, waiver_notes = _waivers(proposal, criteria, now)
    warnings += waiver_notes

    credits: dict[str, float] = {}
    counted: dict[str, bool] = {}
    status: dict[str, Status] = {}
    for rule in criteria.rules:
        got = checks.credit(rule.check, usable)
        credits[rule.id] = 0.0 if got is None else got
        counted[rule.id] = got is not None or policy.missing == "zero"
        status[rule.id] = (
            "missing" if got is None else "met" if got >= 1 - 1e-9 else "partial" if got > 1e-9 else "unmet"
        )
        if got is None:
            warnings.append(
                VerdictWarning(
                    "missing-evidence",
                    f"{rule.id}: no usable evidence for " + ", ".join(checks.indicators_of(rule.check)),
                    rule.id,
                )
            )
    standing = Standing(criteria, credits, counted, frozenset(waived))

    ladder = [(t, compile_tier(t, criteria)) for t in criteria.tiers]
    supported = [t.id for t, reqs in ladder if holds(reqs, standing, "reform")]
    supported_tier = supported[-1] if supported else None
    requested = criteria.tier(proposal.proposal.tier)
    reqs = dict((t.id, r) for t, r in ladder)[requested.id]
    outcome = _outcome(reqs, standing, bool(supported))
    results = [_result(r, standing, criteria) for r in reqs]
    blocking = tuple(r for r in results if not r.holds)

    gap = None
    if outcome != "supported":
        found = fewest_rules(reqs, standing)
        gap = Gap(requested.id, found.reachable, found.exact, _steps(found.rules, standing, criteria, judged))

    minimums = requested.own_group().min_pillar
    pillars = tuple(
        PillarScore(
            p.id,
            p.title,
            p.kind,
            p.weight,
            standing.pillar_score(p.id),
            minimums.get(p.id),
            standing.counted_rules(p.id),
            standing.counted_rules(p.id) == 0,
        )
        for p in criteria.pillars
    )
    for p in pillars:
        if p.empty:
            warnings.append(
                VerdictWarning("empty-pillar", f"pillar {p.id}: no rule counted, so its score of 0 says nothing", p.id)
            )

    findings = tuple(_finding(rule, standing, status[rule.id], judged, criteria, waived) for rule in criteria.rules)
    audit = Audit(
        criteria.id, policy.version, digest(criteria), proposal.id, digest(_without_expect(proposal)), __version__, now
    )
    in_force = tuple(
        WaiverInForce(w.rule, w.reason, w.authority, w.expires) for w in proposal.waivers if w.rule in waived
    )
    info = proposal.proposal
    return Verdict(
        info.id,
        info.title,
        info.actor,
        info.counterpart,
        proposal.origin,
        outcome,
        requested.id,
        supported_tier,
        standing.overall(),
        standing.design(),
        pillars,
        findings,
        blocking,
        gap,
        in_force,
        tuple(warnings),
        audit,
    )


def _without_expect(proposal: Proposal) -> Proposal:
    # [expect] is for verify; it must not change the digest of the evidence being scored.
    return Proposal(proposal.proposal, proposal.observations, proposal.waivers, None, proposal.origin)


def _outcome(reqs: list[Requirement], s: Standing, any_supported: bool) -> Outcome:
    if holds(reqs, s, "reform"):
        return "supported" if holds(reqs, s, "safeguard") else "revise"
    return "scale-back" if any_supported else "rejected"


def _waivers(proposal: Proposal, criteria: Criteria, now: _dt.date) -> tuple[set[str], list[VerdictWarning]]:
    waived: set[str] = set()
    notes: list[VerdictWarning] = []
    for w in proposal.waivers:
        rule = criteria.rule(w.rule)
        if not rule.waivable:
            notes.append(
                VerdictWarning(
                    "waiver-ignored", f"waiver of {w.rule} ignored: the criteria set does not allow waiving it", w.rule
                )
            )
        elif w.expires <= now:
            notes.append(
                VerdictWarning(
                    "waiver-expired", f"waiver of {w.rule} ignored: it expired on {w.expires.isoformat()}", w.rule
                )
            )
        elif not rule.gate:
            notes.append(
                VerdictWarning("waiver-ignored", f"waiver of {w.rule} changes nothing: the rule is not a gate", w.rule)
            )
        else:
            waived.add(w.rule)
    return waived, notes


def _evidence_warning(ident: str, e: Evidence, minimum: str, max_age: int | None, now: _dt.date) -> VerdictWarning:
    if e.problem == "future":
        return VerdictWarning(
            "not-yet-known", f"{ident}: observed {e.as_of.isoformat()}, after {now.isoformat()}; not counted", ident
        )
    if e.problem == "weak":
        return VerdictWarning(
            "weak-evidence", f"{ident}: graded {e.reliability}, weaker than the minimum {minimum}; not counted", ident
        )
    counted = "counted, flagged" if e.problem == "stale" else "not counted"
    return VerdictWarning(
        "stale-evidence", f"{ident}: {e.age_days} days old, older than {max_age} days; {counted}", ident
    )


def _finding(
    rule: Rule, s: Standing, status: Status, judged: dict[str, Evidence], c: Criteria, waived: set[str]
) -> Finding:
    weight_sum = s.pillar_weight(rule.pillar)
    counted = s.counted[rule.id]
    share = 100.0 * rule.weight / weight_sum if counted and weight_sum > 0 else 0.0
    credit = s.credits[rule.id]
    evidence = tuple(judged[i] for i in checks.indicators_of(rule.check) if i in judged)
    gate_passed = (credit >= rule.gate_min - 1e-9 or rule.id in waived) if rule.gate else None
    return Finding(
        rule.id,
        rule.title,
        rule.pillar,
        rule.weight,
        rule.gate,
        status,
        credit,
        share * credit,
        share * (1.0 - credit),
        counted,
        checks.needed(rule.check, c.indicators),
        evidence,
        rule.rationale,
        rule.remedy,
        rule.references,
        gate_passed,
        rule.gate_min,
        rule.id in waived,
    )


def _result(req: Requirement, s: Standing, c: Criteria) -> RequirementResult:
    if isinstance(req, AnyOfReq):
        groups = tuple(tuple(_result(r, s, c) for r in g) for g in req.groups)
        texts = " | ".join(" and ".join(r.text for r in g) for g in groups)
        ok = req.holds(s)
        return RequirementResult("any_of", req.scope, "", float(ok), 1.0, ok, f"any of: {texts}", groups)
    return RequirementResult(req.kind, req.scope, req.subject, req.measure(s), req.needed, req.holds(s), _text(req, c))


def _text(req: Req, c: Criteria) -> str:
    if req.kind == "min_score":
        return f"overall reform score >= {req.needed:g}"
    if req.kind == "min_pillar":
        return f"{req.subject} score >= {req.needed:g}"
    if req.kind == "gate":
        return f"gate {req.subject} passes ({c.rule(req.subject).title})"
    count = int(req.needed)
    if len(req.among) == sum(1 for r in c.rules if c.pillar(r.pillar).kind == req.scope):
        return f"at least {count} {req.scope} rule{'s' if count != 1 else ''} met"
    if count == len(req.among):
        return ("rule " if count == 1 else "rules ") + ", ".join(req.among) + " met"
    return f"at least {count} of {', '.join(req.among)} met"


def _steps(rules: list[str], s: Standing, c: Criteria, judged: dict[str, Evidence]) -> tuple[GapStep, ...]:
    order = {r.id: i for i, r in enumerate(c.rules)}
    gates = [r for r in rules if c.rule(r).gate and not s.met(r)]
    rest = sorted((r for r in rules if r not in gates), key=lambda r: order[r])
    steps = []
    current = s
    for rule_id in [*sorted(gates, key=order.__getitem__), *rest]:
        rule = c.rule(rule_id)
        after = current.raised([rule_id])
        observed = _observed(rule, judged, c)
        steps.append(
            GapStep(
                rule_id,
                rule.title,
                rule.pillar,
                checks.needed(rule.check, c.indicators),
                observed,
                after.pillar_score(rule.pillar) - current.pillar_score(rule.pillar),
                after.overall() - current.overall(),
                (after.design() or 0.0) - (current.design() or 0.0),
            )
        )
        current = after
    return tuple(steps)


def _observed(rule: Rule, judged: dict[str, Evidence], c: Criteria) -> str:
    """The rule's usable observed values, in words, for a gap step."""
    shown = [
        f"{e.indicator} = {checks.show_value(e.value, c.indicators.get(e.indicator))}"
        for i in checks.indicators_of(rule.check)
        if (e := judged.get(i)) is not None and e.counted
    ]
    return ", ".join(shown) or "no usable evidence"
