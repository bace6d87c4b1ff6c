"""The fuller explanation (docs/scoring.md, "The gap"): partial raises, rules kept out of the gap,
the gap to the supported tier, the ladder, every rule's evidence, and headlines that agree with
the body."""

from __future__ import annotations

import io
import re
from pathlib import Path

import attrs
import pytest

import reform_gate
from reform_gate import cli
from reform_gate.authoring import describe, rule_docs
from reform_gate.authoring.schema import criteria_schema
from reform_gate.render import Run, markdown, text
from reform_gate.render.shared import headline
from tests.analysis_util import CRITERIA, load, write
from tests.render_util import rendered, seed_verdict


def test_a_gate_passing_on_part_credit_is_raised_only_that_far(tmp_path: Path) -> None:
    """SG-2 passes at credit 0.6 of a scale from 0 to 5 benchmarks: the gap asks for 3, not 5."""
    v = reform_gate.score(*load(tmp_path, bench="0"))
    assert v.outcome == "scale-back"
    assert v.gap is not None and v.gap.reachable
    step = next(s for s in v.gap.steps if s.rule == "SG-2")
    assert step.partial and step.needed == "bench >= 3 benchmarks"
    assert step.value == 3.0 and step.credit == pytest.approx(0.6)
    assert step.pillar_points == pytest.approx(30.0)


def test_a_level_rule_is_raised_to_the_least_level_that_does(tmp_path: Path) -> None:
    """cl needs 30 and CL-1 at `partial` gives 37.5: the step names every level that is enough."""
    v = reform_gate.score(*load(tmp_path))
    assert v.gap is not None
    step = next(s for s in v.gap.steps if s.rule == "CL-1")
    assert (step.partial, step.credit, step.value) == (True, 0.5, "partial")
    assert step.needed == "girls = partial or open"
    assert "needs girls = partial or open (credit 0.50 is enough)" in rendered(text, Run((v,), single=True))


def test_steps_that_need_full_credit_say_so(tmp_path: Path) -> None:
    """An all-or-nothing check is always raised to full credit, and says nothing of part credit."""
    v = reform_gate.score(*load(tmp_path))
    assert v.gap is not None
    step = next(s for s in v.gap.steps if s.rule == "CT-1")
    assert (step.partial, step.credit, step.value, step.needed) == (False, 1.0, None, "haven = true")


def test_a_rule_kept_out_of_the_gap_is_never_proposed(tmp_path: Path) -> None:
    """CL-2 (`in_gap = false`) would lift civil liberties most cheaply with girls open, yet never appears."""
    proposal, criteria = load(tmp_path, "recognition", haven="true", girls='"open"', poppy="3000", bench="5")
    v = reform_gate.score(proposal, criteria)
    assert v.finding("CL-2").in_gap is False
    assert v.gap is None or all(s.rule != "CL-2" for s in v.gap.steps)
    # With CL-2 as a gate the tier needs, the tier cannot be reached through the gap at all.
    gated = CRITERIA.replace('title = "A bonus question"\ncheck', 'title = "A bonus question"\ngate = true\ncheck')
    (tmp_path / "memo.toml").write_text(gated, encoding="utf-8")
    proposal = reform_gate.load_proposal(tmp_path / "prop.toml")
    v = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    assert v.outcome != "supported" and v.gap is not None
    assert not v.gap.reachable
    assert all(s.rule != "CL-2" for s in v.gap.steps)
    shown = rendered(text, Run((v,), single=True))
    assert "cannot be reached even with every rule open to remedy met" in shown


def test_in_gap_is_documented_everywhere_an_author_looks(tmp_path: Path) -> None:
    """The JSON Schema, `explain` and the rule page all say a rule is kept out of the gap."""
    write(tmp_path)
    criteria = reform_gate.load_criteria(tmp_path / "memo.toml")
    rule = criteria.rule("CL-2")
    assert "in_gap" in criteria_schema()["$defs"]["Rule"]["properties"]
    out = io.StringIO()
    describe.render_rule(criteria, rule, out)
    assert "not proposed in the gap" in out.getvalue()
    assert "in_gap = false" in rule_docs.rule_pages(criteria)["CL-2"]
    assert "in_gap" not in rule_docs.rule_pages(criteria)["CL-1"]


def test_scale_back_gives_the_gap_to_the_supported_tier() -> None:
    """Recognition, scaled back to dialogue, still needs its safeguards: the verdict says which."""
    v = seed_verdict("ru-formal-recognition")
    assert v.outcome == "scale-back" and v.supported_tier == "dialogue"
    g = v.gap_to_supported
    assert g is not None and g.tier == "dialogue" and g.reachable
    assert [s.rule for s in g.steps] == ["SG-1", "SG-2", "SG-3", "SG-4"]
    shown = rendered(text, Run((v,), single=True))
    assert "Scaled back to dialogue, it would take: 4 rules raised, 1 of them only in part" in shown
    assert "#### Scaled back to dialogue, it would take" in rendered(markdown, Run((v,), single=True))


def test_other_outcomes_have_no_gap_to_the_supported_tier() -> None:
    for seed in ("ru-isisk-intelligence-sharing", "ru-humanitarian-carve-out", "ru-regional-mediation-2021"):
        assert seed_verdict(seed).gap_to_supported is None


def test_when_the_supported_tier_already_holds_the_verdict_says_so(tmp_path: Path) -> None:
    v = reform_gate.score(*load(tmp_path))
    assert v.gap_to_supported is not None and v.gap_to_supported.steps == ()
    assert "Scaled back to talks: every requirement of talks holds as the proposal stands." in rendered(
        text, Run((v,), single=True)
    )


def test_the_ladder_says_what_holds_on_every_rung() -> None:
    v = seed_verdict("ru-formal-recognition")
    assert [r.id for r in v.ladder] == [
        "containment",
        "humanitarian",
        "dialogue",
        "diplomatic-presence",
        "economic",
        "recognition",
    ]
    assert [r.reform_holds for r in v.ladder] == [True, True, True, False, False, False]
    assert not any(r.safeguard_holds for r in v.ladder)
    assert v.to_dict()["ladder"][2] == {
        "id": "dialogue",
        "title": "Structured dialogue and mediation",
        "reform_holds": True,
        "safeguard_holds": False,
    }


@pytest.mark.parametrize("fmt", [text, markdown])
def test_a_supported_verdict_lists_every_rule_with_its_evidence(fmt: object) -> None:
    """Also when nothing blocks, each rule's value, source, date and grade are shown."""
    v = seed_verdict("ru-humanitarian-carve-out")
    assert v.outcome == "supported"
    shown = rendered(fmt, Run((v,), single=True))
    for f in v.findings:
        assert re.search(rf"^(\| |  ){re.escape(f.rule)} ", shown, re.M), f.rule
        for e in f.evidence:
            assert e.source in shown
            assert e.when in shown  # as precise as the entry is dated: 2024-03-22, 2023-04 or 2023
    assert "Evidence by rule (28)" in shown


def test_text_sources_are_numbered_once_each() -> None:
    v = seed_verdict("ru-isisk-intelligence-sharing")
    shown = rendered(text, Run((v,), single=True))
    sources = shown.split("Sources (date, grade, age)\n")[1].split("\n\n")[0].splitlines()
    assert len(sources) == len({(e.source, e.as_of, e.reliability) for f in v.findings for e in f.evidence})
    assert sources[0].startswith("  [1]  2023        B2    197 days  UN Analytical Support")
    assert "  CT-5  missing       ct_information_sharing = ad-hoc [4] (too weak to count)" in shown


# --- headlines agree with the body ------------------------------------------------------------


def test_a_rejected_verdict_with_a_reachable_gap_is_not_out_of_reach() -> None:
    v = seed_verdict("ru-regional-mediation-2021")
    assert v.outcome == "rejected" and v.gap is not None and v.gap.reachable
    words = headline(v)
    assert "out of reach" not in words
    assert words == "The evidence supports no tier of engagement yet; reaching dialogue would take 5 rules raised."


def test_an_unreachable_rejection_says_out_of_reach() -> None:
    v = seed_verdict("ru-regional-mediation-2021")
    assert v.gap is not None
    blocked = attrs.evolve(v, gap=attrs.evolve(v.gap, reachable=False))
    assert headline(blocked).endswith("dialogue is out of reach even with every rule met.")
    assert headline(attrs.evolve(v, gap=None)) == "The evidence supports no tier of engagement."


NO_SAFEGUARDS = """\
[criteria]
id = "bare"
version = "1"
title = "No design judged"

[[pillars]]
id = "ct"
kind = "reform"
weight = 1
title = "Counterterrorism"

[indicators]
haven = { type = "bool", title = "No safe haven" }

[[rules]]
id = "CT-1"
pillar = "ct"
weight = 1
title = "No safe haven"
check = { indicator = "haven", equals = true }
rationale = "r"
remedy = "m"
references = []

[[tiers]]
id = "talks"
title = "Talks"
min_score = 10
"""


def test_no_safeguards_pillar_no_word_of_safeguards(tmp_path: Path) -> None:
    """A set that judges no design never says the proposal's own safeguards hold."""
    (tmp_path / "bare.toml").write_text(NO_SAFEGUARDS, encoding="utf-8")
    head = write(tmp_path, "talks").read_text(encoding="utf-8").split("\n[observations")[0]
    body = '\n[observations.haven]\nvalue = true\nsource = "s"\nas_of = 2024-12-01\nreliability = "A1"\n'
    (tmp_path / "p.toml").write_text(head.replace("memo.toml", "bare.toml") + body, encoding="utf-8")
    proposal = reform_gate.load_proposal(tmp_path / "p.toml")
    v = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    assert v.outcome == "supported" and v.design_score is None
    assert headline(v) == "The evidence supports talks."
    assert "safeguards" not in rendered(text, Run((v,), single=True))


def test_a_ladder_that_does_not_rise_is_not_called_no_tier(tmp_path: Path) -> None:
    v = seed_verdict("ru-regional-mediation-2021")
    odd = attrs.evolve(v, supported_tier="recognition")
    assert headline(odd) == "The evidence supports neither dialogue nor any tier below it."


def test_cli_prints_the_evidence_of_a_supported_proposal(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    code = cli.main(["score", str(root / "seeds" / "ru-humanitarian-carve-out.toml")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Evidence by rule (28)" in out and "Sources (date, grade, age)" in out


@pytest.mark.parametrize(
    ("x", "up", "places", "expected"),
    [
        (2.9999999999997, True, 0, 3.0),  # float noise from solving is cut first
        (3.3333333, True, 0, 4.0),
        (27345.67, False, 0, 27345.0),
        (0.1, True, 1, 0.1),  # the float of 0.1 is a hair above it: digits, not binary, are rounded
        (-0.55, True, 1, -0.5),
        (-0.55, False, 1, -0.6),
        (12.3456, True, 2, 12.35),
    ],
)
def test_partial_values_round_towards_more_credit(x: float, up: bool, places: int, expected: float) -> None:
    from reform_gate.engine.targets import _places, _round_towards

    assert _round_towards(x, up=up, places=places) == expected
    assert [_places(b) for b in (50000, 0.25, 1e-05, 5000.0, 2.5)] == [0, 2, 5, 0, 1]
