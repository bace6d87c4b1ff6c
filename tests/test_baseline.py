"""``score --baseline`` (issue 3, part 6): only what changed against a stored JSON run."""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import reform_gate
from reform_gate import batch
from reform_gate.baseline import DIFF_FORMAT, compare, counted_outcomes
from reform_gate.errors import InvalidValueError, ReformGateError, UsageError
from reform_gate.load.baseline import essentials, load_baseline, verdicts_of
from reform_gate.render.diff import render_text
from reform_gate.render.json_ import verdict_data
from tests.seed_util import copy_seed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: Every seed proposal (the counts below follow the folder, not a number written down).
SEED_COUNT = len(list(SEEDS.glob("*.toml")))


def exit_code(diff: dict[str, object], fail_below: str) -> int:
    """The exit code of ``score --baseline``: only new proposals and worse outcomes count."""
    return batch.exit_code(counted_outcomes(diff), fail_below)


def _verdict(path: Path) -> dict[str, Any]:
    proposal = reform_gate.load_proposal(path)
    return verdict_data(reform_gate.score(proposal, reform_gate.criteria_for(proposal)))


@pytest.fixture(scope="module")
def seed_run() -> list[dict[str, Any]]:
    return [_verdict(p) for p in sorted(SEEDS.glob("*.toml"))]


def _edited(tmp_path: Path, seed: str, old: str, new: str) -> dict[str, Any]:
    path = copy_seed(seed, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return _verdict(path)


def _only(diff: dict[str, Any]) -> dict[str, Any]:
    assert len(diff["proposals"]) == 1, diff["proposals"]
    entry: dict[str, Any] = diff["proposals"][0]
    return entry


def test_same_run_nothing_changed(seed_run: list[dict[str, Any]]) -> None:
    diff = compare(seed_run, copy.deepcopy(seed_run))
    assert diff["format"] == DIFF_FORMAT
    assert diff["proposals"] == []
    assert diff["summary"]["unchanged"] == len(seed_run)
    # Seeds below the bar are known debt: they do not fail a run against their own baseline.
    assert exit_code(diff, "supported") == 0
    out = io.StringIO()
    render_text(diff, out)
    assert "Nothing changed." in out.getvalue()


def test_outcome_worse_new_blocking_and_score_moves(seed_run: list[dict[str, Any]], tmp_path: Path) -> None:
    seed = "ru-humanitarian-carve-out.toml"
    worse = _edited(tmp_path, seed, 'value = "containment"', 'value = "normalisation"')
    current = [worse if v["proposal"] == worse["proposal"] else v for v in seed_run]
    diff = compare(seed_run, current)
    entry = _only(diff)
    assert entry["status"] == "changed"
    assert entry["outcome"] == {"before": "supported", "after": "revise", "change": "worse"}
    assert [r["subject"] for r in entry["new_blocking"]] == ["SG-1"]
    assert entry["cleared_blocking"] == []
    moved = {(m["score"], m["pillar"]) for m in entry["scores"]}
    assert moved == {("design", None), ("pillar", "safeguards")}
    design = next(m for m in entry["scores"] if m["score"] == "design")
    assert design["delta"] == pytest.approx(design["after"] - design["before"])
    assert design["delta"] < 0
    assert diff["summary"] == {
        "baseline": SEED_COUNT,
        "current": SEED_COUNT,
        "changed": 1,
        "new": 0,
        "gone": 0,
        "unchanged": SEED_COUNT - 1,
        "worse": 1,
        "better": 0,
    }
    assert exit_code(diff, "supported") == 1
    assert exit_code(diff, "revise") == 0  # worse, but still at the bar
    out = io.StringIO()
    render_text(diff, out, "supported")
    text = out.getvalue()
    assert "outcome: supported -> revise  (worse)" in text
    assert "+ new blocking: gate SG-1 passes" in text
    assert "fails: revise is below --fail-below supported" in text

    back = compare(current, seed_run)  # and the way back: better, the gate cleared
    entry = _only(back)
    assert entry["outcome"]["change"] == "better"
    assert [r["subject"] for r in entry["cleared_blocking"]] == ["SG-1"]
    assert exit_code(back, "supported") == 0


def test_new_and_gone_proposals(seed_run: list[dict[str, Any]]) -> None:
    rejected = next(v for v in seed_run if v["outcome"] == "rejected")
    supported = next(v for v in seed_run if v["outcome"] == "supported")
    baseline = [v for v in seed_run if v is not rejected]
    current = [v for v in seed_run if v is not supported]
    diff = compare(baseline, current)
    by_status = {e["status"]: e for e in diff["proposals"]}
    assert set(by_status) == {"new", "gone"}
    assert by_status["new"]["proposal"] == rejected["proposal"]
    assert by_status["new"]["outcome"]["change"] == "new"
    assert by_status["new"]["blocking"]  # a new proposal lists what blocks it
    assert by_status["gone"]["proposal"] == supported["proposal"]
    assert exit_code(diff, "supported") == 1  # the new proposal is below the bar
    assert exit_code(diff, "rejected") == 0
    only_gone = compare(seed_run, current)
    assert exit_code(only_gone, "supported") == 0


def test_score_moves_beyond_005_only(seed_run: list[dict[str, Any]]) -> None:
    current = copy.deepcopy(seed_run)
    current[0]["overall_score"] += 0.05
    current[1]["overall_score"] += 0.051
    current[2]["pillars"][0]["score"] -= 0.2
    diff = compare(seed_run, current)
    keys = [(e["proposal"], [(m["score"], m["pillar"]) for m in e["scores"]]) for e in diff["proposals"]]
    assert keys == [
        (seed_run[1]["proposal"], [("overall", None)]),
        (seed_run[2]["proposal"], [("pillar", seed_run[2]["pillars"][0]["id"])]),
    ]
    assert exit_code(diff, "supported") == 0  # moves alone never fail a run


def test_tier_changes_are_reported(seed_run: list[dict[str, Any]]) -> None:
    current = copy.deepcopy(seed_run)
    at = next(i for i, v in enumerate(seed_run) if v["supported_tier"] is not None)
    current[at]["supported_tier"] = None
    entry = _only(compare(seed_run, current))
    assert entry["supported_tier"] == {"before": seed_run[at]["supported_tier"], "after": None}
    out = io.StringIO()
    render_text(compare(seed_run, current), out)
    assert f"supported tier: {seed_run[at]['supported_tier']} -> none" in out.getvalue()


def test_duplicate_ids_are_matched_by_file(seed_run: list[dict[str, Any]]) -> None:
    twin = copy.deepcopy(seed_run[0]) | {"file": "elsewhere/copy.toml"}
    diff = compare([*seed_run, twin], [*seed_run, twin])
    assert diff["proposals"] == []
    moved = copy.deepcopy(twin) | {"outcome": "rejected"}
    entry = _only(compare([*seed_run, twin], [*seed_run, moved]))
    assert entry["file"] == "elsewhere/copy.toml"


# --- reading the baseline ------------------------------------------------------------------------


def test_baseline_forms(seed_run: list[dict[str, Any]], tmp_path: Path) -> None:
    run = {"format": "reform-gate/run/1", "verdicts": seed_run, "errors": []}
    (tmp_path / "run.json").write_text(json.dumps(run), encoding="utf-8")
    # Each verdict keeps what the comparison reads (its findings, most of its size, are dropped).
    assert load_baseline(tmp_path / "run.json") == [essentials(v) for v in seed_run]
    assert "findings" in seed_run[0] and "findings" not in load_baseline(tmp_path / "run.json")[0]
    one = seed_run[0] | {"format": "reform-gate/verdict/1"}
    (tmp_path / "one.json").write_text(json.dumps(one), encoding="utf-8")
    assert load_baseline(tmp_path / "one.json") == [essentials(one)]
    assert verdicts_of(seed_run[0]) == [seed_run[0]]  # a verdict without its format key still reads


def test_a_version_1_file_reads_as_version_2_does(tmp_path: Path) -> None:
    """A verdict saved by an earlier release (``reform-gate/verdict/1``, rule texts in every finding)
    gives the comparison what today's ``verdict/2`` of the same seed gives, in a run or alone."""
    saved = json.loads((ROOT / "tests" / "baseline_v1" / "ru-tapi-pipeline.json").read_text(encoding="utf-8"))
    assert saved["format"] == "reform-gate/verdict/1" and "rationale" in saved["findings"][0]
    today = _verdict(SEEDS / "ru-tapi-pipeline.toml")
    assert today["format"] == "reform-gate/verdict/2" and "rationale" not in today["findings"][0]
    assert verdicts_of(saved) == [saved]
    unversioned = [{k: v for k, v in essentials(x).items() if k != "format"} for x in (saved, today)]
    assert unversioned[0] == unversioned[1]
    old_run = {"format": "reform-gate/run/1", "verdicts": [saved], "errors": []}
    new_run = {"format": "reform-gate/run/2", "criteria": [], "verdicts": [today], "errors": []}
    (tmp_path / "old.json").write_text(json.dumps(old_run), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new_run), encoding="utf-8")
    assert [{**v, "format": ""} for v in load_baseline(tmp_path / "old.json")] == [
        {**v, "format": ""} for v in load_baseline(tmp_path / "new.json")
    ]
    assert compare(load_baseline(tmp_path / "old.json"), [essentials(today)])["proposals"] == []


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (None, UsageError, "no such file"),
        ("{not json", InvalidValueError, "invalid JSON"),
        ("[]", InvalidValueError, "an array"),
        ('{"format": "reform-gate/diff/1", "proposals": []}', InvalidValueError, '"reform-gate/diff/1"'),
        ('{"format": "something/else"}', InvalidValueError, "something/else"),
        ('{"format": "reform-gate/run/1"}', InvalidValueError, "verdicts"),
        ('{"format": "reform-gate/run/1", "verdicts": [{"proposal": "p"}]}', InvalidValueError, "verdicts[0].outcome"),
        (
            '{"format": "reform-gate/run/1", "verdicts": [{"proposal": "p", "outcome": "supported"}]}',
            InvalidValueError,
            "verdicts[0].overall_score",
        ),
    ],
)
def test_bad_baselines(content: str | None, error: type[ReformGateError], words: str, tmp_path: Path) -> None:
    path = tmp_path / "base.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as caught:
        load_baseline(path)
    assert words in caught.value.render()
    assert str(path) in caught.value.render()


# --- the command ---------------------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_cli_baseline_round_trip(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "proposals")
    done = _cli("score", "proposals/", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1  # some seeds are below "supported"
    (tmp_path / "base.json").write_text(done.stdout, encoding="utf-8")

    done = _cli("score", "proposals/", "--baseline", "base.json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"0 changed (0 worse, 0 better), 0 new, 0 gone, {SEED_COUNT} unchanged." in done.stdout

    seed = tmp_path / "proposals" / "ru-humanitarian-carve-out.toml"
    seed.write_text(seed.read_text(encoding="utf-8").replace('"containment"', '"normalisation"', 1), encoding="utf-8")
    done = _cli("score", "proposals/", "--baseline", "base.json", cwd=tmp_path)
    assert done.returncode == 1
    assert "ru-humanitarian-carve-out-2025" in done.stdout
    assert "outcome: supported -> revise  (worse)" in done.stdout
    done = _cli("score", "proposals/", "--baseline", "base.json", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    diff = json.loads(done.stdout)
    assert diff["format"] == DIFF_FORMAT
    assert diff["baseline"] == "base.json"
    assert diff["summary"]["worse"] == 1
    done = _cli("score", "proposals/", "--baseline", "base.json", "--fail-below", "revise", cwd=tmp_path)
    assert done.returncode == 0

    # A single verdict as the baseline, for a single file.
    single = _cli("score", "proposals/ru-isisk-intelligence-sharing.toml", "--format", "json", cwd=tmp_path)
    (tmp_path / "one.json").write_text(single.stdout, encoding="utf-8")
    done = _cli("score", "proposals/ru-isisk-intelligence-sharing.toml", "--baseline", "one.json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Nothing changed." in done.stdout


def test_cli_missing_or_bad_baseline(tmp_path: Path) -> None:
    done = _cli("score", str(SEEDS), "--baseline", "missing.json", cwd=tmp_path)
    assert done.returncode == 2
    assert "missing.json" in done.stderr
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    done = _cli("score", str(SEEDS), "--baseline", "bad.json", cwd=tmp_path)
    assert done.returncode == 2
    assert "bad.json:1: invalid value" in done.stderr
