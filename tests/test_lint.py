"""``reform-gate criteria lint`` (docs/cli.md): each finding class is found in a file made to have
it, on the line marked for it, and nowhere else; the shipped sets have none."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reform_gate import cli, load
from reform_gate.authoring import lint

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "lint_cases"
CASE_FILES = sorted(CASES.glob("L*.toml"))


def test_there_is_a_case_for_every_finding_id() -> None:
    assert [p.name.split("-")[0] for p in CASE_FILES] == sorted(lint.CHECKS)
    for p in CASE_FILES:
        ident = p.name.split("-")[0]
        assert p.stem == f"{ident}-{lint.CHECKS[ident][0]}"


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_each_case_has_its_finding_on_its_marked_line_and_no_other(case: Path) -> None:
    ident = case.name.split("-")[0]
    findings = lint.lint(load.load_criteria(case))
    assert [f.id for f in findings] == [ident]
    lines = case.read_text(encoding="utf-8").splitlines()
    (finding,) = findings
    assert finding.line is not None
    assert lines[finding.line - 1].endswith(f"# <- {ident}")
    assert finding.message and finding.fix


def test_the_clean_case_has_no_finding() -> None:
    assert lint.lint(load.load_criteria(CASES / "clean.toml")) == []


@pytest.mark.parametrize("ident", sorted(load.shipped_criteria()))
def test_shipped_sets_have_no_finding(ident: str) -> None:
    assert lint.lint(load.load_criteria(ident)) == []


def test_findings_in_words() -> None:
    """The exact text of a few findings: what is wrong, with the numbers, and the fix."""
    (bar,) = lint.lint(load.load_criteria(CASES / "L006-bar-between-scores.toml"))
    assert bar.path == "tiers[talks].min_pillar.security"
    assert bar.message == (
        "the bar 50 lies between two achievable values of the security score, 0 and 100: "
        "any bar above 0 up to 100 gives the same verdicts"
    )
    assert bar.fix == (
        "write 100, the lowest achievable security score at or above the bar "
        "(or min_pillar_points = { security = 1 }, exactly)"
    )
    (rising,) = lint.lint(load.load_criteria(CASES / "L002-ladder-not-rising.toml"))
    assert rising.message == (
        "tier embassy asks less of the record than talks below it: talks needs security score >= 100, embassy does not"
    )
    (never,) = lint.lint(load.load_criteria(CASES / "L004-full-credit-impossible.toml"))
    assert never.path == "rules[RT-1].check"
    assert "best credit is 0.83" in never.message and "runs from 0 to 100" in never.message


def test_a_ladder_that_falls_inside_any_of(files) -> None:
    """An ``any_of`` of the lower tier that no way of meeting the higher one implies is a finding."""
    text = (CASES / "clean.toml").read_text(encoding="utf-8")
    text = text.replace(
        "min_pillar = { security = 100, design = 100 }",
        "min_pillar = { security = 100, design = 100 }\n"
        "any_of = [ { min_pillar = { rights = 50 } }, { min_score = 70 } ]",
    )
    found = lint.lint(files.criteria(text))
    assert [f.id for f in found] == ["L002"]
    assert "talks needs one of rights score >= 50 | overall reform score >= 70" in found[0].message
    fixed = text.replace("min_score = 60\n", "min_score = 70\n")
    assert lint.lint(files.criteria(fixed, "fixed.toml")) == []


def test_points_bars_are_compared_as_shares(files) -> None:
    """A points bar of 1 on a pillar weighing 1 is the same bar as a score of 100: the ladder rises."""
    text = (CASES / "clean.toml").read_text(encoding="utf-8")
    text = text.replace("min_pillar = { security = 100 }\n", "min_pillar_points = { security = 1 }\n")
    assert lint.lint(files.criteria(text)) == []
    lower = text.replace("min_pillar_points = { security = 1 }\n", "min_pillar_points = { security = 0.5 }\n")
    assert [f.id for f in lint.lint(files.criteria(lower, "lower.toml"))] == ["L002", "L006"]


# --- the command ------------------------------------------------------------------------------------


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_cli_exit_codes_and_text(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert _run(capsys, "criteria", "lint", "tests/lint_cases/clean.toml") == (0, "no findings in 1 criteria set\n", "")
    code, out, err = _run(capsys, "criteria", "lint", "tests/lint_cases/L003-waivable-not-gate.toml")
    assert (code, err) == (1, "")
    assert out == (
        "tests/lint_cases/L003-waivable-not-gate.toml:72: L003 waivable-not-gate: rules[RT-2].waivable\n"
        "  rule RT-2 is waivable but not a gate: a waiver only ever lets a gate pass, so it changes nothing\n"
        "  fix: remove waivable = true, or make RT-2 a gate (gate = true) that a tier names\n"
        "1 finding in 1 criteria set\n"
    )


def test_cli_json_is_parsed_back(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = _run(
        capsys, "criteria", "lint", "--format", "json", "tests/lint_cases/clean.toml", *map(str, CASE_FILES)
    )
    assert code == 1
    data = json.loads(out)
    assert data["format"] == lint.LINT_FORMAT == "reform-gate/lint/1"
    assert data["errors"] == []
    assert [s["file"] for s in data["sets"]] == [
        "tests/lint_cases/clean.toml",
        *(f"tests/lint_cases/{p.name}" for p in CASE_FILES),
    ]
    assert [[f["id"] for f in s["findings"]] for s in data["sets"]] == [[], *([p.name[:4]] for p in CASE_FILES)]
    first = data["sets"][1]["findings"][0]
    assert set(first) == {"id", "name", "path", "line", "message", "fix", "suggested"}


def test_cli_invalid_input_exits_2_and_lints_the_rest(capsys, files, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    bad = files.write("bad.toml", "[criteria]\nid = 1\n")
    code, out, err = _run(capsys, "criteria", "lint", str(bad), "tests/lint_cases/clean.toml", "--format", "json")
    assert code == 2
    data = json.loads(out)
    assert [s["criteria"] for s in data["sets"]] == ["lint-clean"]
    assert data["errors"] and data["errors"][0]["file"] == str(bad)
    assert err.startswith(f"error: {bad}")


def test_library_render_text_counts(capsys) -> None:
    reports = lint.lint_files([str(CASES / "clean.toml"), str(CASES / "L007-unread-indicator.toml")], [])
    out = io.StringIO()
    lint.render_text(reports, out)
    assert out.getvalue().endswith("1 finding in 2 criteria sets\n")
