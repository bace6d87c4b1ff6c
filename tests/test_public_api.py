"""The public face of the library: the names in ``reform_gate.__all__``, its JSON, and its guards.

A library user never imports a renderer or a private module: ``reform_gate`` gives the verdict as
data (``Verdict.to_dict``) and as text (``reform_gate.to_json``), loads text as well as files,
and answers a call with the wrong types with a :class:`ReformGateError` that says what it takes.
The README's Python example type-checks under ``mypy --strict``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import reform_gate
from reform_gate import cli
from reform_gate.errors import InvalidArgumentError, ReformGateError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "ru-formal-recognition.toml"


def _verdict() -> reform_gate.Verdict:
    proposal = reform_gate.load_proposal(SEED)
    return reform_gate.score(proposal, reform_gate.criteria_for(proposal))


def test_every_public_name_resolves_and_is_listed_in_order() -> None:
    """``__all__`` is alphabetised (with the capitalised classes first) and every name in it exists."""
    assert reform_gate.__all__ == sorted(reform_gate.__all__)
    for name in reform_gate.__all__:
        assert getattr(reform_gate, name) is not None
    with pytest.raises(AttributeError):
        reform_gate.no_such_name  # noqa: B018 - the attribute access is the test


def test_to_json_is_what_the_command_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    """``reform_gate.to_json(verdict)`` is byte for byte ``score FILE --format json``."""
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with redirect_stdout(out):
        cli.main(["score", "seeds/ru-formal-recognition.toml", "--format", "json"])
    proposal = reform_gate.load_proposal("seeds/ru-formal-recognition.toml")
    verdict = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    assert reform_gate.to_json(verdict) == out.getvalue()


def test_to_dict_is_the_json_as_data() -> None:
    """``Verdict.to_dict()`` parses back from ``to_json`` unchanged: plain lists, ISO dates, every field."""
    verdict = _verdict()
    data = verdict.to_dict()
    assert json.loads(reform_gate.to_json(verdict)) == data
    assert data["format"] == "reform-gate/verdict/2"
    assert data["audit"]["as_of"] == "2025-07-03"
    assert isinstance(data["findings"], list) and isinstance(data["findings"][0]["evidence"], list)
    rules = data["criteria"][0]["rules"]
    assert isinstance(rules[data["findings"][0]["rule"]]["references"], list)
    assert data["criteria"][0]["sha256"] == data["audit"]["criteria_sha256"]


def test_text_loads_as_the_file_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """``load_proposal_text`` gives the same proposal, digest and lines as ``load_proposal``; the
    evidence file it names is read relative to the working folder."""
    monkeypatch.chdir(SEED.parent)
    text = SEED.read_text(encoding="utf-8")
    from_text = reform_gate.load_proposal_text(text, name="pasted.toml")
    from_file = reform_gate.load_proposal(SEED)
    assert from_text == from_file
    assert from_text.origin is not None and from_file.origin is not None
    assert from_text.origin.sha256 == from_file.origin.sha256
    assert from_text.origin.lines == from_file.origin.lines
    assert from_text.file == "pasted.toml"
    verdict = reform_gate.score(from_text, reform_gate.load_criteria("reform-before-recognition"))
    assert verdict.file == "pasted.toml" and verdict.outcome == "scale-back"
    digests = [ledger.origin.sha256 for ledger in from_file.ledgers if ledger.origin is not None]
    assert [e.sha256 for e in verdict.audit.evidence] == digests


def test_text_errors_name_the_text() -> None:
    """A problem in loaded text names the ``name`` given, with its line."""
    with pytest.raises(ReformGateError) as info:
        reform_gate.load_proposal_text('[proposal]\nid = 1\n', name="from-the-editor")
    assert info.value.file == "from-the-editor"
    assert "proposal.id" in info.value.render()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: reform_gate.load_criteria(None),  # type: ignore[arg-type]
            "load_criteria: invalid argument\n  expected: a shipped id or a file path (str or pathlib.Path)\n"
            "  found:    NoneType None",
        ),
        (
            lambda: reform_gate.load_proposal(42),  # type: ignore[arg-type]
            "load_proposal: invalid argument\n  expected: a file path (str or pathlib.Path)\n  found:    int 42",
        ),
        (
            lambda: reform_gate.load_proposal_text(b"x"),  # type: ignore[arg-type]
            "load_proposal_text: invalid argument\n  expected: TOML text (str)\n  found:    bytes b'x'",
        ),
        (
            lambda: reform_gate.criteria_for("seeds/x.toml"),  # type: ignore[arg-type]
            "criteria_for: invalid argument\n  expected: a Proposal (from load_proposal)\n"
            "  found:    str 'seeds/x.toml'",
        ),
    ],
)
def test_wrong_types_raise_a_clear_error(call: object, message: str) -> None:
    """Library calls with wrong types raise ``InvalidArgumentError``, never a TypeError or AttributeError."""
    with pytest.raises(InvalidArgumentError) as info:
        call()  # type: ignore[operator]
    assert info.value.render() == message


def test_score_guards_its_arguments() -> None:
    """``score(p, c, as_of="2024-01-01")`` and swapped arguments say what ``score`` takes."""
    proposal = reform_gate.load_proposal(SEED)
    criteria = reform_gate.criteria_for(proposal)
    with pytest.raises(InvalidArgumentError) as info:
        reform_gate.score(proposal, criteria, as_of="2024-01-01")  # type: ignore[arg-type]
    assert info.value.render() == (
        "score: as_of: invalid argument\n  expected: a datetime.date, such as datetime.date(2025, 7, 3)\n"
        "  found:    str '2024-01-01'"
    )
    with pytest.raises(InvalidArgumentError, match="a Proposal"):
        reform_gate.score(criteria, proposal)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"datetime\.date"):
        reform_gate.score(proposal, criteria, as_of=dt.datetime(2024, 1, 1))
    assert reform_gate.score(proposal, criteria, as_of=dt.date(2024, 1, 1)).audit.as_of == dt.date(2024, 1, 1)


def test_score_checks_the_proposal_against_its_criteria(files) -> None:  # type: ignore[no-untyped-def]
    """A proposal built for another set is refused with every mismatch, not scored into a KeyError.

    Under a set it does not name, its observations of indicators that set lacks are left aside (as
    an evidence file's are, docs/crosswalk.md); a tier the set does not have is still an error."""
    proposal = reform_gate.load_proposal(SEED)
    other = files.criteria(
        """
        [criteria]
        id = "other"
        version = "1"
        title = "Other"
        [[pillars]]
        id = "p"
        kind = "reform"
        weight = 1
        title = "P"
        [indicators.x]
        type = "bool"
        title = "X"
        [[rules]]
        id = "R"
        pillar = "p"
        weight = 1
        title = "R"
        check = { indicator = "x", equals = true }
        rationale = "r"
        remedy = "m"
        references = []
        [[tiers]]
        id = "t"
        title = "T"
        """
    )
    with pytest.raises(ReformGateError) as info:
        reform_gate.score(proposal, other)
    problems = info.value.problems()
    assert [p.path for p in problems] == ["proposal.tier", "expect.supported_tier"]
    assert all(p.line is not None for p in problems)


def test_readme_python_example_type_checks_and_runs(tmp_path: Path) -> None:
    """The README's Python snippet passes ``mypy --strict`` and prints what its comments say."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"## From Python\n\n```python\n(.*?)```", readme, re.DOTALL)
    assert snippet is not None
    code = snippet.group(1)
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, check=True)
    promised = re.findall(r"#\s*(.+)$", code, re.MULTILINE)
    assert ran.stdout.splitlines() == promised
