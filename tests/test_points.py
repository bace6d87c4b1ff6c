"""``min_pillar_points``: a pillar minimum in the pillar's own points, checked, worded and compared
exactly (docs/scoring.md, "Points: exact pillar minimums")."""

from __future__ import annotations

import io

import pytest

import reform_gate
from reform_gate import errors
from reform_gate.render import Run, text

#: One reform pillar whose rules weigh 10 + 10 + 10 + 10 + 8 = 48: the issue's 30 and 40 of 48.
CRITERIA = """
[criteria]
id = "points"
version = "1"
title = "Points"
missing = "{missing}"

[[pillars]]
id = "ct"
kind = "reform"
weight = 1
title = "Counterterrorism"

[indicators.a]
type = "bool"
title = "A"

[indicators.b]
type = "bool"
title = "B"

[indicators.c]
type = "bool"
title = "C"

[indicators.d]
type = "number"
min = 0
max = 100
title = "D"

[indicators.e]
type = "bool"
title = "E"

{rules}

[[tiers]]
id = "low"
title = "Low"
min_pillar_points = {{ ct = 30 }}

[[tiers]]
id = "high"
title = "High"
any_of = [ {{ min_pillar_points = {{ ct = 40 }} }}, {{ min_score = 100 }} ]
"""

RULE = """
[[rules]]
id = "{id}"
pillar = "ct"
weight = {weight}
title = "{id}"
check = {check}
rationale = "r"
remedy = "m"
references = []
"""

CHECKS = {
    "A": ("10", '{ indicator = "a", equals = true }'),
    "B": ("10", '{ indicator = "b", equals = true }'),
    "C": ("10", '{ indicator = "c", equals = true }'),
    "D": ("10", '{ indicator = "d", scale = [0, 100] }'),
    "E": ("8", '{ indicator = "e", equals = true }'),
}


def _criteria(missing: str = "zero") -> str:
    rules = "".join(RULE.format(id=i, weight=w, check=c) for i, (w, c) in CHECKS.items())
    return CRITERIA.format(missing=missing, rules=rules)


def _proposal(files, tier: str, observed: dict[str, str]) -> str:
    return files.proposal_head(tier) + "".join(files.obs(k, v) for k, v in observed.items())


def test_exactly_thirty_of_forty_eight_holds(files) -> None:
    v = files.verdict(_criteria(), _proposal(files, "low", {"a": "true", "b": "true", "c": "true", "e": "false"}))
    assert (v.outcome, v.supported_tier) == ("supported", "low")


def test_a_hair_below_the_bar_fails_and_is_worded_in_points(files) -> None:
    observed = {"a": "true", "b": "true", "c": "false", "d": "99.99", "e": "false"}
    v = files.verdict(_criteria(), _proposal(files, "low", observed))
    assert v.outcome == "rejected"
    (blocking,) = v.blocking
    assert (blocking.kind, blocking.subject, blocking.needed, blocking.holds) == ("min_pillar_points", "ct", 30, False)
    assert blocking.observed == pytest.approx(29.999)
    assert blocking.text == "ct points >= 30 of 48"
    out = io.StringIO()
    text.render(Run((v,), (), True, False, "supported", "docs/rules/"), out)
    assert "x ct points 30.00, needs 30" not in out.getvalue()  # never rounds a miss up to the bar
    assert "ct points 29.9" in out.getvalue()
    assert v.gap is not None and [s.rule for s in v.gap.steps] == ["C"]


def test_forty_of_forty_eight_in_an_any_of_group(files) -> None:
    held = files.verdict(_criteria(), _proposal(files, "high", {"a": "true", "b": "true", "c": "true", "d": "100"}))
    assert (held.outcome, held.supported_tier) == ("supported", "high")
    # 39.99 points is 83.31 %: a bar written as 83.3 would let it through; 40 points does not.
    short = files.verdict(_criteria(), _proposal(files, "high", {"a": "true", "b": "true", "c": "true", "d": "99.9"}))
    assert 83.3 < short.overall_score < 100 * 40 / 48
    assert (short.outcome, short.supported_tier) == ("scale-back", "low")


def test_under_exclude_points_are_the_counted_share_of_the_total(files) -> None:
    """A, B and C met, D and E without evidence: 30 won of 30 counted is all 48 points."""
    v = files.verdict(_criteria("exclude"), _proposal(files, "high", {"a": "true", "b": "true", "c": "true"}))
    assert (v.outcome, v.supported_tier) == ("supported", "high")
    half = files.verdict(_criteria("exclude"), _proposal(files, "low", {"a": "true", "e": "false"}))
    # 10 won of 18 counted is 26.67 of 48 points: below 30.
    (blocking,) = half.blocking
    assert blocking.observed == pytest.approx(10 * 48 / 18)


def test_points_above_the_pillar_total_are_an_input_error(files) -> None:
    path = files.write("crit.toml", _criteria().replace("ct = 30", "ct = 48.5"))
    with pytest.raises(errors.InvalidValueError) as info:
        reform_gate.load_criteria(path)
    line = path.read_text(encoding="utf-8").splitlines().index("min_pillar_points = { ct = 48.5 }") + 1
    assert info.value.render() == (
        f"{path}:{line}: tiers[low].min_pillar_points.ct: invalid value\n"
        "  expected: points from 0 to 48 (the total weight of the rules of ct)\n"
        "  found:    48.5 (a float)"
    )


def test_points_of_an_unknown_pillar_suggest_the_right_one(files) -> None:
    path = files.write("crit.toml", _criteria().replace("ct = 30", "cT = 30"))
    with pytest.raises(errors.DanglingReferenceError) as info:
        reform_gate.load_criteria(path)
    assert info.value.path == "tiers[low].min_pillar_points.cT"
    assert info.value.hint == 'did you mean "ct"?'


def test_decimal_weights_add_up_as_written(files) -> None:
    """0.1 + 0.2 is 0.3 points, not 0.30000000000000004 (nor the float 0.3 below it)."""
    text = _criteria().replace('weight = 10\ntitle = "A"', 'weight = 0.1\ntitle = "A"')
    text = text.replace('weight = 10\ntitle = "B"', 'weight = 0.2\ntitle = "B"').replace("ct = 30", "ct = 0.3")
    text = text.replace("ct = 40", "ct = 28.3")  # the whole pillar, 0.1 + 0.2 + 10 + 10 + 8
    v = files.verdict(text, _proposal(files, "low", {"a": "true", "b": "true"}))
    assert (v.outcome, v.supported_tier) == ("supported", "low")


def test_rule_pages_and_criteria_show_word_points(files) -> None:
    from reform_gate.authoring import describe, rule_docs

    c = files.criteria(_criteria())
    pages = rule_docs.rule_pages(c)
    assert "| `low` | ct points >= 30 of 48 |" in pages["A"]
    out = io.StringIO()
    describe.render_criteria(c, out)
    assert "      ct points >= 30 of 48\n" in out.getvalue()
    assert "any of: ct points >= 40 of 48 | overall reform score >= 100" in out.getvalue()
