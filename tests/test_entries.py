"""Several dated entries per indicator (docs/scoring.md, "Several dated entries"): which one stands on
the scoring date, what is passed over and why, dates known only to the month or year, corrections
(supersedes), and the checks on entries (docs/format.md, "entries")."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

import reform_gate
from reform_gate.errors import ReformGateError

from .test_evidence import POLICY, _criteria


def _entry(indicator: str, value: str, as_of: str, reliability: str = "A1", **extra: str) -> str:
    """One ``[[observations.X]]`` entry; ``extra`` values are TOML text."""
    more = "".join(f"{key} = {text}\n" for key, text in extra.items())
    return (
        textwrap.dedent(
            f"""
        [[observations.{indicator}]]
        value = {value}
        source = "report of {as_of}"
        as_of = {as_of}
        reliability = "{reliability}"
        """
        )
        + more
    )


def _verdict(files, *entries: str, policy: str = POLICY, as_of: dt.date | None = None) -> reform_gate.Verdict:
    return files.verdict(_criteria(policy), files.proposal_head("t") + "".join(entries), as_of)


def _warnings(v: reform_gate.Verdict, code: str) -> list[str]:
    return [w.message for w in v.warnings if w.code == code]


def test_the_latest_usable_entry_stands(files):
    v = _verdict(files, _entry("f", "false", "2024-10-01"), _entry("f", "true", "2024-12-01"))
    (e,) = v.finding("R-F").evidence
    assert (e.value, e.as_of, e.counted, e.passed_over) == (True, dt.date(2024, 12, 1), True, ())
    assert v.finding("R-F").status == "met"
    # The order in the file does not matter: the date does.
    again = _verdict(files, _entry("f", "true", "2024-12-01"), _entry("f", "false", "2024-10-01"))
    assert again.finding("R-F").evidence[0].value is True


def test_later_entries_not_yet_known_are_passed_over(files):
    v = _verdict(
        files, _entry("f", "false", "2024-10-01"), _entry("f", "true", "2025-02-01"), _entry("f", "true", "2025-03-01")
    )
    (e,) = v.finding("R-F").evidence
    assert (e.value, e.as_of, e.counted) == (False, dt.date(2024, 10, 1), True)
    assert [(p.as_of, p.problem, p.counted) for p in e.passed_over] == [
        (dt.date(2025, 2, 1), "future", False),
        (dt.date(2025, 3, 1), "future", False),
    ]
    assert v.finding("R-F").status == "unmet"
    # Passed-over entries give no warning: an older entry counted.
    assert _warnings(v, "not-yet-known") == []
    # Replayed later, the later entry stands.
    later = _verdict(
        files, _entry("f", "false", "2024-10-01"), _entry("f", "true", "2025-02-01"), as_of=dt.date(2025, 2, 1)
    )
    assert later.finding("R-F").status == "met"


def test_a_later_weak_entry_never_replaces_a_usable_one(files):
    v = _verdict(files, _entry("f", "false", "2024-10-01"), _entry("f", "true", "2024-12-01", reliability="D3"))
    (e,) = v.finding("R-F").evidence
    assert (e.value, e.counted, [(p.reliability, p.problem) for p in e.passed_over]) == (False, True, [("D3", "weak")])
    assert v.finding("R-F").status == "unmet"
    assert _warnings(v, "weak-evidence") == []


def test_when_nothing_is_usable_the_entry_that_says_why_is_shown(files):
    # A weak entry already dated, then one still to come: the weak one says why, the other is passed over.
    v = _verdict(files, _entry("f", "true", "2024-10-01", reliability="E5"), _entry("f", "true", "2025-06-01"))
    (e,) = v.finding("R-F").evidence
    assert (e.problem, [p.problem for p in e.passed_over]) == ("weak", ["future"])
    assert _warnings(v, "weak-evidence") == ["f: graded E5, weaker than the minimum C3; not counted"]
    # Every entry still to come: the first of them.
    v = _verdict(files, _entry("f", "true", "2025-06-01"), _entry("f", "false", "2025-03-01"))
    (e,) = v.finding("R-F").evidence
    assert (e.as_of, e.problem, [p.as_of for p in e.passed_over]) == (
        dt.date(2025, 3, 1),
        "future",
        [dt.date(2025, 6, 1)],
    )
    assert _warnings(v, "not-yet-known") == ["f: observed 2025-03-01, after 2025-01-01; not counted"]


def test_under_stale_unknown_an_old_entry_gives_way_to_nothing(files):
    # Both entries are older than 100 days: the latest says why nothing counts.
    v = _verdict(
        files,
        _entry("f", "true", "2024-01-01"),
        _entry("f", "true", "2024-06-01"),
        policy=POLICY + '\nstale = "unknown"',
    )
    (e,) = v.finding("R-F").evidence
    assert (e.as_of, e.problem, v.finding("R-F").status) == (dt.date(2024, 6, 1), "stale-unknown", "missing")


@pytest.mark.parametrize(
    ("as_of", "precision", "day", "known"),
    [
        ("2024-11-01", "month", dt.date(2024, 11, 29), False),
        ("2024-11-01", "month", dt.date(2024, 11, 30), True),
        ("2024-12-01", "month", dt.date(2024, 12, 31), True),
        ("2024-01-01", "year", dt.date(2024, 12, 30), False),
        ("2024-01-01", "year", dt.date(2024, 12, 31), True),
    ],
)
def test_a_month_or_year_entry_counts_from_the_end_of_its_period(files, as_of, precision, day, known):
    v = _verdict(files, _entry("f", "true", as_of, as_of_precision=f'"{precision}"'), as_of=day)
    (e,) = v.finding("R-F").evidence
    assert e.counted is known
    assert e.as_of_precision == precision
    if known:
        # Its age counts from the end of the period too.
        assert e.age_days == (day - e.counts_from).days
    else:
        when = as_of[:7] if precision == "month" else as_of[:4]
        assert _warnings(v, "not-yet-known") == [
            f"f: observed {when} (counted from {e.counts_from.isoformat()}), after {day.isoformat()}; not counted"
        ]


def test_a_month_entry_ages_from_the_end_of_its_month(files):
    v = _verdict(files, _entry("f", "true", "2024-09-01", as_of_precision='"month"'))
    (e,) = v.finding("R-F").evidence
    # Counted from 2024-09-30: 93 days before 2025-01-01, under the 100-day limit.
    assert (e.counts_from, e.age_days, e.problem, e.when) == (dt.date(2024, 9, 30), 93, None, "2024-09")


def test_ties_go_to_the_later_written_date_then_to_the_later_entry(files):
    # A month entry and a day entry both count from 2024-11-30: the day entry, written later, wins.
    v = _verdict(
        files,
        _entry("f", "true", "2024-11-30"),
        _entry("f", "false", "2024-11-01", as_of_precision='"month"'),
    )
    assert v.finding("R-F").evidence[0].value is True
    # Two sources for one fact on one day: the one written later is cited.
    v = _verdict(
        files, _entry("f", "true", "2024-11-30"), _entry("f", "true", "2024-11-30").replace("report", "second")
    )
    assert v.finding("R-F").evidence[0].source.startswith("second")


def test_a_correction_withdraws_the_entry_it_supersedes(files):
    wrong = _entry("f", "true", "2024-12-01")
    fixed = _entry("f", "false", "2024-12-01", supersedes="2024-12-01")
    v = _verdict(files, wrong, fixed)
    (e,) = v.finding("R-F").evidence
    assert (e.value, e.passed_over) == (False, ())
    # A correction of a date: the wrong date counts on no day, even before the right one.
    moved = _entry("f", "false", "2024-12-20", supersedes="2024-12-01")
    replay = _verdict(files, _entry("f", "true", "2024-12-01"), moved, as_of=dt.date(2024, 12, 10))
    assert replay.finding("R-F").status == "missing"


# --- checks on entries -------------------------------------------------------------------------


def _problems(files, *entries: str) -> list[str]:
    with pytest.raises(ReformGateError) as caught:
        _verdict(files, *entries)
    return [p.render() for p in caught.value.problems()]


def test_entries_of_one_date_must_agree(files):
    (problem,) = _problems(files, _entry("f", "true", "2024-12-01"), _entry("f", "false", "2024-12-01"))
    assert problem == (
        "prop.toml:17: observations.f[1].value: invalid value\n"
        "  expected: the value of the other entry of f on 2024-12-01 (true, entry 0)\n"
        "  found:    false: two entries of one date disagree\n"
        "  if this entry corrects the other, add supersedes = 2024-12-01 to it"
    ).replace("prop.toml", str(files.folder / "prop.toml"))
    # The same value twice is two sources for one fact: fine.
    _verdict(files, _entry("f", "true", "2024-12-01"), _entry("f", "true", "2024-12-01"))


def test_a_source_may_not_be_empty(files):
    (problem,) = _problems(files, _entry("f", "true", "2024-12-01").replace('"report of 2024-12-01"', '"  "'))
    assert "observations.f[0].source: invalid value" in problem
    assert "expected: a source: who reported the value, and where" in problem


def test_a_month_entry_is_written_on_the_first(files):
    (problem,) = _problems(files, _entry("f", "true", "2024-11-06", as_of_precision='"month"'))
    assert "observations.f[0].as_of: invalid value" in problem
    assert 'expected: the first day of its month when as_of_precision = "month"' in problem
    assert "write as_of = 2024-11-01" in problem


def test_supersedes_names_another_entry_of_the_file(files):
    (problem,) = _problems(
        files, _entry("f", "true", "2024-12-01"), _entry("f", "false", "2024-12-20", supersedes="2024-12-02")
    )
    assert "observations.f[1].supersedes: unknown id" in problem
    assert "expected: the as_of of another entry of f in this file (2024-12-01)" in problem
    assert 'did you mean "2024-12-01"?' in problem


def test_corrections_may_not_loop(files):
    problems = _problems(
        files,
        _entry("f", "true", "2024-12-01", supersedes="2024-12-20"),
        _entry("f", "false", "2024-12-20", supersedes="2024-12-01"),
    )
    assert any("an entry may not, through others, supersede itself" in p for p in problems)


def test_an_empty_array_of_entries_is_an_error(files):
    proposal = files.proposal_head("t") + "[observations]\nf = []\n"
    with pytest.raises(ReformGateError, match=r"at least one entry"):
        files.proposal(proposal)


def test_each_entry_value_is_checked_against_the_indicator(files):
    (problem,) = _problems(files, _entry("f", "true", "2024-10-01"), _entry("f", "3", "2024-12-01"))
    assert "observations.f[1].value: invalid value" in problem
