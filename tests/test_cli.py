"""The command line (docs/cli.md): outputs, exit codes, and clean errors.

Expected numbers come from the library (the CLI is a thin shell over it), so these tests check
that the shell shows what the library says, with the right exit code.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest

import reform_gate
from reform_gate import cli
from reform_gate.cli.parser import build_parser
from reform_gate.load import shipped_criteria
from reform_gate.load.resolve import shown
from reform_gate.model import OUTCOMES
from tests.seed_util import copy_seed

HUMANITARIAN = "seeds/ru-humanitarian-carve-out.toml"  # supported
ISISK = "seeds/ru-isisk-intelligence-sharing.toml"  # revise
RECOGNITION = "seeds/ru-formal-recognition.toml"  # scale-back
MEDIATION = "seeds/ru-regional-mediation-2021.toml"  # rejected
ANSI = re.compile(r"\x1b\[")


@pytest.fixture(autouse=True)
def in_checkout(root, monkeypatch):
    """Run from the checkout, so that ``seeds/...`` paths work, with colour and terminal unset."""
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)


def _verdict(path: str):
    proposal = reform_gate.load_proposal(path)
    return reform_gate.score(proposal, reform_gate.criteria_for(proposal))


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _seed_copy(tmp_path, *names: str):
    folder = tmp_path / "proposals"
    folder.mkdir(exist_ok=True)
    for name in names:
        copy_seed(name, folder)
    return folder


# --- score --------------------------------------------------------------------------------------


def test_the_seeds_cover_every_outcome():
    assert [_verdict(p).outcome for p in (HUMANITARIAN, ISISK, RECOGNITION, MEDIATION)] == [
        "supported",
        "revise",
        "scale-back",
        "rejected",
    ]


def test_score_one_seed_as_text(capsys):
    v = _verdict(ISISK)
    code, out, err = _run(capsys, "score", ISISK)
    assert code == 1  # revise is below the default --fail-below supported
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"{v.title}  [{v.proposal}]"
    assert lines[1] == f"{v.actor} -> {v.counterpart}, as of {v.audit.as_of.isoformat()}"
    assert lines[3].startswith(f"REVISE  The evidence supports {v.requested_tier}")
    assert "the proposal's own safeguards fall short" in lines[3]
    assert f"Overall reform score {v.overall_score:.1f} of 100; design score {v.design_score:.1f}." in out
    for pillar in v.pillars:
        assert re.search(rf"^  {re.escape(pillar.id)} +{pillar.score:.1f} ", out, re.M), pillar.id
    assert f"Blocking {v.requested_tier} ({len(v.blocking)})" in out
    assert f"What it would take: {len(v.gap.steps)} rules raised to full credit" in out
    assert f"criteria {v.audit.criteria_id} {v.audit.criteria_version} (sha256 {v.audit.criteria_sha256[:12]})" in out
    assert not ANSI.search(out)


def test_score_one_seed_as_json(capsys):
    v = _verdict(ISISK)
    code, out, _ = _run(capsys, "score", ISISK, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["format"] == "reform-gate/verdict/2"
    assert (data["outcome"], data["requested_tier"], data["supported_tier"]) == ("revise", "containment", "containment")
    assert data["overall_score"] == pytest.approx(v.overall_score)
    assert data["design_score"] == pytest.approx(v.design_score)
    assert [f["rule"] for f in data["findings"]] == [f.rule for f in v.findings]
    assert data["audit"]["as_of"] == v.audit.as_of.isoformat()
    # Keys are sorted: the output is canonical.
    assert list(data) == sorted(data)


def test_score_a_folder_prints_a_summary_table(capsys):
    seeds = sorted(p for p in os.listdir("seeds") if p.endswith(".toml"))
    verdicts = [_verdict(f"seeds/{p}") for p in seeds]
    code, out, _ = _run(capsys, "score", "seeds/")
    assert code == 1  # not every seed is supported
    lines = out.splitlines()
    assert lines[0].split() == ["proposal", "requested", "outcome", "supported", "score"]
    assert set(lines[1]) == {"-", " "}
    for line, v in zip(lines[2:], verdicts, strict=False):
        assert line.split() == [
            v.proposal,
            v.requested_tier,
            v.outcome,
            v.supported_tier or "none",
            f"{v.overall_score:.1f}",
        ]
    counts = {o: sum(v.outcome == o for v in verdicts) for o in ("supported", "revise", "scale-back", "rejected")}
    summary = f"{len(verdicts)} scored: " + ", ".join(f"{n} {o}" for o, n in counts.items())
    assert summary in lines


def test_score_a_folder_as_json_is_a_run(capsys):
    code, out, _ = _run(capsys, "score", "seeds/", "--format", "json", "--fail-below", "rejected")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "reform-gate/run/2"
    assert data["errors"] == []
    assert {v["format"] for v in data["verdicts"]} == {"reform-gate/verdict/2"}
    # Every key is always there, None and defaults included: a CI job need not guess.
    assert len({tuple(v) for v in data["verdicts"]}) == 1
    assert len({tuple(f) for v in data["verdicts"] for f in v["findings"]}) == 1
    assert len({tuple(e) for v in data["verdicts"] for f in v["findings"] for e in f["evidence"]}) == 1
    supported = [v for v in data["verdicts"] if v["outcome"] == "supported"]
    assert supported and all(v["gap"] is None for v in supported)
    assert len(data["verdicts"]) == len([p for p in os.listdir("seeds") if p.endswith(".toml")])


@pytest.mark.parametrize(
    ("path", "fail_below", "code"),
    [
        (HUMANITARIAN, None, 0),  # supported >= supported
        (ISISK, None, 1),  # revise < supported
        (ISISK, "revise", 0),
        (RECOGNITION, "revise", 1),  # scale-back < revise
        (RECOGNITION, "scale-back", 0),
        (MEDIATION, "scale-back", 1),  # rejected < scale-back
        (MEDIATION, "rejected", 0),
        ("seeds/", "rejected", 0),
        ("seeds/", "scale-back", 1),  # the rejected seed
    ],
)
def test_fail_below_sets_the_exit_code(capsys, path, fail_below, code):
    argv = ["score", path] + (["--fail-below", fail_below] if fail_below else [])
    assert _run(capsys, *argv)[0] == code


def test_fail_below_rejects_an_unknown_outcome(capsys):
    code, out, err = _run(capsys, "score", HUMANITARIAN, "--fail-below", "accepted")
    assert (code, out) == (2, "")
    assert err == (
        "error: --fail-below: usage error\n"
        "  expected: one of rejected, scale-back, revise, supported\n"
        '  found:    "accepted"\n'
        "  see: reform-gate score --help\n"
    )
    assert OUTCOMES == ("rejected", "scale-back", "revise", "supported")


def test_an_invalid_file_exits_2_and_the_others_are_still_scored(capsys, tmp_path):
    folder = _seed_copy(tmp_path, HUMANITARIAN, MEDIATION)
    bad = folder / "broken.toml"
    bad.write_text('[proposal]\nid = "broken"\ntitle = "Broken\n', encoding="utf-8")
    code, out, err = _run(capsys, "score", str(folder), "--fail-below", "rejected", "--criteria-root", str(tmp_path))
    assert code == 2
    ids = [_verdict(HUMANITARIAN).proposal, _verdict(MEDIATION).proposal]
    rows = [line.split()[0] for line in out.splitlines()[2:4]]
    assert sorted(rows) == sorted(ids)
    assert "2 scored: 1 supported, 0 revise, 0 scale-back, 1 rejected; 1 invalid" in out
    message = f"error: {bad}:3: TOML syntax error\n  expected: valid TOML\n  found:    illegal character '\\n'\n"
    assert err == message


def test_as_of_replays_an_earlier_day(capsys):
    # On 2020-01-01 none of the seed's evidence (2021 onward) was known yet.
    code, out, err = _run(capsys, "score", HUMANITARIAN, "--as-of", "2020-01-01")
    assert (code, err) == (1, "")
    assert "as of 2020-01-01" in out.splitlines()[1]
    assert "Overall reform score 0.0 of 100" in out
    assert "after 2020-01-01; not counted" in out
    proposal = reform_gate.load_proposal(HUMANITARIAN)
    import datetime as dt

    v = reform_gate.score(proposal, reform_gate.criteria_for(proposal), dt.date(2020, 1, 1))
    # Aid stands beside the ladder: with its own design not yet written either, it is to be revised.
    assert (v.outcome, v.overall_score, v.design_score) == ("revise", 0.0, 0.0)
    assert out.splitlines()[3].startswith("REVISE")


def test_as_of_must_be_a_date(capsys):
    code, out, err = _run(capsys, "score", HUMANITARIAN, "--as-of", "2025-13-01")
    assert code == 2
    assert out == ""
    assert err == 'error: --as-of: usage error\n  expected: a date such as 2025-07-03\n  found:    "2025-13-01"\n'


def test_score_a_file_that_does_not_exist(capsys):
    code, out, err = _run(capsys, "score", "seeds/nope.toml")
    assert code == 2
    assert "Traceback" not in out
    assert err == "error: seeds/nope.toml: usage error\n  expected: an existing file\n  found:    no such file\n"


# --- validate and verify ------------------------------------------------------------------------


def test_validate_the_seeds_and_the_criteria(capsys):
    n = len([p for p in os.listdir("seeds") if p.endswith(".toml")]) + 1  # and seeds/evidence/afghanistan.toml
    code, out, err = _run(capsys, "validate", "seeds", "criteria/reform-before-recognition.toml")
    assert (code, err) == (0, "")
    assert out == f"{n + 1} of {n + 1} files valid\n"


def test_validate_reports_every_bad_file(capsys, tmp_path):
    folder = _seed_copy(tmp_path, HUMANITARIAN)
    text = (folder / os.path.basename(HUMANITARIAN)).read_text(encoding="utf-8")
    # Each copy gets its own id: two files of one run with the same id are an error of their own.
    text = text.replace('id = "ru-humanitarian-carve-out-2025"', 'id = "copy"')
    (folder / "b-tier.toml").write_text(text.replace('tier = "humanitarian"', 'tier = "humanitrian"'), encoding="utf-8")
    text = text.replace('id = "copy"', 'id = "copy-2"')
    (folder / "c-grade.toml").write_text(text.replace('reliability = "A1"', 'reliability = "B9"', 1), encoding="utf-8")
    code, out, err = _run(capsys, "validate", str(folder), "--criteria-root", str(tmp_path))
    assert code == 2
    assert out == "2 of 4 files valid\n"  # the seed and the evidence file it reads are valid
    assert f"error: {folder / 'b-tier.toml'}:" in err
    assert '  found:    "humanitrian"\n  did you mean "humanitarian"?' in err
    assert f"error: {folder / 'c-grade.toml'}:" in err
    assert '  found:    "B9" (a string)' in err


def test_verify_the_seeds(capsys):
    code, out, err = _run(capsys, "verify", "seeds/")
    n = len([p for p in os.listdir("seeds") if p.endswith(".toml")])
    assert (code, err) == (0, "")
    v = _verdict(ISISK)
    assert f"ok   {ISISK}  {v.outcome}, supports {v.supported_tier}" in out.splitlines()
    assert out.endswith(f"\n{n} of {n} expectations hold\n")


def test_verify_shows_expected_against_actual(capsys, tmp_path):
    folder = _seed_copy(tmp_path, ISISK)
    path = folder / os.path.basename(ISISK)
    text = path.read_text(encoding="utf-8")
    expect = text[text.index("[expect]") :]
    wrong = '[expect]\noutcome = "supported"\nsupported_tier = "economic"\noverall_score = 50.0\n'
    path.write_text(text.replace(expect, wrong), encoding="utf-8")
    v = _verdict(ISISK)
    code, out, err = _run(capsys, "verify", str(folder), "--criteria-root", str(tmp_path))
    assert (code, err) == (1, "")
    assert out == (
        f"FAIL {path}\n"
        f"     outcome: expected supported, got {v.outcome}\n"
        f"     supported_tier: expected economic, got {v.supported_tier}\n"
        f"     overall_score: expected 50.0, got {v.overall_score:.1f}\n"
        "\n0 of 1 expectations hold\n"
    )


# --- criteria and explain -----------------------------------------------------------------------


def test_criteria_list(capsys):
    c = reform_gate.load_criteria("reform-before-recognition")
    code, out, _ = _run(capsys, "criteria", "list")
    assert code == 0
    counts = f"({len(c.rules)} rules, {len(c.tiers)} tiers)"
    line = f"reform-before-recognition  {c.criteria.version}  {c.criteria.title}  {counts}"
    assert line in out.splitlines()


def test_criteria_show(capsys):
    c = reform_gate.load_criteria("reform-before-recognition")
    code, out, _ = _run(capsys, "criteria", "show", "reform-before-recognition")
    assert code == 0
    assert out.startswith(f"{c.criteria.title}  [{c.id} {c.criteria.version}]\n")
    assert "\nLadder (lowest first)\n" in out
    ladder = out[out.index("Ladder") :]
    positions = [ladder.index(f"  {t.id} ") for t in c.tiers]
    assert positions == sorted(positions)
    for rule in c.rules:
        assert re.search(rf"^  {re.escape(rule.id)} ", out, re.M), rule.id


def test_criteria_show_a_misspelt_set(capsys):
    code, out, err = _run(capsys, "criteria", "show", "reform-before-recogniton")
    assert (code, out) == (2, "")
    assert err == (
        "error: reform-before-recogniton: criteria set not found\n"
        "  expected: a shipped criteria set (eu-benchmarks-2021, reform-before-recognition, unsc-2593) "
        "or the path of a criteria file\n"
        f'  found:    "reform-before-recogniton" (tried {shown(shipped_criteria()["reform-before-recognition"].parent)}'
        '/reform-before-recogniton.toml)\n'
        '  did you mean "reform-before-recognition"?\n'
    )


def test_explain_a_rule(capsys):
    c = reform_gate.load_criteria("reform-before-recognition")
    rule = c.rule("CT-1")
    code, out, _ = _run(capsys, "explain", "CT-1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"CT-1  {rule.title}"
    assert lines[1].startswith(f"pillar {rule.pillar} (reform), weight {rule.weight:g}, gate")
    assert f"Why: {rule.rationale.strip()}" in lines
    assert f"Remedy: {rule.remedy.strip()}" in lines
    assert all(f"  - {ref}" in lines for ref in rule.references)


def test_explain_a_misspelt_rule(capsys):
    code, out, err = _run(capsys, "explain", "ct1")
    assert (code, out) == (2, "")
    assert err.endswith(
        ": rules: usage error\n"
        "  expected: a rule id of reform-before-recognition\n"
        '  found:    "ct1"\n'
        '  did you mean "CT-1"?\n'
    )
    assert err.startswith("error: ") and "reform-before-recognition.toml" in err


# --- help, version, colour ----------------------------------------------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"reform-gate {reform_gate.__version__}\n"


def _commands() -> list[str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return list(sub.choices)


def test_help_gives_an_example_for_each_command(capsys):
    commands = _commands()
    assert {"score", "validate", "verify", "criteria", "explain"} <= set(commands)
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    top = capsys.readouterr().out
    examples = top[top.index("examples:") :]
    for command in commands:
        assert f"reform-gate {command}" in examples, command
        with pytest.raises(SystemExit) as info:
            cli.main([command, "--help"])
        assert info.value.code == 0
        own = capsys.readouterr().out
        assert re.search(rf"^example:\n  reform-gate {command}\b", own, re.M), command


def test_no_command_prints_help_and_exits_2(capsys):
    code, out, err = _run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("usage: reform-gate")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(capsys, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    cli.main(["score", ISISK])
    assert ANSI.search(terminal.getvalue())  # a terminal gets colour...

    quiet = _Terminal()
    monkeypatch.setattr(sys, "stdout", quiet)
    monkeypatch.setenv("NO_COLOR", "1")
    cli.main(["score", ISISK])
    assert not ANSI.search(quiet.getvalue())  # ...unless NO_COLOR is set

    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    dumb = _Terminal()
    monkeypatch.setattr(sys, "stdout", dumb)
    cli.main(["score", ISISK])
    assert not ANSI.search(dumb.getvalue())
    # Same text with the escapes taken out.
    assert re.sub(r"\x1b\[[0-9;]*m", "", terminal.getvalue()) == quiet.getvalue() == dumb.getvalue()


# --- as a process -------------------------------------------------------------------------------


def _process(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        timeout=60,
        check=False,
    )


def test_process_scores_a_seed_without_colour(root):
    # A pipe is not a terminal: no colour, whatever the environment says about the terminal.
    result = _process("score", str(root / HUMANITARIAN), TERM="xterm-256color")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\nSUPPORTED  humanitarian stands beside the ladder" in result.stdout
    assert not ANSI.search(result.stdout)


def test_process_never_shows_a_traceback(tmp_path):
    # "[proposal]" at the start of a line: a folder search takes it for a proposal, and reads it.
    (tmp_path / "binary.toml").write_bytes(b"\x00\xff\xfe\n[proposal]")
    (tmp_path / "deep.toml").write_text("x = " + "[" * 3000 + "]" * 3000, encoding="utf-8")
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    cases = [
        ("score", str(tmp_path / "binary.toml")),
        ("score", str(tmp_path / "deep.toml")),
        ("score", str(tmp_path / "empty.toml")),
        ("score", str(tmp_path / "missing.toml")),
        ("score", str(tmp_path)),
        ("validate", str(tmp_path)),
        ("verify", str(tmp_path)),
        ("explain", "NOPE-1", "--criteria", str(tmp_path / "empty.toml")),
        ("criteria", "show", str(tmp_path / "binary.toml")),
        ("score", "--format", "yaml", str(tmp_path)),
        ("frobnicate",),
    ]
    for argv in cases:
        result = _process(*argv)
        assert result.returncode == 2, (argv, result.stderr)
        assert "Traceback" not in result.stderr, argv
        assert result.stderr.strip(), argv
