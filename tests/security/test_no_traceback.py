"""Class 4 of issue 8: invalid input never ends in a traceback; it is one error and exit 2.

Each case runs as its own process, as CI runs it, and is checked on its own (not through the
last guard): huge integers, ``0x`` and 2,000 hex digits (validate and score agree), a criteria
path too long for the system, bad baselines, and a standard output that is not UTF-8.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reform_gate import cli
from reform_gate.cli import commands
from tests.security.conftest import process, seed_text


def _assert_clean(done: object, code: int = 2) -> str:
    stderr: str = done.stderr  # type: ignore[attr-defined]
    assert done.returncode == code, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return stderr


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("1" * 5000, "a number of 5,000 characters"),
        ("0x" + "f" * 2000, "a number of 2,002 characters"),
        ("0x" + "f" * 30, "1329227995784915872903807060280344575 (an integer)"),
        ("9" * 17, "99999999999999999 (an integer)"),
        ("1e300", "1e+300 (a float)"),
    ],
)
def test_huge_integers_are_refused_alike_by_validate_and_score(tmp_path: Path, value: str, found: str) -> None:
    """On poppy_cultivation_ha, a number with no upper bound: only the size limit refuses it."""
    text = re.sub(
        r"(\[observations\.poppy_cultivation_ha\]\nvalue = )\S+\n", lambda m: f"{m.group(1)}{value}\n", seed_text()
    )
    assert value in text
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    errors = []
    for command in ("validate", "score"):
        err = _assert_clean(process(command, "p.toml", cwd=tmp_path))
        assert f"found:    {found}" in err
        # Past the raw-text limit the text is refused before parsing; within it, at its key.
        assert ("observations.poppy_cultivation_ha.value" in err) == ("characters" not in found)
        errors.append(err)
    assert errors[0] == errors[1]


def test_a_criteria_path_too_long_for_the_system(tmp_path: Path) -> None:
    ref = "a/" * 3000 + "x.toml"
    (tmp_path / "p.toml").write_text(seed_text(criteria=f'"{ref}"'), encoding="utf-8")
    for command in ("validate", "score"):
        err = _assert_clean(process(command, "p.toml", cwd=tmp_path))
        assert "proposal.criteria" in err
    err = _assert_clean(process("score", "p.toml", "--criteria", "b" * 6000 + ".toml", cwd=tmp_path))
    assert "--criteria" in err or "b" * 50 in err


@pytest.mark.parametrize(
    ("baseline", "found"),
    [
        ('{"format": "reform-gate/verdict/1", "proposal": "p", "outcome": "revise", "overall_score": 1,'
         ' "pillars": [{"id": "x", "score": "high"}]}', "pillars[0].score"),
        ('{"format": "reform-gate/verdict/1", "proposal": "p", "outcome": "revise", "overall_score": NaN}', "NaN"),
        ('{"format": "reform-gate/verdict/1", "proposal": "p", "outcome": "revise", "overall_score": 1e999}',
         "too large"),
        ('{"format": "reform-gate/verdict/1", "proposal": "p", "outcome": "revise", "overall_score": '
         + "9" * 5000 + "}", "5,000 digits"),
        ("[" * 100_000 + "]" * 100_000, "nest"),
        ('{"a": ' * 40 + "1" + "}" * 40, "40 levels"),
        ('{"format": "reform-gate/run/1", "verdicts": [{"proposal": 1}]}', "verdicts[0].proposal"),
        ('{"format": "reform-gate/verdict/1", "proposal": "p", "outcome": "revise", "overall_score": 1,'
         ' "design_score": "x"}', "design_score"),
        ('{"format": "reform-gate/verdict/1", "proposal": "p", "outcome": "revise", "overall_score": 1,'
         ' "blocking": [{"kind": 3}]}', "blocking[0].kind"),
    ],
)
def test_bad_baselines(tmp_path: Path, baseline: str, found: str) -> None:
    (tmp_path / "p.toml").write_text(seed_text(), encoding="utf-8")
    (tmp_path / "b.json").write_text(baseline, encoding="utf-8")
    err = _assert_clean(process("score", "p.toml", "--baseline", "b.json", cwd=tmp_path))
    assert found in err and "b.json" in err


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_stdout_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    """A Windows runner's cp1252: text shows what it cannot encode escaped; the other formats are
    written as UTF-8 whatever the console's encoding, and read back."""
    title = '"Arrow → and smile 🙂 and Ǆ"'
    (tmp_path / "p.toml").write_text(seed_text(title=title), encoding="utf-8")
    done = process("score", "p.toml", "--format", fmt, "--fail-below", "rejected", cwd=tmp_path,
                   PYTHONIOENCODING="cp1252")
    _assert_clean(done, 0)
    if fmt == "text":
        assert "Arrow \\u2192 and smile \\U0001f642" in done.stdout
    elif fmt == "json":
        assert json.loads(done.stdout)["title"] == title.strip('"')  # read as UTF-8 by the test


def test_the_last_guard_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("boom\n::error::x")

    monkeypatch.setitem(commands.COMMANDS, "validate", broken)
    monkeypatch.delenv("REFORM_GATE_DEBUG", raising=False)
    assert cli.main(["validate", "x"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "reform-gate: internal error, please report: RuntimeError: boom\\n::error::x"
    assert "REFORM_GATE_DEBUG=1" in err and "Traceback" not in err
    monkeypatch.setenv("REFORM_GATE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["validate", "x"])
