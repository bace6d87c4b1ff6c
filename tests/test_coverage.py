"""``verify --coverage`` (docs/scoring.md, "Coverage: what the expectations test"): a rule is covered
when flipping it changes some verified verdict, a tier when some verified proposal asks for it; the
shipped seeds cover the shipped set entirely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reform_gate
from reform_gate import batch, cli
from reform_gate.engine.coverage import decide, flipped_rules, standing_of

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))

CRITERIA = """
[criteria]
id = "cov"
version = "1"
title = "Coverage"

[[pillars]]
id = "ct"
kind = "reform"
weight = 1
title = "Counterterrorism"

[[pillars]]
id = "sg"
kind = "safeguard"
weight = 1
title = "Safeguards"

[indicators.a]
type = "bool"
title = "A"

[indicators.b]
type = "bool"
title = "B"

[indicators.s]
type = "bool"
title = "S"

[[rules]]
id = "A"
pillar = "ct"
weight = 1
title = "A"
check = { indicator = "a", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "B"
pillar = "ct"
weight = 1
title = "B"
check = { indicator = "b", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "S"
pillar = "sg"
weight = 1
gate = true
title = "S"
check = { indicator = "s", equals = true }
rationale = "r"
remedy = "m"
references = []

[[tiers]]
id = "low"
title = "Low"
min_met = { count = 1, among = ["A", "B"] }

[[tiers]]
id = "high"
title = "High"
min_met = 2
gates = ["S"]
"""


def _proposal(files, name: str, tier: str, observed: dict[str, str], outcome: str, supported: str) -> Path:
    # Each proposal its own id: two files of one run with one id are an error.
    head = files.proposal_head(tier).replace('id = "p"', f'id = "{Path(name).stem}"')
    text = head + "".join(files.obs(k, v) for k, v in observed.items())
    text += f'\n[expect]\noutcome = "{outcome}"\nsupported_tier = "{supported}"\n'
    return files.write(name, text)


def test_a_rule_is_covered_when_its_flip_changes_a_verified_verdict(files) -> None:
    files.write("crit.toml", CRITERIA)
    # Only A met: low holds; A alone decides it (flip -> none), B alone would lift it to high's count.
    _proposal(files, "one.toml", "low", {"a": "true", "b": "false", "s": "true"}, "supported", "low")
    found = batch.verify_files([str(files.folder)], coverage=True)
    (cov,) = found.coverage
    assert {r.rule: r.covered for r in cov.rules} == {"A": True, "B": True, "S": False}
    assert {t.tier: t.covered for t in cov.tiers} == {"low": True, "high": False}
    assert (cov.rule_percent, cov.tier_percent) == (pytest.approx(200 / 3), 50.0)
    assert found.below(60) == [cov] and found.below(50) == []
    # Asking for high with S failing: S is then what decides supported against revise.
    _proposal(files, "two.toml", "high", {"a": "true", "b": "true", "s": "false"}, "revise", "high")
    (cov,) = batch.verify_files([str(files.folder)], coverage=True).coverage
    assert all(r.covered for r in cov.rules) and all(t.covered for t in cov.tiers)
    assert dict((r.rule, r.covered_by) for r in cov.rules)["S"] == (str(files.folder / "two.toml"),)


def test_a_failing_expectation_covers_nothing(files) -> None:
    files.write("crit.toml", CRITERIA)
    _proposal(files, "wrong.toml", "low", {"a": "true", "b": "false", "s": "true"}, "supported", "high")
    found = batch.verify_files([str(files.folder)], coverage=True)
    assert found.failed == 1 and found.coverage == ()


def test_without_coverage_nothing_is_measured() -> None:
    assert batch.verify_files([str(ROOT / "seeds")]).coverage == ()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_the_decision_on_a_verdicts_own_standing_is_the_verdict(seed: Path) -> None:
    proposal = reform_gate.load_proposal(seed)
    c = reform_gate.criteria_for(proposal)
    v = reform_gate.score(proposal, c)
    assert decide(c, standing_of(v, c), v.requested_tier) == (v.outcome, v.supported_tier)


def test_flips_of_a_seed() -> None:
    """In 2034 recognition is one reform short: each unmet reform rule alone would lift it."""
    proposal = reform_gate.load_proposal(ROOT / "seeds" / "hypothetical-2034-recognition-one-reform-short.toml")
    c = reform_gate.criteria_for(proposal)
    v = reform_gate.score(proposal, c)
    unmet = [f.rule for f in v.findings if f.pillar != "safeguards" and f.status != "met"]
    assert unmet == ["CT-4", "CT-7", "CL-2", "CL-5", "IP-3", "IP-5", "IP-7"]
    assert set(unmet) <= set(flipped_rules(v, c))


def test_the_shipped_seeds_cover_every_shipped_rule_and_tier() -> None:
    found = batch.verify_files([str(ROOT / "seeds")], coverage=True)
    assert found.failed == 0 and not found.errors
    shipped = set(reform_gate.load.shipped_criteria())
    assert {c.criteria for c in found.coverage} == shipped
    for cov in found.coverage:
        assert [r.rule for r in cov.rules if not r.covered] == [], cov.criteria
        assert [t.tier for t in cov.tiers if not t.covered] == [], cov.criteria
        assert (cov.rule_percent, cov.tier_percent) == (100.0, 100.0)


# --- the command ------------------------------------------------------------------------------------


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_cli_coverage_text_and_exit_codes(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = _run(capsys, "verify", "--min-coverage", "100", "seeds/")
    assert code == 0
    assert out.endswith(
        "coverage of reform-before-recognition 1.0.0 (reform_gate/criteria/reform-before-recognition.toml), "
        f"{len(SEEDS)} verified proposals\n"
        "  rules 28 of 28 (100.0 %)\n"
        "  tiers 6 of 6 (100.0 %)\n"
    )
    code, out, _ = _run(capsys, "verify", "--min-coverage", "50", "seeds/ru-formal-recognition.toml")
    assert code == 1
    assert "  tiers 1 of 6 (16.7 %); not covered: containment, humanitarian, dialogue" in out
    assert out.rstrip().endswith("BELOW 50 %")
    # --coverage alone reports and never fails on it.
    assert _run(capsys, "verify", "--coverage", "seeds/ru-formal-recognition.toml")[0] == 0
    code, _, err = _run(capsys, "verify", "--min-coverage", "101", "seeds/")
    assert code == 2 and "--min-coverage: usage error" in err


def test_cli_json_is_parsed_back(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = _run(capsys, "verify", "--format", "json", "--coverage", "seeds/")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "reform-gate/verify/1" and data["errors"] == []
    assert len(data["expectations"]) == len(SEEDS) and all(e["holds"] for e in data["expectations"])
    (cov,) = data["coverage"]
    assert (cov["criteria"], cov["rules"]["covered"], cov["rules"]["total"], cov["rules"]["percent"]) == (
        "reform-before-recognition",
        28,
        28,
        100.0,
    )
    assert {t["tier"]: len(t["requested_by"]) for t in cov["tiers"]["each"]}["recognition"] == 3
    code, out, _ = _run(capsys, "verify", "--format", "json", "seeds/ru-formal-recognition.toml")
    assert code == 0 and json.loads(out)["coverage"] is None
