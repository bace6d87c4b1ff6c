"""JUnit XML for CI test reports (GitLab ``artifacts:reports:junit``, Jenkins, Azure DevOps).

One ``<testsuite>`` per proposal, named by its id, with the verdict in ``<properties>``; one
``<testcase>`` per rule of the criteria set, and a last testcase ``outcome`` for the requested
tier. A JUnit failure means the same as exit code 1: when the outcome is below ``--fail-below``,
the outcome testcase fails, and so does each rule that blocks the requested tier (a gate it needs
that fails, or a rule "what it would take" names), its ``<failure>`` carrying observed against
needed. Every other rule passes; a rule that is not met says so in ``<system-out>``. Files that
could not be scored make one more suite, ``invalid input``, with an ``<error>`` each.

A rule's own texts are written once per run: the first failure of a rule carries its remedy and
where the rule is written; a later failure of the same rule (in another proposal) says what
happened there and names the proposal whose failure has them (``docs/output-formats.md``,
"junit"). Sample::

    <testsuites name="reform-gate" tests="32" failures="10" errors="0">
      <testsuite name="ru-formal-recognition-2025" tests="32" failures="10" ...>
        <properties><property name="outcome" value="scale-back" />...</properties>
        <testcase name="CT-1 Listed terrorist groups find no haven on Afghan soil"
                  classname="ru-formal-recognition-2025.counterterrorism"
                  file="seeds/ru-formal-recognition.toml" line="18" time="0">
          <failure type="gate" message="observed safe_haven_denied = false; needs safe_haven_denied = true">...
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TextIO

from ..errors import ReformGateError
from ..model import below
from ..numbers import show
from ..requirements import shortfall
from ..verdict import Finding, Verdict
from . import Run
from .shared import (
    Spool,
    blocking_findings,
    elsewhere,
    failing_gates,
    headline,
    location,
    num,
    observed,
    posix,
    rule_url,
)

# XML 1.0 cannot carry these characters at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: _x(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _x(text)
    return el


def _detail(f: Finding, v: Verdict, rule_docs: str | None = None, first: str | None = None) -> str:
    """A failure's body: what the rule found here, then its remedy and place, or, when ``first``
    (the proposal whose failure of the rule came first in the run) is given, a pointer there."""
    lines = [f"{f.rule} {f.title}", f"status: {f.status} (credit {show(f.credit, 2)})", f"observed: {observed(f)}"]
    lines.append(f"needs: {f.needed}")
    for e in f.evidence:
        for label, entry in [("evidence", e), *(("passed over", later) for later in e.passed_over)]:
            flag = f" ({entry.problem})" if entry.problem else ""
            where = elsewhere(v, entry)
            place = f" [{where}]" if where else ""
            lines.append(f"{label}: {entry.source}, {entry.when}, graded {entry.reliability}{flag}{place}")
    if first is None and f.remedy.strip():
        lines.append(f"remedy: {f.remedy.strip()}")
    file, line = location(v, f)
    lines.append(f"at: {posix(file)}" + (f":{line}" if line is not None else ""))
    if first is not None:
        lines.append(f"remedy and rule: as in the failure of {f.rule} under {first}")
    elif f.rule_file:
        lines.append(f"rule: {posix(f.rule_file)}" + (f":{f.rule_line}" if f.rule_line is not None else ""))
    page = rule_url(rule_docs, f.rule)
    if page is not None:
        lines.append(f"page: {page}")
    return "\n".join(lines)


def _suite(root: ET.Element, v: Verdict, run: Run, explained: dict[tuple[str, str], str]) -> tuple[int, int]:
    """One proposal's suite; ``explained`` maps each rule (criteria digest, rule id) whose failure
    already carried its texts to that proposal, and gains the rules this suite explains."""
    failing = below(v.outcome, run.fail_below)
    blockers = {f.rule for f in blocking_findings(v)}
    gates = {f.rule for f in failing_gates(v)}
    suite = _sub(root, "testsuite", name=v.proposal, file=posix(v.file), time="0")
    props = _sub(suite, "properties")
    for name, value in (
        ("title", v.title),
        ("requested_tier", v.requested_tier),
        ("outcome", v.outcome),
        ("supported_tier", v.supported_tier or "none"),
        ("overall_score", num(v.overall_score)),
        ("design_score", num(v.design_score) if v.design_score is not None else "none"),
        ("criteria", f"{v.audit.criteria_id} {v.audit.criteria_version}"),
        ("as_of", v.audit.as_of.isoformat()),
    ):
        _sub(props, "property", name=name, value=value)
    tests = failures = 0
    for f in v.findings:
        tests += 1
        file, line = location(v, f)
        attrs = {"name": f"{f.rule} {f.title}", "classname": f"{v.proposal}.{f.pillar}", "file": posix(file)}
        if line is not None:
            attrs["line"] = str(line)
        case = _sub(suite, "testcase", time="0", **attrs)
        message = f"observed {observed(f)}; needs {f.needed}"
        if failing and f.rule in blockers:
            failures += 1
            kind = "gate" if f.rule in gates else "gap"
            key = (v.audit.criteria_sha256, f.rule)
            first = explained.get(key)
            if first is None:
                explained[key] = v.proposal
            detail = _detail(f, v, run.rule_docs, first)
            _sub(case, "failure", detail, type=kind, message=message)
        elif f.status != "met":
            why = f" (blocks {v.requested_tier}, but {v.outcome} passes)" if f.rule in blockers else ""
            _sub(case, "system-out", f"{f.status}{why}: {message}")
    tests += 1
    file, line = location(v)
    attrs = {"name": f"outcome: {v.requested_tier}", "classname": v.proposal, "file": posix(file)}
    if line is not None:
        attrs["line"] = str(line)
    case = _sub(suite, "testcase", time="0", **attrs)
    summary = f"{v.outcome}: {headline(v)}"
    if failing:
        failures += 1
        body = [summary, f"overall reform score {num(v.overall_score)}"]
        body += [f"blocking: {shortfall(r)}" for r in v.blocking]
        if v.gap is not None and v.gap.steps:
            body.append("what it would take: " + ", ".join(s.rule for s in v.gap.steps))
        _sub(case, "failure", "\n".join(body), type="outcome", message=summary)
    else:
        _sub(case, "system-out", summary)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return tests, failures


def _element(el: ET.Element, level: int) -> str:
    """One element, indented as it stands at ``level`` of the document, without its tail."""
    ET.indent(el, level=level)
    el.tail = None
    # The GitHub runner takes "##[" anywhere on a line, and "::" at its start, for a workflow
    # command, and a CR for the end of a line: a character reference keeps the text as it is
    # and the command broken (docs/security.md). Attributes have their line breaks escaped by
    # ElementTree already; text may hold line breaks of its own.
    text = ET.tostring(el, encoding="unicode").replace("##[", "&#35;#[").replace("\r", "&#13;")
    return _LEADING_COMMAND.sub(r"\1&#58;", text)


_LEADING_COMMAND = re.compile(r"(?m)^(\s*):(?=:)")


class Writer:
    """JUnit XML drawn verdict by verdict (:func:`reform_gate.render.open_writer`): each suite
    is written to a temporary file as it comes, and the document at the end, once the totals of
    its root element are known."""

    def __init__(self, run: Run, out: TextIO) -> None:
        self.run = run
        self.out = out
        self.suites: Spool[str] = Spool()
        self.tests = 0
        self.failures = 0
        #: The proposal whose failure of each rule came first, and so carries the rule's texts.
        self.explained: dict[tuple[str, str], str] = {}

    def add(self, verdict: Verdict) -> None:
        holder = ET.Element("testsuites")
        tests, failures = _suite(holder, verdict, self.run, self.explained)
        self.tests += tests
        self.failures += failures
        self.suites.add(_element(holder[0], 1))

    def close(self, errors: Sequence[ReformGateError]) -> None:
        try:
            self._write(errors)
        finally:
            self.suites.close()

    def _write(self, errors: Sequence[ReformGateError]) -> None:
        root = ET.Element("testsuites", {"name": "reform-gate"})
        pieces: list[str] = []
        tests = self.tests
        if errors:
            suite = _sub(ET.Element("testsuites"), "testsuite", name="invalid input", time="0")
            for e in errors:
                attrs = {"name": posix(e.file) or "input", "classname": "invalid input", "file": posix(e.file)}
                if e.line is not None:
                    attrs["line"] = str(e.line)
                case = _sub(suite, "testcase", time="0", **attrs)
                _sub(case, "error", e.render(), type=type(e).__name__, message=f"{e.kind}: expected {e.expected}")
            n = str(len(errors))
            suite.set("tests", n)
            suite.set("failures", "0")
            suite.set("errors", n)
            suite.set("skipped", "0")
            tests += len(errors)
            pieces.append(_element(suite, 1))
        root.set("tests", str(tests))
        root.set("failures", str(self.failures))
        root.set("errors", str(len(errors)))
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not self.suites.count and not errors:
            self.out.write(ET.tostring(root, encoding="unicode") + "\n")
            return
        head = ET.tostring(root, encoding="unicode")  # <testsuites ... />
        self.out.write(head[: -len(" />")] + ">")
        for piece in itertools.chain(self.suites, pieces):
            self.out.write("\n  " + piece)
        self.out.write("\n</testsuites>\n")


def junit_xml(run: Run) -> str:
    """The run as a JUnit XML document (text, with its XML declaration)."""
    import io

    out = io.StringIO()
    render(run, out)
    return out.getvalue()


def render(run: Run, out: TextIO) -> None:
    """Write the run as JUnit XML."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
