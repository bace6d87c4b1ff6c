"""Evidence (docs/scoring.md): Admiralty grades, staleness, evidence from after "now", and --as-of replay."""

from __future__ import annotations

import datetime as dt

import pytest

from reform_gate.grades import grade_meets, grade_words, is_grade


def _criteria(policy: str) -> str:
    return f"""
[criteria]
id = "evidence"
version = "1"
title = "Evidence policy"
{policy}

[[pillars]]
id = "ct"
kind = "reform"
weight = 1
title = "Counterterrorism"

[indicators]
f = {{ type = "bool", title = "f" }}
g = {{ type = "bool", title = "g" }}

[[rules]]
id = "R-F"
pillar = "ct"
weight = 1
title = "f"
check = {{ indicator = "f", equals = true }}
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "R-G"
pillar = "ct"
weight = 1
title = "g"
check = {{ indicator = "g", equals = true }}
rationale = "r"
remedy = "m"
references = []

[[tiers]]
id = "t"
title = "The tier"
min_score = 50
"""


POLICY = 'min_reliability = "C3"\nmax_evidence_age_days = 100'
DATE = dt.date(2025, 1, 1)


def _days_before(days: int) -> str:
    return (DATE - dt.timedelta(days=days)).isoformat()


def _warnings(v, code: str) -> list[str]:
    return [w.message for w in v.warnings if w.code == code]


@pytest.mark.parametrize(
    ("grade", "counts"),
    [("A1", True), ("C3", True), ("B2", True), ("A3", True), ("C4", False), ("D1", False), ("F6", False)],
)
def test_min_reliability(files, grade, counts):
    proposal = files.proposal_head("t") + files.obs("f", "true", reliability=grade) + files.obs("g", "false")
    v = files.verdict(_criteria(POLICY), proposal)
    finding = v.finding("R-F")
    (evidence,) = finding.evidence
    assert evidence.counted is counts
    if counts:
        # ct = 100 (1 + 0) / 2 = 50
        assert (finding.status, v.pillars[0].score, v.outcome) == ("met", 50.0, "supported")
        assert _warnings(v, "weak-evidence") == []
    else:
        # missing = "zero": the weak observation earns nothing; ct = 0
        assert (finding.status, evidence.problem, v.pillars[0].score) == ("missing", "weak", 0.0)
        assert _warnings(v, "weak-evidence") == [f"f: graded {grade}, weaker than the minimum C3; not counted"]


def test_an_ungraded_observation_is_f6(files):
    proposal = files.proposal_head("t") + files.obs("f", "true").replace('reliability = "A1"\n', "")
    v = files.verdict(_criteria(POLICY), proposal)
    assert v.finding("R-F").evidence[0].reliability == "F6"
    assert _warnings(v, "weak-evidence") == ["f: graded F6, weaker than the minimum C3; not counted"]
    # With no min_reliability the floor is F6 and everything counts.
    assert files.verdict(_criteria(""), proposal).finding("R-F").status == "met"


def test_grade_helpers():
    assert grade_meets("B2", "C3") and grade_meets("C3", "C3")
    assert not grade_meets("A4", "C3") and not grade_meets("D1", "C3")
    assert [is_grade(g) for g in ("A1", "F6", "G1", "A7", "a1", "A12", "")] == [True, True] + [False] * 5
    assert grade_words("B2") == "usually reliable source, probably true"


@pytest.mark.parametrize(("age", "stale"), [(100, False), (101, True)])
def test_stale_warn_counts_and_flags(files, age, stale):
    proposal = files.proposal_head("t") + files.obs("f", "true", as_of=_days_before(age))
    v = files.verdict(_criteria(POLICY + '\nstale = "warn"'), proposal)
    (evidence,) = v.finding("R-F").evidence
    assert (evidence.age_days, evidence.counted) == (age, True)
    assert v.finding("R-F").status == "met"
    assert evidence.problem == ("stale" if stale else None)
    expected = [f"f: {age} days old, older than 100 days; counted, flagged"] if stale else []
    assert _warnings(v, "stale-evidence") == expected


def test_stale_unknown_counts_as_missing(files):
    proposal = files.proposal_head("t") + files.obs("f", "true", as_of=_days_before(101))
    v = files.verdict(_criteria(POLICY + '\nstale = "unknown"'), proposal)
    finding = v.finding("R-F")
    assert (finding.status, finding.credit, finding.evidence[0].problem) == ("missing", 0.0, "stale-unknown")
    assert _warnings(v, "stale-evidence") == ["f: 101 days old, older than 100 days; not counted"]
    assert v.outcome == "rejected"


def test_no_age_limit_means_nothing_is_stale(files):
    proposal = files.proposal_head("t") + files.obs("f", "true", as_of="1990-01-01")
    v = files.verdict(_criteria('stale = "unknown"'), proposal)
    assert v.finding("R-F").status == "met"
    assert _warnings(v, "stale-evidence") == []


def test_evidence_dated_after_the_proposal_counts_as_missing(files):
    proposal = files.proposal_head("t") + files.obs("f", "true", as_of="2025-01-02")
    v = files.verdict(_criteria(POLICY), proposal)
    finding = v.finding("R-F")
    assert (finding.status, finding.evidence[0].problem, finding.evidence[0].age_days) == ("missing", "future", -1)
    assert _warnings(v, "not-yet-known") == ["f: observed 2025-01-02, after 2025-01-01; not counted"]
    # Evidence from the proposal's own day is known.
    same_day = files.verdict(_criteria(POLICY), files.proposal_head("t") + files.obs("f", "true", as_of="2025-01-01"))
    assert same_day.finding("R-F").status == "met"


def test_as_of_replays_what_was_known_on_a_day(files):
    # f observed 2024-12-01, g observed 2024-09-01; the proposal is dated 2025-01-01.
    proposal = (
        files.proposal_head("t")
        + files.obs("f", "true", as_of="2024-12-01")
        + files.obs("g", "true", as_of="2024-09-01")
    )
    text = _criteria(POLICY)
    today = files.verdict(text, proposal)
    # On the proposal's date g is 122 days old: stale, but counted under "warn". ct = 100.
    assert (today.pillars[0].score, today.audit.as_of) == (100.0, DATE)
    assert _warnings(today, "stale-evidence") == ["g: 122 days old, older than 100 days; counted, flagged"]
    # On 2024-11-01, f was not yet known and g was 61 days old: ct = 100 (0 + 1) / 2 = 50.
    replay = files.verdict(text, proposal, as_of=dt.date(2024, 11, 1))
    assert replay.audit.as_of == dt.date(2024, 11, 1)
    assert replay.pillars[0].score == 50.0
    assert _warnings(replay, "not-yet-known") == ["f: observed 2024-12-01, after 2024-11-01; not counted"]
    assert _warnings(replay, "stale-evidence") == []
    # Before either was known, nothing counts.
    assert files.verdict(text, proposal, as_of=dt.date(2024, 8, 1)).overall_score == 0.0


def test_missing_evidence_is_warned_per_rule(files):
    v = files.verdict(_criteria(POLICY), files.proposal_head("t") + files.obs("f", "true"))
    assert [(w.message, w.subject) for w in v.warnings if w.code == "missing-evidence"] == [
        ("R-G: no usable evidence for g", "R-G")
    ]
