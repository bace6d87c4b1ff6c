"""Safeguards set aside and tracks beside the ladder: what they do to a verdict, and the clear
error for each way of getting them wrong (``docs/format.md``, ``docs/scoring.md``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import reform_gate
from reform_gate.errors import InvalidFileError, ReformGateError
from reform_gate.load import load_criteria, load_criteria_text, validate_proposal

ROOT = Path(__file__).resolve().parents[1]
CHANNEL = ROOT / "seeds" / "hypothetical-2024-intelligence-channel.toml"
SHIPPED = ROOT / "criteria" / "reform-before-recognition.toml"


def _channel(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """The analyst's intelligence channel, edited, beside a copy of the ledger it reads."""
    text = CHANNEL.read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / "channel.toml"
    out.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "evidence").mkdir(exist_ok=True)
    ledger = (ROOT / "seeds" / "evidence" / "afghanistan.toml").read_text(encoding="utf-8")
    (tmp_path / "evidence" / "afghanistan.toml").write_text(ledger, encoding="utf-8")
    return out


def _problem(path: Path, count: int = 1) -> ReformGateError:
    """The first of the ``count`` problems validating ``path`` finds (in line order)."""
    proposal = reform_gate.load_proposal(path)
    with pytest.raises(ReformGateError) as info:
        validate_proposal(proposal, load_criteria("reform-before-recognition"))
    problems = info.value.problems() if isinstance(info.value, InvalidFileError) else [info.value]
    assert len(problems) == count, [str(p) for p in problems]
    return problems[0]


def test_set_aside_safeguards_leave_the_design_score_and_say_why(tmp_path: Path) -> None:
    with_marks = reform_gate.score(*_loaded(CHANNEL))
    aside = {f.rule: f for f in with_marks.findings if f.status == "not-applicable"}
    assert set(aside) == {"SG-6", "SG-8"}
    assert aside["SG-6"].not_applicable == "An intelligence channel: no fee, payment or good reaches the authorities."
    assert all(not f.counted and f.points_lost == 0 for f in aside.values())
    # Without the marks the two count as missing, at zero: 5.3 of 20 points instead of 5.3 of 15.
    plain = _channel(tmp_path, "[not_applicable]\n", "[not_applicable_not_used]\n")
    text = plain.read_text(encoding="utf-8").split("[not_applicable_not_used]")[0] + '[expect]\noutcome = "revise"\n'
    plain.write_text(text + 'supported_tier = "containment"\n', encoding="utf-8")
    without = reform_gate.score(*_loaded(plain))
    assert (round(with_marks.design_score or 0, 1), round(without.design_score or 0, 1)) == (35.3, 26.5)
    assert {s.rule for s in (with_marks.gap.steps if with_marks.gap else ())} == {"SG-2"}


def _loaded(path: Path) -> tuple[reform_gate.Proposal, reform_gate.Criteria]:
    proposal = reform_gate.load_proposal(path)
    return proposal, reform_gate.criteria_for(proposal)


@pytest.mark.parametrize(
    ("old", "new", "path", "expected", "found"),
    [
        (
            'revenue_controls = "An',
            'revenu_controls = "An',
            "not_applicable.revenu_controls",
            "the id of an indicator of reform-before-recognition",
            '"revenu_controls"',
        ),
        (
            'delivery_channel = "Nothing is delivered; only threat information is exchanged."',
            'delivery_channel = "  "',
            "not_applicable.delivery_channel",
            "the reason this safeguard does not apply",
            "an empty string",
        ),
        (
            'delivery_channel = "Nothing',
            'snapback = "Nothing',
            "not_applicable.snapback",
            "a design indicator read by a safeguard that may not apply (may_not_apply = true)",
            "snapback, read by SG-4, none of which may be set aside",
        ),
        (
            '[not_applicable]\n',
            '[not_applicable]\nopposition_support = "Out of scope."\n',
            "not_applicable.opposition_support",
            "a design indicator read by a safeguard that may not apply (may_not_apply = true)",
            "opposition_support, read by SG-7, none of which may be set aside",
        ),
        (
            'tier = "containment"',
            'tier = "humanitarian"',
            "not_applicable.revenue_controls",
            "no gate of tier humanitarian set aside",
            "revenue_controls, which sets aside SG-6, a gate of humanitarian",
        ),
    ],
    ids=["unknown indicator", "empty reason", "not allowed", "not allowed either", "gate of the tier"],
)
def test_each_mistake_is_named(tmp_path: Path, old: str, new: str, path: str, expected: str, found: str) -> None:
    # Asking for the humanitarian track makes both marks set aside one of its gates: two problems.
    err = _problem(_channel(tmp_path, old, new), 2 if "humanitarian" in new else 1)
    assert err.path == path and err.line is not None
    assert expected in err.expected and found in err.found


def test_an_indicator_both_observed_and_marked_is_refused(tmp_path: Path) -> None:
    observed = '[observations.revenue_controls]\nvalue = "none"\nsource = "Proposal text"\nas_of = 2024-07-15\n\n'
    err = _problem(_channel(tmp_path, "[not_applicable]\n", observed + "[not_applicable]\n"))
    assert err.path == "not_applicable.revenue_controls"
    assert "both observed" in err.found and err.hint == "drop one of the two"


def _criteria_error(old: str, new: str) -> ReformGateError:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ReformGateError) as info:
        load_criteria_text(text.replace(old, new, 1), "set.toml")
    problems = info.value.problems() if isinstance(info.value, InvalidFileError) else [info.value]
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_may_not_apply_on_a_reform_rule_is_refused() -> None:
    err = _criteria_error('id = "CT-5"\n', 'id = "CT-5"\nmay_not_apply = true\n')
    assert err.path == "rules[CT-5].may_not_apply" and err.line is not None
    assert "a rule of the reform pillar" in err.found and "counterpart's record always applies" in (err.hint or "")


def test_a_track_with_a_bar_on_the_record_is_refused() -> None:
    err = _criteria_error(
        'outside_ladder = true\ntitle = "Humanitarian assistance under the exemption"',
        'outside_ladder = true\nmin_score = 5\ntitle = "Humanitarian assistance under the exemption"',
    )
    assert err.path == "tiers[humanitarian].outside_ladder" and err.line is not None
    assert "read only safeguard pillars and rules" in err.expected
