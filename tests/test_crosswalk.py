"""The three shipped sets share indicators: docs/crosswalk.md maps them, one proposal file scores
under each, and their rule pages are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from reform_gate import load_proposal, score
from reform_gate.authoring import rule_docs
from reform_gate.authoring.crosswalk import build, main
from reform_gate.errors import ReformGateError
from reform_gate.load import load_criteria, validate_proposal

ROOT = Path(__file__).resolve().parents[1]
SETS = ["reform-before-recognition", "eu-benchmarks-2021", "unsc-2593"]


def test_crosswalk_page_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert (ROOT / "docs" / "crosswalk.md").read_text(encoding="utf-8") == build(Path("criteria")), (
        "docs/crosswalk.md is stale: run python -m reform_gate.authoring.crosswalk docs/crosswalk.md"
    )


def test_crosswalk_names_the_readers_of_a_shared_indicator_in_every_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    row = next(line for line in build(Path("criteria")).splitlines() if line.startswith("| `safe_haven_denied`"))
    assert row.endswith("| CT-1 *gate* | B1-1 *gate* | D1-1 *gate* |")


def test_check_flags_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    page = tmp_path / "crosswalk.md"
    assert main([str(page)]) == 0
    assert main([str(page), "--check"]) == 0
    page.write_text(page.read_text(encoding="utf-8").replace("CT-1", "CT-9"), encoding="utf-8")
    assert main([str(page), "--check"]) == 1


@pytest.mark.parametrize("criteria_id", SETS)
def test_one_carve_out_file_is_supported_under_every_shipped_set(criteria_id: str) -> None:
    proposal = load_proposal(ROOT / "seeds" / "hypothetical-2021-humanitarian-carve-out.toml")
    c = load_criteria(criteria_id)
    validate_proposal(proposal, c)
    v = score(proposal, c)
    assert (v.outcome, v.supported_tier, v.outside_ladder) == ("supported", None, True)
    assert v.audit.criteria_id == criteria_id


def test_indicators_a_set_lacks_are_left_aside_with_a_warning_under_another_set() -> None:
    proposal = load_proposal(ROOT / "seeds" / "eu-hypothetical-2036-recognition-at-the-bar.toml")
    c = load_criteria("reform-before-recognition")
    validate_proposal(proposal, c)  # humanitarian_access and safe_departure are not its indicators
    v = score(proposal, c)
    left = sorted(w.subject for w in v.warnings if w.code == "indicator-left-aside")
    assert left == ["humanitarian_access", "safe_departure"]
    # Under the set it names, the same indicators count and nothing is left aside.
    own = score(proposal, load_criteria("eu-benchmarks-2021"))
    assert not [w for w in own.warnings if w.code == "indicator-left-aside"]
    assert own.outcome == "supported"


def test_an_unknown_indicator_is_still_an_error_under_the_set_the_proposal_names(tmp_path: Path) -> None:
    seed = (ROOT / "seeds" / "hypothetical-2024-intelligence-channel.toml").read_text(encoding="utf-8")
    bad = tmp_path / "p.toml"
    seed = seed.replace('evidence = ["evidence/afghanistan.toml"]\n', "")
    bad.write_text(seed.replace("[observations.snapback]", "[observations.snapbak]"), encoding="utf-8")

    with pytest.raises(ReformGateError, match='"snapbak"'):
        validate_proposal(load_proposal(bad), load_criteria("reform-before-recognition"))


@pytest.mark.parametrize("criteria_id", SETS[1:])
def test_rule_pages_of_the_other_sets_are_current(criteria_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert rule_docs.main(["--check", "--criteria", criteria_id, f"docs/rules-{criteria_id}"]) == 0
