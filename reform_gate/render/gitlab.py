"""GitLab Code Quality: a JSON array of issues for ``artifacts:reports:codequality``.

GitLab shows these issues in the merge request (widget, and changes view where the tier has it)
and compares them with the target branch by ``fingerprint``. The shape is the one GitLab's
documentation gives for a custom tool ("Code Quality", section "Implement a custom tool"): each
issue has ``description``, ``check_name``, ``fingerprint``, ``severity`` (``info``, ``minor``,
``major``, ``critical`` or ``blocker``), ``location.path`` relative to the repository and
``location.lines.begin``. GitLab ignores other Code Climate keys, so none are written.

The issues are SARIF's results (:mod:`reform_gate.render.sarif`), one for one: each finding that is
not met, each other failing requirement of the requested tier, each problem of a file that could
not be scored. Severity, from the SARIF level:

============  ==========================================================================
``critical``  SARIF ``error``: it blocks the requested tier and the outcome is below
              ``--fail-below`` (the cases that make the command exit 1)
``major``     SARIF ``warning``
``minor``     SARIF ``note``
``blocker``   a file that could not be scored (exit 2)
``info``      not used
============  ==========================================================================

``check_name`` is ``<criteria id>/<rule id>`` (``reform-before-recognition/CT-1``),
``<criteria id>/tier-requirement`` or ``reform-gate/invalid-input``. The ``fingerprint`` is the
SHA-256 of the proposal's id, the check and the file (with the requirement or key it is about),
never of a line number: an issue keeps its fingerprint when lines above it move. Paths are made
relative to the repository's top folder (the one holding ``.git``, found from the working folder;
the working folder itself outside a repository). Sample::

    [
      {
        "check_name": "reform-before-recognition/CT-1",
        "description": "Gate CT-1 fails: Afghan soil closed to listed terrorist groups. Observed ...",
        "fingerprint": "5b0d…",
        "location": {"lines": {"begin": 18}, "path": "seeds/ru-formal-recognition.toml"},
        "severity": "critical"
      }
    ]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from ..errors import ReformGateError
from ..files import repository_root
from ..model import below
from ..requirements import shortfall
from ..verdict import Finding, Verdict
from . import Run
from .json_ import _dumps_at
from .sarif import INPUT_RULE, TIER_RULE, _message, level_of
from .shared import location, posix, rule_url

__all__ = ["SEVERITY", "Writer", "code_quality", "render", "repository_path"]

#: GitLab severity of each SARIF level (and of a file that could not be scored).
SEVERITY = {"error": "critical", "warning": "major", "note": "minor", INPUT_RULE: "blocker"}


def repository_path(file: str, root: Path) -> str:
    """``file`` (as outputs show it: relative to the working folder, or absolute) relative to ``root``.

    A file outside ``root``, or text that came from no file (``<stdin>``), is kept as shown.
    """
    if not file or file.startswith("<"):
        return file
    path = Path(file)
    full = path if path.is_absolute() else Path.cwd() / path
    try:
        return full.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return posix(file)


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(("reform-gate/1", *parts)).encode("utf-8")).hexdigest()


def _issue(
    check: str, description: str, severity: str, path: str, line: int | None, key: tuple[str, ...]
) -> dict[str, Any]:
    return {
        "check_name": check,
        "description": description,
        "fingerprint": _fingerprint(check, path, *key),
        "location": {"lines": {"begin": line if line is not None and line >= 1 else 1}, "path": path},
        "severity": severity,
    }


def _finding(f: Finding, v: Verdict, run: Run, root: Path) -> dict[str, Any]:
    file, line = location(v, f)
    text = _message(f, v)
    page = rule_url(run.rule_docs, f.rule)
    if page is not None:
        text += f" Rule page: {page}"
    check = f"{v.audit.criteria_id}/{f.rule}"
    return _issue(
        check, text, SEVERITY[level_of(f, v, run.fail_below)], repository_path(file, root), line, (v.proposal,)
    )


def _error(e: ReformGateError, root: Path) -> dict[str, Any]:
    where = f" ({e.path})" if e.path else ""
    text = f"{e.kind}{where}: expected {e.expected}; found {e.found}." + (f" {e.hint}" if e.hint else "")
    path = repository_path(e.file, root)
    return _issue(f"reform-gate/{INPUT_RULE}", text, SEVERITY[INPUT_RULE], path, e.line, (e.path, e.kind, e.found))


def _root(run: Run) -> Path:
    """The repository's top folder: the run's (``--repo-root``), else the one above the working folder."""
    if run.root:
        return Path(run.root)
    return repository_root(Path.cwd()) or Path.cwd()


def _verdict_issues(v: Verdict, run: Run, root: Path) -> Iterator[dict[str, Any]]:
    for f in v.findings:
        if f.status != "met":
            yield _finding(f, v, run, root)
    for r in v.blocking:
        if r.kind == "gate":
            continue
        file, line = location(v)
        text = f"A requirement of {v.requested_tier} fails: {shortfall(r)}. The outcome is {v.outcome}."
        severity = SEVERITY["error" if below(v.outcome, run.fail_below) else "warning"]
        check = f"{v.audit.criteria_id}/{TIER_RULE}"
        yield _issue(check, text, severity, repository_path(file, root), line, (v.proposal, r.kind, r.subject))


class Writer:
    """GitLab issues drawn verdict by verdict (:func:`reform_gate.render.open_writer`).

    Only the fingerprints seen so far are kept: GitLab shows issues with one fingerprint as one,
    so two that collide (the same problem twice in a file) are told apart by their order, which is
    the order of the file.
    """

    def __init__(self, run: Run, out: TextIO) -> None:
        self.run = run
        self.out = out
        self.root = _root(run)
        self.seen: dict[str, int] = {}
        self.separator = "[\n  "

    def _write(self, issue: dict[str, Any]) -> None:
        n = self.seen.get(issue["fingerprint"], 0)
        self.seen[issue["fingerprint"]] = n + 1
        if n:
            issue["fingerprint"] = _fingerprint(issue["fingerprint"], str(n))
        self.out.write(self.separator + _dumps_at(issue, "\n  "))
        self.separator = ",\n  "

    def add(self, verdict: Verdict) -> None:
        for issue in _verdict_issues(verdict, self.run, self.root):
            self._write(issue)

    def close(self, errors: Sequence[ReformGateError]) -> None:
        for e in errors:
            for problem in e.problems():
                self._write(_error(problem, self.root))
        self.out.write("[]\n" if self.separator.startswith("[") else "\n]\n")


def code_quality(run: Run, root: Path | None = None) -> list[dict[str, Any]]:
    """The run as GitLab Code Quality issues (plain data); ``root`` defaults to the repository's top folder."""
    import io
    import json

    out = io.StringIO()
    writer = Writer(run if root is None else _with_root(run, root), out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
    found: list[dict[str, Any]] = json.loads(out.getvalue())
    return found


def _with_root(run: Run, root: Path) -> Run:
    from attrs import evolve

    return evolve(run, root=str(root))


def render(run: Run, out: TextIO) -> None:
    """Write the run as a GitLab Code Quality report (a JSON array, sorted keys, no byte-order mark)."""
    writer = Writer(run, out)
    for v in run.verdicts:
        writer.add(v)
    writer.close(run.errors)
