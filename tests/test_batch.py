"""The library's verbs: one call per command, bad files collected while the rest go on."""

from __future__ import annotations

from pathlib import Path

import pytest

import reform_gate
from reform_gate import batch
from reform_gate.errors import InvalidFileError, ReformGateError, UsageError
from tests.seed_util import copy_seed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.mark.parametrize(
    ("outcomes", "fail_below", "invalid", "failed", "code"),
    [
        ([], "supported", False, False, 0),
        (["supported", "revise"], "supported", False, False, 1),
        (["supported", "revise"], "revise", False, False, 0),
        (["rejected"], "rejected", False, False, 0),
        (["supported"], "supported", True, False, 2),
        (["rejected"], "supported", True, True, 2),
        ([], "supported", False, True, 1),
    ],
)
def test_exit_code(outcomes: list[str], fail_below: str, invalid: bool, failed: bool, code: int) -> None:
    """2 for invalid input whatever else, 1 below the bar or for a failed check, else 0."""
    assert batch.exit_code(outcomes, fail_below, invalid=invalid, failed=failed) == code


def test_score_files_collects_bad_files_and_goes_on(tmp_path: Path) -> None:
    """A broken file is one error; every other proposal is scored, in sorted order."""
    copy_seed("ru-formal-recognition.toml", tmp_path).rename(tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text("[proposal\n", encoding="utf-8")
    copy_seed("ru-tapi-pipeline.toml", tmp_path).rename(tmp_path / "c.toml")
    errors: list[ReformGateError] = []
    seen: list[tuple[int, int, str]] = []
    scored = list(
        batch.score_files(
            [str(tmp_path)], errors, criteria="reform-before-recognition", on_file=lambda *a: seen.append(a)
        )
    )
    assert [s.proposal.id for s in scored] == ["ru-formal-recognition-2025", "ru-tapi-pipeline-2024"]
    assert [e.file for e in errors] == [str(tmp_path / "b.toml")]
    # The evidence file the two seeds read is searched too (and skipped, as criteria files are).
    assert [(done, total) for done, total, _ in seen] == [(0, 4), (1, 4), (2, 4), (3, 4)]


def test_score_files_refuses_paths_without_a_proposal(tmp_path: Path) -> None:
    """A folder with no proposal ends in a UsageError: a CI job on the wrong folder must not pass."""
    errors: list[ReformGateError] = []
    with pytest.raises(UsageError):
        list(batch.score_files([str(tmp_path)], errors))
    assert list(batch.score_files([str(tmp_path)], errors, require=False)) == []


def test_criteria_sets_are_loaded_once_per_batch() -> None:
    """Two proposals naming the same set get the very same criteria object."""
    sets = batch.CriteriaSets()
    a = reform_gate.load_proposal(SEEDS / "ru-formal-recognition.toml")
    b = reform_gate.load_proposal(SEEDS / "ru-tapi-pipeline.toml")
    assert sets(a) is sets(b)


def test_validate_files_counts_files_and_keeps_every_problem(tmp_path: Path) -> None:
    """Each invalid file is one entry, holding all of its problems."""
    good = copy_seed("ru-formal-recognition.toml", tmp_path).read_text(encoding="utf-8")
    bad = good.replace('reliability = "A1"', 'reliability = "a1"').replace("source = ", "sourcee = ", 1)
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    found = batch.validate_files([str(tmp_path)])
    assert found.checked == 3  # the seed, its bad twin, and the evidence file they read
    assert len(found.errors) == 1
    assert isinstance(found.errors[0], InvalidFileError)
    assert len(found.errors[0].problems()) >= 2


def test_verify_files_holds_each_verdict_against_its_expectation() -> None:
    """Every seed's [expect] holds."""
    found = batch.verify_files([str(SEEDS)])
    assert found.errors == ()
    assert found.failed == 0
    assert len(found.expectations) == len(list(SEEDS.glob("*.toml")))
