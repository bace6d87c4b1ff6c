"""The seeds' shared ledger, seeds/evidence/afghanistan.toml (issue 13): every ru-* seed reads the
counterpart's record from it and keeps only its own design; scoring a seed with the ledger equals
scoring it with the ledger's entries written in; and correcting one date in the ledger changes every
verdict that reads it, and only through that date."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

import reform_gate
from reform_gate import batch
from reform_gate.checks import indicators_of
from tests.property.test_ledger_equals_inlined import _comparable
from tests.seed_util import LEDGER, SEEDS, self_contained

RU = sorted(SEEDS.glob("ru-*.toml"))


def _verdict(path: Path) -> reform_gate.Verdict:
    proposal = reform_gate.load_proposal(path)
    return reform_gate.score(proposal, reform_gate.criteria_for(proposal))


@pytest.mark.parametrize("seed", RU, ids=lambda p: p.stem)
def test_each_ru_seed_keeps_only_its_own_design(seed: Path) -> None:
    """No observation of the counterpart's record is left in a seed: it comes from the ledger."""
    criteria = reform_gate.load_criteria("reform-before-recognition")
    design = {
        ident
        for rule in criteria.rules
        if criteria.pillar(rule.pillar).kind == "safeguard"
        for ident in indicators_of(rule.check)
    }
    data = tomllib.loads(seed.read_text(encoding="utf-8"))
    assert data["proposal"]["evidence"] == ["evidence/afghanistan.toml"]
    assert set(data["observations"]) <= design
    assert "expect" in data


@pytest.mark.parametrize("seed", RU, ids=lambda p: p.stem)
def test_a_seed_scores_alike_with_its_ledger_inlined(seed: Path, tmp_path: Path) -> None:
    inlined = tmp_path / seed.name
    inlined.write_text(tomli_w.dumps(self_contained(seed, latest=False)), encoding="utf-8")
    with_ledger, without = _verdict(seed), _verdict(inlined)
    assert _comparable(with_ledger) == _comparable(without)
    assert [e.id for e in with_ledger.audit.evidence] == ["afghanistan"] and without.audit.evidence == ()


def _run(folder: Path) -> dict[str, dict[str, Any]]:
    errors: list[reform_gate.ReformGateError] = []
    verdicts = {Path(s.verdict.file).name: s.verdict.to_dict() for s in batch.score_files([str(folder)], errors)}
    assert errors == []
    return verdicts


def _uses(verdict: dict[str, Any], indicator: str) -> list[dict[str, Any]]:
    """The evidence items of ``indicator`` in a verdict, with the entries passed over."""
    found = [e for f in verdict["findings"] for e in f["evidence"] if e["indicator"] == indicator]
    return found + [p for e in found for p in e["passed_over"]]


def test_correcting_a_date_in_the_ledger_changes_every_verdict_that_reads_it(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("*.md"))
    before = _run(folder)
    ledger = folder / "evidence" / LEDGER.name
    text = ledger.read_text(encoding="utf-8")
    # Say the vice-and-virtue law was made public on 20 September 2024, not 21 August.
    assert text.count("as_of = 2024-08-21") == 1
    ledger.write_text(text.replace("as_of = 2024-08-21", "as_of = 2024-09-20"), encoding="utf-8")
    after = _run(folder)
    # The proposals that read the ledger under the set whose indicators it is written in.
    readers = {
        name
        for name, v in before.items()
        if v["audit"]["evidence"] and v["audit"]["criteria_id"] == "reform-before-recognition"
    }
    assert {p.name for p in RU} <= readers
    for name in sorted(before):
        if name not in readers:
            # A seed that reads no ledger, or reads it under a set without that indicator.
            assert after[name]["pillars"] == before[name]["pillars"], name
            continue
        # Every verdict that reads the ledger shows the new date (as the entry used, or passed over) ...
        dates = {e["as_of"] for e in _uses(after[name], "vice_virtue_regime")}
        assert "2024-09-20" in dates and "2024-08-21" not in dates, name
        assert after[name]["audit"]["evidence"] != before[name]["audit"]["evidence"]
        assert after[name] != before[name]
    # ... and the TAPI proposal of 11 September 2024 no longer counts the law: morality policing
    # rests on edicts again on that day, and its civil-liberties score rises.
    pillar = {p["id"]: p["score"] for p in before["ru-tapi-pipeline.toml"]["pillars"]}
    moved = {p["id"]: p["score"] for p in after["ru-tapi-pipeline.toml"]["pillars"]}
    assert moved["civil-liberties"] > pillar["civil-liberties"]
    used = next(e for e in _uses(after["ru-tapi-pipeline.toml"], "vice_virtue_regime") if e["counted"])
    assert (used["value"], used["as_of"]) == ("edicts", "2021-09-07")
    # Every other score of the proposals dated after both dates is untouched.
    for name in readers - {
        "ru-tapi-pipeline.toml",
        "ru-isisk-intelligence-sharing.toml",
        "ru-regional-mediation-2021.toml",
    }:
        assert json.dumps(after[name]["pillars"]) == json.dumps(before[name]["pillars"]), name
