"""``reform-gate criteria init`` (docs/cli.md): a commented skeleton that loads, scores and lints
clean as written, never written over a file; with ``--extends``, a derived set."""

from __future__ import annotations

import re
import tomllib

import pytest

import reform_gate
from reform_gate import cli, load
from reform_gate.authoring import criteria_template, lint, template


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_the_skeleton_loads_lints_clean_and_scores(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "criteria", "init", "My Rubric.toml")
    assert (code, err) == (0, "")
    assert (
        out
        == "wrote My Rubric.toml: a criteria set skeleton; check it with: reform-gate criteria lint My Rubric.toml\n"
    )
    c = load.load_criteria(tmp_path / "My Rubric.toml")
    assert c.id == "my-rubric"
    assert lint.lint(c) == []
    # Every table of the format is there, and most lines are explained by a comment.
    text = (tmp_path / "My Rubric.toml").read_text(encoding="utf-8")
    for table in ("[criteria]", "[[pillars]]", "[indicators.", "[[rules]]", "[[tiers]]"):
        assert table in text
    assert "min_pillar_points" in text and text.count("\n#") > 25
    # A proposal written for it by `init` validates and scores.
    assert _run(capsys, "init", "--criteria", "My Rubric.toml", "p.toml")[0] == 0
    proposal = reform_gate.load_proposal(tmp_path / "p.toml")
    assert reform_gate.score(proposal, reform_gate.criteria_for(proposal)).requested_tier == "talks"


def test_init_never_overwrites(tmp_path, capsys) -> None:
    target = tmp_path / "c.toml"
    target.write_text("mine\n", encoding="utf-8")
    code, _, err = _run(capsys, "criteria", "init", str(target))
    assert code == 2 and "cannot write" in err and "choose another name" in err
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_a_derived_skeleton_changes_nothing_until_edited(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _run(capsys, "criteria", "init", "--extends", "reform-before-recognition", "strict.toml")[0] == 0
    c = load.load_criteria(tmp_path / "strict.toml")
    base = load.load_criteria("reform-before-recognition")
    assert (c.id, c.criteria.version) == ("strict", "0.1.0")
    assert (c.rules, c.tiers, c.pillars, c.indicators) == (base.rules, base.tiers, base.pillars, base.indicators)
    # Uncommenting every example still gives a valid set.
    text = (tmp_path / "strict.toml").read_text(encoding="utf-8")
    examples = re.sub(r"^# ((?:\[|[a-z_]+ = ).*)$", r"\1", text, flags=re.M)
    data = tomllib.loads(examples)
    assert set(data) == {"criteria", "drop", "override", "tiers"}
    done = load.load_criteria_text(examples, "examples.toml")
    assert len(done.rules) == len(base.rules) - 1 and len(done.tiers) == len(base.tiers) + 1


def test_a_derived_skeleton_of_a_file_names_it_relative_to_itself(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "base.toml").write_text(criteria_template.criteria_template("base"), encoding="utf-8")
    assert _run(capsys, "criteria", "init", "--extends", "sets/base.toml", "derived/mine.toml")[0] == 0
    assert 'extends = "../sets/base.toml"' in (tmp_path / "derived" / "mine.toml").read_text(encoding="utf-8")
    assert load.load_criteria(tmp_path / "derived" / "mine.toml").rules == load.load_criteria("sets/base.toml").rules


@pytest.mark.parametrize(("name", "ident"), [("a b.toml", "a-b"), ("___.toml", "my-criteria")])
def test_ids_from_file_names(tmp_path, name: str, ident: str) -> None:
    from pathlib import Path

    assert criteria_template.criteria_id_for(Path(name)) == ident
    template.write_new(tmp_path / name, criteria_template.criteria_template(ident))
    assert load.load_criteria(tmp_path / name).id == ident
