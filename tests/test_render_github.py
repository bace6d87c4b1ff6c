"""The GitHub annotations format: one per blocking finding, escaped as the Actions runner reads them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reform_gate.errors import TomlSyntaxError
from reform_gate.render import github
from reform_gate.render.shared import blocking_findings, failing_gates, from_root
from reform_gate.safe_text import UNSAFE, printable
from tests.golden_util import check_golden
from tests.render_util import REPO, SEED_IDS, rendered, seed_run, seed_verdict

_COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape_data(text: str) -> str:
    # The runner's order: %25 last, so "%250A" stays "%0A".
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Read one workflow command the way the Actions runner does."""
    m = _COMMAND.match(line)
    assert m, f"not a workflow command: {line!r}"
    props: dict[str, str] = {}
    for pair in (m.group("props") or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = _unescape_property(value)
    return m.group("name"), props, _unescape_data(m.group("data"))


def controls_shown(text: str) -> str:
    """``text`` with each control character but CR and LF shown escaped, as the format writes it."""
    return "".join(printable(c) if UNSAFE.match(c) and c not in "\r\n" else c for c in text)


def commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    assert text.endswith("\n")
    return [parse(line) for line in text.splitlines()]


@pytest.mark.parametrize("seed", SEED_IDS)
def test_github_golden(seed: str) -> None:
    """Each seed's annotations are exactly as reviewed."""
    check_golden(f"github/{seed}.txt", rendered(github, seed_run(seed)))


def test_escaping_rules() -> None:
    """% CR LF are escaped in messages; also : and , in properties."""
    assert github.escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert github.escape_property("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext%3A a%2Cb"
    # Other control characters never reach the log: they are shown escaped.
    assert github.escape_data("a\x1b]52;c;eA==\x07b\x9b") == "a\\x1b]52;c;eA==\\x07b\\x9b"
    line = github.command("error", "a%b\nc", "dir/a,b:c.toml", 7, "t: x, y")
    assert line == "::error file=dir/a%2Cb%3Ac.toml,line=7,title=t%3A x%2C y::a%25b%0Ac\n"


@given(st.text(), st.text(), st.text())
def test_commands_round_trip(message: str, title: str, file: str) -> None:
    """Whatever the text, the runner reads back exactly the file, title and message written."""
    line = github.command("warning", message, file or None, 3, title)
    assert line.count("\n") == 1 and "\r" not in line
    name, props, data = parse(line.rstrip("\n"))
    assert name == "warning" and data == controls_shown(message)
    assert props.get("title", "") == controls_shown(title)
    if file:
        # The file is given from the repository root (here the working folder), as GitHub reads it.
        assert props["file"] == controls_shown(from_root(file)) and props["line"] == "3"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_one_annotation_per_blocking_finding(seed: str) -> None:
    """Each blocking finding and each other failing requirement gets one annotation; a notice ends the run."""
    v = seed_verdict(seed)
    parsed = commands(rendered(github, seed_run(seed)))
    expected = len(blocking_findings(v)) + sum(1 for r in v.blocking if r.kind != "gate")
    assert len(parsed) == expected + 1
    assert parsed[-1][0] == "notice"
    source = (REPO / v.file).read_text(encoding="utf-8").splitlines()
    gates = {f.rule for f in failing_gates(v)}
    for name, props, data in parsed[:-1]:
        assert props["file"] == v.file
        line = source[int(props["line"]) - 1].strip()
        assert line.startswith(("value =", "evidence = [")) or line == "[proposal]"
        assert data.startswith(v.proposal)
        if " gate " in props["title"]:
            assert props["title"].split()[2] in gates and name == "error"


def test_levels_follow_fail_below() -> None:
    """When the outcome passes --fail-below, nothing is an error."""
    parsed = commands(rendered(github, seed_run("ru-formal-recognition", fail_below="scale-back")))
    assert {name for name, _, _ in parsed} == {"warning", "notice"}
    parsed = commands(rendered(github, seed_run("ru-formal-recognition")))
    assert "error" in {name for name, _, _ in parsed}


def test_supported_gives_only_the_notice() -> None:
    """A supported proposal has nothing to annotate but the summary."""
    parsed = commands(rendered(github, seed_run("hypothetical-2029-economic-reform")))
    assert [name for name, _, _ in parsed] == ["notice"]


def test_invalid_file_is_annotated_where_it_breaks() -> None:
    """An invalid file is an error at its line, with the whole message (several lines)."""
    err = TomlSyntaxError("proposals/bad,1.toml", "", "valid TOML", "an unclosed table", None, 4)
    parsed = commands(rendered(github, seed_run("ru-tapi-pipeline", errors=(err,))))
    name, props, data = next(c for c in parsed if "TOML syntax" in c[1].get("title", ""))
    assert name == "error" and props["file"] == "proposals/bad,1.toml" and props["line"] == "4"
    assert data == err.render() and "\n" in data
    assert parsed[-1][2].endswith("1 invalid")
