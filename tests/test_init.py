"""``reform-gate init`` (issue 3, part 5): a template that validates, fills in and scores."""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import reform_gate
from reform_gate.authoring.schema import json_view, proposal_schema
from reform_gate.authoring.template import proposal_template, write_new
from reform_gate.errors import WriteError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "criteria" / "reform-before-recognition.toml"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def _uncomment(text: str, indicator: str, **values: str) -> str:
    """Uncomment one stub's table and set some of its keys (values are TOML text)."""
    lines = text.splitlines()
    start = lines.index(f"# [observations.{indicator}]")
    end = start + 1
    while end < len(lines) and lines[end].startswith("# ") and not lines[end].startswith("# ---"):
        end += 1
    for i in range(start, end):
        line = lines[i][2:]
        key = line.split(" = ")[0]
        lines[i] = f"{key} = {values[key]}" if key in values else line
    return "\n".join(lines) + "\n"


def test_fresh_template_is_valid_and_scores(tmp_path: Path) -> None:
    done = _cli("init", "--tier", "dialogue", "proposals/new.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote proposals/new.toml" in done.stdout
    path = tmp_path / "proposals" / "new.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["proposal"]["tier"] == "dialogue"
    assert data["proposal"]["criteria"] == "reform-before-recognition"
    assert data["proposal"]["id"] == "new"
    assert "observations" not in data  # every stub is commented out
    done = _cli("validate", "proposals/new.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 of 1 file valid" in done.stdout
    done = _cli("score", "proposals/new.toml", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["outcome"] == "rejected"


def test_init_then_fill_one_observation_then_validate_and_score(tmp_path: Path) -> None:
    assert _cli("init", "p.toml", "--tier", "containment", cwd=tmp_path).returncode == 0
    path = tmp_path / "p.toml"
    date = tomllib.loads(path.read_text(encoding="utf-8"))["proposal"]["date"].isoformat()
    text = _uncomment(
        path.read_text(encoding="utf-8"),
        "safe_haven_denied",
        value="true",
        source='"UN Monitoring Team"',
        reliability='"B2"',
    )
    path.write_text(text, encoding="utf-8")
    done = _cli("validate", "p.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = _cli("score", "p.toml", "--format", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    verdict = json.loads(done.stdout)
    ct1 = next(f for f in verdict["findings"] if f["rule"] == "CT-1")
    assert ct1["status"] == "met"
    assert ct1["evidence"][0]["as_of"] == date
    assert verdict["pillars"][0]["score"] > 0


def test_every_stub_uncommented_is_valid_toml_and_weak_evidence(tmp_path: Path) -> None:
    """Uncommenting every stub unedited gives a valid proposal whose placeholders earn nothing."""
    criteria = reform_gate.load_criteria(SHIPPED)
    text = proposal_template(criteria, tier="recognition", proposal_id="all", date=_dt.date(2025, 7, 3))
    for ident in criteria.indicators:
        text = _uncomment(text, ident)
    path = tmp_path / "all.toml"
    path.write_text(text, encoding="utf-8")
    proposal = reform_gate.load_proposal(path)
    assert list(proposal.observations) == list(criteria.indicators)
    reform_gate.validate_proposal(proposal, criteria)
    verdict = reform_gate.score(proposal, criteria)
    assert verdict.outcome == "rejected"
    assert all(e.problem == "weak" for f in verdict.findings for e in f.evidence)
    schema = Draft202012Validator(proposal_schema(criteria), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(schema.iter_errors(json_view(tomllib.loads(text)))) == []


def test_every_indicator_has_a_commented_stub_with_its_type() -> None:
    criteria = reform_gate.load_criteria(SHIPPED)
    text = proposal_template(criteria, date=_dt.date(2025, 7, 3))
    for ident in criteria.indicators:
        assert f"# [observations.{ident}]" in text
    assert '# Type level. Value: one of "closed" < "partial" < "open" (worst first).' in text
    assert "# Type number. Value: a number from 0 to 100 (%)." in text
    assert "# Type number. Value: a number, at least 0 (ha)." in text
    assert "# Type bool. Value: true or false." in text
    assert "Read by CT-1 (gate)." in text
    assert 'tier = "containment"' in text  # the lowest tier by default
    assert all(len(line) <= 100 or line.startswith("summary") for line in text.splitlines())


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("# mine\n", encoding="utf-8")
    done = _cli("init", "p.toml", cwd=tmp_path)
    assert done.returncode == 2
    assert "p.toml: cannot write" in done.stderr
    assert "a file that already exists" in done.stderr
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml"]  # no temporary file left


def test_init_usage_errors(tmp_path: Path) -> None:
    done = _cli("init", "--tier", "dialog", "p.toml", cwd=tmp_path)
    assert done.returncode == 2
    assert 'did you mean "dialogue"?' in done.stderr
    done = _cli("init", "--criteria", "nope", "p.toml", cwd=tmp_path)
    assert done.returncode == 2
    assert not (tmp_path / "p.toml").exists()


def test_init_with_a_criteria_file_names_it_relative_to_the_proposal(tmp_path: Path) -> None:
    (tmp_path / "rubric").mkdir()
    (tmp_path / "rubric" / "mine.toml").write_bytes(SHIPPED.read_bytes())
    done = _cli(
        "init", "--criteria", "rubric/mine.toml", "--schema", "../proposal.schema.json", "props/a.toml", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "props" / "a.toml").read_text(encoding="utf-8")
    assert text.startswith("#:schema ../proposal.schema.json\n")
    assert tomllib.loads(text)["proposal"]["criteria"] == "../rubric/mine.toml"
    assert _cli("validate", "props/a.toml", cwd=tmp_path).returncode == 0


def test_write_new_is_atomic_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    write_new(path, "a = 1\n")
    assert path.read_text(encoding="utf-8") == "a = 1\n"
    with pytest.raises(WriteError):
        write_new(path, "a = 2\n")
    assert path.read_text(encoding="utf-8") == "a = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.toml"]
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_init_with_evidence_reads_the_ledger_and_stubs_only_the_design(tmp_path: Path) -> None:
    """--evidence names the ledger, takes its counterpart, and leaves its indicators out of the stubs;
    filled in and scored, the new proposal reads the record from the ledger."""
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "afghanistan.toml").write_bytes((ROOT / "seeds/evidence/afghanistan.toml").read_bytes())
    done = _cli(
        "init", "--tier", "containment", "--evidence", "evidence/afghanistan.toml", "proposals/talks.toml", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "wrote proposals/talks.toml: a containment proposal for reform-before-recognition, "
        "13 indicator stubs, reading 1 evidence file\n"
    )
    path = tmp_path / "proposals" / "talks.toml"
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["proposal"]["evidence"] == ["../evidence/afghanistan.toml"]
    assert data["proposal"]["counterpart"] == "Taliban de-facto authorities"
    assert "# [observations.safe_haven_denied]" not in text  # in the ledger: no stub
    assert "# [observations.engagement_framing]" in text  # the design: a stub
    assert "# [observations.inclusive_dialogue]" in text  # the ledger has no entry for it
    assert "These indicators come from ../evidence/afghanistan.toml: safe_haven_denied," in text
    date = data["proposal"]["date"].isoformat()
    text = _uncomment(text, "engagement_framing", value='"containment"', source='"Proposal text"', reliability='"A1"')
    path.write_text(text.replace(f"date = {date}", "date = 2024-07-15", 1), encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace(f"as_of = {date}", "as_of = 2024-07-15")
    path.write_text(text, encoding="utf-8")
    done = _cli("score", "proposals/talks.toml", "--format", "json", cwd=tmp_path)
    verdict = json.loads(done.stdout)
    assert verdict["audit"]["evidence"][0]["id"] == "afghanistan"
    ct3 = next(f for f in verdict["findings"] if f["rule"] == "CT-3")
    assert ct3["status"] == "met"
    assert verdict["supported_tier"] == "containment"
