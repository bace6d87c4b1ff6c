"""Class 1 of issue 8: a string from a file can never start a line, carry a terminal escape, run
a GitHub workflow command or become a live link, in any format or command.

Every string of a proposal and of a criteria set (titles, actor, counterpart, sources, notes,
urls, rule titles, rationale, remedy, references, every id and level, and the file names
themselves) is given line breaks, ``::error`` and ``##[error]`` commands, CR, ESC ``[31m``, an
OSC 52 clipboard write, a C1 CSI (``\\x9b``), a line separator, a bidi override and bare URLs.
Then every command and format that prints is run on them, and each output is read the way the
GitHub Actions runner reads a log (``runner_commands``): no line may be a command unless the
github format wrote it itself, and no raw control character may reach a text output. JSON,
SARIF and JUnit carry the strings as data and are read back.
"""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from markdown_it import MarkdownIt

from reform_gate import cli
from reform_gate.safe_text import UNSAFE, printable, unprintable
from tests.render_util import REPO

PAYLOAD = (
    "\n::error file=pwn.toml,line=1::INJECTED\r\x1b[31mRED\x1b]52;c;ZXZpbA==\x07\x9b31m"
    " ##[error]V1 \u2028\u202eevil https://evil.example/steal www.evil.example"
)
#: Ids get a shorter payload (they are repeated everywhere), with the same kinds of character.
ID_PAYLOAD = "\n::error::ID\r\x1b[31m\x9b##[warning]\u2029"
#: Values from a closed vocabulary (their words are checked, not free text).
FIXED = {
    "kind",
    "type",
    "missing",
    "stale",
    "min_reliability",
    "reliability",
    "outcome",
    "gates_all",
    "as_of_precision",
}
CRITERIA_NAME = "crit\n::error file=c.toml::CRIT\x1b[31m.toml"
PROPOSAL_NAME = "prop\n::warning::PROP\x1b]52;c;eA==\x07.toml"
LEDGER_NAME = "ledger\n::error::LEDGER\x1b[31m.toml"
SEED = REPO / "seeds" / "ru-formal-recognition.toml"
LEDGER = REPO / "seeds" / "evidence" / "afghanistan.toml"
SHIPPED = REPO / "criteria" / "reform-before-recognition.toml"


def runner_commands(line: str) -> str | None:
    """The workflow command the GitHub Actions runner would run for ``line``, if any.

    Its two parsers: ``::name ...::`` after leading white space, and the older ``##[name]``
    anywhere on the line (``ActionCommand.TryParseV2`` and ``TryParse``).
    """
    stripped = line.lstrip()
    if stripped.startswith("::") and stripped.find("::", 2) > 0:
        return stripped[2 : stripped.find("::", 2)].split(" ")[0]
    at = line.find("##[")
    if at >= 0 and "]" in line[at:]:
        return line[at + 3 : line.index("]", at)].split(" ")[0]
    return None


def _ids(criteria: dict[str, Any]) -> set[str]:
    ids = {criteria["criteria"]["id"]}
    ids |= {p["id"] for p in criteria["pillars"]} | {r["id"] for r in criteria["rules"]}
    ids |= {t["id"] for t in criteria["tiers"]} | set(criteria["indicators"])
    ids |= {lv for ind in criteria["indicators"].values() for lv in ind.get("levels", [])}
    return ids


def _hostile(value: Any, ids: set[str], key: str = "") -> Any:
    """Every id and level with ID_PAYLOAD (consistently), every other free string with PAYLOAD."""
    if isinstance(value, dict):
        return {(k + ID_PAYLOAD if k in ids else k): _hostile(v, ids, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_hostile(v, ids, key) for v in value]
    if isinstance(value, str):
        if key in FIXED or (key == "gates" and value == "all"):
            return value
        return value + ID_PAYLOAD if value in ids else value + PAYLOAD
    return value


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a hostile criteria set, a hostile evidence file and two hostile proposals
    that read it (one of them invalid)."""
    folder = tmp_path_factory.mktemp("hostile")
    criteria = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    ids = _ids(criteria)
    (folder / CRITERIA_NAME).write_text(tomli_w.dumps(_hostile(criteria, ids)), encoding="utf-8")
    ledger = _hostile(tomllib.loads(LEDGER.read_text(encoding="utf-8")), ids)
    ledger["evidence"]["criteria"] = CRITERIA_NAME
    (folder / LEDGER_NAME).write_text(tomli_w.dumps(ledger), encoding="utf-8")
    proposal = _hostile(tomllib.loads(SEED.read_text(encoding="utf-8")), ids)
    proposal["proposal"]["criteria"] = CRITERIA_NAME
    proposal["proposal"]["evidence"] = [LEDGER_NAME]
    proposal["expect"] = {"outcome": "supported", "supported_tier": "economic" + ID_PAYLOAD}
    (folder / PROPOSAL_NAME).write_text(tomli_w.dumps(proposal), encoding="utf-8")
    # A second proposal whose found values land in error messages.
    broken = dict(proposal)
    broken["proposal"] = {**proposal["proposal"], "id": "other" + PAYLOAD, "tier": "nope" + PAYLOAD}
    (folder / ("bad" + PROPOSAL_NAME)).write_text(tomli_w.dumps(broken), encoding="utf-8")
    return folder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_inert(text: str, where: str, github: bool = False) -> None:
    """No line runs a workflow command (but the github format's own), no raw control character."""
    assert text, where
    for line in re.split("\r\n|\r|\n", text):  # how the runner reads lines
        command = runner_commands(line)
        if github and line.startswith("::"):
            assert command in ("error", "warning", "notice"), (where, line)
            assert runner_commands(line[2:]) is None or line.find("##[") < 0, (where, line)
        else:
            assert command is None, (where, line)
    raw = UNSAFE.search(text.replace("\n", ""))
    assert raw is None, (where, repr(raw.group()) if raw else "", text[:200])


# --- what the runner would do, checked on the checker itself ------------------------------------


def test_the_runner_model_sees_both_kinds_of_command() -> None:
    assert runner_commands("::error file=x::boom") == "error"
    assert runner_commands("   ::warning::w") == "warning"
    assert runner_commands("text ##[error]boom") == "error"
    assert runner_commands("\\x3a:error::x") is None
    assert runner_commands(printable("  ::error::x ##[error]y")) is None


def test_printable_is_one_inert_line_and_reversible() -> None:
    shown = printable(PAYLOAD)
    assert "\n" not in shown and UNSAFE.search(shown) is None
    assert runner_commands(shown) is None
    assert unprintable(shown) == PAYLOAD


# --- each command and format -----------------------------------------------------------------------


@pytest.fixture
def in_hostile(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(hostile)
    monkeypatch.setenv("NO_COLOR", "1")
    return hostile


TEXT_FORMATS = ["text", "markdown", "github"]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("many", [False, True])
def test_score_in_every_text_format(in_hostile: Path, capsys: pytest.CaptureFixture[str], fmt: str, many: bool) -> None:
    """One proposal, or a folder with an invalid one too (details, summary table, errors)."""
    argv = ["score", ".", "--details"] if many else ["score", PROPOSAL_NAME]
    code, out, err = _run(capsys, *argv, "--format", fmt)
    assert code in (1, 2), err
    assert_inert(out, f"score {fmt} stdout", github=fmt == "github")
    if many:
        assert "tier" in err  # the invalid proposal's error quotes its hostile tier
        assert_inert(err, f"score {fmt} stderr")
    if fmt == "markdown":
        assert_no_links(out)


def assert_no_links(markdown: str) -> None:
    """No bare URL or www. address becomes a link: not by GitHub's autolink rules (which need a
    literal "www." or "scheme://"), not by markdown-it-py's linkify (scheme links and www.)."""
    assert "://" not in markdown and "www." not in markdown
    for fuzzy in (False, True):
        parser = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table"])
        parser.linkify.set({"fuzzy_link": fuzzy, "fuzzy_email": True})
        html = parser.render(markdown)
        assert 'href="https://evil' not in html and 'href="http://www.evil' not in html, fuzzy
        assert "mailto:" not in html


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_data_formats_carry_the_strings_as_data(
    in_hostile: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """JSON and SARIF keep every string exactly (escaped as JSON); JUnit as XML 1.0 can (the
    characters it cannot carry become U+FFFD). None of them carries a line the runner would run."""
    code, out, _ = _run(capsys, "score", PROPOSAL_NAME, "--format", fmt)
    assert code == 1
    for line in re.split("\r\n|\r|\n", out):  # how the runner reads lines
        assert runner_commands(line) is None, line
    if fmt != "junit":  # JSON escapes every control character (XML 1.0 can carry C1 as it is)
        assert UNSAFE.search(out.replace("\n", "")) is None
    title = "Formal recognition of the Taliban government" + PAYLOAD
    if fmt == "json":
        data = json.loads(out)
        assert data["title"] == title and data["file"] == PROPOSAL_NAME
    elif fmt == "sarif":
        data = json.loads(out)
        texts = [r["shortDescription"]["text"] for r in data["runs"][0]["tool"]["driver"]["rules"]]
        assert any(t.endswith(PAYLOAD) for t in texts)
    else:
        root = ET.fromstring(out.encode())
        shown = root.find("testsuite/properties/property[@name='title']")
        assert shown is not None
        assert shown.get("value") == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", title)
        failure = root.find("testsuite/testcase/failure")
        assert failure is not None and failure.text is not None and PAYLOAD.split("\r")[0] in failure.text


def test_errors_on_stderr_quote_found_values_inertly(in_hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "validate", ".")
    assert code == 2
    assert "nope" in err and "invalid" not in out
    assert_inert(err, "validate stderr")
    assert_inert(out, "validate stdout")


def test_verify_prints_inertly(in_hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "verify", PROPOSAL_NAME)
    assert code == 1
    assert_inert(out, "verify stdout")


def test_criteria_show_and_explain(in_hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "criteria", "show", CRITERIA_NAME)
    assert code == 0
    assert_inert(out, "criteria show")
    code, out, _ = _run(capsys, "explain", "CT-1" + ID_PAYLOAD, "--criteria", CRITERIA_NAME)
    assert code == 0
    assert "Why:" in out
    assert_inert(out, "explain")
    code, _, err = _run(capsys, "explain", "CT-9" + ID_PAYLOAD, "--criteria", CRITERIA_NAME)
    assert code == 2
    assert_inert(err, "explain error")


def test_schema_of_a_hostile_set(in_hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON Schema lists the set's titles and descriptions: as JSON data, inert in a log."""
    code, out, _ = _run(capsys, "schema", "proposal", "--criteria", CRITERIA_NAME)
    assert code == 0
    for line in out.split("\n"):
        assert runner_commands(line) is None, line
    assert UNSAFE.search(out.replace("\n", "")) is None
    assert any(PAYLOAD in v for v in _strings(json.loads(out)))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_baseline_diff(in_hostile: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The text diff names ids, titles, tiers and files from both the run and the baseline."""
    stored = tmp_path / "base.json"
    assert _run(capsys, "score", PROPOSAL_NAME, "--format", "json", "--output", str(stored))[0] == 1
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["proposal"] = "gone" + PAYLOAD
    data["requested_tier"] = "tier" + PAYLOAD
    stored.write_text(json.dumps(data), encoding="utf-8")
    _code, out, _ = _run(capsys, "score", PROPOSAL_NAME, "--baseline", str(stored))
    assert "gone" in out and "new" in out
    assert_inert(out, "baseline diff")


def test_init_and_its_message(in_hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "new\n::error::N\x1b[31m.toml"
    code, out, _ = _run(capsys, "init", name, "--criteria", CRITERIA_NAME)
    assert code == 0
    assert_inert(out, "init")
    assert _run(capsys, "validate", name)[0] == 0  # the template of a hostile set is still valid TOML


def test_progress_line_shows_a_file_name_inertly() -> None:
    import io

    from reform_gate.cli.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term = Terminal()
    p = Progress(100, term)
    p.step(1, PROPOSAL_NAME)
    drawn = term.getvalue()
    # The progress line's own CR and erase-line are the only control characters.
    assert UNSAFE.search(drawn.replace("\r", "").replace("\x1b[K", "")) is None


def test_github_properties_cannot_be_broken_out_of() -> None:
    """A file name and title made of the runner's separators stay one property each."""
    from reform_gate.render import github

    line = github.command("error", "m::x", "a,b::c=d\n::e.toml", 3, "t,x=1::y")
    head = line[: line.index("::", 2)]
    assert head.count(",") == 2  # file=..., line=..., title=...: no comma of the values splits them
    assert line.count("\n") == 1 and runner_commands(line) == "error"


def test_junit_pointer_to_an_earlier_failure_names_a_hostile_proposal_inertly(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule that fails in two proposals: the second failure points at the first proposal by its
    hostile id, in the failure's text, where XML keeps line breaks."""
    for name in (CRITERIA_NAME, LEDGER_NAME, PROPOSAL_NAME):
        (tmp_path / name).write_bytes((hostile / name).read_bytes())
    proposal = tomllib.loads((hostile / PROPOSAL_NAME).read_text(encoding="utf-8"))
    proposal["proposal"]["id"] = "second" + ID_PAYLOAD
    (tmp_path / ("2" + PROPOSAL_NAME)).write_text(tomli_w.dumps(proposal), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "score", ".", "--format", "junit")
    assert code == 1, err
    assert "remedy and rule: as in the failure of" in out
    for line in re.split("\r\n|\r|\n", out):  # how the runner reads lines
        assert runner_commands(line) is None, line
