"""Text for a person at a terminal, read top to bottom.

One verdict: the outcome and supported tier; pillar scores against the requested tier's
minimums; the blocking requirements (observed against needed, with the evidence and its grade);
what it would take (and, scaled back, what the supported tier would take); every rule's status
and observed values, each citing a numbered source with its date, grade and age; then warnings.
Several verdicts: a summary table. Sample::

    Formal recognition of the de-facto authorities  [ru-formal-recognition]
    Russian Federation -> Taliban de-facto authorities, as of 2025-07-03

    SCALE-BACK  The evidence does not support recognition; the highest tier it supports is containment.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TextIO

from ..checks import show_value
from ..errors import ReformGateError
from ..grades import grade_words
from ..numbers import TOLERANCE, show
from ..requirements import measured, shortfall
from ..verdict import Evidence, Finding, Gap, Verdict
from . import Run
from .shared import (
    PROBLEM_WORDS,
    Spool,
    elsewhere,
    gap_title,
    headline,
    num,
    observed,
    printable_data,
    rule_url,
    source_key,
    sources,
    step_needs,
    unreachable,
)

_COLORS = {"supported": "32", "revise": "33", "scale-back": "33", "rejected": "31"}
_BOLD, _DIM = "1", "2"


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render_verdict(v: Verdict, out: TextIO, color: bool = False, rule_docs: str | None = None) -> None:
    """Write one verdict in full, every string from the files made printable first; with
    ``rule_docs`` (``--rule-docs``), each blocking rule's page too."""
    v = printable_data(v)
    w = out.write
    w(_paint(v.title, _BOLD, color) + f"  [{v.proposal}]\n")
    w(f"{v.actor} -> {v.counterpart}, as of {v.audit.as_of.isoformat()}\n\n")
    w(_paint(v.outcome.upper(), _COLORS[v.outcome] + ";" + _BOLD, color) + "  " + headline(v) + "\n")
    minimum = v.min_score
    line = f"Overall reform score {num(v.overall_score)} of 100"
    if minimum is not None:
        line += f" ({v.requested_tier} needs {show(minimum)})"
    if v.design_score is not None:
        line += f"; design score {num(v.design_score)}"
    w(line + ".\n")
    if v.waivers:
        for wv in v.waivers:
            w(f"Waiver in force: {wv.rule} until {wv.expires.isoformat()} ({wv.authority}: {wv.reason})\n")
    _pillars(v, out, color)
    if not v.blocking:
        w(f"\nEvery requirement of {v.requested_tier} holds, its gates included.\n")
    _blocking(v, out, color, rule_docs)
    _gap(v, out, rule_docs)
    _evidence(v, out)
    _warnings(v, out)
    w(
        _paint(
            f"criteria {v.audit.criteria_id} {v.audit.criteria_version} (sha256 {v.audit.criteria_sha256[:12]}), "
            f"reform-gate {v.audit.reform_gate_version}",
            _DIM,
            color,
        )
        + "\n"
    )


def _pillars(v: Verdict, out: TextIO, color: bool) -> None:
    width = max(len(p.id) for p in v.pillars)
    out.write(f"\nPillars{' ' * (width - 5)}  score  needs\n")
    for p in v.pillars:
        needs = show(p.minimum) if p.minimum is not None else "-"
        mark = ""
        if p.meets_minimum is not None:
            mark = _paint("ok", "32", color) if p.meets_minimum else _paint("below", "31", color)
        note = "  (the proposal's design)" if p.kind == "safeguard" else ""
        empty = "  (no rule counted)" if p.empty else ""
        out.write(f"  {p.id:<{width}}  {num(p.score):>5}  {needs:>5}  {mark}{note}{empty}".rstrip() + "\n")


def _page(rule: str, rule_docs: str | None, out: TextIO, indent: str) -> None:
    page = rule_url(rule_docs, rule)
    if page is not None:
        out.write(f"{indent}page: {page}\n")


def _blocking(v: Verdict, out: TextIO, color: bool, rule_docs: str | None = None) -> None:
    if not v.blocking:
        return
    out.write(f"\nBlocking {v.requested_tier} ({len(v.blocking)})\n")
    cross = _paint("x", "31", color)
    for req in v.blocking:
        if req.kind == "gate":
            f = v.finding(req.subject)
            out.write(f"  {cross} gate {f.rule}  {f.title}\n")
            _finding_detail(v, f, out, "      ")
            _page(f.rule, rule_docs, out, "      ")
        elif req.kind != "any_of":
            out.write(f"  {cross} {shortfall(req)}\n")
        else:
            out.write(f"  {cross} none of these holds:\n")
            for group in req.groups:
                parts = "; ".join(f"{r.text} ({measured(r)})" for r in group)
                out.write(f"      - {parts}\n")


def _finding_detail(v: Verdict, f: Finding, out: TextIO, indent: str) -> None:
    out.write(f"{indent}observed {observed(f)}; needs {f.needed}{_gate_bar(f)}\n")
    for e in f.evidence:
        out.write(f"{indent}evidence: {_entry(v, e)}\n")
        for later in e.passed_over:
            out.write(f"{indent}  passed over: {_entry(v, later)}\n")


def _entry(v: Verdict, e: Evidence) -> str:
    """One entry: source, date, grade, why it is flagged, and where it is written if not here."""
    where = elsewhere(v, e)
    return (
        f"{e.source}, {e.when}, graded {e.reliability} ({grade_words(e.reliability)})"
        + (f" ({PROBLEM_WORDS[e.problem]})" if e.problem else "")
        + (f" [{where}]" if where else "")
    )


def _gate_bar(f: Finding) -> str:
    """A gate that passes below full credit says so, or "needs" would overstate the bar."""
    if f.gate and f.gate_min < 1.0 - TOLERANCE:
        return f" for full credit; the gate passes at credit {show(f.gate_min)} (now {show(f.credit, 2)})"
    return ""


def _gap(v: Verdict, out: TextIO, rule_docs: str | None = None) -> None:
    if v.gap is not None:
        _gap_steps(v, v.gap, "What it would take", out, rule_docs)
    g = v.gap_to_supported
    if g is not None:
        if g.reachable and not g.steps:
            out.write(f"\nScaled back to {g.tier}: every requirement of {g.tier} holds as the proposal stands.\n")
        else:
            _gap_steps(v, g, f"Scaled back to {g.tier}, it would take", out, rule_docs)


def _gap_steps(v: Verdict, g: Gap, title: str, out: TextIO, rule_docs: str | None) -> None:
    if not g.reachable:
        out.write(f"\n{title}: {g.tier} cannot be reached {unreachable(v)}.\n")
        return
    exact = "" if g.exact else " (an upper bound: the search was cut short)"
    out.write(f"\n{title}: {gap_title(g)}{exact}\n")
    for i, s in enumerate(g.steps, start=1):
        points = [f"+{num(s.pillar_points)} {s.pillar}"]
        if abs(s.overall_points) > TOLERANCE:
            points.append(f"+{num(s.overall_points)} overall")
        out.write(f"  {i:>2}. {s.rule}  {s.title}\n")
        out.write(f"        needs {step_needs(s)}; now {s.observed}; {', '.join(points)}\n")
        _page(s.rule, rule_docs, out, "        ")


def _evidence(v: Verdict, out: TextIO) -> None:
    """Every rule with its status and observed values, each value citing a numbered source."""
    cited = {source_key(e): n for n, e in enumerate(sources(v), start=1)}
    width = max(len(f.rule) for f in v.findings)
    out.write(f"\nEvidence by rule ({len(v.findings)})\n")
    for f in v.findings:
        seen = []
        for e in f.evidence:
            flag = f" ({PROBLEM_WORDS[e.problem]})" if e.problem else ""
            seen.append(f"{e.indicator} = {show_value(e.value)} [{cited[source_key(e)]}]{flag}")
        credit = show(f.credit, 2) if f.status == "partial" else ""
        out.write(f"  {f.rule:<{width}}  {f.status:<7} {credit:>4}  {'; '.join(seen) or 'no observation'}\n")
    if not cited:
        return
    out.write("\nSources (date, grade, age)\n")
    mark = len(f"[{len(cited)}]")
    for n, e in enumerate(sources(v), start=1):
        age = f"{e.age_days} day{'s' if e.age_days != 1 else ''}" if e.age_days >= 0 else "not yet"
        out.write(f"  {f'[{n}]':<{mark}} {e.when:<10}  {e.reliability}  {age:>10}  {e.source}\n")


def _warnings(v: Verdict, out: TextIO) -> None:
    missing = [w.subject for w in v.warnings if w.code == "missing-evidence"]
    others = [w for w in v.warnings if w.code != "missing-evidence"]
    total = len(others) + (1 if missing else 0)
    if not total:
        out.write("\n")
        return
    out.write(f"\nWarnings ({total})\n")
    for w in others:
        out.write(f"  ! {w.message}\n")
    if missing:
        out.write(
            f"  ! no usable evidence for {len(missing)} rule{'s' if len(missing) != 1 else ''}: "
            + ", ".join(missing)
            + "\n"
        )
    out.write("\n")


def render_summary(run: Run, out: TextIO) -> None:
    """A table of every verdict, then every error."""
    render_table([summary_row(v) for v in run.verdicts], run.errors, out)


Row = tuple[str, str, str, str, str]


class Writer:
    """The text format drawn verdict by verdict (:func:`reform_gate.render.open_writer`).

    One verdict named alone is drawn in full at the end. In a batch each verdict is drawn in full
    as it comes when ``details`` is asked for, and its row of the summary table is set aside on
    disk; the table is drawn at the end, when its column widths are known.
    """

    def __init__(self, run: Run, out: TextIO, details: bool = False) -> None:
        self.run = run
        self.out = out
        self.details = details
        self.alone: list[Verdict] = []
        self.rows: Spool[Row] = Spool()
        self.widths = [len(h) for h in _HEADER]
        self.counts = dict.fromkeys(("supported", "revise", "scale-back", "rejected"), 0)

    def add(self, verdict: Verdict) -> None:
        if self.run.single:
            self.alone.append(verdict)
            return
        if self.details:
            render_verdict(verdict, self.out, self.run.color, self.run.rule_docs)
        row = summary_row(verdict)
        self.widths = [max(w, len(c)) for w, c in zip(self.widths, row, strict=True)]
        self.counts[row[2]] += 1
        self.rows.add(row)

    def close(self, errors: Sequence[ReformGateError]) -> None:
        try:
            if self.run.single:
                if len(self.alone) == 1:
                    render_verdict(self.alone[0], self.out, self.run.color, self.run.rule_docs)
                elif self.alone:
                    render_table([summary_row(v) for v in self.alone], errors, self.out)
                return
            _table(self.rows, self.rows.count, self.widths, self.counts, errors, self.out)
        finally:
            self.rows.close()


def summary_row(v: Verdict) -> tuple[str, str, str, str, str]:
    """What the summary table shows of one verdict (a batch keeps only this, not the verdict)."""
    row = (v.proposal, v.requested_tier, v.outcome, v.supported_tier or "none", num(v.overall_score))
    return printable_data(row)


def render_table(
    scored: Sequence[tuple[str, str, str, str, str]], errors: Sequence[ReformGateError], out: TextIO
) -> None:
    """The summary table of :func:`summary_row` rows, the count of each outcome, then every error."""
    widths = [max(len(r[i]) for r in [_HEADER, *scored]) for i in range(5)]
    counts = {o: sum(1 for r in scored if r[2] == o) for o in ("supported", "revise", "scale-back", "rejected")}
    _table(scored, len(scored), widths, counts, errors, out)


_HEADER: Row = ("proposal", "requested", "outcome", "supported", "score")


def _table(
    scored: Iterable[Row],
    n: int,
    widths: Sequence[int],
    counts: dict[str, int],
    errors: Sequence[ReformGateError],
    out: TextIO,
) -> None:
    errors = [p for e in errors for p in e.problems()]
    for i, row in enumerate(itertools.chain([_HEADER], scored)):
        cells = [c.ljust(widths[j]) if j < 4 else c.rjust(widths[j]) for j, c in enumerate(row)]
        out.write("  ".join(cells).rstrip() + "\n")
        if i == 0:
            out.write("  ".join("-" * wd for wd in widths) + "\n")
    out.write(f"\n{n} scored: " + ", ".join(f"{c} {o}" for o, c in counts.items()))
    out.write(f"; {len({e.file for e in errors})} invalid\n" if errors else "\n")
    _errors(errors, out)


def _errors(errors: Sequence[ReformGateError], out: TextIO) -> None:
    # The full message goes to stderr once; the report only names each invalid file, so that a
    # report written with --output still says which files it left out.
    if errors:
        out.write("\nInvalid (details on stderr)\n")
    for e in errors:
        out.write(f"  {e.where()}: {e.kind}\n")


def render(run: Run, out: TextIO) -> None:
    """Write the run as text: one verdict in full, or a summary table for several."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
