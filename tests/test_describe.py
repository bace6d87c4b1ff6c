"""``criteria show`` and ``explain``: a criteria set and a rule in words, the requirements as the verdict words them."""

from __future__ import annotations

import io

import reform_gate
from reform_gate.authoring.describe import render_criteria, render_rule
from reform_gate.requirements import compile_tier, statement

SHIPPED = "reform-before-recognition"


def test_the_ladder_lists_each_requirement_as_a_verdict_words_it() -> None:
    """Every tier's requirements appear under it, in the words of ``requirements.statement``."""
    c = reform_gate.load_criteria(SHIPPED)
    out = io.StringIO()
    render_criteria(c, out)
    text = out.getvalue()
    ladder = text[text.index("Ladder (lowest first)") :]
    for tier in c.tiers:
        block = ladder[ladder.index(f"  {tier.id} ") :]
        for req in compile_tier(tier, c):
            assert f"      {statement(req, c)}\n" in block
    assert text.count(" GATE ") == sum(1 for r in c.rules if r.gate)


def test_a_rule_says_what_it_needs_why_and_which_tiers_ask() -> None:
    """``explain CT-1`` gives the check, the indicator, the rationale, the remedy and the tiers."""
    c = reform_gate.load_criteria(SHIPPED)
    rule = c.rule("CT-1")
    out = io.StringIO()
    render_rule(c, rule, out)
    text = out.getvalue()
    assert text.startswith(f"CT-1  {rule.title}\n")
    assert "Full credit when: safe_haven_denied = true" in text
    assert f"Why: {rule.rationale.strip()}" in text
    assert f"Remedy: {rule.remedy.strip()}" in text
    asking = [t.id for t in c.tiers if any(g.names_gate(rule) for g in (t.own_group(), *t.any_of))]
    assert f"Required by tiers: {', '.join(asking)}" in text
