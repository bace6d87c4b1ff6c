"""Markdown for a pull-request comment or a CI job summary (GitHub-flavoured).

One verdict, in this order: a one-line verdict, the pillar table, the blocking findings (each with
its observation's ``file:line``), what it would take, every rule's evidence in a folded table,
then warnings folded away. Several
verdicts: a summary table first, then invalid files, then each verdict's detail in a folded
``<details>`` block, worst outcome first. Sample::

    ### ❌ Scale back: Formal recognition of the Taliban government

    The evidence does not support **recognition**; the highest tier it supports is **dialogue**. ...

    | Pillar | Score | recognition needs | |
    |:--|--:|--:|:--|
    | counterterrorism | 46.2 | 70 | ❌ below |

    #### Blocking recognition (9)

    - ❌ **Gate CT-1** Listed terrorist groups find no haven on Afghan soil
      observed `safe_haven_denied = false`; needs `safe_haven_denied = true` (`seeds/x.toml:18`)

The whole stays under :data:`LIMIT` characters (GitHub refuses longer comments): when a batch
is too long, the evidence tables go first, then whole details, worst outcomes kept first, and a
note says what was left out.
Text from the files (titles, sources, ids) is escaped so it can neither format nor inject HTML,
``@`` is followed by a zero-width space so that no one is mentioned by accident, and a bare URL or
``www.`` address is broken by a zero-width joiner so that it does not become a live link. Control
characters are shown escaped (``\\x1b``), as in every text format (``docs/security.md``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TextIO

import attrs

from ..checks import show_value
from ..errors import ReformGateError
from ..model import OUTCOMES
from ..numbers import TOLERANCE, show
from ..requirements import shortfall
from ..safe_text import UNSAFE, printable
from ..verdict import Evidence, Finding, Gap, Verdict
from . import Run
from .shared import (
    OUTCOME_WORDS,
    PROBLEM_WORDS,
    elsewhere,
    failing_gates,
    gap_title,
    headline,
    location,
    num,
    observed,
    rule_url,
    score_requirements,
    unreachable,
)

#: GitHub's limit for a comment is 65,536 characters; stay clear of it.
LIMIT = 65_000
#: Kept free for the note that says what was left out.
_RESERVE = 600

ICONS = {"supported": "✅", "revise": "⚠️", "scale-back": "❌", "rejected": "⛔"}

_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
_SPACES = re.compile(r"\s+")
#: What GitHub turns into a link on its own: ``scheme://`` and ``www.`` (emails lose theirs to
#: the zero-width space after ``@``). A zero-width joiner between the two slashes, or after
#: ``www``, leaves the text as it reads and the link dead.
_SCHEME = re.compile(r"(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:/)(?=/)")
_WWW = re.compile(r"(?i)(?<![a-z0-9-])(www)(?=\.)")
_ZWJ = "\u200d"


def _plain(text: str) -> str:
    """One line, each control character shown escaped (``\\x1b``), as a reader should see it."""
    text = _SPACES.sub(" ", text).strip()
    return UNSAFE.sub(lambda m: printable(m.group()), text)


def _unlinked(text: str) -> str:
    return _WWW.sub(rf"\1{_ZWJ}", _SCHEME.sub(rf"\1{_ZWJ}", text))


def md(text: str) -> str:
    """User text as inert Markdown: one line, HTML and Markdown syntax escaped, no @-mentions,
    no live links, control characters shown escaped."""
    text = html.escape(_plain(text), quote=False)
    text = _SPECIAL.sub(r"\\\1", text)
    return _unlinked(text).replace("@", "@\u200b")


def code(text: str, table: bool = False) -> str:
    """A code span that holds any text: the fence is longer than any run of backticks inside.

    A ``##[`` (a workflow command to the GitHub runner, wherever it stands on a line) and a bare
    URL are broken by a zero-width joiner: GitHub links nothing in a code span, but other
    readers of the text may.
    """
    text = _unlinked(_plain(text).replace("##[", f"#{_ZWJ}#["))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    if table:
        # GFM splits table cells at | even inside code spans.
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"


def _h(text: str) -> str:
    """User text inside raw HTML (``<summary>``), where Markdown is not read."""
    # "&" first, then "#" (so that "&#35;" stays whole), then what html.escape does besides.
    text = _unlinked(_plain(text)).replace("&", "&amp;").replace("#", "&#35;")
    text = text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")
    return text.replace("@", "@\u200b")


def _place(v: Verdict, f: Finding | None = None) -> str:
    file, line = location(v, f)
    return code(f"{file}:{line}" if line is not None else file)


def _entry(v: Verdict, e: Evidence) -> str:
    where = elsewhere(v, e)
    problem = f" ({md(e.problem)})" if e.problem else ""
    return f"{md(e.source)}, {e.when}, graded {md(e.reliability)}{problem}" + (f" ({code(where)})" if where else "")


def _observed(f: Finding) -> str:
    seen = observed(f)
    return code(seen) if any(e.counted for e in f.evidence) else seen


def _rule_ref(rule: str, run: Run) -> str:
    page = rule_url(run.rule_docs, rule)
    if page is None:
        return md(rule)
    # A parenthesis would end the link early.
    return f"[{md(rule)}]({page.replace('(', '%28').replace(')', '%29')})"


def _verdict_lines(v: Verdict, run: Run, level: int, heading: bool = True, evidence: bool = True) -> list[str]:
    h = "#" * level
    out: list[str] = []
    if heading:
        out += [f"{h} {ICONS[v.outcome]} {OUTCOME_WORDS[v.outcome]}: {md(v.title)}", ""]
    sentence = headline(v, lambda tier: f"**{md(tier)}**", upto=False)
    scores = f"Overall reform score **{num(v.overall_score)}** of 100"
    if v.design_score is not None:
        scores += f", design score **{num(v.design_score)}**"
    out += [f"{sentence} {scores}. {md(v.actor)} → {md(v.counterpart)}, {code(v.proposal)} in {_place(v)}", ""]
    for w in v.waivers:
        out.append(f"> Waiver in force: {md(w.rule)} until {w.expires.isoformat()} ({md(w.authority)}: {md(w.reason)})")
    if v.waivers:
        out.append("")

    tier = md(v.requested_tier)
    out += [f"| Pillar | Score | {tier} needs | |", "|:--|--:|--:|:--|"]
    for p in v.pillars:
        needs = show(p.minimum) if p.minimum is not None else "–"
        mark = ""
        if p.meets_minimum is not None:
            mark = "✅ ok" if p.meets_minimum else "❌ below"
        name = md(p.id) + (" *(the proposal's design)*" if p.kind == "safeguard" else "")
        if p.empty:
            mark += " (no rule counted)"
        out.append(f"| {name} | {num(p.score)} | {needs} | {mark.strip()} |")
    out.append("")

    if v.blocking:
        gates = failing_gates(v)
        others = score_requirements(v)
        out += [f"{h}# Blocking {tier} ({len(gates) + len(others)})", ""]
        for f in gates:
            out.append(f"- ❌ **Gate {_rule_ref(f.rule, run)}** {md(f.title)}  ")
            out.append(f"  observed {_observed(f)}; needs {code(f.needed)} ({_place(v, f)})")
            for e in f.evidence:
                out.append(f"  - evidence: {_entry(v, e)}")
                out.extend(f"    - passed over: {_entry(v, later)}" for later in e.passed_over)
        for r in others:
            out.append(f"- ❌ {md(shortfall(r))}")
        out.append("")

    if v.gap is not None:
        out += _gap_lines(v, v.gap, run, f"{h}# What it would take")
    if v.gap_to_supported is not None:
        g = v.gap_to_supported
        if g.reachable and not g.steps:
            out += [f"Scaled back to **{md(g.tier)}**, every requirement of it holds as the proposal stands.", ""]
        else:
            out += _gap_lines(v, g, run, f"{h}# Scaled back to {md(g.tier)}, it would take")
    if evidence:
        out += _evidence_lines(v)

    notes = [w for w in v.warnings if w.code != "missing-evidence"]
    missing = [w.subject for w in v.warnings if w.code == "missing-evidence"]
    if notes or missing:
        out += [f"<details><summary>Warnings ({len(notes) + (1 if missing else 0)})</summary>", ""]
        out += [f"- {md(w.message)}" for w in notes]
        if missing:
            out.append(f"- no usable evidence for {len(missing)} rules: " + ", ".join(md(m) for m in missing))
        out += ["", "</details>", ""]
    a = v.audit
    out += [
        f"<sub>criteria {md(a.criteria_id)} {md(a.criteria_version)} (sha256 {a.criteria_sha256[:12]}), "
        f"reform-gate {md(a.reform_gate_version)}, as of {a.as_of.isoformat()}</sub>",
        "",
    ]
    return out


def _gap_lines(v: Verdict, g: Gap, run: Run, title: str) -> list[str]:
    if not g.reachable:
        return [title, "", f"{md(g.tier)} cannot be reached {unreachable(v)}.", ""]
    bound = "" if g.exact else " (an upper bound: the search was cut short)"
    out = [f"{title}: {gap_title(g)}{bound}", ""]
    findings = {f.rule: f for f in v.findings}
    for i, st in enumerate(g.steps, start=1):
        gains = [f"+{num(st.pillar_points)} {md(st.pillar)}"]
        if abs(st.overall_points) > TOLERANCE:
            gains.append(f"+{num(st.overall_points)} overall")
        if abs(st.design_points) > TOLERANCE:
            gains.append(f"+{num(st.design_points)} design")
        where = f" ({_place(v, findings[st.rule])})" if st.rule in findings else ""
        out.append(f"{i}. **{_rule_ref(st.rule, run)}** {md(st.title)}  ")
        now = code(st.observed) if st.observed != "no usable evidence" else "no usable evidence"
        enough = f" (credit {show(st.credit, 2)} is enough)" if st.partial else ""
        out.append(f"   needs {code(st.needed)}{enough}; now {now}; {', '.join(gains)}{where}")
    out.append("")
    return out


def _evidence_lines(v: Verdict) -> list[str]:
    """Every rule's observations with source, date and grade, folded away (the gap and blocking come first)."""
    out = [
        f"<details><summary>Evidence by rule ({len(v.findings)})</summary>",
        "",
        "| Rule | Status | Observed | Source | Date | Grade |",
        "|:--|:--|:--|:--|:--|:--|",
    ]
    for f in v.findings:
        status = f.status + (f" {show(f.credit, 2)}" if f.status == "partial" else "")
        if not f.evidence:
            out.append(f"| {md(f.rule)} | {status} | no observation | | | |")
        for n, e in enumerate(f.evidence):
            flag = f" ({PROBLEM_WORDS[e.problem]})" if e.problem else ""
            seen = code(f"{e.indicator} = {show_value(e.value)}", table=True) + flag
            rule = md(f.rule) if n == 0 else ""
            out.append(
                f"| {rule} | {status if n == 0 else ''} | {seen} | {md(e.source)} | {e.when} | {md(e.reliability)} |"
            )
    return [*out, "", "</details>", ""]


def _error_line(e: ReformGateError) -> str:
    where = e.file + (f":{e.line}" if e.line is not None else "")
    path = f" {code(e.path)}" if e.path else ""
    hint = f" {md(e.hint)}" if e.hint else ""
    return f"- {code(where)}{path}: {md(e.kind)}: expected {md(e.expected)}; found {md(e.found)}.{hint}"


def _summary(counts: dict[str, int], n: int, invalid: int) -> list[str]:
    tally = " · ".join(f"{ICONS[o]} {counts[o]} {o}" for o in reversed(OUTCOMES) if counts[o])
    if invalid:
        tally += f" · {invalid} invalid"
    return [f"## reform-gate: {n} proposal{'s' if n != 1 else ''} scored", "", tally or "nothing scored", ""]


def _row(v: Verdict) -> str:
    return (
        f"| {code(v.proposal, table=True)} | {md(v.requested_tier)} | {ICONS[v.outcome]} {v.outcome} "
        f"| {md(v.supported_tier or 'none')} | {num(v.overall_score)} |"
    )


def _lines_size(lines: list[str]) -> int:
    return sum(len(p) + 1 for p in lines)


class Writer:
    """Markdown drawn verdict by verdict (:func:`reform_gate.render.open_writer`).

    The document is capped at :data:`LIMIT` characters, so only what can still be shown is kept:
    the table's rows in input order while they might all fit, and for each outcome (the order
    of a cut table and of the details is worst first) its rows and its folded details while they
    might fit. Whatever could never be shown is only counted: memory stays flat however many
    proposals there are, and the text is what the whole run would give.
    """

    def __init__(self, run: Run, out: TextIO) -> None:
        self.run = run
        self.out = out
        self.alone: list[Verdict] = []
        self.counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        self.total = 0
        #: Every row in input order, until they are too long to be listed all (then None).
        self.rows: list[str] | None = []
        self.rows_size = 0
        self.rows_by_outcome: dict[str, list[str]] = {o: [] for o in OUTCOMES}
        #: Each verdict's folded detail, with its evidence table and without (the tables go first when
        #: a batch is too long), per outcome until there is more than fits.
        self.blocks: dict[str, list[list[str]]] = {o: [] for o in OUTCOMES}
        self.bare_blocks: dict[str, list[list[str]]] = {o: [] for o in OUTCOMES}
        self.sizes: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        self.block_sizes: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        self.bare_sizes: dict[str, int] = dict.fromkeys(OUTCOMES, 0)

    def add(self, v: Verdict) -> None:
        if self.run.single:
            self.alone.append(v)
        self.counts[v.outcome] += 1
        self.total += 1
        row = _row(v)
        if self.sizes[v.outcome] <= LIMIT:
            self.rows_by_outcome[v.outcome].append(row)
            self.sizes[v.outcome] += len(row) + 1
        if self.rows is None:
            return
        self.rows.append(row)
        self.rows_size += len(row) + 1
        if self.rows_size > LIMIT:
            self.rows = None  # the table will be cut, and no details shown
            self.blocks = {o: [] for o in OUTCOMES}
            self.bare_blocks = {o: [] for o in OUTCOMES}
            return
        if self.bare_sizes[v.outcome] <= LIMIT:
            summary = (
                f"<details><summary>{ICONS[v.outcome]} {OUTCOME_WORDS[v.outcome]}: "
                f"<code>{_h(v.proposal)}</code> {_h(v.title)}</summary>"
            )
            bare = [summary, "", *_verdict_lines(v, self.run, 4, heading=False, evidence=False), "</details>", ""]
            self.bare_blocks[v.outcome].append(bare)
            self.bare_sizes[v.outcome] += _lines_size(bare)
            if self.block_sizes[v.outcome] <= LIMIT:
                block = [summary, "", *_verdict_lines(v, self.run, 4, heading=False), "</details>", ""]
                self.blocks[v.outcome].append(block)
                self.block_sizes[v.outcome] += _lines_size(block)

    def close(self, errors: Sequence[ReformGateError]) -> None:
        if self.run.single and len(self.alone) == 1:
            lines = _verdict_lines(self.alone[0], self.run, 3)
            if errors:
                lines += ["### Invalid files", "", *(_error_line(e) for e in errors), ""]
            self.out.write(_fit("\n".join(lines).rstrip("\n") + "\n"))
            return
        self.out.write(_fit(self._batch(errors)))

    def _batch(self, errors: Sequence[ReformGateError]) -> str:
        """The Markdown of several verdicts, cut to fit :data:`LIMIT`."""
        invalid = len({e.file for e in errors})
        parts = _summary(self.counts, self.total, invalid)
        size = _lines_size(parts)
        table = ["| Proposal | Requested | Outcome | Supported | Score |", "|:--|:--|:--|:--|--:|"]
        budget = LIMIT - _RESERVE - size - _lines_size(table)
        if self.rows is not None and self.rows_size <= budget:
            rows = self.rows
        else:
            # Too many to list: keep the worst outcomes, say how many rows are missing.
            rows = []
            for row in (r for o in OUTCOMES for r in self.rows_by_outcome[o]):
                if len(row) + 1 > budget:
                    break
                rows.append(row)
                budget -= len(row) + 1
        parts += [*table, *rows, ""]
        left_out_rows = self.total - len(rows)
        if left_out_rows:
            parts += [f"*{left_out_rows} more proposals are not listed (worst outcomes are listed first).*", ""]
        size = _lines_size(parts)

        lines = [_error_line(e) for e in errors]
        left_out_errors = 0
        if lines:
            head = ["### Invalid files", ""]
            size += _lines_size(head)
            shown = []
            for line in lines:
                if size + len(line) + 1 > LIMIT - _RESERVE:
                    break
                shown.append(line)
                size += len(line) + 1
            left_out_errors = len(lines) - len(shown)
            parts += [*head, *shown, ""]
            size += 1

        def fit(blocks: dict[str, list[list[str]]]) -> tuple[list[str], int]:
            """The details, worst outcome first, as many as fit; and how many were left out."""
            details = ["### Details", ""]
            used = size + _lines_size(details)
            kept = 0
            for block in (b for o in OUTCOMES for b in blocks[o]):
                block_size = _lines_size(block)
                if used + block_size > LIMIT - _RESERVE:
                    break
                details += block
                used += block_size
                kept += 1
            return details, self.total - kept

        details: list[str] = []
        left_out = self.total
        tables_cut = False
        if not left_out_rows:
            details, left_out = fit(self.blocks)
            if left_out:
                # The evidence tables are the bulk of each detail: drop them before whole verdicts.
                details, left_out = fit(self.bare_blocks)
                tables_cut = True
        parts += details
        cut = []
        if tables_cut:
            cut.append("the evidence tables")
        if left_out:
            cut.append(f"the details of {left_out} proposal{'s' if left_out != 1 else ''}")
        if left_out_errors:
            cut.append(f"{left_out_errors} invalid files")
        if cut:
            parts += [
                f"> **Note:** {' and '.join(cut)} are left out to keep this under {LIMIT:,} characters; "
                "run `reform-gate score` with `--format text` or `--format json` for everything.",
                "",
            ]
        return "\n".join(parts).rstrip("\n") + "\n"


def render_batch(run: Run) -> str:
    """The Markdown of several verdicts, cut to fit :data:`LIMIT`."""
    import io

    out = io.StringIO()
    writer = Writer(attrs.evolve(run, single=False), out)
    for v in run.verdicts:
        writer.add(v)
    return writer._batch(run.errors)


def render(run: Run, out: TextIO) -> None:
    """Write the run as Markdown: one verdict in full, or a summary table and folded details."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)


def _fit(text: str) -> str:
    """The last guard of :data:`LIMIT`: cut at a line end and say so (only absurdly long files get here)."""
    if len(text) <= LIMIT:
        return text
    cut = text[: text.rfind("\n", 0, LIMIT - _RESERVE) + 1]
    cut += "\n</details>\n" * max(0, cut.count("<details>") - cut.count("</details>"))
    return cut + f"\n> **Note:** the rest is left out to keep this under {LIMIT:,} characters.\n"
