"""Scoring: ``score(proposal, criteria) -> Verdict``, a pure function (DESIGN 4.1-4.5, 4.7).

"Now" is the proposal's date, or ``as_of`` when replaying what was known on another day; the
clock is never read.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import checks
from ._cache import derived
from ._convert import unstructure
from ._standing import AnyOfReq, Req, Requirement, Standing, compile_tier, holds
from .evidence import judge
from .load import validate_proposal
from .locate import KeyLines, key_lines, line_of
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
    text = json.dumps(
        _normal(unstructure(obj)), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normal(value: Any) -> Any:
    """``60`` and ``60.0`` load to equal objects, so they must digest alike."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _iso(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def score(proposal: Proposal, criteria: Criteria, as_of: _dt.date | None = None, *, gap: bool = True) -> Verdict:
    """Score ``proposal`` against ``criteria`` and explain the verdict.

    ``as_of`` replaces the proposal's date as "now" (evidence dated later counts as not yet
    known). ``gap=False`` skips the analysis of what it would take (``verdict.gap`` is then None),
    for callers that need only the outcome and the scores. Raises
    :class:`~reform_gate.errors.ReformGateError` if the proposal does not fit the criteria set.
    """
    validate_proposal(proposal, criteria)
    from . import __version__

    now = as_of or proposal.proposal.date
    policy = criteria.criteria
    warnings: list[VerdictWarning] = []
    # The proposal's text is scanned once per score; the criteria's once per set (cached).
    lines: KeyLines = key_lines(proposal.text) if proposal.text is not None else {}

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
            line_of(lines, ("observations", ident, "value")) if lines else None,
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

    ladder = derived(criteria, "ladder", lambda: [(t, compile_tier(t, criteria)) for t in criteria.tiers])
    supported = [t.id for t, reqs in ladder if holds(reqs, standing, "reform")]
    supported_tier = supported[-1] if supported else None
    requested = criteria.tier(proposal.proposal.tier)
    reqs = dict((t.id, r) for t, r in ladder)[requested.id]
    below = [t.id for t, _ in ladder[: [t.id for t, _ in ladder].index(requested.id)]]
    outcome = _outcome(reqs, standing, any(t in supported for t in below))
    if outcome == "rejected" and supported:
        # The requested tier and every tier below it fail, yet a higher one holds: the ladder's
        # bars do not rise. "rejected" alone would hide that, so say it.
        warnings.append(
            VerdictWarning(
                "ladder-not-rising",
                f"tier {supported_tier} holds although {requested.id}, below it, does not: "
                "check the ladder's requirements",
                supported_tier or "",
            )
        )
    results = [_result(r, standing, criteria) for r in reqs]
    blocking = tuple(r for r in results if not r.holds)

    what_it_takes = None
    if gap and outcome != "supported":
        from .gap import fewest_rules

        found = fewest_rules(reqs, standing)
        what_it_takes = Gap(
            requested.id, found.reachable, found.exact, _steps(found.rules, standing, criteria, judged, _gates_of(reqs))
        )

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

    rule_file = _shown_path(criteria.origin)
    rule_lines = derived(criteria, "rule_lines", lambda: _rule_lines(criteria))
    findings = tuple(
        _finding(rule, standing, status[rule.id], judged, criteria, waived, rule_file, line)
        for rule, line in zip(criteria.rules, rule_lines or (None,) * len(criteria.rules), strict=True)
    )
    audit = Audit(
        criteria.id,
        policy.version,
        derived(criteria, "digest", lambda: digest(criteria)),
        proposal.id,
        digest(_without_expect(proposal)),
        __version__,
        now,
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
        what_it_takes,
        in_force,
        tuple(warnings),
        audit,
        line=line_of(lines, ("proposal",)) if lines else None,
        min_score=requested.min_score,
    )


def _rule_lines(criteria: Criteria) -> tuple[int | None, ...]:
    """The line of each ``[[rules]]`` entry (empty when the text is unknown); cached per criteria set."""
    if criteria.text is None:
        return ()
    lines = key_lines(criteria.text)
    return tuple(lines.get(("rules", i)) for i in range(len(criteria.rules)))


def _shown_path(path: str) -> str:
    """A path under the working folder, relative to it, so outputs do not depend on where a checkout lives."""
    if not path or not os.path.isabs(path):
        return path
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def _without_expect(proposal: Proposal) -> Proposal:
    # [expect] is for verify; it must not change the digest of the evidence being scored.
    return Proposal(proposal.proposal, proposal.observations, proposal.waivers, None, proposal.origin, proposal.text)


def _gates_of(reqs: list[Requirement]) -> set[str]:
    """Every gate a tier names, in its own requirements or in an any_of group."""
    leaves = [r for r in reqs if isinstance(r, Req)]
    leaves += [x for r in reqs if isinstance(r, AnyOfReq) for g in r.groups for x in g]
    return {r.subject for r in leaves if r.kind == "gate"}


def _outcome(reqs: list[Requirement], s: Standing, lower_holds: bool) -> Outcome:
    """DESIGN 4.4: scale-back needs a tier below the requested one to hold."""
    if holds(reqs, s, "reform"):
        return "supported" if holds(reqs, s, "safeguard") else "revise"
    return "scale-back" if lower_holds else "rejected"


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
    rule: Rule,
    s: Standing,
    status: Status,
    judged: dict[str, Evidence],
    c: Criteria,
    waived: set[str],
    rule_file: str,
    rule_line: int | None,
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
        _needed(c)[rule.id],
        evidence,
        rule.rationale,
        rule.remedy,
        rule.references,
        gate_passed,
        rule.gate_min,
        rule.id in waived,
        line=next((e.line for e in evidence if e.line is not None), None),
        rule_file=rule_file,
        rule_line=rule_line,
    )


def _needed(c: Criteria) -> dict[str, str]:
    """What full credit takes for each rule, in words (the same for every proposal)."""
    return derived(c, "needed", lambda: {r.id: checks.needed(r.check, c.indicators) for r in c.rules})


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


def _steps(
    rules: list[str], s: Standing, c: Criteria, judged: dict[str, Evidence], tier_gates: set[str]
) -> tuple[GapStep, ...]:
    order = {r.id: i for i, r in enumerate(c.rules)}
    # Gates first, but only those the requested tier needs: they are the hard hurdles.
    gates = [r for r in rules if r in tier_gates]
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
                _needed(c)[rule_id],
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
