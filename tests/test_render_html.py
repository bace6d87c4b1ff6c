"""``--format html`` (docs/output-formats.md, "html"): one self-contained, well-formed page with
charts that have text alternatives, checked without a browser (``html.parser``) and in a real
headless Chromium (its own ``--dump-dom`` and ``--screenshot``)."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import reform_gate
from reform_gate import cli
from reform_gate.analysis import Comparison, Sensitivity
from reform_gate.batch import timeline_file
from reform_gate.render import Run, html
from tests.golden_util import check_golden
from tests.png import read_png
from tests.render_util import REPO, rendered, seed_run, seed_verdict

VOID = {"meta", "br", "img", "input", "link", "hr", "col", "wbr", "source"}
#: SVG elements written self-closed (``<rect .../>``), which html.parser reports as start-end tags.
BAR_RGB = (0x1F, 0x5F, 0x8B)


class Checked(HTMLParser):
    """Reads a page and records what the tests hold it to: nesting, links, scripts, charts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.links: list[str] = []
        self.sources: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.labelled: list[str] = []
        self.svg_children: list[list[str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        ident = found.get("id")
        if ident:
            self.ids.append(ident)
        if "href" in found and found["href"] is not None:
            self.links.append(found["href"])
        if "src" in found and found["src"] is not None:
            self.sources.append(found["src"])
        if tag == "svg":
            self.svg_children.append([])
            self.labelled.append(found.get("aria-labelledby") or "")
            if found.get("role") != "img":
                self.problems.append("an svg without role=img")
        elif self.svg_children and "svg" in self.stack:
            self.svg_children[-1].append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if self.svg_children and "svg" in self.stack:
            self.svg_children[-1].append(tag)
        if "href" in dict(attrs):
            self.links.append(dict(attrs)["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def checked(page: str) -> Checked:
    parser = Checked()
    parser.feed(page)
    parser.close()
    return parser


def assert_self_contained(page: str, rule_docs: str = "docs/rules/") -> Checked:
    """Well-formed, no script, nothing fetched from elsewhere, every chart titled and described."""
    assert page.startswith("<!DOCTYPE html>\n")
    found = checked(page)
    assert found.problems == []
    assert found.stack == [], f"left open: {found.stack}"
    assert "script" not in found.tags and "iframe" not in found.tags and "object" not in found.tags
    assert found.sources == []
    for link in found.links:
        assert link.startswith("#") or link.startswith(rule_docs), link
    assert "@import" not in page and "url(http" not in page
    assert "on" + "load=" not in page and "javascript:" not in page
    # Every chart names its own title and desc, which it holds.
    assert len(found.labelled) == len(found.svg_children)
    for labels, children in zip(found.labelled, found.svg_children, strict=True):
        title, desc = labels.split()
        assert title in found.ids and desc in found.ids
        assert children[:2] == ["title", "desc"]
    assert len(found.ids) == len(set(found.ids)), "ids repeat"
    return found


def _sensitivity(stem: str) -> Sensitivity:
    here = os.getcwd()
    os.chdir(REPO)
    try:
        proposal = reform_gate.load_proposal(f"seeds/{stem}.toml")
        return reform_gate.sensitivity(proposal, reform_gate.criteria_for(proposal), draws=200)
    finally:
        os.chdir(here)


def _comparison(*stems: str) -> Comparison:
    here = os.getcwd()
    os.chdir(REPO)
    try:
        pairs = []
        for stem in stems:
            p = reform_gate.load_proposal(f"seeds/{stem}.toml")
            pairs.append((p, reform_gate.criteria_for(p)))
        return reform_gate.compare(pairs)
    finally:
        os.chdir(here)


def _drawn(draw: object, result: object) -> str:
    out = io.StringIO()
    draw(result, out)  # type: ignore[operator]
    return out.getvalue()


# --- without a browser -------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["ru-formal-recognition", "ru-humanitarian-carve-out"])
def test_html_golden(stem: str) -> None:
    """The HTML verdict of two seeds is exactly as reviewed, and self-contained."""
    page = rendered(html, seed_run(stem))
    assert_self_contained(page)
    check_golden(f"html/{stem}.html", page)


def test_sensitivity_and_comparison_goldens() -> None:
    s = _drawn(html.render_sensitivity, _sensitivity("ru-formal-recognition"))
    c = _drawn(html.render_comparison, _comparison("ru-formal-recognition", "ru-isisk-intelligence-sharing"))
    for page in (s, c):
        assert_self_contained(page)
    check_golden("html/sensitivity-ru-formal-recognition.html", s)
    check_golden("html/compare-recognition-isisk.html", c)


def test_a_batch_page_holds_every_verdict() -> None:
    run = seed_run()
    page = rendered(html, run)
    found = assert_self_contained(page)
    text = " ".join(found.text)
    for v in run.verdicts:
        assert v.proposal in text and v.title in text
    assert page.count("<h3>Pillar scores against") == len(run.verdicts)


def test_every_part_of_a_verdict_is_there() -> None:
    """Verdict, pillar chart and table, ladder, contributions, gap, evidence and bibliography."""
    v = seed_verdict("ru-formal-recognition")
    found = assert_self_contained(rendered(html, seed_run("ru-formal-recognition")))
    text = " ".join(found.text)
    for words in (
        "SCALE BACK",
        v.title,
        "Pillar scores against recognition's minimums",
        "The ladder",
        "requested",
        "supported",
        "Rule contributions and shortfalls",
        "What it would take: 19 rules raised to full credit",
        "Scaled back to dialogue, it would take: 4 rules raised, 1 of them only in part",
        "Evidence",
        "Sources",
        "graded B2 (usually reliable source, probably true)",
    ):
        assert words in text, words
    for p in v.pillars:
        assert f"{p.score:.1f}" in text
    for f in v.findings:
        for e in f.evidence:
            assert e.source in text


def test_file_text_is_escaped() -> None:
    """Titles, sources and ids cannot inject markup, scripts or links."""
    evil = '<script>alert("x")</script><a href="https://evil.example">x</a> & "quotes"'
    v = seed_verdict("ru-formal-recognition")
    findings = tuple(
        attrs.evolve(f, title=evil, evidence=tuple(attrs.evolve(e, source=evil, url=evil) for e in f.evidence))
        for f in v.findings
    )
    bad = attrs.evolve(v, title=evil, actor=evil, counterpart=evil, findings=findings)
    page = rendered(html, Run((bad,), single=True))
    found = assert_self_contained(page)
    assert "<script>" not in page and "https://evil.example" not in found.links
    assert evil.replace("  ", " ") in " ".join(found.text)


def test_rule_links_follow_rule_docs_and_refuse_other_schemes() -> None:
    v = seed_verdict("ru-formal-recognition")
    page = rendered(html, Run((v,), single=True, rule_docs="https://example.org/rules/"))
    assert 'href="https://example.org/rules/CT-1.md"' in page
    assert_self_contained(page, "https://example.org/rules/")
    page = rendered(html, Run((v,), single=True, rule_docs="javascript:alert(1)//"))
    assert "javascript:" not in page


def test_line_chart_is_generic_and_accessible() -> None:
    """The line chart a timeline will use: one polyline per run of points, a marker per point, a
    guide per threshold, and a title and desc."""
    ids = html._Ids()
    svg = html.line_chart(
        ids,
        "Scores over time",
        "overall 10 then 20 then none then 40",
        ["2024-01-01", "2024-07-01", "2025-01-01", "2025-07-01"],
        [html.Series("overall", (10.0, 20.0, None, 40.0)), html.Series("counterterrorism", (5.0, 5.0, 30.0, 60.0))],
        guides=[("dialogue needs", 8.0)],
    )
    found = assert_self_contained(html.page("t", [svg]))
    assert found.tags.count("polyline") == 3  # the gap splits the first series in two
    assert "dialogue needs 8" in " ".join(found.text)
    assert 'stroke-dasharray="6 3"' in svg  # the second series is dashed: told apart without colour


def test_cli_writes_html_for_score_sensitivity_and_compare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    one = tmp_path / "score.html"
    two = tmp_path / "sens.html"
    three = tmp_path / "cmp.html"
    assert cli.main(["score", "seeds/ru-humanitarian-carve-out.toml", "--format", "html", "--output", str(one)]) == 0
    assert (
        cli.main(
            ["sensitivity", "seeds/ru-tapi-pipeline.toml", "--draws", "50", "--format", "html", "--output", str(two)]
        )
        == 0
    )
    seeds = ["seeds/ru-tapi-pipeline.toml", "seeds/ru-mineral-extraction.toml"]
    assert cli.main(["compare", *seeds, "--format", "html", "--output", str(three)]) == 0
    for path in (one, two, three):
        assert_self_contained(path.read_text(encoding="utf-8"))


# --- in a real browser ------------------------------------------------------------------------

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH (Debian: apt-get install chromium); CI installs one"
)


def _browser(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


@needs_chromium
def test_the_browser_renders_the_verdicts_numbers(tmp_path: Path) -> None:
    """Chromium's own DOM of the page holds the outcome, the scores and the gap."""
    v = seed_verdict("ru-formal-recognition")
    page = tmp_path / "verdict.html"
    page.write_text(rendered(html, seed_run("ru-formal-recognition")), encoding="utf-8")
    done = _browser("--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "SCALE BACK" in dom and "<svg" in dom
    for number in (f"{v.overall_score:.1f}", *(f"{p.score:.1f}" for p in v.pillars)):
        assert f">{number}<" in dom or f"{number} " in dom, number
    assert "19 rules raised to full credit" in dom


@needs_chromium
def test_the_pillar_chart_is_drawn(tmp_path: Path) -> None:
    """A screenshot of the chart alone has bar pixels inside the plot area, and the text column is
    drawn too; a screenshot of the whole page shows the chart's bars."""
    v = seed_verdict("ru-humanitarian-carve-out")
    bars = [html.Bar(p.id, p.score, p.minimum) for p in v.pillars]
    svg = html.bar_chart(html._Ids(), "Pillar scores", "for the test", bars)
    alone = tmp_path / "chart.html"
    alone.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}svg{display:block}</style></head>'
        f"<body>{svg}</body></html>",
        encoding="utf-8",
    )
    shot = tmp_path / "chart.png"
    done = _browser(f"--screenshot={shot}", "--window-size=760,200", alone.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    image = read_png(shot)
    # The plot area runs from x=230 to 590; the safeguards bar (77, ok, solid) is the fourth row.
    plot = (231, 28, 590, 28 + 30 * len(bars))
    assert image.count(BAR_RGB, plot) > 500
    assert image.not_white((0, 28, 225, 28 + 30 * len(bars))) > 100  # the labels
    row = 28 + 30 * 3
    assert image.count(BAR_RGB, (231, row + 8, 231 + int(360 * 0.7), row + 22)) > 0.8 * int(360 * 0.7) * 14

    page = tmp_path / "verdict.html"
    page.write_text(rendered(html, Run((v,), single=True)), encoding="utf-8")
    whole = tmp_path / "verdict.png"
    done = _browser(f"--screenshot={whole}", "--window-size=900,700", page.as_uri())
    assert done.returncode == 0 and whole.exists(), done.stderr[-2000:]
    image = read_png(whole)
    assert image.count(BAR_RGB) > 1000
    assert image.not_white() > 5000


def _timeline_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    out = tmp_path / "timeline.html"
    argv = ["timeline", "seeds/ru-formal-recognition.toml", "--from", "2021-09-01", "--to", "2025-07-03"]
    assert cli.main([*argv, "--every", "1y", "--format", "html", "--output", str(out)]) == 0
    return out


def test_timeline_html_is_a_self_contained_page_with_a_line_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timeline's page: one titled line chart (overall and each reform pillar), the table of
    dates with the same numbers as the text, and what changed; nothing fetched, no script."""
    page = _timeline_page(tmp_path, monkeypatch).read_text(encoding="utf-8")
    found = assert_self_contained(page)
    assert found.tags.count("svg") == 1 and "polyline" in found.tags
    start, end = datetime.date(2021, 9, 1), datetime.date(2025, 7, 3)
    t = timeline_file("seeds/ru-formal-recognition.toml", start, end, every="1y")
    text = " ".join(found.text)
    for m in t.moments:
        assert m.date.isoformat() in text
        assert f"{m.overall_score:.1f}" in text
    assert "What changed" in text and "→" in text
    assert "recognition sought" in text


@needs_chromium
def test_the_browser_draws_the_timeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chromium renders the timeline page: its DOM holds every date and overall score, and a
    screenshot has the overall line's pixels."""
    page = _timeline_page(tmp_path, monkeypatch)
    done = _browser("--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<svg" in done.stdout and "2024-09-01" in done.stdout and ">13.2<" in done.stdout
    shot = tmp_path / "timeline.png"
    done = _browser(f"--screenshot={shot}", "--window-size=900,700", page.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    image = read_png(shot)
    assert image.count(BAR_RGB) > 300  # the overall line and its legend mark
    assert image.not_white() > 5000
