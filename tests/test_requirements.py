"""Tier requirements, the outcome rules and waivers (docs/scoring.md).

The criteria set below has two reform pillars and one safeguard pillar, all with bool indicators,
so each score follows from which indicators are true:

    ct = 100 (3a + b) / 4        CT-1 (a, weight 3, gate), CT-2 (b, weight 1)
    cl = 100 (c + d) / 2         CL-1 (c, waivable but not a gate), CL-2 (d, gate, waivable)
    sg = 100 (s1 + s2) / 2       SG-1 (s1, gate), SG-2 (s2)
    overall = (60 ct + 40 cl) / 100; design = sg
"""

from __future__ import annotations

import pytest

PILLARS_AND_RULES = """
[criteria]
id = "ladder"
version = "1"
title = "A small ladder"

[[pillars]]
id = "ct"
kind = "reform"
weight = 60
title = "Counterterrorism"

[[pillars]]
id = "cl"
kind = "reform"
weight = 40
title = "Civil liberties"

[[pillars]]
id = "sg"
kind = "safeguard"
weight = 100
title = "Safeguards"

[indicators]
a = { type = "bool", title = "a" }
b = { type = "bool", title = "b" }
c = { type = "bool", title = "c" }
d = { type = "bool", title = "d" }
s1 = { type = "bool", title = "s1" }
s2 = { type = "bool", title = "s2" }

[[rules]]
id = "CT-1"
pillar = "ct"
weight = 3
gate = true
title = "a holds"
check = { indicator = "a", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CT-2"
pillar = "ct"
weight = 1
title = "b holds"
check = { indicator = "b", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CL-1"
pillar = "cl"
weight = 1
waivable = true
title = "c holds"
check = { indicator = "c", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CL-2"
pillar = "cl"
weight = 1
gate = true
waivable = true
title = "d holds"
check = { indicator = "d", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "SG-1"
pillar = "sg"
weight = 1
gate = true
title = "s1 holds"
check = { indicator = "s1", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "SG-2"
pillar = "sg"
weight = 1
title = "s2 holds"
check = { indicator = "s2", equals = true }
rationale = "r"
remedy = "m"
references = []
"""

ALL = ("a", "b", "c", "d", "s1", "s2")


def _verdict(files, tiers: str, tier: str, true: str, extra: str = "", date: str = "2025-01-01"):
    """Score a proposal for ``tier`` in which the indicators named in ``true`` are true, the rest false."""
    held = set(true.split())
    observations = "".join(files.obs(i, "true" if i in held else "false") for i in ALL)
    return files.verdict(PILLARS_AND_RULES + tiers, files.proposal_head(tier, date) + observations + extra)


def _one_tier(requirements: str) -> str:
    return f'\n[[tiers]]\nid = "t"\ntitle = "The tier"\n{requirements}\n'


def test_scores_follow_the_formulas(files):
    v = _verdict(files, _one_tier("min_score = 0"), "t", "a c s2")
    # ct = 100 * 3/4 = 75; cl = 100 * 1/2 = 50; overall = (60*75 + 40*50) / 100 = 65; design = 50
    assert [p.score for p in v.pillars] == [75.0, 50.0, 50.0]
    assert v.overall_score == pytest.approx(65.0)
    assert v.design_score == pytest.approx(50.0)


@pytest.mark.parametrize(("minimum", "outcome"), [("65", "supported"), ("65.1", "rejected")])
def test_min_score(files, minimum, outcome):
    # overall = 65 (see above); 65 holds at the boundary, 65.1 does not.
    v = _verdict(files, _one_tier(f"min_score = {minimum}"), "t", "a c")
    assert v.outcome == outcome
    if outcome == "rejected":
        (req,) = v.blocking
        assert (req.kind, req.observed, req.needed, req.holds) == ("min_score", 65.0, 65.1, False)
        assert req.text == "overall reform score >= 65.1"


def test_min_pillar(files):
    tiers = _one_tier("min_pillar = { ct = 75, cl = 60 }")
    # ct = 75 holds; cl = 50 < 60 blocks.
    v = _verdict(files, tiers, "t", "a c")
    assert v.outcome == "rejected"
    (req,) = v.blocking
    assert (req.kind, req.subject, req.observed, req.needed) == ("min_pillar", "cl", 50.0, 60.0)
    assert [(p.id, p.minimum) for p in v.pillars] == [("ct", 75.0), ("cl", 60.0), ("sg", None)]
    # With d too, cl = 100.
    assert _verdict(files, tiers, "t", "a c d").outcome == "supported"


def test_gates_as_a_list(files):
    tiers = _one_tier('gates = ["CT-1"]')
    v = _verdict(files, tiers, "t", "b c d")
    assert v.outcome == "rejected"
    assert [(r.kind, r.subject, r.holds) for r in v.blocking] == [("gate", "CT-1", False)]
    assert v.finding("CT-1").gate_passed is False
    # CL-2 is a gate too, but this tier does not list it: d false does not matter.
    assert _verdict(files, tiers, "t", "a").outcome == "supported"


def test_gates_all_reads_reform_and_safeguard_gates(files):
    tiers = _one_tier('gates = "all"')
    # Every gate: CT-1 and CL-2 (reform), SG-1 (safeguard).
    assert _verdict(files, tiers, "t", "a d s1").outcome == "supported"
    # Reform gates pass, the safeguard gate does not: revise.
    v = _verdict(files, tiers, "t", "a d")
    assert v.outcome == "revise"
    assert [(r.subject, r.scope) for r in v.blocking] == [("SG-1", "safeguard")]
    # A reform gate fails: no tier holds.
    assert _verdict(files, tiers, "t", "a s1").outcome == "rejected"


def test_gate_min_below_one_passes_partial_credit(files):
    criteria = PILLARS_AND_RULES.replace(
        'check = { indicator = "a", equals = true }',
        'gate_min = 0.5\ncheck = { any_of = [{ indicator = "a", equals = true }, '
        '{ all_of = [{ indicator = "b", equals = true }, { indicator = "c", equals = true }] }] }',
    )
    proposal = files.proposal_head("t") + "".join(files.obs(i, "false") for i in ALL)
    v = files.verdict(criteria + _one_tier('gates = ["CT-1"]'), proposal)
    # max(0, min(0, 0)) = 0 < 0.5
    assert v.outcome == "rejected"
    assert v.blocking[0].needed == 0.5


@pytest.mark.parametrize(
    ("requirement", "true", "outcome", "met"),
    [
        # Without among, min_met counts reform rules: CT-1, CT-2, CL-1, CL-2.
        ("min_met = 3", "a b c s1 s2", "supported", 3),
        ("min_met = 3", "a b s1 s2", "rejected", 2),
        ("min_met = { count = 3 }", "a b s1 s2", "rejected", 2),
        # Among the civil-liberties rules only: a and b do not count.
        ('min_met = { count = 1, among = ["CL-1", "CL-2"] }', "a b", "rejected", 0),
        ('min_met = { count = 1, among = ["CL-1", "CL-2"] }', "c", "supported", 1),
        # Among safeguard rules, min_met is a safeguard requirement: the reform side holds, so revise.
        ('min_met = { count = 2, among = ["SG-1", "SG-2"] }', "s1", "revise", 1),
    ],
)
def test_min_met(files, requirement, true, outcome, met):
    v = _verdict(files, _one_tier(requirement), "t", true)
    assert v.outcome == outcome
    if outcome != "supported":
        (req,) = v.blocking
        assert (req.kind, req.observed) == ("min_met", met)


def test_any_of_needs_one_whole_group(files):
    tiers = _one_tier(
        """
        [[tiers.any_of]]
        min_pillar = { ct = 100 }

        [[tiers.any_of]]
        min_pillar = { cl = 100 }
        gates = ["CL-2"]
        """
    )
    assert _verdict(files, tiers, "t", "a b").outcome == "supported"  # ct = 100
    assert _verdict(files, tiers, "t", "c d").outcome == "supported"  # cl = 100, CL-2 passes
    v = _verdict(files, tiers, "t", "a c")  # ct = 75, cl = 50
    assert v.outcome == "rejected"
    (req,) = v.blocking
    assert req.kind == "any_of"
    assert [[(r.subject, r.observed, r.holds) for r in g] for g in req.groups] == [
        [("ct", 75.0, False)],
        [("cl", 50.0, False), ("CL-2", 0.0, False)],
    ]


def test_any_of_inline_with_own_requirements(files):
    tiers = _one_tier(
        'min_score = 50\nany_of = [{ gates = ["CT-1"] }, { min_met = { count = 2, among = ["CL-1", "CL-2"] } }]'
    )
    # a: overall = 60*75/100 = 45 < 50 although the first group holds.
    assert _verdict(files, tiers, "t", "a").outcome == "rejected"
    # a b: ct = 100, overall = 60 >= 50, CT-1 passes.
    assert _verdict(files, tiers, "t", "a b").outcome == "supported"
    # c d: cl = 100, overall = 40 < 50.
    assert _verdict(files, tiers, "t", "c d").outcome == "rejected"
    # b c d: ct = 25, cl = 100, overall = (1500 + 4000) / 100 = 55; both CL rules met.
    assert _verdict(files, tiers, "t", "b c d").outcome == "supported"


def test_any_of_of_safeguard_groups_is_a_safeguard_requirement(files):
    tiers = _one_tier('gates = ["CT-1"]\nany_of = [{ min_pillar = { sg = 100 } }, { gates = ["SG-1"] }]')
    assert _verdict(files, tiers, "t", "a").outcome == "revise"
    assert _verdict(files, tiers, "t", "a s1").outcome == "supported"
    assert _verdict(files, tiers, "t", "a s2").outcome == "revise"  # sg = 50, SG-1 fails


LADDER = """
[[tiers]]
id = "low"
title = "Low"
gates = ["CT-1"]
min_pillar = { sg = 50 }

[[tiers]]
id = "mid"
title = "Mid"
min_score = 50
gates = ["CT-1"]

[[tiers]]
id = "high"
title = "High"
min_score = 90
gates = "all"
"""


@pytest.mark.parametrize(
    ("tier", "true", "outcome", "supported_tier"),
    [
        # low: CT-1 passes (reform) and sg = 50 (safeguard); mid: overall = 45 < 50.
        ("low", "a s1", "supported", "low"),
        # low: sg = 0 < 50, its safeguard requirement fails.
        ("low", "a", "revise", "low"),
        # mid: overall 45 < 50, but low's reform requirements hold.
        ("mid", "a", "scale-back", "low"),
        # high needs overall 90: a b c = (6000 + 2000) / 100 = 80; mid (80 >= 50) is supported.
        ("high", "a b c s1 s2", "scale-back", "mid"),
        # CT-1 fails: no tier's reform requirements hold.
        ("mid", "b c d s1 s2", "rejected", None),
        ("low", "b c d s1 s2", "rejected", None),
        # Everything: overall 100, every gate passes.
        ("high", "a b c d s1 s2", "supported", "high"),
        # The supported tier ignores safeguards: high's reform requirements hold without s1.
        ("low", "a b c d", "revise", "high"),
    ],
)
def test_outcome_and_supported_tier(files, tier, true, outcome, supported_tier):
    v = _verdict(files, LADDER, tier, true)
    assert (v.outcome, v.supported_tier, v.requested_tier) == (outcome, supported_tier, tier)


# A ladder whose bars do not rise: "low" needs CT-2 (b), "high" needs only CT-1 (a).
FALLING_LADDER = """
[[tiers]]
id = "low"
title = "Low"
min_pillar = { ct = 50 }
gates = ["CT-1"]
min_met = { count = 1, among = ["CT-2"] }

[[tiers]]
id = "high"
title = "High"
gates = ["CT-1"]
"""


def test_scale_back_needs_a_lower_tier_and_a_falling_ladder_is_flagged(files):
    """Only a tier above the one requested holds: the outcome is rejected, with a warning."""
    v = _verdict(files, FALLING_LADDER, "low", "a")
    assert (v.outcome, v.supported_tier) == ("rejected", "high")
    assert [w.code for w in v.warnings if w.code == "ladder-not-rising"] == ["ladder-not-rising"]


def test_a_higher_supported_tier_is_no_warning_when_the_requested_one_holds(files):
    """The evidence reaching past the tier asked for is normal, not a ladder problem."""
    v = _verdict(files, LADDER, "low", "a b c d")
    assert (v.outcome, v.supported_tier) == ("revise", "high")
    assert "ladder-not-rising" not in [w.code for w in v.warnings]


def test_outcomes_are_ordered_for_ci():
    from reform_gate.model import OUTCOMES

    assert OUTCOMES == ("rejected", "scale-back", "revise", "supported")


# --- waivers ------------------------------------------------------------------------------------

GATE_CL2 = _one_tier('gates = ["CL-2"]')


def _waiver(rule: str, expires: str) -> str:
    return (
        f'\n[[waivers]]\nrule = "{rule}"\nreason = "Talks under way"\nauthority = "The council"\nexpires = {expires}\n'
    )


def test_a_waiver_in_force_passes_the_gate_and_changes_no_score(files):
    v = _verdict(files, GATE_CL2, "t", "c", _waiver("CL-2", "2025-06-30"))
    assert v.outcome == "supported"
    assert [(w.rule, w.authority, w.expires.isoformat()) for w in v.waivers] == [("CL-2", "The council", "2025-06-30")]
    finding = v.finding("CL-2")
    assert (finding.credit, finding.status, finding.gate_passed, finding.waived) == (0.0, "unmet", True, True)
    # cl = 100 * (1 + 0) / 2 = 50, as without the waiver.
    assert v.pillars[1].score == 50.0
    assert not [w for w in v.warnings if w.code.startswith("waiver")]
    without = _verdict(files, GATE_CL2, "t", "c")
    assert without.outcome == "rejected"
    assert (without.overall_score, without.pillars) == (v.overall_score, v.pillars)


@pytest.mark.parametrize("expires", ["2024-12-31", "2025-01-01"])
def test_an_expired_waiver_changes_nothing_and_warns(files, expires):
    # The proposal is dated 2025-01-01; a waiver must expire after that day to be in force.
    v = _verdict(files, GATE_CL2, "t", "c", _waiver("CL-2", expires))
    assert v.outcome == "rejected"
    assert v.waivers == ()
    assert v.finding("CL-2").gate_passed is False
    assert [(w.code, w.message) for w in v.warnings if w.code.startswith("waiver")] == [
        ("waiver-expired", f"waiver of CL-2 ignored: it expired on {expires}")
    ]


def test_a_waiver_expires_when_replayed_on_a_later_day(files):
    import datetime as dt

    text = PILLARS_AND_RULES + GATE_CL2
    proposal = files.proposal_head("t") + files.obs("c", "true") + _waiver("CL-2", "2025-06-30")
    assert files.verdict(text, proposal).outcome == "supported"
    assert files.verdict(text, proposal, as_of=dt.date(2025, 7, 1)).outcome == "rejected"


def test_a_waiver_of_a_rule_that_is_not_waivable_is_ignored(files):
    v = _verdict(files, _one_tier('gates = ["CT-1"]'), "t", "b", _waiver("CT-1", "2026-01-01"))
    assert v.outcome == "rejected"
    assert v.waivers == ()
    assert [(w.code, w.message, w.subject) for w in v.warnings if w.code.startswith("waiver")] == [
        ("waiver-ignored", "waiver of CT-1 ignored: the criteria set does not allow waiving it", "CT-1")
    ]


def test_a_waiver_of_a_rule_that_is_not_a_gate_changes_nothing(files):
    v = _verdict(files, _one_tier("min_pillar = { cl = 100 }"), "t", "d", _waiver("CL-1", "2026-01-01"))
    assert v.outcome == "rejected"
    assert v.waivers == ()
    assert [(w.code, w.message) for w in v.warnings if w.code.startswith("waiver")] == [
        ("waiver-ignored", "waiver of CL-1 changes nothing: the rule is not a gate")
    ]
