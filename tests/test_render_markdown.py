"""The Markdown format: order, escaping, size limit; read back by a CommonMark parser (markdown-it-py)."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reform_gate.errors import TomlSyntaxError
from reform_gate.render import Run, markdown
from reform_gate.safe_text import UNSAFE, printable
from tests.golden_util import check_golden
from tests.render_util import SEED_IDS, rendered, seed_run, seed_verdict

PARSER = MarkdownIt("commonmark").enable("table")
#: Invisible characters the escaping inserts: after "@" (no mention), inside URLs (no link).
ZERO_WIDTH = str.maketrans("", "", "\u200b\u200d")


def seen(text: str) -> str:
    """What a reader should see of ``text``: one line, each control character shown escaped."""
    folded = re.sub(r"\s+", " ", text).strip()
    return UNSAFE.sub(lambda m: printable(m.group()), folded)


def inline_text(tokens: list[Token]) -> str:
    """The literal text a reader sees in inline tokens (text and code spans)."""
    out = []
    for t in tokens:
        for child in t.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out)


def first_table_rows(tokens: list[Token]) -> int:
    """Rows (header included) of the first table in the document."""
    end = next(i for i, t in enumerate(tokens) if t.type == "table_close")
    return sum(1 for t in tokens[:end] if t.type == "tr_open")


def kinds(tokens: list[Token]) -> set[str]:
    return {c.type for t in tokens for c in (t.children or [])} | {t.type for t in tokens}


@pytest.mark.parametrize("seed", SEED_IDS)
def test_markdown_golden(seed: str) -> None:
    """Each seed's Markdown verdict is exactly as reviewed."""
    check_golden(f"markdown/{seed}.md", rendered(markdown, seed_run(seed)))


def test_order_of_one_verdict() -> None:
    """One-line verdict, pillar table, blocking findings, then the gap."""
    text = rendered(markdown, seed_run("ru-formal-recognition"))
    lines = text.splitlines()
    assert lines[0].startswith("### ❌ Scale back: ")
    assert lines[2].startswith("The evidence does not support **recognition**")
    marks = [text.index(m) for m in ("| Pillar |", "#### Blocking recognition", "#### What it would take")]
    assert marks == sorted(marks)


def test_parsed_by_commonmark() -> None:
    """The pillar table parses as a table with one row per pillar, the evidence table with one row per
    observation (or per rule without one); blocking gates carry file:line."""
    v = seed_verdict("ru-formal-recognition")
    tokens = PARSER.parse(rendered(markdown, seed_run("ru-formal-recognition")))
    tables: list[int] = []
    for t in tokens:
        if t.type == "table_open":
            tables.append(0)
        elif t.type == "tr_open":
            tables[-1] += 1
    observations = sum(max(1, len(f.evidence)) for f in v.findings)
    assert tables == [1 + len(v.pillars), 1 + observations]
    cells = [inline_text([t]) for t in tokens if t.type == "inline"]
    assert "counterterrorism" in cells
    gate = v.finding("CT-1")
    assert any(f"seeds/ru-formal-recognition.toml:{gate.line}" in c for c in cells)
    assert "html_inline" not in kinds([t for t in tokens if t.type == "inline" and "Gate" in t.content])


EVIL = "<script>alert(1)</script> *bold* _it_ `code` [link](http://x) | pipe # @octocat &amp; ~~s~~ \\"


def test_user_text_is_escaped() -> None:
    """Titles, actors and ids cannot format, link, inject HTML or mention anyone."""
    v = attrs.evolve(seed_verdict("ru-formal-recognition"), title=EVIL, actor=EVIL)
    text = rendered(markdown, Run((v,), single=True))
    assert "<script>" not in text
    assert "@octocat" not in text
    tokens = PARSER.parse(text)
    heading = next(t for t in tokens if t.type == "inline")
    assert inline_text([heading]).translate(ZERO_WIDTH) == "❌ Scale back: " + EVIL
    assert kinds([heading]) <= {"inline", "text"}


def test_summary_html_is_escaped_in_a_batch() -> None:
    """In a batch, the folded summary line (raw HTML) escapes the title too."""
    evil = attrs.evolve(seed_verdict("ru-formal-recognition"), title=EVIL, proposal="a|b`c")
    text = rendered(markdown, Run((evil, seed_verdict("ru-tapi-pipeline"))))
    assert "<script>" not in text
    tokens = PARSER.parse(text)
    assert first_table_rows(tokens) == 3
    end = next(i for i, t in enumerate(tokens) if t.type == "table_close")
    assert sum(1 for t in tokens[:end] if t.type == "td_open") == 2 * 5
    first_cell = next(t for t in tokens if t.type == "inline" and "a|b" in t.content.replace("\\", ""))
    assert inline_text([first_cell]) == "a|b`c"


@given(st.text(st.characters(exclude_characters="\x00"), max_size=60))
def test_md_escape_round_trips(text: str) -> None:
    """Whatever the text, a CommonMark reader sees exactly it (whitespace folded, no markup; NUL aside)."""
    tokens = PARSER.parse("x " + markdown.md(text))
    expected = "x " + seen(text)
    assert inline_text(tokens).translate(ZERO_WIDTH).strip() == expected.translate(ZERO_WIDTH).strip()
    assert kinds(tokens) <= {"paragraph_open", "paragraph_close", "inline", "text"}


@given(st.text(st.characters(exclude_characters="\x00"), max_size=40))
def test_code_span_holds_any_text(text: str) -> None:
    """A code span shows its text literally, however many backticks it holds (NUL aside: readers drop it)."""
    tokens = PARSER.parse("x " + markdown.code(text))
    shown = [c.content.translate(ZERO_WIDTH) for t in tokens for c in (t.children or []) if c.type == "code_inline"]
    folded = seen(text)
    if folded:
        assert shown == [folded.translate(ZERO_WIDTH)]


def test_batch_starts_with_the_summary_table() -> None:
    """For several proposals: counts, the summary table, then details worst outcome first."""
    run = seed_run()
    text = rendered(markdown, run)
    assert text.startswith(f"## reform-gate: {len(run.verdicts)} proposals scored")
    assert text.index("| Proposal | Requested | Outcome | Supported | Score |") < text.index("### Details")
    summaries = re.findall(r"<summary>\S+ ([^:]+):", text)
    order = ["Rejected", "Scale back", "Revise", "Supported"]
    ranks = [order.index(s) for s in summaries if s in order]
    assert ranks == sorted(ranks) and len(ranks) == len(run.verdicts)


def _many(n: int, **changes: str) -> Run:
    base = [seed_verdict(s) for s in SEED_IDS]
    verdicts = tuple(
        attrs.evolve(base[i % len(base)], proposal=f"proposal-{i:03d}" + changes.get("suffix", "")) for i in range(n)
    )
    return Run(verdicts)


def test_five_hundred_proposals_fit() -> None:
    """500 proposals stay under the limit: every row listed, details cut with a note."""
    text = rendered(markdown, _many(500))
    assert len(text) <= markdown.LIMIT
    assert len(re.findall(r"^\| `proposal-\d{3}`", text, re.M)) == 500
    assert "are left out to keep this under 65,000 characters" in text
    assert first_table_rows(PARSER.parse(text)) == 501


def test_rows_are_cut_when_even_the_table_is_too_long() -> None:
    """With very long ids the table itself is cut, worst outcomes first, and the note says so."""
    text = rendered(markdown, _many(500, suffix="-" + "x" * 400))
    assert len(text) <= markdown.LIMIT
    assert "more proposals are not listed" in text
    first = re.search(r"^\| `proposal-\d{3}-x+` \| \S+ \| (\S+ \S+)", text, re.M)
    assert first is not None and "rejected" in first.group(1)


def test_many_invalid_files_fit() -> None:
    """Hundreds of long error messages are cut too."""
    errors = tuple(TomlSyntaxError(f"proposals/p{i}.toml", "", "valid TOML", "x" * 500, None, i) for i in range(500))
    text = rendered(markdown, Run((seed_verdict("ru-tapi-pipeline"),), errors))
    assert len(text) <= markdown.LIMIT
    assert "invalid files are left out" in text


def test_a_single_huge_verdict_is_cut() -> None:
    """Even one verdict with absurd text stays under the limit."""
    v = seed_verdict("ru-formal-recognition")
    warnings = tuple(attrs.evolve(w, message="w" * 5000) for w in v.warnings) * 3
    text = rendered(markdown, Run((attrs.evolve(v, warnings=warnings),), single=True))
    assert len(text) <= markdown.LIMIT
    assert text.rstrip().endswith("characters.")


def test_single_verdict_lists_invalid_files() -> None:
    """Errors beside a single verdict get their own section."""
    err = TomlSyntaxError("bad.toml", "observations.x", "valid TOML", "a `weird` <value>", None, 3)
    text = rendered(markdown, Run((seed_verdict("ru-tapi-pipeline"),), (err,), single=True))
    assert "### Invalid files" in text
    assert "`bad.toml:3`" in text and "<value>" not in text


def test_rule_links_only_for_absolute_docs() -> None:
    """A docs URL makes rule ids links; the default relative path does not (comments can't resolve it)."""
    run = seed_run("ru-formal-recognition", rule_docs="https://example.org/rules/")
    assert "[CT-1](https://example.org/rules/CT-1.md)" in rendered(markdown, run)
    assert "](docs/rules/" not in rendered(markdown, seed_run("ru-formal-recognition"))


def test_no_stale_goldens() -> None:
    """No golden file of the CI formats is left over from a seed that no longer exists."""
    from tests.golden_util import GOLDEN

    for kind in ("markdown", "sarif", "junit", "github"):
        left = {p.stem for p in (GOLDEN / kind).glob("*")} - set(SEED_IDS)
        assert not left, f"stale golden files in tests/golden/{kind}: {sorted(left)}"
