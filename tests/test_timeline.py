"""The record over time (docs/cli.md, "reform-gate timeline" and "reform-gate evidence"): a proposal
rescored at a series of dates, each exactly as --as-of scores it, with what changed between
neighbouring dates; and what an evidence file holds on one date. Library, text and JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reform_gate
from reform_gate import cli
from reform_gate.errors import ReformGateError, UsageError
from reform_gate.history import Step, add_step, parse_step
from tests.seed_util import LEDGER, SEEDS

RECOGNITION = SEEDS / "ru-formal-recognition.toml"
START, END = dt.date(2021, 9, 1), dt.date(2025, 7, 3)


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SEEDS.parent)


def _loaded() -> tuple[reform_gate.Proposal, reform_gate.Criteria]:
    proposal = reform_gate.load_proposal(RECOGNITION.relative_to(SEEDS.parent))
    return proposal, reform_gate.criteria_for(proposal)


def test_each_date_is_scored_as_as_of_would_score_it() -> None:
    proposal, criteria = _loaded()
    t = reform_gate.timeline(proposal, criteria, START, END, every="6m")
    assert [m.date for m in t.moments] == [
        dt.date(2021, 9, 1),
        dt.date(2022, 3, 1),
        dt.date(2022, 9, 1),
        dt.date(2023, 3, 1),
        dt.date(2023, 9, 1),
        dt.date(2024, 3, 1),
        dt.date(2024, 9, 1),
        dt.date(2025, 3, 1),
        END,
    ]
    for m in t.moments:
        v = reform_gate.score(proposal, criteria, m.date)
        assert (m.outcome, m.supported_tier, m.overall_score, m.design_score) == (
            v.outcome,
            v.supported_tier,
            v.overall_score,
            v.design_score,
        )
        assert [(p.id, p.score, p.minimum) for p in m.pillars] == [(p.id, p.score, p.minimum) for p in v.pillars]
    # The record's history: no tier before the 2023 reports counted, containment after.
    assert [m.supported_tier for m in t.moments] == [None] * 5 + ["containment"] * 4
    assert (t.every, t.start, t.end, t.requested_tier) == ("6m", START, END, "recognition")
    assert [e.id for e in t.evidence] == ["afghanistan"]


def test_changes_name_what_counted_before_and_after() -> None:
    proposal, criteria = _loaded()
    t = reform_gate.timeline(proposal, criteria, START, END, every="6m")
    assert t.moments[0].changes == ()
    by_date = {m.date: {c.indicator: c for c in m.changes} for m in t.moments}
    law = by_date[dt.date(2024, 9, 1)]["vice_virtue_regime"]
    assert law.before is not None and law.after is not None
    assert (law.before.value, law.after.value, law.after.as_of) == ("edicts", "codified", dt.date(2024, 8, 21))
    crocus = by_date[dt.date(2024, 9, 1)]["external_attack_24m"]
    assert (crocus.before, crocus.after.value if crocus.after else None) == (None, True)
    # Between 2023-03 and 2023-09 only the civil-liberties record moved.
    assert set(by_date[dt.date(2023, 9, 1)]) == {"women_aid_work_permitted", "reprisal_killings_documented"}


def test_without_a_step_the_dates_are_where_a_verdict_can_change() -> None:
    proposal, criteria = _loaded()
    t = reform_gate.timeline(proposal, criteria, dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert t.every is None
    assert [m.date for m in t.moments] == [
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 29),  # Freedom House 2024
        dt.date(2024, 3, 22),  # the Crocus attack
        dt.date(2024, 7, 4),  # the "allies" remark (too weak to count: no change shows)
        dt.date(2024, 8, 21),  # the vice-and-virtue law
        dt.date(2024, 11, 6),  # the 2024 UNODC survey
        dt.date(2024, 12, 31),  # the 2024 Monitoring Team reports, known to the year
        dt.date(2025, 1, 1),
    ]
    # Each date between two of these scores as the earlier one.
    for before, after in zip(t.moments, t.moments[1:], strict=False):
        middle = before.date + (after.date - before.date) / 2
        assert reform_gate.score(proposal, criteria, middle).overall_score == before.overall_score


def test_the_json_parses_back_and_names_its_format(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        [
            "timeline",
            str(RECOGNITION.relative_to(SEEDS.parent)),
            "--from",
            "2024-01-01",
            "--to",
            "2025-07-03",
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "reform-gate/timeline/1"
    assert data["moments"][-1]["outcome"] == "scale-back"
    assert data["moments"][-1]["date"] == "2025-07-03"
    assert data["evidence"][0]["file"] == "seeds/evidence/afghanistan.toml"
    changed = {c["indicator"] for m in data["moments"] for c in m["changes"]}
    assert "poppy_cultivation_ha" in changed


def test_the_text_has_a_row_per_date_and_what_changed(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["timeline", "seeds/ru-formal-recognition.toml", "--from", "2021-09-01", "--to", "2025-07-03", "--every", "6m"]
    )
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[3].split() == [
        "date", "outcome", "supported", "overall", "design",
        "counterterrorism", "civil-liberties", "inclusive-participation", "safeguards", "humanitarian-design",
    ]  # fmt: skip
    assert lines[5].split()[:3] == ["2021-09-01", "rejected", "none"]
    assert lines[13].split()[:4] == ["2025-07-03", "scale-back", "containment", "9.4"]
    assert "  2024-09-01\n    external_attack_24m: nothing counted -> true (Wire-service reports" in out


def test_timeline_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    seed = "seeds/ru-formal-recognition.toml"
    assert cli.main(["timeline", seed, "--from", "2025-01-01", "--to", "2024-01-01"]) == 2
    assert "--to: usage error" in capsys.readouterr().err
    assert cli.main(["timeline", seed, "--from", "2024-01-01", "--to", "2025-01-01", "--every", "6 months"]) == 2
    assert "expected: a count and a unit, such as 6m" in capsys.readouterr().err
    assert cli.main(["timeline", seed, "--from", "2024-13-01", "--to", "2025-01-01"]) == 2
    assert "--from: usage error" in capsys.readouterr().err
    with pytest.raises(ReformGateError):
        reform_gate.timeline(*_loaded(), dt.date(2024, 1, 1), "2025-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "step"), [("6m", Step(6, "m")), ("1y", Step(1, "y")), (" 2w", Step(2, "w")), ("30d", Step(30, "d"))]
)
def test_steps(text: str, step: Step) -> None:
    assert parse_step(text) == step
    for bad in ("0m", "m", "6", "6x", "-1d"):
        with pytest.raises(UsageError):
            parse_step(bad)


@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), st.integers(1, 24), st.integers(0, 30))
def test_a_month_step_keeps_the_day_or_the_months_last(start: dt.date, months: int, times: int) -> None:
    day = add_step(start, Step(months, "m"), times)
    total = (day.year - start.year) * 12 + day.month - start.month
    assert total == months * times
    assert day.day == start.day or (day.day < start.day and (day + dt.timedelta(days=1)).day == 1)


# --- evidence show -----------------------------------------------------------------------------


def test_evidence_show_says_what_counts_on_a_date() -> None:
    ledger = reform_gate.load_ledger(LEDGER)
    r = reform_gate.evidence_on(ledger, as_of=dt.date(2024, 7, 15))
    rows = {row.indicator: row for row in r.indicators}
    haven = rows["safe_haven_denied"]
    assert (haven.evidence.as_of, haven.evidence.counted, haven.earlier) == (dt.date(2023, 1, 1), True, 1)
    assert [(p.as_of_precision, p.problem) for p in haven.evidence.passed_over] == [("year", "future")]
    remark = rows["ct_information_sharing"].evidence
    assert (remark.counted, remark.problem, remark.reliability) == (False, "weak", "D3")
    assert r.absent == ("media_freedom", "minority_rights", "opposition_activity", "inclusive_dialogue")
    # It agrees with a verdict of the same day on every indicator the verdict reads from the ledger.
    verdict = reform_gate.score(*_loaded(), dt.date(2024, 7, 15))
    for f in verdict.findings:
        for e in f.evidence:
            if e.file.endswith("afghanistan.toml"):
                assert rows[e.indicator].evidence == e


def test_evidence_show_defaults_to_the_day_the_last_entry_counts_from() -> None:
    r = reform_gate.evidence_on(reform_gate.load_ledger(LEDGER))
    assert r.as_of == dt.date(2024, 12, 31)  # the 2024 Monitoring Team reports, known to the year
    assert all(not row.evidence.passed_over for row in r.indicators)


def test_evidence_show_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["evidence", "show", "seeds/evidence/afghanistan.toml", "--as-of", "2024-07-15"]) == 0
    out = capsys.readouterr().out
    assert (
        out.splitlines()[2]
        == "Policy of reform-before-recognition 2.0.0: minimum grade C3, stale after 540 days (warn)."
    )
    assert "  passed over     false; 2024 (counted from 2024-12-31), graded B2, not yet known (line 43)\n" in out
    assert "  does not count  ad-hoc; 2024-07-04, graded D3, 11 days old, graded below the minimum (line 106)\n" in out
    assert cli.main(["evidence", "show", "seeds/evidence/afghanistan.toml", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["format"], data["as_of"], data["min_reliability"]) == ("reform-gate/evidence/1", "2024-12-31", "C3")
    assert len(data["indicators"]) == 19


def test_evidence_show_lists_corrections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = LEDGER.read_text(encoding="utf-8").replace(
        'as_of = 2024-08-21\nreliability = "A1"',
        'as_of = 2024-08-21\nreliability = "A1"\n\n[[observations.vice_virtue_regime]]\nvalue = "codified"\n'
        'source = "Correction"\nas_of = 2024-08-22\nsupersedes = 2024-08-21\nreliability = "A1"',
    )
    path = tmp_path / "ledger.toml"
    path.write_text(text.replace('criteria = "reform-before-recognition"', 'criteria = "reform-before-recognition"'))
    r = reform_gate.evidence_on(reform_gate.load_ledger(path), as_of=dt.date(2025, 1, 1))
    row = next(row for row in r.indicators if row.indicator == "vice_virtue_regime")
    assert (row.evidence.source, [w.as_of for w in row.withdrawn]) == ("Correction", [dt.date(2024, 8, 21)])
    assert cli.main(["evidence", "show", str(path), "--as-of", "2025-01-01"]) == 0
    assert "  withdrawn       codified; 2024-08-21" in capsys.readouterr().out


def test_evidence_show_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["evidence", "show", "seeds/ru-formal-recognition.toml"]) == 2
    assert "unknown key" in capsys.readouterr().err
    assert cli.main(["evidence", "show", "seeds/evidence/afghanistan.toml", "--as-of", "soon"]) == 2
    assert "--as-of: usage error" in capsys.readouterr().err
