"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one run, plain data.

``tool.driver.rules`` holds every rule of the criteria sets used, with its title, rationale, a
help text (rationale and remedy), where it is written (``properties.criteriaFile`` and
``criteriaLine``) and, with ``--rule-docs BASE``, ``helpUri`` linking to its page
(``BASE + ID + .md``, absolute; without it there is no ``helpUri``). These texts are written
there once per run, never in a result. Two more rules stand for what
is not one criteria rule: ``tier-requirement`` (a score minimum, ``min_met`` or ``any_of`` of the
requested tier that fails) and ``invalid-input`` (a file that could not be scored).

Results: one for each finding that is not met, and one for each other failing requirement of
the requested tier. Each points at the proposal file (``artifactLocation.uri``, relative as
given) and the line of the observation the rule reads (``region.startLine``); a rule with no
observation, and a tier requirement, point at the ``[proposal]`` table. ``relatedLocations``
points at the evidence-file entries the finding reads. The message says what happened for this
proposal; the remedy is in the rule's ``help``. Each result, rule and summary is one line.

Level, from gate and weight:

==========  =====================================================================================
``error``   the finding blocks the requested tier (a gate the tier needs fails, or a tier
            requirement fails) and the outcome is below ``--fail-below``: the same cases that make
            the command exit 1
``warning`` it blocks the tier but the outcome passes ``--fail-below``; or the rule has credit 0
            (unmet, or no usable evidence) and can move its pillar by 5 points or more; or it is
            one of the rules "what it would take" names; or it is a gate that fails though the
            requested tier does not need it
``note``    partial credit, or a rule of low weight (less than 5 points of its pillar), or one
            left out of its pillar's sums (``missing = "exclude"``)
==========  =====================================================================================

Sample (shortened)::

    {"$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
     "version": "2.1.0",
     "runs": [{"tool": {"driver": {"name": "reform-gate", "rules": [{"id": "CT-1", ...}]}},
               "results": [{"ruleId": "CT-1", "level": "error",
                            "message": {"text": "Gate CT-1 fails: ... Observed safe_haven_denied = false; ..."},
                            "locations": [{"physicalLocation": {
                                "artifactLocation": {"uri": "seeds/ru-formal-recognition.toml"},
                                "region": {"startLine": 18}}}]}]}]}
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any, TextIO
from urllib.parse import quote

from ..errors import ReformGateError
from ..model import below
from ..numbers import TOLERANCE
from ..requirements import shortfall
from ..verdict import Audit, Finding, RequirementResult, Verdict
from ..version import __version__
from . import Run
from .json_ import _laid, _string, write_lines
from .shared import Spool, blocking_findings, elsewhere, from_root, location, observed, posix, rule_url

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/reform-gate/"
#: A rule that can move its pillar by fewer points than this is of low weight.
LOW_WEIGHT_POINTS = 5.0
TIER_RULE = "tier-requirement"
INPUT_RULE = "invalid-input"

_SYNTHETIC = {
    TIER_RULE: {
        "id": TIER_RULE,
        "name": "TierRequirement",
        "shortDescription": {"text": "A requirement of the requested tier of engagement does not hold"},
        "fullDescription": {
            "text": "A score minimum, a count of rules met, or a choice of requirements (any_of) that the "
            "requested tier sets is not reached by the evidence."
        },
        "help": {"text": "Raise the rules named under 'what it would take' to full credit, or request a lower tier."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["reform-gate"]},
    },
    INPUT_RULE: {
        "id": INPUT_RULE,
        "name": "InvalidInput",
        "shortDescription": {"text": "The file could not be scored"},
        "fullDescription": {"text": "The file is not valid TOML, or does not fit the proposal or criteria format."},
        "help": {"text": "Fix the key named in the message; `reform-gate validate FILE` checks it again."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["reform-gate"]},
    },
}


def uri(path: str, root: str = "") -> str:
    """A file path as a SARIF ``uri``: relative to the repository ``root`` (default: the working
    folder) when the file is under it, with ``/`` and percent escapes; else an absolute
    ``file://`` URI. A shipped criteria set keeps its name, ``reform_gate/criteria/...``."""
    if not path or path.startswith(SHIPPED_PREFIX):
        return quote(path, safe="/", errors="surrogateescape")
    return repo_uri(path, root)


#: How the shipped criteria sets are named in every output (``reform_gate.load.resolve``).
SHIPPED_PREFIX = "reform_gate/criteria/"


def repo_uri(path: str, root: str = "") -> str:
    """``path`` (as given, relative to the working folder) from the repository ``root``; a file
    outside it as an absolute ``file://`` URI."""
    shown = from_root(path, root)
    if not os.path.isabs(shown):
        return quote(shown, safe="/", errors="surrogateescape")
    # A Windows path (C:/x) needs the third slash of file:///C:/x; a POSIX one has it.
    return "file://" + quote(shown if shown.startswith("/") else "/" + shown, safe="/:", errors="surrogateescape")


def _name(title: str) -> str:
    """``No safe haven for groups`` -> ``NoSafeHavenForGroups`` (SARIF's rule name style)."""
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title)) or "Rule"


def _rule_id(f: Finding, v: Verdict, qualify: bool) -> str:
    return f"{v.audit.criteria_id}/{f.rule}" if qualify else f.rule


#: A URI with a scheme (``https://...``): the only kind ``helpUri`` may hold.


def _descriptor(f: Finding, rule_id: str, audit: Audit, run: Run) -> dict[str, Any]:
    help_lines = [f.rationale.strip()] if f.rationale.strip() else []
    if f.remedy.strip():
        help_lines.append("Remedy: " + f.remedy.strip())
    if f.references:
        help_lines.append("References: " + "; ".join(f.references))
    tags = ["reform-gate", f.pillar] + (["gate"] if f.gate else [])
    properties: dict[str, Any] = {
        "tags": tags,
        "criteria": audit.criteria_id,
        "criteriaVersion": audit.criteria_version,
        "pillar": f.pillar,
        "weight": f.weight,
        "gate": f.gate,
    }
    if f.rule_file:
        # The rule's [[rules]] entry: here once, not in every result's relatedLocations.
        properties["criteriaFile"] = uri(f.rule_file, run.root)
        properties["criteriaLine"] = f.rule_line
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": _name(f.title),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f.rationale.strip() or f.title},
        "help": {"text": "\n\n".join(help_lines) or f.title, "markdown": "\n\n".join(help_lines) or f.title},
        "defaultConfiguration": {"level": "error" if f.gate else "warning"},
        "properties": properties,
    }
    page = rule_url(run.rule_docs, f.rule)
    if page is not None:
        descriptor["helpUri"] = page
    return descriptor


def _physical(file: str, line: int | None, root: str = "") -> dict[str, Any]:
    loc: dict[str, Any] = {"artifactLocation": {"uri": uri(file, root)}}
    if line is not None and line >= 1:
        loc["region"] = {"startLine": line}
    return {"physicalLocation": loc}


def level_of(f: Finding, v: Verdict, fail_below: str) -> str:
    """The SARIF level of a finding that is not met (see the module docstring)."""
    failing = below(v.outcome, fail_below)
    needed_gates = {r.subject for r in v.blocking if r.kind == "gate"}
    if f.rule in needed_gates:
        return "error" if failing else "warning"
    in_gap = any(s.rule == f.rule for s in (v.gap.steps if v.gap else ()))
    if in_gap or (f.gate and f.gate_passed is False):
        return "warning"
    share = f.points_won + f.points_lost
    if f.status in ("unmet", "missing") and f.counted and share >= LOW_WEIGHT_POINTS - TOLERANCE:
        return "warning"
    return "note"


def _message(f: Finding, v: Verdict, remedy: bool = True) -> str:
    """What happened to rule ``f`` in this proposal; ``remedy`` adds the rule's remedy (GitLab's
    issues have no rule to hold it; SARIF's rules have it in ``help``)."""
    head = f"Gate {f.rule} fails" if f.gate and f.gate_passed is False else f"{f.rule} is {f.status}"
    text = f"{head}: {f.title}. Observed {observed(f)}; needs {f.needed}."
    if f.rule in {r.subject for r in v.blocking if r.kind == "gate"}:
        text += f" It blocks {v.requested_tier} ({v.outcome})."
    elif f.rule in {b.rule for b in blocking_findings(v)}:
        text += f" Raising it is part of what {v.requested_tier} would take."
    if remedy and f.remedy.strip():
        text += " Remedy: " + f.remedy.strip()
    return text


def _result(
    rule_id: str, index: int, level: str, text: str, v: Verdict, where: tuple[str, int | None], root: str
) -> dict[str, Any]:
    return {
        "ruleId": rule_id,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [_physical(*where, root)],
        "partialFingerprints": {"reformGate/proposalRule/v1": f"{v.proposal}/{rule_id}"},
        "properties": {"proposal": v.proposal, "requestedTier": v.requested_tier, "outcome": v.outcome},
    }


def _finding_result(f: Finding, rule_id: str, index: int, v: Verdict, run: Run) -> dict[str, Any]:
    text = _message(f, v, remedy=False)
    result = _result(rule_id, index, level_of(f, v, run.fail_below), text, v, location(v, f), run.root)
    result["properties"].update({"status": f.status, "credit": round(f.credit, 4)})
    related_locations = []
    for e in f.evidence:
        if elsewhere(v, e) is not None:
            # Evidence read from an evidence file: where the entry that stands is written.
            related = _physical(e.file, e.line, run.root)
            related["message"] = {"text": f"evidence for {e.indicator}: {e.source}, {e.when}"}
            related_locations.append(related)
    for i, related in enumerate(related_locations, start=1):
        related["id"] = i
    if related_locations:
        result["relatedLocations"] = related_locations
    return result


def _tier_result(r: RequirementResult, index: int, v: Verdict, run: Run) -> dict[str, Any]:
    failing = below(v.outcome, run.fail_below)
    text = f"A requirement of {v.requested_tier} fails: {shortfall(r)}. The outcome is {v.outcome}."
    result = _result(TIER_RULE, index, "error" if failing else "warning", text, v, location(v), run.root)
    result["partialFingerprints"]["reformGate/proposalRule/v1"] = f"{v.proposal}/{TIER_RULE}/{r.kind}/{r.subject}"
    return result


def _error_result(e: ReformGateError, index: int, root: str) -> dict[str, Any]:
    where = f" ({e.path})" if e.path else ""
    text = f"{e.kind}{where}: expected {e.expected}; found {e.found}." + (f" {e.hint}" if e.hint else "")
    return {
        "ruleId": INPUT_RULE,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": text},
        "locations": [_physical(e.file, e.line, root)],
    }


def sarif_data(run: Run) -> dict[str, Any]:
    """The run as a SARIF 2.1.0 log (plain data): what :func:`render` writes, read back."""
    import io

    out = io.StringIO()
    render(run, out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


class Writer:
    """SARIF drawn verdict by verdict (:func:`reform_gate.render.open_writer`).

    The log lists the verdicts' summaries, then the results, then the rules (keys are sorted), and
    the rules' ids depend on how many criteria sets the run used: so the verdicts wait on disk
    (:class:`~reform_gate.render.shared.Spool`), each rule is kept once as it first appears, and
    the log is written at the end, element by element.
    """

    def __init__(self, run: Run, out: TextIO) -> None:
        self.run = run
        self.out = out
        self.verdicts: Spool[Verdict] = Spool()
        #: Each rule of the criteria sets used, by (criteria id, rule id), in order of appearance.
        self.rules: dict[tuple[str, str], tuple[Finding, Audit]] = {}

    def add(self, verdict: Verdict) -> None:
        for f in verdict.findings:
            self.rules.setdefault((verdict.audit.criteria_id, f.rule), (f, verdict.audit))
        self.verdicts.add(verdict)

    def close(self, errors: Sequence[ReformGateError]) -> None:
        try:
            self._write(errors)
        finally:
            self.verdicts.close()

    def _write(self, errors: Sequence[ReformGateError]) -> None:
        run, out = self.run, self.out
        qualify = len({cid for cid, _ in self.rules}) > 1
        rules: list[dict[str, Any]] = []
        index: dict[str, int] = {}
        for (cid, rule), (f, audit) in self.rules.items():
            rid = f"{cid}/{rule}" if qualify else rule
            index[rid] = len(rules)
            rules.append(_descriptor(f, rid, audit, run))

        def synthetic(rule_id: str) -> int:
            if rule_id not in index:
                index[rule_id] = len(rules)
                rules.append(dict(_SYNTHETIC[rule_id]))
            return index[rule_id]

        def results() -> Iterator[dict[str, Any]]:
            for v in self.verdicts:
                for f in v.findings:
                    if f.status in ("met", "not-applicable"):
                        continue
                    rid = f"{v.audit.criteria_id}/{f.rule}" if qualify else f.rule
                    yield _finding_result(f, rid, index[rid], v, run)
                for r in v.blocking:
                    if r.kind != "gate":
                        yield _tier_result(r, synthetic(TIER_RULE), v, run)
            for e in errors:
                yield _error_result(e, synthetic(INPUT_RULE), run.root)

        summaries = (
            {
                "proposal": v.proposal,
                "file": posix(v.file),
                "requestedTier": v.requested_tier,
                "supportedTier": v.supported_tier,
                "outcome": v.outcome,
                "overallScore": round(v.overall_score, 1),
            }
            for v in self.verdicts
        )
        # Keys in sorted order, as every JSON output of reform-gate writes them.
        out.write(f'{{\n  "$schema": {_string(SCHEMA_URI)},\n  "runs": [\n    {{\n      "invocations": ')
        out.write(_laid([{"executionSuccessful": True}], "\n      ", ""))
        out.write(',\n      "properties": {\n        "verdicts": ')
        write_lines(out, summaries, "\n        ")
        out.write('\n      },\n      "results": ')
        write_lines(out, results(), "\n      ")
        driver = {
            "name": "reform-gate",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }
        out.write(',\n      "tool": ' + _laid({"driver": driver}, "\n      ", ""))
        out.write('\n    }\n  ],\n  "version": "2.1.0"\n}\n')


def render(run: Run, out: TextIO) -> None:
    """Write the run as SARIF 2.1.0 JSON (sorted keys)."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
