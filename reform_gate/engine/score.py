"""Scoring: ``score(proposal, criteria) -> Verdict``, a pure function (``docs/scoring.md``).

"Now" is the proposal's date, or ``as_of`` when replaying what was known on another day; the
clock is never read. The engine trusts its inputs: the loader has checked the proposal against
the criteria set (``reform_gate.load.validate_proposal``) and handed over, in each file's
:class:`~reform_gate.model.Origin`, its digest and the line of every key. Nothing here reads a
file, the working folder or the clock.
"""

from __future__ import annotations

import datetime as _dt

from .. import checks
from ..checks import Value
from ..model import Criteria, Proposal, Rule
from ..numbers import TOLERANCE, reaches
from ..requirements import Alternatives, TierRequirement, gates_of, statement
from ..verdict import (
    Audit,
    Evidence,
    EvidenceFile,
    Finding,
    Gap,
    GapStep,
    PillarScore,
    RequirementResult,
    Rung,
    Status,
    Verdict,
    VerdictWarning,
    WaiverInForce,
)
from ..version import __version__
from .evidence import choose, evidence_of
from .ladder import ladder_of, position
from .standing import Standing, holds_one, measure
from .targets import Target, least_targets

__all__ = ["score"]


def score(proposal: Proposal, criteria: Criteria, as_of: _dt.date | None = None, *, gap: bool = True) -> Verdict:
    """Score ``proposal`` against ``criteria`` and explain the verdict.

    ``as_of`` replaces the proposal's date as "now" (evidence dated later counts as not yet
    known). ``gap=False`` skips the analysis of what it would take (``verdict.gap`` is then None),
    for callers that need only the outcome and the scores. The proposal must have been checked
    against ``criteria`` (``reform_gate.score`` does that for library callers).
    """
    now = as_of or proposal.proposal.date
    policy = criteria.criteria
    warnings: list[VerdictWarning] = []
    origin = proposal.origin

    usable: dict[str, Value] = {}
    judged: dict[str, Evidence] = {}
    # The line in the proposal each indicator's evidence is brought in at (docs/output-formats.md).
    anchors: dict[str, int | None] = {}
    record = proposal.record()
    # In the criteria set's order, so that verdicts read alike wherever their entries are written.
    for ident in criteria.indicators:
        entries = record.get(ident)
        if not entries:
            continue
        stands, later = choose(entries, policy, now)
        judged[ident] = evidence = evidence_of(stands, later)
        anchors[ident] = stands.entry.anchor
        if evidence.counted:
            usable[ident] = evidence.value
        if evidence.problem:
            warnings.append(
                _evidence_warning(ident, evidence, policy.min_reliability, policy.max_evidence_age_days, now)
            )
    for ident, ledger in proposal.overridden().items():
        if ident in criteria.indicators:
            warnings.append(
                VerdictWarning(
                    "evidence-overridden",
                    f"{ident}: the proposal's own entries replace those of {ledger}",
                    ident,
                )
            )

    for ident in [*proposal.observations, *proposal.not_applicable]:
        if ident not in criteria.indicators:
            # Possible only when the proposal is scored under a set it does not name (--criteria).
            warnings.append(
                VerdictWarning(
                    "indicator-left-aside",
                    f"{ident}: not an indicator of {criteria.id}, which does not read it; left aside",
                    ident,
                )
            )
    waived, waiver_notes = _waivers(proposal, criteria, now)
    warnings += waiver_notes

    credits: dict[str, float] = {}
    counted: dict[str, bool] = {}
    status: dict[str, Status] = {}
    set_aside = criteria.set_aside(proposal.not_applicable)
    for rule in criteria.rules:
        if rule.id in set_aside:
            # Marked not applicable: out of its pillar's sums, like a rule left out under "exclude".
            credits[rule.id], counted[rule.id], status[rule.id] = 0.0, False, "not-applicable"
            continue
        got = checks.credit(rule.check, usable)
        credits[rule.id] = 0.0 if got is None else got
        counted[rule.id] = got is not None or policy.missing == "zero"
        status[rule.id] = (
            "missing" if got is None else "met" if reaches(got, 1.0) else "partial" if got > TOLERANCE else "unmet"
        )
        if got is None:
            warnings.append(
                VerdictWarning(
                    "missing-evidence",
                    f"{rule.id}: no usable evidence for " + ", ".join(checks.indicators_of(rule.check)),
                    rule.id,
                )
            )
    standing = Standing(criteria, credits, counted, frozenset(waived), frozenset(set_aside))

    ladder = ladder_of(criteria)
    tier_reqs = {t.id: r for t, r in ladder}
    requested = criteria.tier(proposal.proposal.tier)
    reqs = tier_reqs[requested.id]
    where = position(standing, requested.id)
    outcome, supported_tier = where.outcome, where.supported_tier
    if outcome == "rejected" and supported_tier is not None and not requested.outside_ladder:
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

    what_it_takes = to_supported = None
    if gap and outcome != "supported":
        what_it_takes = _gap(requested.id, reqs, standing, criteria, judged)
    if gap and outcome == "scale-back" and supported_tier is not None:
        # Scaled back to the tier the record supports, the proposal may still fall short on its design.
        to_supported = _gap(supported_tier, tier_reqs[supported_tier], standing, criteria, judged)

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

    rule_file = criteria.file
    rule_lines = criteria.derived.get("rule-lines", lambda: _rule_lines(criteria))
    needed, reads = _needed(criteria), _reads(criteria)
    findings = tuple(
        _finding(rule, standing, status[rule.id], judged, anchors, needed, reads, waived, rule_file, line, proposal)
        for rule, line in zip(criteria.rules, rule_lines, strict=True)
    )
    audit = Audit(
        criteria.id,
        policy.version,
        criteria.origin.sha256 if criteria.origin is not None else "",
        proposal.id,
        origin.sha256 if origin is not None else "",
        __version__,
        now,
        tuple(
            EvidenceFile(ledger.file, ledger.id, ledger.origin.sha256 if ledger.origin is not None else "")
            for ledger in proposal.ledgers
        ),
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
        proposal.file,
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
        line=origin.line(("proposal",)) if origin is not None else None,
        min_score=requested.min_score,
        outside_ladder=requested.outside_ladder,
        gap_to_supported=to_supported,
        ladder=tuple(
            Rung(t.id, t.title, r, g, t.outside_ladder) for (t, _), (r, g) in zip(ladder, where.rungs, strict=True)
        ),
    )


def _rule_lines(criteria: Criteria) -> tuple[int | None, ...]:
    """The line of each ``[[rules]]`` entry (``None`` each when the set came from no file)."""
    origin = criteria.origin
    return tuple(origin.lines.get(("rules", i)) if origin is not None else None for i in range(len(criteria.rules)))


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
            "not-yet-known", f"{ident}: observed {e.dated()}, after {now.isoformat()}; not counted", ident
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
    anchors: dict[str, int | None],
    needed: dict[str, str],
    reads: dict[str, tuple[str, ...]],
    waived: set[str],
    rule_file: str,
    rule_line: int | None,
    proposal: Proposal,
) -> Finding:
    weight_sum = s.pillar_weight(rule.pillar)
    counted = s.counted[rule.id]
    share = 100.0 * rule.weight / weight_sum if counted and weight_sum > 0 else 0.0
    credit = s.credits[rule.id]
    read = [i for i in reads[rule.id] if i in judged]
    evidence = tuple(judged[i] for i in read)
    gate_passed = (reaches(credit, rule.gate_min) or rule.id in waived) if rule.gate else None
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
        needed[rule.id],
        evidence,
        rule.rationale,
        rule.remedy,
        rule.references,
        gate_passed,
        rule.gate_min,
        rule.id in waived,
        line=next((anchors[i] for i in read if anchors[i] is not None), None),
        rule_file=rule_file,
        rule_line=rule_line,
        not_applicable=_set_aside_reason(rule, status, proposal),
        in_gap=rule.in_gap,
    )


def _set_aside_reason(rule: Rule, status: Status, proposal: Proposal) -> str | None:
    """The proposal's reason for setting ``rule`` aside, or ``None`` when it counts."""
    if status != "not-applicable":
        return None
    # One reason once, however many of the rule's indicators give it.
    return "; ".join(dict.fromkeys(proposal.not_applicable[i] for i in checks.indicators_of(rule.check)))


def _needed(c: Criteria) -> dict[str, str]:
    """What full credit takes for each rule, in words (the same for every proposal)."""
    return c.derived.get("needed", lambda: {r.id: checks.needed(r.check, c.indicators) for r in c.rules})


def _reads(c: Criteria) -> dict[str, tuple[str, ...]]:
    """The indicators each rule reads, in order (the same for every proposal)."""
    return c.derived.get("reads", lambda: {r.id: tuple(checks.indicators_of(r.check)) for r in c.rules})


def _result(req: TierRequirement, s: Standing, c: Criteria) -> RequirementResult:
    if isinstance(req, Alternatives):
        groups = tuple(tuple(_result(r, s, c) for r in g) for g in req.groups)
        ok = holds_one(req, s)
        return RequirementResult("any_of", req.scope, "", float(ok), 1.0, ok, statement(req, c), groups)
    return RequirementResult(
        req.kind, req.scope, req.subject, measure(req, s), req.needed, holds_one(req, s), statement(req, c)
    )


def _gap(tier: str, reqs: list[TierRequirement], s: Standing, c: Criteria, judged: dict[str, Evidence]) -> Gap:
    """The fewest rules to raise so that ``reqs`` hold, each only as far as the tier needs."""
    from .gap import fewest_rules

    found = fewest_rules(reqs, s)
    order = {r.id: i for i, r in enumerate(c.rules)}
    # Gates first, but only those the tier needs: they are the hard hurdles.
    tier_gates = gates_of(reqs)
    gates = sorted((r for r in found.rules if r in tier_gates), key=order.__getitem__)
    rest = sorted((r for r in found.rules if r not in tier_gates), key=order.__getitem__)
    targets = least_targets([*gates, *rest], reqs, s) if found.reachable else [Target(r, 1.0) for r in gates + rest]
    steps = []
    current = s
    for target in targets:
        rule = c.rule(target.rule)
        after = current.raised_to({target.rule: target.credit})
        steps.append(
            GapStep(
                target.rule,
                rule.title,
                rule.pillar,
                target.needed or _needed(c)[target.rule],
                _observed(rule, judged, c),
                after.pillar_score(rule.pillar) - current.pillar_score(rule.pillar),
                after.overall() - current.overall(),
                (after.design() or 0.0) - (current.design() or 0.0),
                target.credit,
                target.partial,
                target.value if target.partial else None,
            )
        )
        current = after
    return Gap(tier, found.reachable, found.exact, tuple(steps))


def _observed(rule: Rule, judged: dict[str, Evidence], c: Criteria) -> str:
    """The rule's usable observed values, in words, for a gap step."""
    shown = [
        f"{e.indicator} = {checks.show_value(e.value, c.indicators.get(e.indicator))}"
        for i in checks.indicators_of(rule.check)
        if (e := judged.get(i)) is not None and e.counted
    ]
    return ", ".join(shown) or "no usable evidence"
