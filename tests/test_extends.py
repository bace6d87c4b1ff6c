"""Derived criteria sets (docs/format.md, "Derived sets"): ``extends`` is resolved by the loader into
one plain set, printed by ``criteria show --resolved``; mistakes in the derived parts are errors with
the file, line, key path and a "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

import reform_gate
from reform_gate import cli, errors, load
from reform_gate.authoring import describe, lint
from reform_gate.load.digest import digest_of

BASE = "reform-before-recognition"

DERIVED = """
[criteria]
extends = "reform-before-recognition"
id = "rbr-strict"
version = "1.1.0"
title = "Reform before recognition, stricter on dialogue"

[drop]
rules = ["CT-7"]
tiers = ["humanitarian"]

[override.rules.CT-5]
weight = 4

[override.tiers.dialogue]
min_score = 10
unset = ["gates"]

[[tiers]]
id = "minimal-presence"
title = "Minimal presence"
after = "dialogue"
min_pillar_points = { counterterrorism = 8 }
gates = ["SG-1"]
"""


def _error(files, text: str, name: str = "derived.toml") -> errors.ReformGateError:
    path = files.write(name, text)
    with pytest.raises(errors.ReformGateError) as info:
        load.load_criteria(path)
    return info.value


def _line(files, name: str, needle: str) -> int:
    lines = (files.folder / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_the_derived_set_is_the_base_with_its_changes(files) -> None:
    base = load.load_criteria(BASE)
    c = files.criteria(DERIVED, "derived.toml")
    assert (c.id, c.criteria.version, c.criteria.title) == ("rbr-strict", "1.1.0", DERIVED.split('title = "')[1][:47])
    assert c.criteria.max_evidence_age_days == base.criteria.max_evidence_age_days
    assert [r.id for r in c.rules] == [r.id for r in base.rules if r.id != "CT-7"]
    assert c.rule("CT-5").weight == 4 and c.rule("CT-5").title == base.rule("CT-5").title
    assert [t.id for t in c.tiers] == [
        "containment",
        "dialogue",
        "minimal-presence",
        "diplomatic-presence",
        "economic",
        "recognition",
    ]
    dialogue = c.tier("dialogue")
    assert (dialogue.min_score, dialogue.gates, dialogue.min_pillar) == (10, None, base.tier("dialogue").min_pillar)
    assert c.tier("minimal-presence").min_pillar_points == {"counterterrorism": 8}
    assert not hasattr(c.criteria, "extends")


def test_show_resolved_prints_toml_that_loads_to_the_same_set(files, capsys) -> None:
    c = files.criteria(DERIVED, "derived.toml")
    text = describe.resolved_toml(c)
    assert "extends =" not in text and "[override" not in text and "[drop]" not in text
    again = load.load_criteria_text(text, "resolved.toml")
    assert again == c
    # The digest is of the resolved content: the same as the plain set's.
    assert c.origin is not None and again.origin is not None
    assert c.origin.sha256 == again.origin.sha256 == digest_of(again)
    assert cli.main(["criteria", "show", "--resolved", str(files.folder / "derived.toml")]) == 0
    assert capsys.readouterr().out == text


def test_a_proposal_scores_under_a_derived_set(files, root) -> None:
    files.write("derived.toml", DERIVED)
    proposal = reform_gate.load_proposal(root / "seeds" / "ru-counternarcotics-cooperation.toml")
    c = reform_gate.criteria_for(proposal, str(files.folder / "derived.toml"))
    v = reform_gate.score(proposal, c)
    assert v.audit.criteria_id == "rbr-strict" and v.audit.criteria_version == "1.1.0"
    assert v.audit.criteria_sha256 == digest_of(c)
    # The overridden rule points at its override; rules from the base at no line of this file.
    assert v.finding("CT-5").rule_line == _line(files, "derived.toml", "[override.rules.CT-5]")
    assert v.finding("CT-1").rule_line is None


def test_a_base_path_is_relative_to_the_derived_file_and_chains(files, monkeypatch, tmp_path) -> None:
    files.write("sets/middle.toml", DERIVED)
    files.write(
        "sets/top.toml",
        '[criteria]\nextends = "middle.toml"\nid = "rbr-top"\nversion = "1"\n\n[override.rules.CT-1]\nweight = 6\n',
    )
    monkeypatch.chdir(tmp_path.parent)
    c = load.load_criteria(files.folder / "sets" / "top.toml")
    assert (c.id, c.rule("CT-1").weight, c.rule("CT-5").weight) == ("rbr-top", 6, 4)
    assert "minimal-presence" in [t.id for t in c.tiers]


def test_lint_points_at_the_derived_file(files) -> None:
    """Dropping CT-7 leaves its indicator unread, and dropping humanitarian its gate SG-8 unused; the
    new rung asks less than dialogue below it. Each finding points where the derived file says so."""
    c = files.criteria(DERIVED, "derived.toml")
    found = {(f.id, f.path): f.line for f in lint.lint(c)}
    extends = _line(files, "derived.toml", "extends =")
    assert found == {
        ("L002", "tiers[minimal-presence]"): _line(files, "derived.toml", 'id = "minimal-presence"') - 1,
        ("L007", "indicators.poppy_cultivation_change_pct"): extends,
        ("L008", "rules[SG-8].gate"): extends,
    }


# --- errors ----------------------------------------------------------------------------------------


def test_a_cycle_is_an_error(files) -> None:
    files.write("a.toml", '[criteria]\nextends = "b.toml"\nid = "a"\nversion = "1"\n')
    files.write("b.toml", '[criteria]\nextends = "a.toml"\nid = "b"\nversion = "1"\n')
    with pytest.raises(errors.InvalidValueError) as info:
        load.load_criteria(files.folder / "a.toml")
    assert info.value.render() == (
        f"{files.folder / 'b.toml'}:2: criteria.extends: invalid value\n"
        "  expected: a base that does not extend this set again\n"
        "  found:    a cycle: a.toml extends b.toml extends a.toml"
    )


def test_a_set_that_extends_itself_is_a_cycle(files) -> None:
    err = _error(files, '[criteria]\nextends = "derived.toml"\nid = "x"\nversion = "1"\n')
    assert err.found == "a cycle: derived.toml extends derived.toml"


def test_dangling_overrides_and_drops_suggest_the_id(files) -> None:
    text = DERIVED.replace("[override.rules.CT-5]", "[override.rules.CT-55]").replace('"CT-7"', '"CT-77"')
    err = _error(files, text)
    first, second = err.problems()
    assert first.render() == (
        f"{files.folder / 'derived.toml'}:{_line(files, 'derived.toml', 'CT-77')}: drop.rules[0]: unknown id\n"
        "  expected: the id of a rule of reform-before-recognition (CT-1, CT-2, CT-3, CT-4, CT-5, CT-6, CT-7, "
        "CL-1, CL-2, CL-3, CL-4, CL-5, ...)\n"
        '  found:    "CT-77"\n'
        '  did you mean "CT-7"?'
    )
    assert (second.path, second.found, second.hint) == ("override.rules.CT-55", '"CT-55"', 'did you mean "CT-5"?')
    assert second.line == _line(files, "derived.toml", "[override.rules.CT-55]")


def test_an_override_of_a_tier_that_is_not_there(files) -> None:
    err = _error(files, DERIVED.replace("[override.tiers.dialogue]", "[override.tiers.dialog]"))
    assert (err.path, err.kind, err.hint) == ("override.tiers.dialog", "unknown id", 'did you mean "dialogue"?')


def test_the_id_and_a_bumped_version_are_required(files) -> None:
    err = _error(files, DERIVED.replace('id = "rbr-strict"\nversion = "1.1.0"\n', ""))
    assert [(p.path, p.kind) for p in err.problems()] == [
        ("criteria.id", "missing key"),
        ("criteria.version", "missing key"),
    ]
    same = _error(
        files, DERIVED.replace('id = "rbr-strict"', f'id = "{BASE}"').replace('"1.1.0"', '"1.0.0"'), "same.toml"
    )
    assert same.path == "criteria.version"
    assert same.expected == f"a version above 1.0.0: a set that keeps the id {BASE} must bump its version"
    bumped = files.criteria(
        DERIVED.replace('id = "rbr-strict"', f'id = "{BASE}"').replace('"1.1.0"', '"1.10"'), "ok.toml"
    )
    assert (bumped.id, bumped.criteria.version) == (BASE, "1.10")


def test_adding_an_id_the_base_has_says_how_to_change_it(files) -> None:
    err = _error(files, DERIVED + '\n[[rules]]\nid = "CT-1"\n')
    assert (err.path, err.kind) == ("rules[CT-1].id", "duplicate id")
    assert err.hint == (
        "to change some of its keys write [override.rules.CT-1]; to replace it whole, list it in [drop] rules "
        "and add it here"
    )


def test_a_misspelt_key_in_an_override_is_named_where_it_is_written(files) -> None:
    err = _error(files, DERIVED.replace("weight = 4", "wieght = 4"))
    assert err.render() == (
        f"{files.folder / 'derived.toml'}:{_line(files, 'derived.toml', 'wieght')}: "
        "override.rules.CT-5.wieght: unknown key\n"
        "  expected: one of id, pillar, weight, title, check, rationale, remedy, references, gate, gate_min, "
        "waivable, in_gap\n"
        '  found:    "wieght"\n'
        '  did you mean "weight"?'
    )


def test_dropping_a_rule_a_base_tier_still_names_explains_itself(files) -> None:
    err = _error(files, DERIVED.replace('rules = ["CT-7"]', 'rules = ["CT-1"]'))
    problem = err.problems()[0]
    assert (problem.path, problem.found) == ("tiers[diplomatic-presence].gates[0]", '"CT-1"')
    assert problem.line == _line(files, "derived.toml", "extends =")
    assert problem.hint == (
        '"CT-1" is left out by [drop] rules: write [override.tiers.diplomatic-presence] so that it no longer names it'
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "hint"),
    [
        ("[drop]", "[dorp]", "dorp", 'did you mean "drop"?'),
        ('tiers = ["humanitarian"]', 'tier = ["humanitarian"]', "drop.tier", 'did you mean "tiers"?'),
        ('unset = ["gates"]', 'unset = ["gate"]', "override.tiers.dialogue.unset[0]", 'did you mean "gates"?'),
        ('after = "dialogue"', 'after = "dialog"', "tiers[minimal-presence].after", 'did you mean "dialogue"?'),
    ],
)
def test_other_mistakes(files, old: str, new: str, path: str, hint: str) -> None:
    err = _error(files, DERIVED.replace(old, new))
    assert (err.path, err.hint) == (path, hint)
    assert err.line == _line(files, "derived.toml", new.split(" = ")[0].strip("[]") if "=" in new else new)


def test_a_base_that_is_not_there_names_the_files_tried(files) -> None:
    err = _error(files, DERIVED.replace(f'extends = "{BASE}"', 'extends = "bases/gone.toml"'))
    assert err.render() == (
        f"{files.folder / 'derived.toml'}:2: criteria.extends: criteria set not found\n"
        f"  expected: a shipped criteria set ({BASE}) or the path of a criteria file relative to this file\n"
        f'  found:    "bases/gone.toml" (tried {files.folder / "bases" / "gone.toml"})'
    )


def test_a_base_with_a_problem_is_blamed_itself(files) -> None:
    files.write(
        "base.toml",
        (Path(load.shipped_criteria()[BASE])).read_text(encoding="utf-8").replace("weight = 40", "weight = -40"),
    )
    err = _error(files, DERIVED.replace(f'extends = "{BASE}"', 'extends = "base.toml"'))
    assert err.file == str(files.folder / "base.toml") and err.path == "pillars[counterterrorism].weight"


# --- the JSON Schema for editors ------------------------------------------------------------------


def _schema_errors(text: str) -> list[str]:
    import tomllib

    from jsonschema import Draft202012Validator

    from reform_gate.authoring.schema import criteria_schema, json_view

    validator = Draft202012Validator(criteria_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(json_view(tomllib.loads(text)))]


def test_the_criteria_schema_takes_a_derived_set() -> None:
    assert _schema_errors(DERIVED) == []
    assert _schema_errors(DERIVED.replace("weight = 4", "wieght = 4"))
    assert _schema_errors(DERIVED.replace('id = "rbr-strict"\n', ""))
    assert _schema_errors(DERIVED.replace('after = "dialogue"', "after = 3"))
    # A plain set may not override or drop.
    plain = (Path(load.shipped_criteria()[BASE])).read_text(encoding="utf-8")
    assert _schema_errors(plain) == []
    assert _schema_errors(plain + '\n[drop]\nrules = ["CT-7"]\n')
    assert _schema_errors(plain.replace('title = "Reform before recognition"\n', "", 1))


@pytest.mark.parametrize("ident", sorted(load.shipped_criteria()))
def test_a_plain_set_resolves_to_itself(ident: str) -> None:
    c = load.load_criteria(ident)
    again = load.load_criteria_text(describe.resolved_toml(c), "resolved.toml")
    assert again == c and again.origin is not None and c.origin is not None
    assert again.origin.sha256 == c.origin.sha256


def test_override_in_a_plain_set_says_it_needs_extends(files) -> None:
    plain = (Path(load.shipped_criteria()[BASE])).read_text(encoding="utf-8")
    err = _error(files, plain + "\n[override.rules.CT-1]\nweight = 6\n", "plain.toml")
    assert (err.path, err.kind) == ("override", "unknown key")
    assert err.hint == '[override] belongs to a derived set: name its base with extends = "..." in [criteria]'


def test_additions_of_the_wrong_shape_are_named(files) -> None:
    err = _error(files, DERIVED.replace("[[tiers]]", "[tiers]"))
    assert (err.path, err.expected) == ("tiers", "an array of tables ([[tiers]])")
