"""A proposal need not name its criteria set when the command line gives one (docs/format.md,
``[proposal]``); without either, one clear error says how to name it."""

from __future__ import annotations

import pytest

import reform_gate
from reform_gate import cli, errors

SEED = "seeds/hypothetical-2029-economic-reform.toml"  # its observations are its own: it moves freely


@pytest.fixture
def unnamed(root, tmp_path, monkeypatch):
    """The 2029 seed without its ``criteria`` line, in a folder of its own."""
    monkeypatch.chdir(root)
    text = (root / SEED).read_text(encoding="utf-8")
    assert text.count('criteria = "reform-before-recognition"\n') == 1
    path = tmp_path / "unnamed.toml"
    path.write_text(text.replace('criteria = "reform-before-recognition"\n', ""), encoding="utf-8")
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_proposal_without_criteria_loads_and_names_none(unnamed) -> None:
    assert reform_gate.load_proposal(unnamed).proposal.criteria is None


def test_score_with_criteria_on_the_command_line(unnamed, capsys) -> None:
    named = reform_gate.load_proposal(SEED)
    expected = reform_gate.score(named, reform_gate.criteria_for(named))
    code, out, err = _run(capsys, "score", "--criteria", "reform-before-recognition", str(unnamed), "--format", "json")
    assert (code, err) == (0, "")  # supported
    assert '"outcome": "' + expected.outcome + '"' in out


def test_validate_and_verify_take_criteria(unnamed, capsys) -> None:
    assert _run(capsys, "validate", "--criteria", "reform-before-recognition", str(unnamed)) == (
        0,
        "1 of 1 file valid\n",
        "",
    )
    code, out, _ = _run(capsys, "verify", "--criteria", "reform-before-recognition", str(unnamed))
    assert code == 0 and "1 of 1 expectations hold" in out


def test_without_criteria_anywhere_the_error_says_how_to_name_it(unnamed, capsys) -> None:
    code, _, err = _run(capsys, "validate", str(unnamed))
    assert code == 2
    assert err == (
        f"error: {unnamed}:7: proposal.criteria: missing key\n"
        '  expected: a criteria set: criteria = "reform-before-recognition" (a shipped id or a path) in [proposal], '
        "or --criteria on the command line\n"
        "  found:    nothing: the proposal names no criteria set and none was given\n"
    )
    with pytest.raises(errors.MissingKeyError):
        reform_gate.criteria_for(reform_gate.load_proposal(unnamed))
    assert _run(capsys, "score", str(unnamed))[0] == 2
