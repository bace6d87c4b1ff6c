"""--rule-docs BASE: every format links each rule to BASE + RULE-ID + .md, and none links without it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from reform_gate import cli
from reform_gate.render.shared import rule_url

ROOT = Path(__file__).resolve().parent.parent
SEED = "seeds/ru-formal-recognition.toml"
BASE = "https://github.com/ORG/REPO/blob/main/docs/rules/"
PAGE = re.compile(re.escape(BASE) + r"([A-Z]+-\d+)\.md")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def score(capsys: pytest.CaptureFixture[str], fmt: str, *more: str) -> str:
    cli.main(["score", SEED, "--format", fmt, *more])
    return capsys.readouterr().out


def linked(fmt: str, text: str) -> set[str]:
    """The rule ids whose pages ``text`` links to, read as each format's consumer reads it."""
    if fmt == "sarif":
        rules = json.loads(text)["runs"][0]["tool"]["driver"]["rules"]
        return {PAGE.fullmatch(r["helpUri"]).group(1) for r in rules if "helpUri" in r}  # type: ignore[union-attr]
    if fmt == "markdown":
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
        hrefs = [c.attrs["href"] for t in tokens for c in t.children or [] if c.type == "link_open"]
        return {PAGE.fullmatch(str(h)).group(1) for h in hrefs}  # type: ignore[union-attr]
    if fmt == "junit":
        root = ET.fromstring(text.split("\n", 1)[1])
        return {m for f in root.iter("failure") for m in PAGE.findall(f.text or "")}
    if fmt == "gitlab":
        return {m for issue in json.loads(text) for m in PAGE.findall(issue["description"])}
    return set(PAGE.findall(text))


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif", "junit", "github", "gitlab"])
def test_every_format_links_rules_to_absolute_pages(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    with_links = score(capsys, fmt, "--rule-docs", BASE)
    found = linked(fmt, with_links)
    assert {"CT-1", "CL-1"} <= found, fmt  # a failing gate and a rule of the gap
    assert all((ROOT / "docs" / "rules" / f"{rule}.md").is_file() for rule in found)
    without = score(capsys, fmt)
    assert "docs/rules/" not in without and ".md" not in re.sub(r"seeds/\S+\.toml", "", without), fmt


def test_base_without_a_slash_and_odd_ids() -> None:
    assert rule_url("https://example.org/rules", "CT-1") == "https://example.org/rules/CT-1.md"
    assert rule_url(BASE, "A B/1") == BASE + "A_B_1.md"  # the file name rule_docs writes
    assert rule_url(None, "CT-1") is None and rule_url("", "CT-1") is None


def test_a_relative_base_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["score", SEED, "--rule-docs", "docs/rules/"]) == 2
    assert "expected: an absolute URL" in capsys.readouterr().err
