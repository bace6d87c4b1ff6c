"""Every check kind (docs/scoring.md, "Rule credit"): the credit a rule earns and the status it gets.

Each case is one rule, alone in one pillar of weight 1, so the pillar score is 100 x credit.
"""

from __future__ import annotations

import pytest

from reform_gate import checks
from reform_gate.model import AllOf, AnyOf, AtLeast, Equals, Scale

CRITERIA = """
[criteria]
id = "checks"
version = "1"
title = "One rule per test"

[[pillars]]
id = "ct"
kind = "reform"
weight = 1
title = "Counterterrorism"

[indicators.flag]
type = "bool"
title = "A yes/no fact"

[indicators.pct]
type = "number"
min = 0
max = 100
unit = "%"
title = "A percentage"

[indicators.lvl]
type = "level"
levels = ["closed", "partial", "open"]
title = "A level, worst first"

[[tiers]]
id = "t"
title = "The only tier"
min_score = 0

[[rules]]
id = "R"
pillar = "ct"
weight = 1
title = "The rule under test"
rationale = "Why."
remedy = "How."
references = []
check = {check}
"""


def _finding(files, check: str, *observations: tuple[str, str]):
    proposal = files.proposal_head("t") + "".join(files.obs(i, v) for i, v in observations)
    verdict = files.verdict(CRITERIA.replace("{check}", check), proposal)
    finding = verdict.finding("R")
    # One rule of weight 1 in a pillar of its own: the pillar score is 100 x its credit.
    assert verdict.pillars[0].score == pytest.approx(100 * finding.credit)
    return finding


CASES = [
    # equals on a bool
    ('{ indicator = "flag", equals = true }', [("flag", "true")], 1.0, "met"),
    ('{ indicator = "flag", equals = true }', [("flag", "false")], 0.0, "unmet"),
    ('{ indicator = "flag", equals = false }', [("flag", "false")], 1.0, "met"),
    # equals on a number: 50 and 50.0 are the same number; 50.5 is not
    ('{ indicator = "pct", equals = 50 }', [("pct", "50.0")], 1.0, "met"),
    ('{ indicator = "pct", equals = 50 }', [("pct", "50.5")], 0.0, "unmet"),
    # equals on a level
    ('{ indicator = "lvl", equals = "open" }', [("lvl", '"open"')], 1.0, "met"),
    ('{ indicator = "lvl", equals = "open" }', [("lvl", '"partial"')], 0.0, "unmet"),
    # one_of
    ('{ indicator = "lvl", one_of = ["partial", "open"] }', [("lvl", '"partial"')], 1.0, "met"),
    ('{ indicator = "lvl", one_of = ["partial", "open"] }', [("lvl", '"closed"')], 0.0, "unmet"),
    ('{ indicator = "pct", one_of = [10, 20] }', [("pct", "20")], 1.0, "met"),
    # at_least / at_most hold at the boundary
    ('{ indicator = "pct", at_least = 30 }', [("pct", "30")], 1.0, "met"),
    ('{ indicator = "pct", at_least = 30 }', [("pct", "29.9")], 0.0, "unmet"),
    ('{ indicator = "pct", at_most = 10 }', [("pct", "10")], 1.0, "met"),
    ('{ indicator = "pct", at_most = 10 }', [("pct", "10.5")], 0.0, "unmet"),
    # scale [20, 70]: (45 - 20) / (70 - 20) = 0.5; below 20 clamps to 0, above 70 to 1
    ('{ indicator = "pct", scale = [20, 70] }', [("pct", "45")], 0.5, "partial"),
    ('{ indicator = "pct", scale = [20, 70] }', [("pct", "20")], 0.0, "unmet"),
    ('{ indicator = "pct", scale = [20, 70] }', [("pct", "5")], 0.0, "unmet"),
    ('{ indicator = "pct", scale = [20, 70] }', [("pct", "70")], 1.0, "met"),
    ('{ indicator = "pct", scale = [20, 70] }', [("pct", "95")], 1.0, "met"),
    # scale [80, 20], lower is better: (65 - 80) / (20 - 80) = 0.25; 10 clamps to 1, 90 to 0
    ('{ indicator = "pct", scale = [80, 20] }', [("pct", "65")], 0.25, "partial"),
    ('{ indicator = "pct", scale = [80, 20] }', [("pct", "10")], 1.0, "met"),
    ('{ indicator = "pct", scale = [80, 20] }', [("pct", "90")], 0.0, "unmet"),
    ('{ indicator = "pct", scale = [80, 20] }', [("pct", "80")], 0.0, "unmet"),
    # credit per level
    ('{ indicator = "lvl", credit = { closed = 0, partial = 0.4, open = 1 } }', [("lvl", '"partial"')], 0.4, "partial"),
    ('{ indicator = "lvl", credit = { closed = 0, partial = 0.4, open = 1 } }', [("lvl", '"open"')], 1.0, "met"),
    ('{ indicator = "lvl", credit = { closed = 0, partial = 0.4, open = 1 } }', [("lvl", '"closed"')], 0.0, "unmet"),
    # all_of is the weakest part: min(1, (40 - 0) / 100) = 0.4
    (
        '{ all_of = [{ indicator = "flag", equals = true }, { indicator = "pct", scale = [0, 100] }] }',
        [("flag", "true"), ("pct", "40")],
        0.4,
        "partial",
    ),
    (
        '{ all_of = [{ indicator = "flag", equals = true }, { indicator = "pct", scale = [0, 100] }] }',
        [("flag", "false"), ("pct", "40")],
        0.0,
        "unmet",
    ),
    # any_of is the strongest part: max(0, 0.4) = 0.4, max(1, 0.4) = 1
    (
        '{ any_of = [{ indicator = "flag", equals = true }, { indicator = "pct", scale = [0, 100] }] }',
        [("flag", "false"), ("pct", "40")],
        0.4,
        "partial",
    ),
    (
        '{ any_of = [{ indicator = "flag", equals = true }, { indicator = "pct", scale = [0, 100] }] }',
        [("flag", "true"), ("pct", "40")],
        1.0,
        "met",
    ),
    # nesting: any_of(all_of(flag, lvl=open), pct >= 90) with flag, lvl=open, pct 10 -> max(min(1, 1), 0) = 1
    (
        '{ any_of = [{ all_of = [{ indicator = "flag", equals = true }, { indicator = "lvl", equals = "open" }] },'
        ' { indicator = "pct", at_least = 90 }] }',
        [("flag", "true"), ("lvl", '"open"'), ("pct", "10")],
        1.0,
        "met",
    ),
]


@pytest.mark.parametrize(("check", "observations", "credit", "status"), CASES)
def test_check_credit_and_status(files, check, observations, credit, status):
    finding = _finding(files, check, *observations)
    assert finding.credit == pytest.approx(credit, abs=1e-12)
    assert finding.status == status


def test_a_rule_without_its_observation_is_missing(files):
    finding = _finding(files, '{ indicator = "flag", equals = true }')
    assert (finding.status, finding.credit, finding.counted) == ("missing", 0.0, True)


def test_a_missing_part_of_all_of_earns_zero_not_missing(files):
    # pct is not observed: its part earns 0, so min(1, 0) = 0 and the rule is unmet, not missing.
    finding = _finding(
        files,
        '{ all_of = [{ indicator = "flag", equals = true }, { indicator = "pct", at_least = 30 }] }',
        ("flag", "true"),
    )
    assert (finding.status, finding.credit) == ("unmet", 0.0)


def test_a_missing_part_of_any_of_does_not_block_the_other(files):
    # pct is not observed: max(1, 0) = 1.
    finding = _finding(
        files,
        '{ any_of = [{ indicator = "flag", equals = true }, { indicator = "pct", at_least = 30 }] }',
        ("flag", "true"),
    )
    assert (finding.status, finding.credit) == ("met", 1.0)


@pytest.mark.parametrize("kind", ["all_of", "any_of"])
def test_a_combination_with_no_observed_part_is_missing(files, kind):
    check = f'{{ {kind} = [{{ indicator = "flag", equals = true }}, {{ indicator = "pct", at_least = 30 }}] }}'
    finding = _finding(files, check, ("lvl", '"open"'))
    assert (finding.status, finding.credit) == ("missing", 0.0)


def test_credit_on_model_objects_directly():
    check = AllOf((Equals("flag", True), AnyOf((AtLeast("pct", 50), Scale("pct", (0.0, 100.0))))))
    # min(1, max(0, 0.3)) = 0.3
    assert checks.credit(check, {"flag": True, "pct": 30}) == pytest.approx(0.3)
    assert checks.credit(check, {}) is None
    assert checks.indicators_of(check) == ["flag", "pct"]
    assert checks.key_of(check) == "all_of"


def test_what_full_credit_needs_in_words(files):
    criteria = files.criteria(CRITERIA.replace("{check}", '{ indicator = "pct", scale = [80, 20] }'))
    assert checks.needed(criteria.rule("R").check, criteria.indicators) == "pct <= 20 % (no credit >= 80 %)"
    check = AnyOf((Equals("flag", True), AllOf((AtLeast("pct", 30), Equals("lvl", "open")))))
    assert checks.needed(check, criteria.indicators) == "flag = true or (pct >= 30 % and lvl = open)"
