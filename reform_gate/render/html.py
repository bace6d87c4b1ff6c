"""HTML: one self-contained page for a memo, for ``score``, ``sensitivity`` and ``compare``.

The page needs nothing but itself: the style sheet is inline, the charts are inline SVG drawn
here, there is no script, and the only links are to the rule pages (``--rule-docs``). It reads
without colour (every status is also a word, every chart fill also a pattern, every line also a
dash and a marker shape) and every chart has a text alternative: a ``<title>`` and a ``<desc>``
in the SVG, and the same numbers in a table beside it. Everything that came from a file is
escaped. ``docs/output-formats.md`` ("html") describes the contents.

The charts are generic, so that a new analysis draws with them rather than anew:

- :func:`bar_chart`: horizontal bars on a 0..max scale, each with an optional minimum marker and
  a pass/fail state (solid for ok, hatched for below);
- :func:`grouped_bar_chart`: the same, with one bar per series in each group (a pattern each);
- :func:`line_chart`: values over an ordered axis of labels (dates, say), one line per series,
  with dashed guide lines for thresholds.

A timeline (outcome, supported tier and pillar scores at dated points) plugs in as one more
page function beside :func:`render_sensitivity`: ``line_chart`` over the points' dates with one
series per pillar plus the overall score and a guide line per minimum of the requested tier, a
table of the points (date, outcome, supported tier, scores) as its text alternative, and
:func:`page` around them; see ``docs/output-formats.md``.
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Sequence
from typing import TextIO

from attrs import frozen

from ..analysis import Comparison, ObservationFlip, Sensitivity, WeightRange
from ..checks import show_value
from ..errors import ReformGateError
from ..grades import grade_words
from ..history import Timeline
from ..model import OUTCOMES
from ..numbers import TOLERANCE, show
from ..requirements import shortfall
from ..verdict import Evidence, Gap, Verdict
from . import Run
from .compare import status_words
from .compare import table as comparison_table
from .sensitivity import change_words, place_words, range_words
from .shared import (
    OUTCOME_WORDS,
    PROBLEM_WORDS,
    Spool,
    gap_title,
    headline,
    num,
    observed,
    rule_url,
    source_key,
    sources,
    unreachable,
)

__all__ = [
    "Bar",
    "Series",
    "bar_chart",
    "esc",
    "grouped_bar_chart",
    "line_chart",
    "nice_ceiling",
    "page",
    "render",
    "render_comparison",
    "render_sensitivity",
]

#: Outcome marks: a symbol and a word, so the outcome never rests on colour alone.
MARKS = {"supported": "✔", "revise": "✎", "scale-back": "↓", "rejected": "✖"}

#: The chart colours. ``BAR`` fills bars that meet their bar; the tests find chart pixels by it.
BAR = "#1f5f8b"
BAR_LIGHT = "#9bbcd6"
INK = "#1a1a1a"
GRID = "#c8c8c8"
#: Fills for the series of a grouped chart: a colour and a pattern each, told apart without colour.
SERIES_FILLS = ("solid", "hatch", "dots", "cross", "vertical")
#: Dashes and markers of line-chart series, told apart without colour.
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 5")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
  background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem;
  border-bottom: 1px solid #ccc; padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
.who { color: #444; margin: 0 0 1rem; }
.outcome { border: 2px solid; border-radius: 6px; padding: .6rem .8rem; margin: 1rem 0; }
.outcome strong { letter-spacing: .05em; margin-right: .5rem; }
.outcome-supported { border-color: #1b7a36; background: #eef8f0; }
.outcome-revise { border-color: #9a6a00; background: #fff8e6; border-style: dashed; }
.outcome-scale-back { border-color: #9a6a00; background: #fff8e6; border-style: double; border-width: 4px; }
.outcome-rejected { border-color: #a1262b; background: #fbeeee; border-style: dotted; border-width: 3px; }
.numbers { display: flex; flex-wrap: wrap; gap: 1rem 2rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
.numbers li { min-width: 9rem; } .numbers b { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
.chart { margin: .5rem 0; max-width: 100%; height: auto; }
.ladder { list-style: none; padding: 0; margin: .5rem 0 1rem; display: flex; flex-direction: column-reverse;
  gap: .3rem; }
.ladder li { border: 1px solid #bbb; border-radius: 4px; padding: .3rem .6rem; }
.ladder .supported { border: 2px solid #1b7a36; }
.ladder .requested { outline: 3px dashed #1f5f8b; outline-offset: 2px; }
.tag { display: inline-block; font-size: .8rem; border: 1px solid #666; border-radius: 3px; padding: 0 .3rem;
  margin-left: .4rem; }
.ok::before { content: "✔ "; } .below::before { content: "✖ "; }
.muted { color: #555; } .small { font-size: .85rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
details { margin: .5rem 0; } summary { cursor: pointer; font-weight: 600; }
@media print { body { max-width: none; } details { display: block; } }
"""


def esc(value: object) -> str:
    """Text from a file, safe in HTML text and attributes; whitespace folded to single spaces."""
    return _html.escape(re.sub(r"\s+", " ", str(value)).strip(), quote=True)


class _Ids:
    """Ids unique within one page, the same on every run (charts refer to their title and desc)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"


def page(title: str, body: Sequence[str]) -> str:
    """A whole HTML document around ``body`` (already escaped markup), with the inline style sheet."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="reform-gate">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# --- charts ----------------------------------------------------------------------------------------


@frozen
class Bar:
    """One bar of :func:`bar_chart`: its label, its value, and the bar it must reach, if any."""

    label: str
    value: float
    minimum: float | None = None
    #: Words shown at the bar's end (``23.3``); the value when empty.
    text: str = ""


@frozen
class Series:
    """One line of :func:`line_chart`: its name and one value per label (``None``: no point)."""

    name: str
    values: tuple[float | None, ...]


def _patterns(prefix: str) -> str:
    """The fill patterns (``<defs>``), with ids prefixed so that two charts on a page never clash."""
    return (
        "<defs>"
        f'<pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{BAR}" '
        'stroke-width="3"/></pattern>'
        f'<pattern id="{prefix}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="{BAR_LIGHT}"/><circle cx="2.5" cy="2.5" r="1.4" fill="{INK}"/></pattern>'
        f'<pattern id="{prefix}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#fff"/><path d="M0 0L6 6M6 0L0 6" stroke="{INK}" stroke-width="1"/>'
        "</pattern>"
        f'<pattern id="{prefix}-vertical" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="{BAR_LIGHT}"/><line x1="2" y1="0" x2="2" y2="5" stroke="{INK}" '
        'stroke-width="1.5"/></pattern>'
        "</defs>"
    )


def _fill(kind: str, prefix: str) -> str:
    return BAR if kind == "solid" else f"url(#{prefix}-{kind})"


def _open_svg(ids: _Ids, width: int, height: int, title: str, desc: str, cls: str = "chart") -> tuple[str, str]:
    """The opening of an accessible SVG (role, title, desc) and the prefix for its pattern ids."""
    svg_id, t, d = ids("chart"), ids("chart-title"), ids("chart-desc")
    head = (
        f'<svg class="{cls}" id="{svg_id}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{t} {d}">'
        f'<title id="{t}">{esc(title)}</title><desc id="{d}">{esc(desc)}</desc>'
    )
    return head, svg_id


def nice_ceiling(x: float) -> float:
    """The least of 1, 2, 2.5, 5 or 10 times a power of ten that is at least ``x`` (axes end on round numbers)."""
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= x - 1e-12 * power)


def bar_chart(ids: _Ids, title: str, desc: str, bars: Sequence[Bar], *, maximum: float = 100.0, unit: str = "") -> str:
    """Horizontal bars from 0 to ``maximum``; a bar below its minimum is hatched and says "below"."""
    label_w, plot_w, row_h, top = 230, 360, 30, 28
    width, height = label_w + plot_w + 130, top + row_h * len(bars) + 12
    head, prefix = _open_svg(ids, width, height, title, desc)
    parts = [head, _patterns(prefix)]
    top_value = nice_ceiling(maximum)

    def x(v: float) -> float:
        return label_w + plot_w * max(0.0, min(v, top_value)) / top_value

    for i in range(5):
        tick = top_value * i / 4
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - 8}" stroke="{GRID}"/>'
            f'<text x="{x(tick):.1f}" y="{top - 10}" font-size="11" text-anchor="middle" fill="{INK}">'
            f"{esc(show(round(tick, 6)))}{esc(unit)}</text>"
        )
    for row, bar in enumerate(bars):
        y = top + row * row_h
        below = bar.minimum is not None and bar.value < bar.minimum - TOLERANCE
        fill = _fill("hatch", prefix) if below else BAR if bar.minimum is not None else BAR_LIGHT
        state = "below" if below else "ok" if bar.minimum is not None else ""
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" font-size="13" text-anchor="end" fill="{INK}">'
            f"{esc(bar.label)}</text>"
            f'<rect x="{label_w}" y="{y + 5}" width="{max(x(bar.value) - label_w, 0.0):.1f}" height="{row_h - 10}" '
            f'fill="{fill}" stroke="{BAR}" stroke-width="1"/>'
        )
        if bar.minimum is not None:
            mx = x(bar.minimum)
            parts.append(
                f'<line x1="{mx:.1f}" y1="{y + 1}" x2="{mx:.1f}" y2="{y + row_h - 1}" stroke="{INK}" stroke-width="3"/>'
                f'<path d="M{mx - 5:.1f} {y + 1} L{mx + 5:.1f} {y + 1} L{mx:.1f} {y + 7} Z" fill="{INK}"/>'
            )
        words = bar.text or show(bar.value)
        parts.append(
            f'<text x="{label_w + plot_w + 8}" y="{y + 19}" font-size="13" fill="{INK}">{esc(words)}'
            f"{f' {state}' if state else ''}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    ids: _Ids, title: str, desc: str, groups: Sequence[tuple[str, Sequence[float | None]]], names: Sequence[str]
) -> str:
    """One group of bars per label, one bar per series (a pattern each, named in the legend), 0..100."""
    label_w, plot_w, bar_h, top = 230, 360, 14, 28
    n = max(1, len(names))
    group_h = bar_h * n + 12
    legend_h = 20 * n
    width = label_w + plot_w + 80
    height = top + group_h * len(groups) + legend_h + 10
    head, prefix = _open_svg(ids, width, height, title, desc)
    parts = [head, _patterns(prefix)]

    def x(v: float) -> float:
        return label_w + plot_w * max(0.0, min(v, 100.0)) / 100.0

    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{top + group_h * len(groups)}" '
            f'stroke="{GRID}"/><text x="{x(tick):.1f}" y="{top - 10}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{tick}</text>'
        )
    for g, (label, values) in enumerate(groups):
        y0 = top + g * group_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + group_h / 2 + 4:.1f}" font-size="13" text-anchor="end" '
            f'fill="{INK}">{esc(label)}</text>'
        )
        for s, value in enumerate(values):
            y = y0 + 4 + s * bar_h
            fill = _fill(SERIES_FILLS[s % len(SERIES_FILLS)], prefix)
            if value is None:
                parts.append(f'<text x="{label_w + 4}" y="{y + 11}" font-size="11" fill="{INK}">none</text>')
                continue
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{x(value) - label_w:.1f}" height="{bar_h - 2}" fill="{fill}" '
                f'stroke="{BAR}"/><text x="{x(value) + 4:.1f}" y="{y + 11}" font-size="11" fill="{INK}">'
                f"[{s + 1}] {esc(num(value))}</text>"
            )
    ly = top + group_h * len(groups) + 8
    for s, name in enumerate(names):
        lx, y = label_w, ly + s * 20
        fill = _fill(SERIES_FILLS[s % len(SERIES_FILLS)], prefix)
        parts.append(
            f'<rect x="{lx}" y="{y}" width="16" height="12" fill="{fill}" stroke="{BAR}"/>'
            f'<text x="{lx + 22}" y="{y + 11}" font-size="12" fill="{INK}">[{s + 1}] {esc(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{INK}"/>'
    if kind == "square":
        return (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#fff" stroke="{INK}" stroke-width="2"/>'
        )
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y + 4:.1f} L{x - 5:.1f} {y + 4:.1f} Z" fill="{INK}"/>'
    if kind == "diamond":
        return (
            f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z" '
            f'fill="#fff" stroke="{INK}" stroke-width="2"/>'
        )
    return (
        f'<path d="M{x - 4:.1f} {y - 4:.1f} L{x + 4:.1f} {y + 4:.1f} '
        f'M{x + 4:.1f} {y - 4:.1f} L{x - 4:.1f} {y + 4:.1f}" stroke="{INK}" stroke-width="2"/>'
    )


def line_chart(
    ids: _Ids,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float = 100.0,
    guides: Sequence[tuple[str, float]] = (),
) -> str:
    """Values over an ordered axis of ``labels`` (dates, say): one line per series, each with its
    own dash and marker shape (named in the legend), and a dashed guide line per (name, value)."""
    left, plot_w, plot_h, top = 50, 560, 240, 20
    n = max(1, len(labels))
    legend_h = 20 * len(series)
    # Room on the right for the longest guide's label ("inclusive-participation needs 65"), at
    # about 7 px a character of the 11 px font.
    label_w = max([150, *(7 * len(f"{name} {show(value)}") + 20 for name, value in guides)])
    width, height = left + plot_w + label_w, top + plot_h + 40 + legend_h
    head, _prefix = _open_svg(ids, width, height, title, desc)
    parts = [head]
    top_value = nice_ceiling(maximum)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * max(0.0, min(v, top_value)) / top_value

    for i in range(5):
        tick = top_value * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" fill="{INK}">'
            f"{esc(show(round(tick, 6)))}</text>"
        )
    step = max(1, (n + 7) // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" font-size="11" text-anchor="middle" fill="{INK}">'
                f"{esc(label)}</text>"
            )
    for name, value in guides:
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" y2="{y(value):.1f}" stroke="{INK}" '
            f'stroke-dasharray="4 4"/><text x="{left + plot_w + 6}" y="{y(value) + 4:.1f}" font-size="11" '
            f'fill="{INK}">{esc(name)} {esc(show(value))}</text>'
        )
    for s, line in enumerate(series):
        dash = DASHES[s % len(DASHES)]
        stroke = BAR if s == 0 else INK
        points = [(x(i), y(v)) for i, v in enumerate(line.values) if v is not None]
        # A gap (None) breaks the line: draw each run of consecutive points as its own polyline.
        run: list[tuple[float, float]] = []
        for i, v in enumerate([*line.values, None]):
            if v is not None:
                run.append((x(i), y(v)))
            elif run:
                coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in run)
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="2.5"{dashed}/>')
                run = []
        parts += [_marker(MARKERS[s % len(MARKERS)], a, b) for a, b in points]
    ly = top + plot_h + 34
    for s, line in enumerate(series):
        lx, yy = left, ly + s * 20
        dash = DASHES[s % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="{yy}" x2="{lx + 30}" y2="{yy}" stroke="{BAR if s == 0 else INK}" stroke-width="2.5"'
            f"{dashed}/>{_marker(MARKERS[s % len(MARKERS)], lx + 15, yy)}"
            f'<text x="{lx + 38}" y="{yy + 4}" font-size="12" fill="{INK}">{esc(line.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- pieces of a verdict -------------------------------------------------------------------------


def _rule_link(rule: str, rule_docs: str | None) -> str:
    """A rule id, linked to its page when ``--rule-docs`` gives one (the same page every format
    names); only a web address becomes a link, whatever a library caller passes."""
    href = rule_url(rule_docs, rule)
    if href is None or not href.lower().startswith(("http://", "https://")):
        return f"<code>{esc(rule)}</code>"
    return f'<a href="{esc(href)}"><code>{esc(rule)}</code></a>'


def _outcome(v: Verdict) -> str:
    return (
        f'<p class="outcome outcome-{v.outcome}"><strong>{MARKS[v.outcome]} {esc(OUTCOME_WORDS[v.outcome].upper())}'
        f"</strong> {esc(headline(v))}</p>"
    )


def _numbers(v: Verdict) -> str:
    items = [f"<li>Overall reform score<b>{num(v.overall_score)}</b>"]
    if v.min_score is not None:
        items[-1] += f'<span class="muted">{esc(v.requested_tier)} needs {esc(show(v.min_score))}</span>'
    items[-1] += "</li>"
    if v.design_score is not None:
        items.append(f"<li>Design score<b>{num(v.design_score)}</b></li>")
    items.append(f"<li>Requested tier<b>{esc(v.requested_tier)}</b></li>")
    items.append(f"<li>Supported tier<b>{esc(v.supported_tier or 'none')}</b></li>")
    return '<ul class="numbers">' + "".join(items) + "</ul>"


def _pillars(v: Verdict, ids: _Ids, h: str) -> list[str]:
    bars = [Bar(p.id, p.score, p.minimum, num(p.score)) for p in v.pillars]
    desc = "; ".join(
        f"{p.id} {num(p.score)}"
        + (f", needs {show(p.minimum)} ({'ok' if p.meets_minimum else 'below'})" if p.minimum is not None else "")
        for p in v.pillars
    )
    out = [
        f"<{h}>Pillar scores against {esc(v.requested_tier)}'s minimums</{h}>",
        bar_chart(ids, f"Pillar scores against the minimums of {v.requested_tier}", desc, bars),
        '<p class="small muted">Each bar is a pillar score out of 100; the black mark is the minimum '
        f"{esc(v.requested_tier)} sets. A solid bar meets it (ok), a hatched bar falls short (below); a pale bar "
        "has no minimum.</p>",
        "<table><caption>Pillar scores</caption><thead><tr><th>pillar</th><th>kind</th>"
        '<th class="n">score</th><th class="n">needs</th><th>state</th></tr></thead><tbody>',
    ]
    for p in v.pillars:
        state = "" if p.meets_minimum is None else "ok" if p.meets_minimum else "below"
        cls = f' class="{state}"' if state else ""
        empty = " (no rule counted)" if p.empty else ""
        out.append(
            f'<tr><td>{esc(p.id)}</td><td>{esc(p.kind)}</td><td class="n">{num(p.score)}</td>'
            f'<td class="n">{"" if p.minimum is None else esc(show(p.minimum))}</td><td{cls}>{state}{empty}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _ladder(v: Verdict, h: str) -> list[str]:
    if not v.ladder:
        return []
    out = [f"<{h}>The ladder</{h}>", '<ol class="ladder">']
    for rung in v.ladder:
        classes = [
            c
            for c, on in (("supported", rung.id == v.supported_tier), ("requested", rung.id == v.requested_tier))
            if on
        ]
        tags = "".join(f'<span class="tag">{c}</span>' for c in classes)
        record = "holds on the record" if rung.reform_holds else "fails on the record"
        if rung.outside_ladder:
            record = "beside the ladder: judged on the design alone"
        design = "its safeguards hold" if rung.safeguard_holds else "its safeguards fall short"
        cls = f' class="{" ".join(classes)}"' if classes else ""
        out.append(
            f"<li{cls}><b>{esc(rung.id)}</b> {esc(rung.title)}{tags}<br>"
            f'<span class="small">{record}; {design}</span></li>'
        )
    out.append("</ol>")
    return out


def _blocking(v: Verdict, h: str, rule_docs: str | None) -> list[str]:
    if not v.blocking:
        return [f"<p>Every requirement of {esc(v.requested_tier)} holds, its gates included.</p>"]
    out = [f"<{h}>Blocking {esc(v.requested_tier)} ({len(v.blocking)})</{h}>", "<ul>"]
    for r in v.blocking:
        if r.kind == "gate":
            f = v.finding(r.subject)
            out.append(
                f'<li class="below">gate {_rule_link(f.rule, rule_docs)} {esc(f.title)}: observed {esc(observed(f))}; '
                f"needs <code>{esc(f.needed)}</code></li>"
            )
        else:
            out.append(f'<li class="below">{esc(shortfall(r))}</li>')
    out.append("</ul>")
    return out


def _contributions(v: Verdict, h: str, rule_docs: str | None) -> list[str]:
    out = [
        f"<{h}>Rule contributions and shortfalls</{h}>",
        "<table><caption>Points of its pillar each rule won and lost</caption><thead><tr><th>rule</th><th>pillar</th>"
        '<th class="n">weight</th><th>status</th><th class="n">credit</th><th class="n">won</th><th class="n">lost</th>'
        "</tr></thead><tbody>",
    ]
    for f in v.findings:
        gate = ' <span class="tag">gate</span>' if f.gate else ""
        out.append(
            f"<tr><td>{_rule_link(f.rule, rule_docs)} {esc(f.title)}{gate}</td><td>{esc(f.pillar)}</td>"
            f'<td class="n">{esc(show(f.weight))}</td><td>{esc(f.status)}</td><td class="n">{show(f.credit, 2)}</td>'
            f'<td class="n">{num(f.points_won)}</td><td class="n">{num(f.points_lost)}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _gap(v: Verdict, g: Gap, title: str, h: str, rule_docs: str | None) -> list[str]:
    if not g.reachable:
        return [f"<{h}>{esc(title)}</{h}>", f"<p>{esc(g.tier)} cannot be reached {esc(unreachable(v))}.</p>"]
    if not g.steps:
        return [f"<{h}>{esc(title)}</{h}>", f"<p>Every requirement of {esc(g.tier)} holds as the proposal stands.</p>"]
    bound = "" if g.exact else " (an upper bound: the search was cut short)"
    out = [f"<{h}>{esc(title)}: {esc(gap_title(g))}{bound}</{h}>", "<ol>"]
    for s in g.steps:
        gains = [f"+{num(s.pillar_points)} {esc(s.pillar)}"]
        if abs(s.overall_points) > TOLERANCE:
            gains.append(f"+{num(s.overall_points)} overall")
        if abs(s.design_points) > TOLERANCE:
            gains.append(f"+{num(s.design_points)} design")
        enough = f" (credit {show(s.credit, 2)} is enough)" if s.partial else ""
        out.append(
            f"<li>{_rule_link(s.rule, rule_docs)} {esc(s.title)}: needs <code>{esc(s.needed)}</code>{enough}; "
            f"now {esc(s.observed)}; {', '.join(gains)}</li>"
        )
    out.append("</ol>")
    return out


def _evidence(v: Verdict, h: str, rule_docs: str | None) -> list[str]:
    cited = {source_key(e): n for n, e in enumerate(sources(v), start=1)}
    out = [
        f"<{h}>Evidence</{h}>",
        "<table><caption>Every rule's observations, with grade and age</caption><thead><tr><th>rule</th>"
        '<th>observed</th><th>source</th><th>as of</th><th>grade</th><th class="n">age (days)</th><th>counts</th>'
        "</tr></thead><tbody>",
    ]
    for f in v.findings:
        if not f.evidence:
            out.append(
                f"<tr><td>{_rule_link(f.rule, rule_docs)}</td><td>no observation</td>"
                + "<td></td>" * 4
                + "<td>no</td></tr>"
            )
        for e in f.evidence:
            counts = "yes" if e.counted else "no"
            if e.problem:
                counts += f" ({PROBLEM_WORDS[e.problem]})"
            out.append(
                f"<tr><td>{_rule_link(f.rule, rule_docs)}</td>"
                f"<td><code>{esc(e.indicator)} = {esc(show_value(e.value))}</code></td>"
                f'<td><a href="#{_source_id(v, cited[source_key(e)])}">[{cited[source_key(e)]}]</a></td>'
                f'<td>{e.as_of.isoformat()}</td><td>{esc(e.reliability)} <span class="small muted">'
                f'{esc(grade_words(e.reliability))}</span></td><td class="n">{e.age_days}</td>'
                f"<td>{esc(counts)}</td></tr>"
            )
    out.append("</tbody></table>")
    if cited:
        out += [f"<{h}>Sources</{h}>", '<ol class="sources">']
        for n, e in enumerate(sources(v), start=1):
            link = f' <span class="small">{esc(e.url)}</span>' if e.url else ""
            out.append(
                f'<li id="{_source_id(v, n)}">{esc(e.source)}. {e.as_of.isoformat()}, graded {esc(e.reliability)} '
                f"({esc(grade_words(e.reliability))}).{link}</li>"
            )
        out.append("</ol>")
    return out


def _source_id(v: Verdict, n: int) -> str:
    return f"source-{re.sub(r'[^A-Za-z0-9_-]', '-', v.proposal)}-{n}"


def _warnings(v: Verdict, h: str) -> list[str]:
    if not v.warnings:
        return []
    return [
        f"<{h}>Warnings ({len(v.warnings)})</{h}>",
        "<ul>",
        *(f"<li>{esc(w.message)}</li>" for w in v.warnings),
        "</ul>",
    ]


def _audit(v: Verdict) -> str:
    a = v.audit
    return (
        f'<p class="small muted">criteria {esc(a.criteria_id)} {esc(a.criteria_version)} '
        f"(sha256 {esc(a.criteria_sha256[:12])}), proposal {esc(a.proposal_id)} "
        f"(sha256 {esc(a.proposal_sha256[:12])}), reform-gate {esc(a.reform_gate_version)}, "
        f"as of {a.as_of.isoformat()}</p>"
    )


def _header(v: Verdict, level: int) -> list[str]:
    return [
        f'<h{level}>{esc(v.title)} <span class="muted small">[{esc(v.proposal)}]</span></h{level}>',
        f'<p class="who">{esc(v.actor)} → {esc(v.counterpart)}, as of {v.audit.as_of.isoformat()}; '
        f"<code>{esc(v.file)}</code></p>",
    ]


def verdict_section(v: Verdict, ids: _Ids, rule_docs: str | None, level: int = 1) -> list[str]:
    """Everything about one verdict: outcome, pillar chart, ladder, blocking, contributions, the
    gap, evidence with a bibliography, warnings and the audit line."""
    h = f"h{level + 1}"
    out = [*_header(v, level), _outcome(v), _numbers(v)]
    for w in v.waivers:
        out.append(
            f"<p>Waiver in force: {esc(w.rule)} until {w.expires.isoformat()} ({esc(w.authority)}: {esc(w.reason)})</p>"
        )
    out += _pillars(v, ids, h)
    out += _ladder(v, h)
    out += _blocking(v, h, rule_docs)
    if v.gap is not None:
        out += _gap(v, v.gap, "What it would take", h, rule_docs)
    if v.gap_to_supported is not None:
        out += _gap(v, v.gap_to_supported, f"Scaled back to {v.gap_to_supported.tier}, it would take", h, rule_docs)
    out += _contributions(v, h, rule_docs)
    out += _evidence(v, h, rule_docs)
    out += _warnings(v, h)
    out.append(_audit(v))
    return out


# --- pages -----------------------------------------------------------------------------------------


class Writer:
    """``score --format html`` drawn verdict by verdict (:func:`reform_gate.render.open_writer`):
    one verdict named alone is a page of its own; several are a summary table, then each verdict
    in full. Each verdict's section is drawn as it comes and set aside on disk (a :class:`Spool`),
    so memory does not grow with the batch; the table, which comes first, is written at the end.
    """

    def __init__(self, run: Run, out: TextIO) -> None:
        self.run = run
        self.out = out
        self.ids = _Ids()
        self.alone: list[Verdict] = []
        self.counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        self.rows: Spool[str] = Spool()
        self.sections: Spool[list[str]] = Spool()

    def add(self, v: Verdict) -> None:
        if self.run.single and not self.alone and not self.rows.count:
            self.alone.append(v)  # drawn alone if no other verdict follows
            return
        for held in self.alone:
            self._add(held)
        self.alone = []
        self._add(v)

    def _add(self, v: Verdict) -> None:
        i = self.rows.count + 1
        self.counts[v.outcome] += 1
        self.rows.add(
            f'<tr><td><a href="#verdict-{i}">{esc(v.proposal)}</a></td><td>{esc(v.requested_tier)}</td>'
            f"<td>{MARKS[v.outcome]} {esc(v.outcome)}</td><td>{esc(v.supported_tier or 'none')}</td>"
            f'<td class="n">{num(v.overall_score)}</td></tr>'
        )
        self.sections.add(
            [f'<section id="verdict-{i}">', *verdict_section(v, self.ids, self.run.rule_docs, level=2), "</section>"]
        )

    def close(self, errors: Sequence[ReformGateError]) -> None:
        try:
            if len(self.alone) == 1:
                v = self.alone[0]
                body = ["<main>", *verdict_section(v, self.ids, self.run.rule_docs), *_errors(errors), "</main>"]
                self.out.write(page(f"{v.title}: {OUTCOME_WORDS[v.outcome]}", body))
                return
            n = self.rows.count
            head = page("reform-gate verdicts", ["\0"]).split("\0")
            w = self.out.write
            w(head[0])
            w("<main>\n")
            w(f"<h1>reform-gate: {n} proposal{'s' if n != 1 else ''} scored</h1>\n")
            w("<p>" + ", ".join(f"{MARKS[o]} {c} {o}" for o, c in reversed(self.counts.items()) if c) + "</p>\n")
            w(
                "<table><caption>Every verdict</caption><thead><tr><th>proposal</th><th>requested</th>"
                '<th>outcome</th><th>supported</th><th class="n">score</th></tr></thead><tbody>\n'
            )
            for row in self.rows:
                w(row + "\n")
            w("</tbody></table>\n")
            for line in _errors(errors):
                w(line + "\n")
            for section in self.sections:
                for line in section:
                    w(line + "\n")
            w("</main>")
            w(head[1])
        finally:
            self.rows.close()
            self.sections.close()


def render(run: Run, out: TextIO) -> None:
    """``score --format html``: one verdict in full, or a summary table then each verdict in full."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)


def _errors(errors: Sequence[ReformGateError]) -> list[str]:
    if not errors:
        return []
    return [
        "<h2>Invalid files</h2>",
        "<ul>",
        *(
            f"<li><code>{esc(e.where())}</code>: {esc(e.kind)}: expected {esc(e.expected)}; found {esc(e.found)}</li>"
            for e in errors
        ),
        "</ul>",
    ]


def render_sensitivity(s: Sensitivity, out: TextIO, rule_docs: str | None = None) -> None:
    """``sensitivity --format html``: the verdict, the robustness figure, each weight's range with a
    chart of the closest, and the flip list."""
    ids = _Ids()
    v = s.verdict
    r = s.robustness
    body = [
        "<main>",
        *_header(v, 1),
        _outcome(v),
        _numbers(v),
        *_pillars(v, ids, "h2"),
        *_ladder(v, "h2"),
        "<h2>Robustness</h2>",
        f"<p><b>{100 * r.share_outcome:.1f} %</b> of {r.draws} random weight changes keep the outcome "
        f"({esc(v.outcome)}); <b>{100 * r.share_place:.1f} %</b> also keep the supported tier "
        f"({esc(v.supported_tier or 'none')}).</p>",
        f'<p class="small">Rule: {esc(r.rule)}. Seed {r.seed}; {r.draws} draws; '
        f"{r.kept_outcome} kept the outcome, {r.kept_place} kept both.</p>",
        *_weights(s.weights, ids, rule_docs),
        *_flips(s.flips),
        _audit(v),
        "</main>",
    ]
    out.write(page(f"Sensitivity: {v.title}", body))


def _weights(weights: Sequence[WeightRange], ids: _Ids, rule_docs: str | None) -> list[str]:
    moving = [w for w in weights if w.flips]
    out = ["<h2>Weights, closest to flipping first</h2>"]
    if not moving:
        return [*out, "<p>No single weight, moved alone, changes the verdict.</p>"]
    chartable = [w for w in moving if w.change is not None][:12]
    if chartable:
        top = max(100.0, *(100 * (w.change or 0.0) for w in chartable))
        bars = [Bar(f"{w.kind} {w.id}", 100 * (w.change or 0.0), None, change_words(w)) for w in chartable]
        desc = "; ".join(f"{w.kind} {w.id}: {change_words(w)}" for w in chartable)
        out.append(
            bar_chart(
                ids, "The smallest change of each weight that changes the verdict", desc, bars, maximum=top, unit=" %"
            )
        )
    out += [
        "<table><caption>The range of each weight that keeps the verdict (every other weight fixed)</caption>"
        '<thead><tr><th>weight</th><th class="n">now</th><th>keeps the verdict</th><th class="n">flips at</th>'
        "<th>then</th></tr></thead><tbody>",
    ]
    for w in moving:
        label = _rule_link(w.id, rule_docs) if w.kind == "rule" else f"<code>{esc(w.id)}</code>"
        then = []
        if w.below is not None:
            then.append(f"below: {esc(place_words(w.below))}")
        if w.above is not None:
            then.append(f"above: {esc(place_words(w.above))}")
        out.append(
            f'<tr><td>{esc(w.kind)} {label}</td><td class="n">{esc(show(w.weight))}</td><td>{esc(range_words(w))}</td>'
            f'<td class="n">{esc(change_words(w))}</td><td>{"<br>".join(then)}</td></tr>'
        )
    out.append("</tbody></table>")
    still = [w for w in weights if not w.flips]
    if still:
        out.append(
            f"<p>No value of these {len(still)} weights changes the verdict: "
            + ", ".join(esc(w.id) for w in still)
            + ".</p>"
        )
    return out


def _flips(flips: Sequence[ObservationFlip]) -> list[str]:
    out = ["<h2>Single observations that change the verdict</h2>"]
    if not flips:
        return [*out, "<p>No single observation, changed alone, changes the verdict.</p>"]
    out.append(
        "<table><caption>Each value that alone changes the outcome or the supported tier</caption><thead><tr>"
        "<th>indicator</th><th>now</th><th>if it were</th><th>outcome</th><th>supported tier</th></tr></thead><tbody>"
    )
    for f in flips:
        now = "no usable evidence" if f.now is None else show_value(f.now)
        alt = f"= {f.text}" if f.kind == "value" else f.text
        out.append(
            f"<tr><td><code>{esc(f.indicator)}</code></td><td>{esc(now)}</td><td>{esc(alt)}</td>"
            f"<td>{MARKS[f.place.outcome]} {esc(f.place.outcome)}</td>"
            f"<td>{esc(f.place.supported_tier or 'none')}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def render_comparison(c: Comparison, out: TextIO, rule_docs: str | None = None) -> None:
    """``compare --format html``: the columns, the side-by-side table, pillar scores as grouped bars,
    and the findings that differ."""
    ids = _Ids()
    n = len(c.columns)
    heads = "".join(f'<th class="n">[{i}]</th>' for i in range(1, n + 1))
    body = [
        "<main>",
        f"<h1>Comparing {n} verdicts</h1>",
        "<ol>",
        *(
            f"<li>{esc(col.label)}: <code>{esc(col.file)}</code> under {esc(col.criteria_id)} "
            f"{esc(col.criteria_version)}; {MARKS[v.outcome]} {esc(v.outcome)}</li>"
            for col, v in zip(c.columns, c.verdicts, strict=True)
        ),
        "</ol>",
        f"<table><caption>Side by side</caption><thead><tr><th></th>{heads}</tr></thead><tbody>",
    ]
    for label, cells in comparison_table(c):
        differs = " *" if len(set(cells)) > 1 else ""
        body.append(
            f"<tr><th>{esc(label)}{differs}</th>" + "".join(f'<td class="n">{esc(x)}</td>' for x in cells) + "</tr>"
        )
    body.append("</tbody></table>")
    groups = [(p.id, list(p.scores)) for p in c.pillars]
    desc = "; ".join(
        f"{p.id}: " + ", ".join(f"[{i}] {'none' if x is None else num(x)}" for i, x in enumerate(p.scores, start=1))
        for p in c.pillars
    )
    body.append(grouped_bar_chart(ids, "Pillar scores of each verdict", desc, groups, [col.label for col in c.columns]))
    body.append(f"<h2>Findings that differ ({len(c.differences)}; {c.same} rules are the same in every column)</h2>")
    if c.differences:
        body.append(f"<table><thead><tr><th>rule</th>{heads}</tr></thead><tbody>")
        for row in c.differences:
            found = "".join(
                f'<td>{esc(status_words(s, x))}<br><span class="small muted">{esc(o or "")}</span></td>'
                for s, x, o in zip(row.statuses, row.credits, row.observed, strict=True)
            )
            body.append(f"<tr><td>{_rule_link(row.rule, rule_docs)} {esc(row.title)}</td>{found}</tr>")
        body.append("</tbody></table>")
    body.append("</main>")
    out.write(page(f"Comparing {n} verdicts", body))


# --- timeline ----------------------------------------------------------------------------------------


def render_timeline(t: Timeline, out: TextIO) -> None:
    """``timeline --format html``: the scores over time as a line chart against the requested
    tier's minimums, the verdict at each date as a table, and the evidence that changed."""
    ids = _Ids()
    how = f"every {esc(t.every)}" if t.every else "at each date where the evidence or a waiver changes"
    first = t.moments[0] if t.moments else None
    reform = [p for p in first.pillars if p.kind == "reform"] if first is not None else []
    labels = [m.date.isoformat() for m in t.moments]
    series = [Series("overall", tuple(m.overall_score for m in t.moments))]
    series += [Series(p.id, tuple(next(q.score for q in m.pillars if q.id == p.id) for m in t.moments)) for p in reform]
    guides = [(f"{p.id} needs", p.minimum) for p in reform if p.minimum is not None]
    desc = "; ".join(
        f"{m.date.isoformat()}: {m.outcome}, overall {num(m.overall_score)}"
        + "".join(f", {q.id} {num(q.score)}" for q in m.pillars if q.kind == "reform")
        for m in t.moments
    )
    body = [
        "<main>",
        f'<h1>{esc(t.title)} <span class="muted small">[{esc(t.proposal)}]</span></h1>',
        f'<p class="who">{esc(t.requested_tier)} sought, under {esc(t.criteria_id)} {esc(t.criteria_version)}; '
        f"{t.start.isoformat()} to {t.end.isoformat()}, {how}; <code>{esc(t.file)}</code></p>",
        "<h2>Scores over time</h2>",
        line_chart(
            ids, f"Reform scores, {t.start.isoformat()} to {t.end.isoformat()}", desc, labels, series, guides=guides
        ),
        "<h2>The verdict at each date</h2>",
        "<table><caption>Outcome, supported tier and scores on each date</caption><thead><tr><th>date</th>"
        '<th>outcome</th><th>supported</th><th class="n">overall</th><th class="n">design</th>'
        + "".join(f'<th class="n">{esc(p.id)}</th>' for p in (first.pillars if first is not None else ()))
        + "</tr></thead><tbody>",
    ]
    for m in t.moments:
        design = "-" if m.design_score is None else num(m.design_score)
        body.append(
            f"<tr><td>{m.date.isoformat()}</td><td>{MARKS[m.outcome]} {esc(m.outcome)}</td>"
            f'<td>{esc(m.supported_tier or "none")}</td><td class="n">{num(m.overall_score)}</td>'
            f'<td class="n">{design}</td>' + "".join(f'<td class="n">{num(q.score)}</td>' for q in m.pillars) + "</tr>"
        )
    body.append("</tbody></table>")
    changed = [m for m in t.moments if m.changes]
    body.append("<h2>What changed</h2>")
    if not changed:
        body.append("<p>No evidence changed between these dates.</p>")
    for m in changed:
        body += [f"<h3>{m.date.isoformat()}</h3>", "<ul>"]
        for c in m.changes:
            before = "nothing counted" if c.before is None else _timeline_entry(c.before)
            after = "nothing counts" if c.after is None else _timeline_entry(c.after)
            body.append(f"<li><code>{esc(c.indicator)}</code>: {before} → {after}</li>")
        body.append("</ul>")
    body.append("</main>")
    out.write(page(f"Timeline: {t.title}", body))


def _timeline_entry(e: Evidence) -> str:
    return f"<code>{esc(show_value(e.value))}</code> ({esc(e.source)}, {esc(e.when)}, graded {esc(e.reliability)})"
