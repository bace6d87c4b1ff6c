"""Evidence files (docs/format.md, "Evidence files"): a proposal reads the counterpart's record from a
shared ledger; paths stay under the proposal's root; the proposal's own entries beat the ledger;
every check names the file and line; a batch reads each ledger once; the audit has its digest."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import reform_gate
from reform_gate import batch, load
from reform_gate.errors import ReformGateError

from .test_evidence import POLICY, _criteria


def _ledger(*entries: str, counterpart: str = "Counterpart", criteria: str = "crit.toml") -> str:
    head = textwrap.dedent(
        f"""
        [evidence]
        id = "record"
        counterpart = "{counterpart}"
        title = "The counterpart's record"
        criteria = "{criteria}"
        """
    )
    return head + "".join(entries)


def _entry(indicator: str, value: str, as_of: str, reliability: str = "A1", **extra: str) -> str:
    more = "".join(f"{key} = {text}\n" for key, text in extra.items())
    return (
        textwrap.dedent(
            f"""
            [[observations.{indicator}]]
            value = {value}
            source = "report of {as_of}"
            as_of = {as_of}
            reliability = "{reliability}"
            """
        )
        + more
    )


def _proposal(files, *refs: str, own: str = "") -> str:
    listed = ", ".join(f'"{r}"' for r in refs)
    return files.proposal_head("t").rstrip("\n") + f"\nevidence = [{listed}]\n" + own


def _problems(err: ReformGateError) -> list[str]:
    return [p.render() for p in err.problems()]


def test_a_proposal_scores_the_ledger_entries(files):
    files.criteria(_criteria(POLICY))
    files.write(
        "evidence/record.toml",
        _ledger(_entry("f", "false", "2024-06-01"), _entry("f", "true", "2024-12-01"), criteria="../crit.toml"),
    )
    proposal = files.proposal(_proposal(files, "evidence/record.toml"))
    assert [ledger.id for ledger in proposal.ledgers] == ["record"]
    v = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    (e,) = v.finding("R-F").evidence
    assert (e.value, e.file, e.line) == (True, load.shown(files.folder / "evidence/record.toml"), 14)
    # The finding points into the proposal, at the line that names the ledger.
    assert v.finding("R-F").line == 9
    (read,) = v.audit.evidence
    assert (read.id, read.file) == ("record", e.file)
    assert read.sha256 == proposal.ledgers[0].origin.sha256 != ""
    # The ledger's digest is its content's, not its text's: a comment changes nothing.
    path = files.folder / "evidence/record.toml"
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert reform_gate.load_ledger(path).origin.sha256 == read.sha256


def test_the_proposals_own_entry_replaces_the_whole_indicator(files):
    files.criteria(_criteria(POLICY))
    files.write("record.toml", _ledger(_entry("f", "true", "2024-12-01"), _entry("g", "true", "2024-12-01")))
    own = files.obs("f", "false", as_of="2024-10-01")
    proposal = files.proposal(_proposal(files, "record.toml", own=own))
    v = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    (e,) = v.finding("R-F").evidence
    # Not merged: the ledger's later entry for f is not read at all, not even as passed over.
    assert (e.value, e.file, e.passed_over) == (False, str(files.folder / "prop.toml"), ())
    assert v.finding("R-G").evidence[0].value is True
    assert [(w.code, w.subject) for w in v.warnings if w.code == "evidence-overridden"] == [
        ("evidence-overridden", "f")
    ]


def test_several_ledgers_pool_their_entries(files):
    files.criteria(_criteria(POLICY))
    files.write("a.toml", _ledger(_entry("f", "false", "2024-06-01")))
    files.write("b.toml", _ledger(_entry("f", "true", "2024-12-01")))
    proposal = files.proposal(_proposal(files, "a.toml", "b.toml"))
    v = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    assert v.finding("R-F").evidence[0].value is True
    assert [e.file.rsplit("/", 1)[-1] for e in v.audit.evidence] == ["a.toml", "b.toml"]


def test_two_ledgers_that_disagree_on_a_date_are_an_error(files):
    files.criteria(_criteria(POLICY))
    files.write("a.toml", _ledger(_entry("f", "false", "2024-06-01")))
    files.write("b.toml", _ledger(_entry("f", "true", "2024-06-01")))
    with pytest.raises(ReformGateError) as caught:
        files.proposal(_proposal(files, "a.toml", "b.toml"))
    (problem,) = _problems(caught.value)
    assert "prop.toml:9: proposal.evidence[1]: invalid value" in problem
    assert "evidence files that agree: f on 2024-06-01 is false in" in problem


@pytest.mark.parametrize(
    ("ref", "expected", "found"),
    [
        ("../outside.toml", "an evidence file under", '"../outside.toml", which leads outside it'),
        ("missing.toml", "the path of an evidence file, relative to the proposal's folder", "(no such file)"),
        ("sub", "the path of an evidence file", "(a folder)"),
    ],
)
def test_bad_paths_are_errors_at_their_element(files, ref, expected, found):
    files.criteria(_criteria(POLICY))
    (files.folder / "sub").mkdir()
    (files.folder.parent / "outside.toml").write_text(_ledger(), encoding="utf-8")
    with pytest.raises(ReformGateError) as caught:
        files.proposal(_proposal(files, ref))
    (problem,) = _problems(caught.value)
    assert problem.startswith(f"{files.folder / 'prop.toml'}:9: proposal.evidence[0]: invalid value")
    assert expected in problem and found in problem


def test_a_link_out_of_the_root_is_refused(files):
    """Links are followed before the containment test, so a link cannot smuggle a file in."""
    files.criteria(_criteria(POLICY))
    outside = files.folder.parent / "elsewhere.toml"
    outside.write_text(_ledger(), encoding="utf-8")
    (files.folder / "inside.toml").symlink_to(outside)
    with pytest.raises(ReformGateError, match="which leads outside it"):
        files.proposal(_proposal(files, "inside.toml"))


def test_the_root_is_the_working_folder_for_a_proposal_under_it(files, monkeypatch):
    files.criteria(_criteria(POLICY), name="proposals/crit.toml")
    files.write("shared/record.toml", _ledger(_entry("f", "true", "2024-12-01"), criteria="../proposals/crit.toml"))
    monkeypatch.chdir(files.folder)
    text = _proposal(files, "../shared/record.toml")
    path = files.write("proposals/prop.toml", text)
    proposal = reform_gate.load_proposal(Path("proposals/prop.toml"))
    assert proposal.ledgers[0].file == "shared/record.toml"
    # Outside the working folder, the proposal's own folder is the root: ../shared is refused.
    monkeypatch.chdir(files.folder / "shared")
    with pytest.raises(ReformGateError, match="leads outside it"):
        reform_gate.load_proposal(path)
    # The root can be given (the hardening work's --criteria-root will pass it).
    assert load.load_proposal(path, load.Ledgers(root=files.folder)).ledgers


def test_a_ledger_named_twice_is_an_error(files):
    files.criteria(_criteria(POLICY))
    files.write("record.toml", _ledger(_entry("f", "true", "2024-12-01")))
    with pytest.raises(ReformGateError) as caught:
        files.proposal(_proposal(files, "record.toml", "./record.toml"))
    (problem,) = _problems(caught.value)
    assert "proposal.evidence[1]: duplicate id" in problem
    assert 'found:    "./record.toml", already named by proposal.evidence[0]' in problem


def test_a_ledger_about_another_counterpart_is_an_error(files):
    files.criteria(_criteria(POLICY))
    files.write("record.toml", _ledger(_entry("f", "true", "2024-12-01"), counterpart="Someone else"))
    with pytest.raises(ReformGateError) as caught:
        files.proposal(_proposal(files, "record.toml"))
    (problem,) = _problems(caught.value)
    assert 'expected: an evidence file about the proposal\'s counterpart, "Counterpart"' in problem
    assert 'about "Someone else"' in problem


def test_a_ledger_is_checked_against_the_set_it_names(files):
    files.criteria(_criteria(POLICY))
    path = files.write(
        "record.toml",
        _ledger(_entry("ff", "true", "2024-12-01"), _entry("g", "5", "2024-12-01"), _entry("f", "true", "2024-12-02")),
    )
    with pytest.raises(ReformGateError) as caught:
        reform_gate.load_ledger(path)
    problems = _problems(caught.value)
    assert len(problems) == 2
    assert problems[0].startswith(f"{load.shown(path)}:7: observations.ff: unknown id")
    assert 'did you mean "f"?' in problems[0]
    assert problems[1].startswith(f"{load.shown(path)}:14: observations.g[0].value: invalid value")


def test_a_ledger_naming_no_criteria_set_points_at_the_key(files):
    path = files.write("record.toml", _ledger(_entry("f", "true", "2024-12-01"), criteria="nowhere.toml"))
    with pytest.raises(ReformGateError) as caught:
        reform_gate.load_ledger(path)
    assert caught.value.kind == "criteria set not found"
    assert (caught.value.path, caught.value.line) == ("evidence.criteria", 5)
    assert "relative to the evidence file" in caught.value.expected


def test_entry_checks_apply_to_ledgers(files):
    files.criteria(_criteria(POLICY))
    path = files.write(
        "record.toml",
        _ledger(
            _entry("f", "true", "2024-12-01"),
            _entry("f", "false", "2024-12-01"),
            _entry("g", "true", "2024-12-07", as_of_precision='"month"'),
        ),
    )
    with pytest.raises(ReformGateError) as caught:
        reform_gate.load_ledger(path)
    problems = _problems(caught.value)
    assert [p.split(": ")[1] for p in problems] == ["observations.f[1].value", "observations.g[0].as_of"]


def test_a_proposal_under_another_set_reads_only_the_shared_indicators(files):
    """A ledger written for one set may hold indicators another set lacks: they are left aside."""
    files.criteria(_criteria(POLICY), name="full.toml")
    narrow = _criteria(POLICY).replace('g = { type = "bool", title = "g" }\n', "")
    narrow = narrow[: narrow.index('[[rules]]\nid = "R-G"')] + narrow[narrow.index("[[tiers]]") :]
    files.criteria(narrow, name="crit.toml")
    files.write(
        "record.toml",
        _ledger(_entry("f", "true", "2024-12-01"), _entry("g", "true", "2024-12-01"), criteria="full.toml"),
    )
    proposal = files.proposal(_proposal(files, "record.toml"))
    v = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    assert [f.rule for f in v.findings] == ["R-F"]
    assert v.finding("R-F").status == "met"


def test_documents_are_told_apart_and_a_batch_reads_each_ledger_once(files, monkeypatch):
    files.criteria(_criteria(POLICY))
    files.write("evidence/record.toml", _ledger(_entry("f", "true", "2024-12-01"), criteria="../crit.toml"))
    names = [str(files.folder / f"p{i}.toml") for i in (1, 2, 3)]
    for name in names:
        files.write(name, _proposal(files, "evidence/record.toml").replace('id = "p"', f'id = "{name[-7:-5]}"'))
    assert isinstance(load.load_document(files.folder / "evidence/record.toml"), reform_gate.Ledger)
    reads: list[str] = []
    real = load.read_toml

    def counting(path, file=None):
        reads.append(str(path))
        return real(path, file)

    monkeypatch.setattr(load, "read_toml", counting)
    errors: list[ReformGateError] = []
    scored = list(batch.score_files(names, errors))
    assert errors == [] and len(scored) == 3
    assert sum(1 for r in reads if r.endswith("record.toml")) == 1
    found = batch.validate_files([str(files.folder)])
    assert (found.checked, found.errors) == (5, ())  # three proposals, the criteria set and the ledger


def test_validate_reports_a_bad_ledger(files):
    files.criteria(_criteria(POLICY))
    files.write("record.toml", _ledger(_entry("f", '"maybe"', "2024-12-01")))
    found = batch.validate_files([str(files.folder)])
    (err,) = found.errors
    assert err.file.endswith("record.toml") and err.path == "observations.f[0].value"


def test_a_bad_ledger_is_reported_in_full_once_per_batch(files):
    files.criteria(_criteria(POLICY))
    files.write("evidence/record.toml", _ledger(_entry("f", '"maybe"', "2024-12-01"), criteria="../crit.toml"))
    for name in ("p1.toml", "p2.toml"):
        files.write(name, _proposal(files, "evidence/record.toml").replace('id = "p"', f'id = "{name[:2]}"'))
    errors: list[ReformGateError] = []
    names = [str(files.folder / "p1.toml"), str(files.folder / "p2.toml")]
    assert list(batch.score_files(names, errors, require=False)) == []
    first, second = ([q.render() for q in e.problems()] for e in errors)
    assert len(first) == 1 and "record.toml:8: observations.f[0].value: invalid value" in first[0]
    assert second == [
        f"{files.folder / 'p2.toml'}:9: proposal.evidence[0]: invalid value\n"
        "  expected: an evidence file without problems\n"
        '  found:    "evidence/record.toml", whose problems are reported above'
    ]
