"""The analyses as a user meets them (docs/cli.md): ``sensitivity``, ``what-if`` and ``compare``
from the command line and from Python, their text (golden files) and JSON (parsed back), and
their errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import reform_gate
from reform_gate import cli
from reform_gate.analysis import Place
from reform_gate.engine.what_if import HYPOTHETICAL_GRADE, HYPOTHETICAL_SOURCE
from reform_gate.errors import InvalidArgumentError, ReformGateError
from tests.analysis_util import CRITERIA, load, write
from tests.golden_util import REPO, check_golden

RECOGNITION = "seeds/ru-formal-recognition.toml"
ISISK = "seeds/ru-isisk-intelligence-sharing.toml"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- sensitivity --------------------------------------------------------------------------------


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("seed", ["ru-formal-recognition", "ru-isisk-intelligence-sharing"])
def test_sensitivity_text_golden(seed: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "sensitivity", f"seeds/{seed}.toml")
    assert (code, err) == (0, "")
    check_golden(f"analysis/sensitivity-{seed}.txt", out)


@pytest.mark.usefixtures("in_repo")
def test_sensitivity_prints_seed_count_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "sensitivity", RECOGNITION, "--seed", "7", "--draws", "300")
    assert "of 300 random weight changes" in out
    assert "seed 7." in out
    assert "multiplied by a factor drawn uniformly from [0.75, 1.25]" in out


@pytest.mark.usefixtures("in_repo")
def test_sensitivity_json_parses_back(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "sensitivity", RECOGNITION, "--format", "json", "--draws", "100")
    data = json.loads(out)
    assert code == 0 and data["format"] == "reform-gate/sensitivity/2"
    assert data["verdict"]["format"] == "reform-gate/verdict/2"
    r = data["robustness"]
    assert (r["seed"], r["draws"], r["spread"]) == (2025, 100, 0.25)
    assert r["share_outcome"] == r["kept_outcome"] / 100
    first = data["weights"][0]
    assert set(first) >= {"kind", "id", "weight", "low", "low_included", "high", "high_included", "below", "above"}
    flips = {(f["indicator"], f["text"]) for f in data["flips"]}
    assert ("isisk_operations", "sporadic") in flips


def test_the_robustness_figure_is_seeded_and_repeatable(tmp_path: Path) -> None:
    """The same seed gives the same draws; another seed, other draws (a figure near an edge moves)."""
    proposal, criteria = load(tmp_path, ops='"sporadic"', girls='"partial"')  # counterterrorism 31.9, talks needs 30
    one = reform_gate.sensitivity(proposal, criteria, seed=11, draws=400).robustness
    two = reform_gate.sensitivity(proposal, criteria, seed=11, draws=400).robustness
    assert one == two
    others = {reform_gate.sensitivity(proposal, criteria, seed=s, draws=400).robustness.kept_place for s in range(5)}
    assert len(others) > 1
    assert 0 < one.kept_place <= one.kept_outcome <= 400


def test_weights_that_cannot_matter_say_why(tmp_path: Path) -> None:
    proposal, criteria = load(tmp_path)
    s = reform_gate.sensitivity(proposal, criteria, draws=1)
    sg = next(w for w in s.weights if w.id == "sg")
    assert not sg.flips and "design score" in sg.note
    assert sg.low == 0.0 and sg.high is None


def test_a_weight_interval_by_hand(tmp_path: Path) -> None:
    """The memo set, embassy asked: ct is 46.9 against talks' 30. CT-1 (credit 0) may grow until ct
    falls to 30: 100 (3 + 1.6844) / (5 + x) = 30 - 1e-9, so x = 10.6147 (the tolerance moves it a hair)."""
    proposal, criteria = load(tmp_path)
    s = reform_gate.sensitivity(proposal, criteria, draws=1)
    ct1 = next(w for w in s.weights if w.id == "CT-1")
    credit = (50000 - 12000) / 45000
    edge = 100 * (3 + 2 * credit) / 30 - 5
    assert ct1.low == 0.0 and ct1.high == pytest.approx(edge, rel=1e-9)
    assert ct1.above == Place("scale-back", None) or ct1.above is not None
    assert ct1.change == pytest.approx((edge - 5) / 5, rel=1e-9)


def test_flips_of_the_memo_proposal(tmp_path: Path) -> None:
    """Every kind of flip: a bool, a level, a number range, and losing an observation."""
    proposal, criteria = load(tmp_path, ops='"sporadic"', girls='"partial"')
    s = reform_gate.sensitivity(proposal, criteria, draws=1)
    assert (s.verdict.outcome, s.verdict.supported_tier) == ("scale-back", "talks")
    found = {(f.indicator, f.kind, f.text): f.place for f in s.flips}
    assert found == {
        ("haven", "value", "true"): Place("supported", "embassy"),
        ("ops", "value", "none"): Place("rejected", None),
        ("ops", "missing", "no usable evidence"): Place("rejected", None),
        # ct = 100 (1.5 + 2 (50000 - x) / 45000) / 10 falls under 30 above x = 16250
        ("poppy", "range", "above 16250 ha"): Place("rejected", None),
        ("poppy", "missing", "no usable evidence"): Place("rejected", None),
    }
    poppy = next(f for f in s.flips if f.kind == "range")
    assert (poppy.low, poppy.low_included, poppy.high, poppy.value) == (16250.0, False, None, 16250.0)


# --- what-if ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("in_repo")
def test_what_if_text_golden(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "what-if", RECOGNITION, "--set", "isisk_operations=sporadic")
    assert (code, err) == (0, "")
    check_golden("analysis/what-if-ru-formal-recognition.txt", out)
    assert "* supported tier" in out and "containment" in out and "humanitarian" in out


@pytest.mark.usefixtures("in_repo")
def test_what_if_json_and_the_hypothetical_observation(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["what-if", ISISK, "--set", "engagement_framing=containment", "--set", "benchmark_count=4"]
    code, out, _ = _run(capsys, *args, "--drop", "poppy_cultivation_ha", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["format"] == "reform-gate/what-if/2"
    assert data["changes"] == [
        {"indicator": "engagement_framing", "before": "normalisation", "after": "containment"},
        {"indicator": "benchmark_count", "before": 0, "after": 4},
        {"indicator": "poppy_cultivation_ha", "before": 10800, "after": None},
    ]
    after = data["after"]
    sg1 = next(f for f in after["findings"] if f["rule"] == "SG-1")
    evidence = sg1["evidence"][0]
    assert (evidence["source"], evidence["reliability"], evidence["as_of"]) == (
        HYPOTHETICAL_SOURCE,
        HYPOTHETICAL_GRADE,
        "2024-07-15",
    )
    assert evidence["counted"] is True
    assert after["audit"]["proposal_sha256"] == "" and data["before"]["audit"]["proposal_sha256"] != ""
    assert {f["rule"] for f in data["findings"]} == {"SG-1", "SG-2", "CT-6"}


def test_what_if_from_python(tmp_path: Path) -> None:
    proposal, criteria = load(tmp_path)
    w = reform_gate.what_if(proposal, criteria, {"haven": True, "girls": "partial"})
    assert w.before == reform_gate.score(proposal, criteria)
    assert (w.before.outcome, w.after.outcome) == ("scale-back", "supported")
    assert [r.text for r in w.requirements if not r.before and r.after][:1] == ["overall reform score >= 50"]
    as_of = reform_gate.what_if(proposal, criteria, {"haven": True}, dt.date(2025, 6, 1))
    assert as_of.after.audit.as_of == dt.date(2025, 6, 1)
    assert as_of.after.finding("CT-1").evidence[0].as_of == dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("isisk_operations=sporadc", 'did you mean "sporadic"?'),
        ("safe_haven_denied=True", 'did you mean "true"?'),
        ("poppy_cultivation_ha=-5", "expected: a number of at least 0"),
        ("fh_civil_liberties=61", "expected: a number from 0 to 60"),
        ("poppy_cultivation_ha=lots", "expected: a number, such as 12 or 0.5"),
        ("poppy_cultivation_ha=nan", "expected: a number, such as 12 or 0.5"),
        ("poppy_cultivation_ha=missing", "use --drop poppy_cultivation_ha"),
        ("haven=true", 'did you mean "safe_haven_denied"?'),
        ("no-equals-sign", "expected: INDICATOR=VALUE"),
    ],
)
@pytest.mark.usefixtures("in_repo")
def test_what_if_bad_values(setting: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "what-if", RECOGNITION, "--set", setting)
    assert code == 2 and out == ""
    assert err.startswith("error: --set") and message in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("in_repo")
def test_what_if_needs_a_change(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "what-if", RECOGNITION)
    assert code == 2 and "at least one --set INDICATOR=VALUE or --drop INDICATOR" in err
    code, _, err = _run(capsys, "what-if", RECOGNITION, "--drop", "poppy")
    assert code == 2 and "error: --drop" in err


def test_what_if_library_errors(tmp_path: Path) -> None:
    proposal, criteria = load(tmp_path)
    with pytest.raises(InvalidArgumentError):
        reform_gate.what_if(proposal, criteria, {})
    with pytest.raises(ReformGateError, match=r"observations\.girls\.value"):
        reform_gate.what_if(proposal, criteria, {"girls": "wide open"})
    with pytest.raises(ReformGateError, match="nothing"):
        reform_gate.what_if(proposal, criteria, {"nothing": True})


# --- compare --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("in_repo")
def test_compare_text_golden(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "compare", RECOGNITION, ISISK, "seeds/ru-tapi-pipeline.toml")
    assert (code, err) == (0, "")
    check_golden("analysis/compare-three-seeds.txt", out)


def test_one_proposal_under_two_criteria_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--criteria twice: one column per set, labelled by set, and the findings that differ."""
    path = write(tmp_path)
    stricter = CRITERIA.replace('version = "1.0"', 'version = "2.0"').replace(
        "scale = [50000, 5000]", "scale = [20000, 2000]"
    )
    (tmp_path / "memo2.toml").write_text(stricter, encoding="utf-8")
    code = cli.main(
        [
            "compare",
            str(path),
            "--criteria",
            str(tmp_path / "memo.toml"),
            "--criteria",
            str(tmp_path / "memo2.toml"),
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["format"] == "reform-gate/compare/2"
    assert [c["label"] for c in data["columns"]] == ["memo 1.0", "memo 2.0"]
    assert [d["rule"] for d in data["differences"]] == ["CT-3"]
    assert data["same"] == 6
    row = data["differences"][0]
    assert row["statuses"] == ["partial", "partial"] and row["credits"][0] > row["credits"][1]


def test_compare_labels_are_unique(tmp_path: Path) -> None:
    one = write(tmp_path, name="a.toml")
    two = write(tmp_path, "talks", name="b.toml")
    c = reform_gate.compare(
        [(reform_gate.load_proposal(p), reform_gate.load_criteria(tmp_path / "memo.toml")) for p in (one, two, one)]
    )
    assert [col.label for col in c.columns] == ["memo-embassy (1)", "memo-talks", "memo-embassy (2)"]
    assert [v.requested_tier for v in c.verdicts] == ["embassy", "talks", "embassy"]


@pytest.mark.usefixtures("in_repo")
def test_compare_needs_two_verdicts(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "compare", RECOGNITION)
    assert code == 2 and "two or more verdicts to compare" in err
    with pytest.raises(InvalidArgumentError):
        reform_gate.compare([])


# --- every command writes files as score does ------------------------------------------------------


@pytest.mark.usefixtures("in_repo")
def test_output_is_written_once_and_never_over_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    args = ["what-if", RECOGNITION, "--set", "isisk_operations=none", "--format", "json", "--output", str(target)]
    code, out, _ = _run(capsys, *args)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["after"]["outcome"] == "rejected"
    code, _, err = _run(capsys, *args)
    assert code == 2 and "use --force to replace it" in err
    assert _run(capsys, *args, "--force")[0] == 0


@pytest.mark.usefixtures("in_repo")
def test_analysis_commands_refuse_formats_they_do_not_have(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["what-if", RECOGNITION, "--set", "isisk_operations=none", "--format", "html"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--format" in err and '"html"' in err and "text, json" in err, err


def test_library_argument_checks(tmp_path: Path) -> None:
    proposal, criteria = load(tmp_path)
    with pytest.raises(InvalidArgumentError, match="draws"):
        reform_gate.sensitivity(proposal, criteria, draws=0)
    with pytest.raises(InvalidArgumentError, match="seed"):
        reform_gate.sensitivity(proposal, criteria, seed="1")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="proposal"):
        reform_gate.sensitivity("prop.toml", criteria)  # type: ignore[arg-type]
