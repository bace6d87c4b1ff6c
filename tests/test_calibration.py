"""docs/calibration.md is generated from the shipped sets and the seeds, and must be current."""

from __future__ import annotations

from pathlib import Path

import pytest

from reform_gate.authoring.calibration import build, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def test_calibration_page_matches_the_shipped_sets_and_seeds(at_root: Path) -> None:
    committed = (at_root / "docs" / "calibration.md").read_text(encoding="utf-8")
    assert committed == build(Path("criteria"), Path("seeds")), (
        "docs/calibration.md is stale: run python -m reform_gate.authoring.calibration docs/calibration.md"
    )


def test_the_page_states_the_analysts_cases_with_their_margins(at_root: Path) -> None:
    text = build(Path("criteria"), Path("seeds"))
    channel = text.split("### `hypothetical-2024-intelligence-channel`")[1].split("### ")[0]
    assert "**revise**, the record supports `containment`" in channel
    assert "| safeguards score >= 40 | 35.3 | -4.7 (fails) |" in channel
    carve_out = text.split("### `hypothetical-2021-humanitarian-carve-out`")[1].split("### ")[0]
    assert "**supported**, the record supports `none`" in carve_out


def test_check_fails_on_a_stale_page_and_never_overwrites_a_file_it_did_not_write(
    at_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "calibration.md"
    assert main([str(page)]) == 0
    assert main([str(page), "--check"]) == 0
    page.write_text(page.read_text(encoding="utf-8").replace("35.3", "35.4"), encoding="utf-8")
    assert main([str(page), "--check"]) == 1
    assert "not current" in capsys.readouterr().err
    mine = tmp_path / "mine.md"
    mine.write_text("# my own notes\n", encoding="utf-8")
    assert main([str(mine)]) == 2
    assert mine.read_text(encoding="utf-8") == "# my own notes\n"
