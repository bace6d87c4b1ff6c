"""Scores from credits (docs/scoring.md), missing = "zero" vs "exclude", and audit digests."""

from __future__ import annotations

import pytest

import reform_gate
from reform_gate.load.digest import digest


def _criteria(missing: str = "zero", safeguards: bool = True, tiers: str = "min_score = 0") -> str:
    text = f"""
[criteria]
id = "scoring"
version = "2.1"
title = "Scoring arithmetic"
missing = "{missing}"

[[pillars]]
id = "ct"
kind = "reform"
weight = 3
title = "Counterterrorism"

[[pillars]]
id = "cl"
kind = "reform"
weight = 1
title = "Civil liberties"

[indicators]
x = {{ type = "number", min = 0, max = 100, title = "x" }}
f = {{ type = "bool", title = "f" }}
g = {{ type = "bool", title = "g" }}
h = {{ type = "bool", title = "h" }}
s = {{ type = "bool", title = "s" }}

[[rules]]
id = "CT-1"
pillar = "ct"
weight = 2
title = "x on a scale"
check = {{ indicator = "x", scale = [0, 100] }}
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CT-2"
pillar = "ct"
weight = 1
title = "f"
check = {{ indicator = "f", equals = true }}
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CT-3"
pillar = "ct"
weight = 1
title = "g"
check = {{ indicator = "g", equals = true }}
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CL-1"
pillar = "cl"
weight = 1
title = "h"
check = {{ indicator = "h", equals = true }}
rationale = "r"
remedy = "m"
references = []

[[tiers]]
id = "t"
title = "The tier"
{tiers}
"""
    if safeguards:
        text += """
[[pillars]]
id = "sg"
kind = "safeguard"
weight = 7
title = "Safeguards"

[[rules]]
id = "SG-1"
pillar = "sg"
weight = 1
title = "s"
check = { indicator = "s", equals = true }
rationale = "r"
remedy = "m"
references = []
"""
    return text


def _proposal(files, *observations: tuple[str, str]) -> str:
    return files.proposal_head("t") + "".join(files.obs(i, v) for i, v in observations)


# x = 50, f true, g and h never observed, s true.
OBSERVED = (("x", "50"), ("f", "true"), ("s", "true"))


def test_missing_zero_counts_a_missing_rule_as_zero(files):
    v = files.verdict(_criteria("zero"), _proposal(files, *OBSERVED))
    scores = {p.id: p.score for p in v.pillars}
    # ct = 100 (2 * 0.5 + 1 * 1 + 1 * 0) / (2 + 1 + 1) = 50; cl = 100 * 0 / 1 = 0
    assert scores == {"ct": 50.0, "cl": 0.0, "sg": 100.0}
    # overall = (3 * 50 + 1 * 0) / (3 + 1) = 37.5; the safeguard pillar (weight 7) stays out of it
    assert v.overall_score == pytest.approx(37.5)
    assert v.design_score == pytest.approx(100.0)
    assert [(f.rule, f.status, f.counted) for f in v.findings] == [
        ("CT-1", "partial", True),
        ("CT-2", "met", True),
        ("CT-3", "missing", True),
        ("CL-1", "missing", True),
        ("SG-1", "met", True),
    ]
    assert not [p for p in v.pillars if p.empty]


def test_points_won_and_lost_share_the_pillar_score(files):
    v = files.verdict(_criteria("zero"), _proposal(files, *OBSERVED))
    points = {f.rule: (f.points_won, f.points_lost) for f in v.findings}
    # ct rules weigh 2, 1, 1 of 4: shares 50, 25, 25 points. CT-1 has credit 0.5.
    assert points["CT-1"] == pytest.approx((25.0, 25.0))
    assert points["CT-2"] == pytest.approx((25.0, 0.0))
    assert points["CT-3"] == pytest.approx((0.0, 25.0))
    assert points["CL-1"] == pytest.approx((0.0, 100.0))
    assert sum(points[r][0] for r in ("CT-1", "CT-2", "CT-3")) == pytest.approx(v.pillars[0].score)


def test_missing_exclude_leaves_the_rule_out_of_its_pillar(files):
    v = files.verdict(_criteria("exclude"), _proposal(files, *OBSERVED))
    ct, cl, _sg = v.pillars
    # CT-3 is left out: ct = 100 (2 * 0.5 + 1 * 1) / (2 + 1) = 66.67
    assert ct.score == pytest.approx(200 / 3)
    assert (ct.counted_rules, ct.empty) == (2, False)
    # cl has no counted rule: it scores 0 and is flagged.
    assert (cl.score, cl.counted_rules, cl.empty) == (0.0, 0, True)
    # overall = (3 * 66.67 + 1 * 0) / 4 = 50: the empty pillar still weighs in
    assert v.overall_score == pytest.approx(50.0)
    ct3 = v.finding("CT-3")
    assert (ct3.status, ct3.counted, ct3.points_won, ct3.points_lost) == ("missing", False, 0.0, 0.0)
    # CT-1 now holds 2 of 3 weight: 66.67 points, half of them won.
    assert v.finding("CT-1").points_won == pytest.approx(100 / 3)
    assert [(w.code, w.message) for w in v.warnings if w.code == "empty-pillar"] == [
        ("empty-pillar", "pillar cl: no rule counted, so its score of 0 says nothing")
    ]
    assert [w.message for w in v.warnings if w.code == "missing-evidence"] == [
        "CT-3: no usable evidence for g",
        "CL-1: no usable evidence for h",
    ]


def test_missing_zero_and_exclude_agree_when_everything_is_observed(files):
    observed = (("x", "25"), ("f", "true"), ("g", "false"), ("h", "true"), ("s", "false"))
    zero = files.verdict(_criteria("zero"), _proposal(files, *observed))
    exclude = files.verdict(_criteria("exclude"), _proposal(files, *observed))
    # ct = 100 (2 * 0.25 + 1) / 4 = 37.5; cl = 100; overall = (112.5 + 100) / 4 = 53.125
    assert zero.overall_score == exclude.overall_score == pytest.approx(53.125)
    assert zero.design_score == exclude.design_score == 0.0


def test_no_safeguard_pillar_gives_no_design_score(files):
    v = files.verdict(_criteria(safeguards=False), _proposal(files, *OBSERVED))
    assert v.design_score is None
    assert [p.id for p in v.pillars] == ["ct", "cl"]


def test_requirements_compare_with_a_tolerance(files):
    # f alone: ct = 100 * 1 / 4 = 25 exactly; cl = 0. Minimum 25 + 1e-11 still holds, 25.001 does not.
    observed = (("f", "true"), ("x", "0"))
    held = files.verdict(_criteria(tiers="min_pillar = { ct = 25.00000000001 }"), _proposal(files, *observed))
    assert held.outcome == "supported"
    failed = files.verdict(_criteria(tiers="min_pillar = { ct = 25.001 }"), _proposal(files, *observed))
    assert failed.outcome == "rejected"


def test_a_zero_weight_rule_counts_for_nothing(files):
    text = _criteria().replace('weight = 1\ntitle = "g"', 'weight = 0\ntitle = "g"')
    v = files.verdict(text, _proposal(files, *OBSERVED))
    # ct = 100 (2 * 0.5 + 1) / (2 + 1 + 0) = 66.67
    assert v.pillars[0].score == pytest.approx(200 / 3)
    assert v.finding("CT-3").points_lost == 0.0


def test_the_gap_names_the_fewest_rules(files):
    # Needs ct >= 75: now 50. Raising CT-1 (+25, to 75) is enough; CT-3 alone (+25) also is:
    # the gap takes the larger gain first, and either way one rule.
    v = files.verdict(_criteria(tiers="min_pillar = { ct = 75 }"), _proposal(files, *OBSERVED))
    assert v.outcome == "rejected"
    assert v.gap is not None
    assert (v.gap.tier, v.gap.reachable, v.gap.exact, len(v.gap.steps)) == ("t", True, True, 1)
    (step,) = v.gap.steps
    assert step.pillar == "ct"
    assert step.pillar_points == pytest.approx(25.0)
    # 25 points of ct are 25 * 3 / 4 = 18.75 overall points.
    assert step.overall_points == pytest.approx(18.75)


def test_no_gap_when_supported(files):
    v = files.verdict(_criteria(), _proposal(files, *OBSERVED))
    assert (v.outcome, v.gap, v.blocking) == ("supported", None, ())


def test_audit_identifies_inputs_and_ignores_expect(files):
    text = _criteria()
    v = files.verdict(text, _proposal(files, *OBSERVED))
    with_expect = files.verdict(
        text, _proposal(files, *OBSERVED) + '\n[expect]\noutcome = "supported"\nsupported_tier = "t"\n'
    )
    assert (v.audit.criteria_id, v.audit.criteria_version, v.audit.proposal_id) == ("scoring", "2.1", "p")
    assert v.audit.reform_gate_version == reform_gate.__version__
    assert v.audit.as_of.isoformat() == "2025-01-01"
    assert len(v.audit.criteria_sha256) == 64
    assert v.audit.proposal_sha256 == with_expect.audit.proposal_sha256
    changed = files.verdict(text, _proposal(files, ("x", "51"), ("f", "true"), ("s", "true")))
    assert changed.audit.proposal_sha256 != v.audit.proposal_sha256
    assert changed.audit.criteria_sha256 == v.audit.criteria_sha256


def test_the_criteria_digest_ignores_layout(files):
    a = files.criteria(_criteria(), "a.toml")
    b = files.criteria("# a comment\n" + _criteria().replace("weight = 3\n", "weight    =   3 # spaced\n"), "b.toml")
    assert digest(a) == digest(b)
    assert digest(a) != digest(files.criteria(_criteria("exclude"), "c.toml"))


def test_scoring_is_deterministic(files):
    text = _criteria()
    proposal = _proposal(files, *OBSERVED)
    assert files.verdict(text, proposal) == files.verdict(text, proposal)


def test_every_seed_meets_its_expectation(root):
    seeds = sorted((root / "seeds").glob("*.toml"))
    assert len(seeds) >= 9
    for path in seeds:
        proposal = reform_gate.load_proposal(path)
        verdict = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
        assert proposal.expect is not None, path
        assert (verdict.outcome, verdict.supported_tier or "none") == (
            proposal.expect.outcome,
            proposal.expect.supported_tier,
        ), path
