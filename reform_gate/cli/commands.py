"""One function per command: open the inputs, make one library call, render, return the exit code.

The work is in the library (:mod:`reform_gate.batch`, :mod:`reform_gate.load`,
:mod:`reform_gate.authoring`); these functions only translate arguments, draw results and pick
the exit code through :func:`reform_gate.batch.exit_code`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import batch
from ..errors import ReformGateError, UsageError, suggest
from ..files import repository_root
from ..load import installed_criteria, load_criteria, load_ledger, looks_like_path, shipped_criteria
from ..load.walk import Walk
from ..model import Criteria
from ..safe_text import json_inert, printable
from .console import detail, note, quiet, use_color, verbose
from .outputs import Outputs, Target, check_targets, pair_targets
from .progress import Progress

if TYPE_CHECKING:
    from ..verdict import Verdict

__all__ = ["COMMANDS", "report"]


def report(err: ReformGateError, stream: TextIO | None = None) -> None:
    """Write each problem of ``err`` to standard error, one ``error:`` block each."""
    out = stream if stream is not None else sys.stderr
    for problem in err.problems():
        out.write("error: " + problem.render() + "\n")


def color(args: argparse.Namespace, stream: TextIO) -> bool:
    """Whether to draw colours on ``stream``: ``--color``, then NO_COLOR, TERM=dumb, FORCE_COLOR, a terminal."""
    return use_color(getattr(args, "color", None), stream)


def _progress(args: argparse.Namespace) -> Progress:
    progress = Progress(0)
    progress.enabled = progress.enabled and not quiet(args)
    return progress


class _CriteriaUsed:
    """``-v``: each criteria set the verdicts were scored under, with its file and digest, said once."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.seen: dict[tuple[str, str, str], str] = {}

    def add(self, v: Verdict) -> None:
        a = v.audit
        key = (a.criteria_id, a.criteria_version, a.criteria_sha256)
        if verbose(self.args) and key not in self.seen:
            self.seen[key] = next((f.rule_file for f in v.findings if f.rule_file), "") or "(built in code)"

    def say(self) -> None:
        for (ident, version, digest), file in self.seen.items():
            detail(self.args, f"criteria {ident} {version} from {file} (sha256 {digest[:12]})")


def _as_of(text: str | None, option: str = "--as-of") -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(option, "", "a date such as 2025-07-03", f'"{text}"') from None


def _load_named(ref: str) -> Criteria:
    return load_criteria(ref, Path.cwd(), "")


# --- score ---------------------------------------------------------------------------------------


def score(args: argparse.Namespace) -> int:
    """``reform-gate score``: :func:`reform_gate.batch.score_files`, drawn in each format asked for.

    Every format is drawn verdict by verdict as the proposals are scored (:class:`Outputs`), to
    standard output and to files alike, so memory stays flat however many files there are.
    """
    from ..render import Run, shows_gap

    as_of = _as_of(args.as_of)
    targets = pair_targets(args.outputs)
    check_targets(targets, args.force)
    stored = None
    if args.baseline is not None:
        from ..load.baseline import load_baseline

        stored = load_baseline(args.baseline)
    single = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
    out = sys.stdout
    found = repository_root(Path.cwd())
    root = args.repo_root if args.repo_root is not None else str(found) if found is not None else ""
    run = Run((), (), single, color(args, out), args.fail_below, args.rule_docs, root=root)
    # With --baseline, text and json are the diff (written at the end); the other formats the run.
    diffed = [t for t in targets if stored is not None and t.format in ("text", "json")]
    errors: list[ReformGateError] = []
    outcomes: list[str] = []
    current: list[dict[str, Any]] = []
    used = _CriteriaUsed(args)
    progress = _progress(args)
    if args.details and out.isatty() and any(t.format == "text" and t.path is None for t in targets):
        progress.enabled = False  # verdicts are printed as they come: no progress line among them
    outputs = Outputs([t for t in targets if t not in diffed], run, out, args.force, args.details)
    # What it would take is most of the scoring: worked out only when some output shows it (the
    # baseline diff, exit codes and --fail-below read outcomes and scores, never the gap).
    gap = any(shows_gap(t.format, single, args.details) for t in targets if t not in diffed)
    try:
        for s in batch.score_files(
            args.paths,
            errors,
            criteria=args.criteria,
            as_of=as_of,
            gap=gap,
            on_file=progress.on_file,
            walk=_walk(args),
            jobs=getattr(args, "jobs", 1),
        ):
            outputs.add(s.verdict)
            outcomes.append(s.verdict.outcome)
            used.add(s.verdict)
            if stored is not None:
                from ..load.baseline import essentials

                current.append(essentials(s.verdict.to_dict(criteria=False)))
        progress.close()
        outputs.close(errors)
    except BaseException:
        progress.close()
        outputs.discard()
        raise
    used.say()
    if stored is not None:
        outcomes = _write_diff(stored, current, errors, diffed, args)
    for err in errors:
        report(err)
    return batch.exit_code(outcomes, args.fail_below, invalid=bool(errors))


def _walk(args: argparse.Namespace) -> Walk:
    """How folders are searched, and where files may lead: ``--criteria-root``, ``--exclude``.

    Without ``--criteria-root`` the root is the repository the working folder is in (the folder
    holding ``.git`` above it), else the working folder: a run from a subfolder still reads a
    ledger beside its parent folder, and nothing outside the repository (``docs/security.md``).
    """
    root = getattr(args, "criteria_root", None)
    if root is None:
        found = repository_root(Path.cwd())
        root = str(found) if found is not None else os.curdir
    return Walk(root=root, exclude=tuple(getattr(args, "exclude", None) or ()))


def _write_diff(
    stored: list[dict[str, Any]],
    current: list[dict[str, Any]],
    errors: Sequence[ReformGateError],
    targets: Sequence[Target],
    args: argparse.Namespace,
) -> list[str]:
    """``--baseline``: text and json targets get the diff; returns the outcomes that count."""
    from .. import baseline
    from ..files import write_text
    from ..render.diff import render_text
    from ..render.json_ import dumps, error_data

    diff = baseline.compare(
        stored, current, baseline_file=args.baseline, errors=[error_data(p) for e in errors for p in e.problems()]
    )

    def draw(fmt: str) -> str:
        if fmt == "json":
            return dumps(diff)
        buffer = io.StringIO()
        render_text(diff, buffer, args.fail_below)
        return buffer.getvalue()

    for t in targets:
        if t.path is not None:
            write_text(t.path, draw(t.format), overwrite=args.force)
    for t in targets:
        if t.path is None:
            sys.stdout.write(draw(t.format))
    return list(baseline.counted_outcomes(diff))


# --- validate and verify ---------------------------------------------------------------------


def validate(args: argparse.Namespace) -> int:
    """``reform-gate validate``: :func:`reform_gate.batch.validate_files`."""
    found = batch.validate_files(args.paths, _walk(args), criteria=args.criteria)
    for err in found.errors:
        report(err)
    if not found.checked:
        report(UsageError(" ".join(args.paths), "", "proposal, criteria or evidence files to check", "none"))
        return batch.exit_code(invalid=True)
    n = found.checked
    note(args, f"{n - len(found.errors)} of {n} file{'s' if n != 1 else ''} valid")
    return batch.exit_code(invalid=bool(found.errors))


def verify(args: argparse.Namespace) -> int:
    """``reform-gate verify``: :func:`reform_gate.batch.verify_files`."""
    coverage = args.coverage or args.min_coverage is not None
    if args.min_coverage is not None and not 0 <= args.min_coverage <= 100:
        raise UsageError("--min-coverage", "", "a percentage from 0 to 100", f"{args.min_coverage:g}")
    found = batch.verify_files(args.paths, criteria=args.criteria, walk=_walk(args), coverage=coverage)
    used = _CriteriaUsed(args)
    for e in found.expectations:
        used.add(e.verdict)
    used.say()
    if args.format == "json":
        return _verify_json(found, coverage, args.min_coverage)
    for e in found.expectations:
        if e.holds:
            supports = printable(e.verdict.supported_tier or "none")
            note(args, f"ok   {printable(e.file)}  {e.verdict.outcome}, supports {supports}")
        else:
            print(f"FAIL {printable(e.file)}")
            for line in e.problems:
                print(f"     {printable(line)}")
    for err in found.errors:
        report(err)
    checked = len(found.expectations)
    holding = checked - found.failed
    if found.errors:
        note(args, f"\n{holding} of {checked} expectations hold; {len(found.errors)} file(s) invalid")
        return batch.exit_code(invalid=True)
    if not checked:
        # A CI job that verifies nothing must not pass quietly.
        report(UsageError(" ".join(args.paths), "", "proposals with an [expect] block", "none"))
        return batch.exit_code(failed=True)
    if found.failed or not quiet(args):
        print(f"\n{holding} of {checked} expectations hold")
    below = False
    if coverage:
        from ..render import coverage as coverage_text

        note(args, "")
        coverage_text.render_text(found.coverage, sys.stdout, args.min_coverage)
        below = args.min_coverage is not None and bool(found.below(args.min_coverage) or not found.coverage)
    return batch.exit_code(failed=found.failed > 0 or below)


def _verify_json(found: batch.Verification, coverage: bool, min_coverage: float | None) -> int:
    """``verify --format json``: every expectation, the coverage when asked, and the invalid files."""
    import json

    from ..render.coverage import to_data
    from ..render.json_ import error_data

    data = {
        "format": "reform-gate/verify/1",
        "expectations": [
            {
                "file": e.file,
                "proposal": e.verdict.proposal,
                "holds": e.holds,
                "problems": list(e.problems),
                "outcome": e.verdict.outcome,
                "supported_tier": e.verdict.supported_tier,
            }
            for e in found.expectations
        ],
        "coverage": to_data(found.coverage) if coverage else None,
        "errors": [error_data(err) for err in found.errors],
    }
    sys.stdout.write(json_inert(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)) + "\n")
    for err in found.errors:
        report(err)
    below = min_coverage is not None and bool(found.below(min_coverage) or not found.coverage)
    nothing = not found.expectations and not found.errors
    return batch.exit_code(invalid=bool(found.errors), failed=found.failed > 0 or below or nothing)


# --- criteria sets and rules -------------------------------------------------------------------


def _listed(c: Criteria) -> str:
    info = c.criteria
    return f"{printable(info.version)}  {printable(info.title)}  ({len(c.rules)} rules, {len(c.tiers)} tiers)"


def criteria(args: argparse.Namespace) -> int:
    """``reform-gate criteria list|show|init|lint``."""
    if args.action in CRITERIA_ACTIONS:
        return CRITERIA_ACTIONS[args.action](args)
    if args.action == "list":
        for ident, path in shipped_criteria().items():
            print(f"{ident}  {_listed(load_criteria(path))}")
        # Sets that installed packages offer (the reform_gate.criteria entry points), after the shipped ones.
        broken: list[ReformGateError] = []
        for found in installed_criteria():
            if found.shadowed:
                shadowed = f"{printable(found.id)}  (from {printable(found.distribution)}"
                print(f"{shadowed}: not used, the shipped set of that id wins)")
            elif found.path is None:
                broken.append(UsageError(found.distribution, found.id, found.problem or "", "none"))
            else:
                try:
                    offered = _listed(load_criteria(found.path))
                    print(f"{printable(found.id)}  {offered}  from {printable(found.distribution)}")
                except ReformGateError as problem:
                    broken.append(problem)
        for each in broken:
            report(each)
        return batch.exit_code(invalid=bool(broken))
    from ..authoring import describe

    chosen = _load_named(args.criteria_id)
    if args.resolved:
        if args.format == "json":
            raise UsageError("--resolved", "", "--resolved alone: it prints the set as TOML", "--format json too")
        sys.stdout.write(describe.resolved_toml(chosen))
    elif args.format == "json":
        from ..authoring.catalogue import catalogue, dumps

        sys.stdout.write(dumps(catalogue(chosen, rule_docs=args.rule_docs)))
    else:
        describe.render_criteria(chosen, sys.stdout)
    return batch.exit_code()


# --- writing criteria sets: criteria init, criteria lint ----------------------------------------


def criteria_init(args: argparse.Namespace) -> int:
    """``reform-gate criteria init FILE``: a criteria skeleton, never over an existing file."""
    from ..authoring import criteria_template, template

    target = Path(args.file)
    if args.extends is None:
        text = criteria_template.criteria_template(criteria_template.criteria_id_for(target))
        what = "a criteria set skeleton"
    else:
        base = _load_named(args.extends)
        ref = args.extends
        if args.extends not in shipped_criteria() and base.origin is not None and base.origin.path is not None:
            # A base file: the derived set names it by a path relative to its own folder.
            ref = Path(os.path.relpath(Path(base.origin.path).resolve(), target.resolve().parent)).as_posix()
        text = criteria_template.derived_template(base, criteria_template.criteria_id_for(target), ref)
        what = f"a derived set of {base.id}"
    template.write_new(target, text)
    print(f"wrote {target}: {what}; check it with: reform-gate criteria lint {target}")
    return batch.exit_code()


def criteria_lint(args: argparse.Namespace) -> int:
    """``reform-gate criteria lint ID|PATH...``: :func:`reform_gate.authoring.lint.lint_files`."""
    from ..authoring import lint

    errors: list[ReformGateError] = []
    reports = lint.lint_files(args.files, errors)
    if args.format == "json":
        from ..render.json_ import error_data

        lint.render_json(reports, [error_data(e) for e in errors], sys.stdout)
    else:
        lint.render_text(reports, sys.stdout)
    for err in errors:
        report(err)
    return batch.exit_code(invalid=bool(errors), failed=any(r.findings for r in reports))


#: The ``criteria`` actions that write or check a set, by name.
CRITERIA_ACTIONS = {"init": criteria_init, "lint": criteria_lint}


def explain(args: argparse.Namespace) -> int:
    """``reform-gate explain RULE``."""
    c = _load_named(args.criteria)
    ids = [r.id for r in c.rules]
    if args.rule not in ids:
        raise UsageError(c.file, "rules", f"a rule id of {c.id}", f'"{args.rule}"', suggest(args.rule, ids))
    from ..authoring import describe

    describe.render_rule(c, c.rule(args.rule), sys.stdout)
    return batch.exit_code()


def schema(args: argparse.Namespace) -> int:
    """``reform-gate schema proposal|criteria|evidence|verdict``."""
    if args.kind in ("criteria", "verdict") and args.criteria is not None and _given(args, "criteria"):
        raise UsageError("--criteria", "", f"no --criteria for the {args.kind} schema", f'"{args.criteria}"')
    if args.kind == "verdict":
        # The shipped file, as it is: the same schema for every criteria set (rule ids are keys).
        from ..render import json_

        sys.stdout.write(json_.schema_text())
        return batch.exit_code()
    from ..authoring import schema as schemas

    if args.kind == "criteria":
        sys.stdout.write(schemas.dumps(schemas.criteria_schema()))
        return batch.exit_code()
    c = _load_named(args.criteria or "reform-before-recognition")
    made = schemas.evidence_schema(c) if args.kind == "evidence" else schemas.proposal_schema(c)
    sys.stdout.write(schemas.dumps(made))
    return batch.exit_code()


def init(args: argparse.Namespace) -> int:
    """``reform-gate init FILE``: a proposal template, never over an existing file."""
    from ..authoring import template

    c = _load_named(args.criteria)
    tiers = [t.id for t in c.tiers]
    if args.tier is not None and args.tier not in tiers:
        raise UsageError(
            "--tier",
            "",
            "a tier of " + c.id + ": " + ", ".join(tiers),
            f'"{args.tier}"',
            suggest(args.tier, tiers),
        )
    target = Path(args.file)
    ref = c.id
    if looks_like_path(args.criteria) and c.origin is not None and c.origin.path is not None:
        # A criteria file: the proposal names it by a path relative to the proposal's own folder.
        ref = _relative(Path(c.origin.path), target)
    named = args.evidence or []
    ledgers = [load_ledger(path) for path in named]
    text = template.proposal_template(
        c,
        tier=args.tier,
        proposal_id=template.proposal_id_for(target),
        criteria_ref=ref,
        schema_hint=args.schema,
        ledgers=[(_relative(Path(path), target), ledger) for path, ledger in zip(named, ledgers, strict=True)],
    )
    template.write_new(target, text)
    stubs = template.stub_count(c, ledgers)
    read = f", reading {len(ledgers)} evidence file{'s' if len(ledgers) != 1 else ''}" if ledgers else ""
    tier = printable(args.tier or template.lowest_rung(c))
    written = f"wrote {printable(str(target))}: a {tier} proposal for {printable(c.id)}"
    note(args, f"{written}, {stubs} indicator stubs{read}")
    return batch.exit_code()


def _relative(path: Path, proposal: Path) -> str:
    """``path`` as a proposal at ``proposal`` names it: relative to the proposal's folder."""
    return Path(os.path.relpath(path.resolve(), proposal.resolve().parent)).as_posix()


# --- the record over time ----------------------------------------------------------------------


def evidence(args: argparse.Namespace) -> int:
    """``reform-gate evidence show FILE``: :func:`reform_gate.batch.evidence_file`."""
    from ..render import history

    found = batch.evidence_file(args.file, as_of=_as_of(args.as_of), criteria=args.criteria)
    (history.render_record_json if args.format == "json" else history.render_record)(found, sys.stdout)
    return batch.exit_code()


def timeline(args: argparse.Namespace) -> int:
    """``reform-gate timeline FILE --from --to``: :func:`reform_gate.batch.timeline_file`."""
    from ..render import history

    targets = _analysis_targets(args)
    start, end = _as_of(args.start, "--from"), _as_of(args.end, "--to")
    assert start is not None and end is not None  # argparse requires both
    found = batch.timeline_file(args.file, start, end, every=args.every, criteria=args.criteria)

    def draw(fmt: str, out: TextIO) -> None:
        if fmt == "html":
            from ..render.html import render_timeline

            render_timeline(found, out)
        else:
            (history.render_timeline_json if fmt == "json" else history.render_timeline)(found, out)

    _write_drawn(targets, draw, args.force)
    return batch.exit_code()


def _given(args: argparse.Namespace, dest: str) -> bool:
    """Whether ``dest`` was given on the command line (not by a configuration file or variable)."""
    resolved = getattr(args, "config_resolved", None)
    if resolved is None:
        return True
    return any(s.key.dest == dest and s.source.kind == "flag" for s in resolved.settings)


# --- configuration and shell completion (issue 12) -------------------------------------------


def config(args: argparse.Namespace) -> int:
    """``reform-gate config [COMMAND ...]``: the settings a command would use, and where each comes from."""
    from . import settings_view

    settings_view.show(args, sys.stdout)
    return batch.exit_code()


def completion(args: argparse.Namespace) -> int:
    """``reform-gate completion SHELL``: a completion script generated from the parser."""
    from .completion import script
    from .parser import build_parser

    sys.stdout.write(script(build_parser(), args.shell))
    return batch.exit_code()


# --- analyses ------------------------------------------------------------------------------------


def sensitivity(args: argparse.Namespace) -> int:
    """``reform-gate sensitivity``: :func:`reform_gate.batch.sensitivity_file`."""
    targets = _analysis_targets(args)
    found = batch.sensitivity_file(
        args.file, criteria=args.criteria, as_of=_as_of(args.as_of), seed=args.seed, draws=_draws(args.draws)
    )
    _write_drawn(targets, _drawn(found, "sensitivity", "render_sensitivity", args.rule_docs), args.force)
    return batch.exit_code()


def what_if(args: argparse.Namespace) -> int:
    """``reform-gate what-if``: :func:`reform_gate.batch.what_if_file`."""
    targets = _analysis_targets(args)
    found = batch.what_if_file(args.file, args.settings, args.drops, criteria=args.criteria, as_of=_as_of(args.as_of))
    _write_drawn(targets, _drawn(found, "what_if", None, None), args.force)
    return batch.exit_code()


def compare(args: argparse.Namespace) -> int:
    """``reform-gate compare``: :func:`reform_gate.batch.compare_files`."""
    targets = _analysis_targets(args)
    found = batch.compare_files(args.paths, criteria=args.criteria, as_of=_as_of(args.as_of))
    _write_drawn(targets, _drawn(found, "compare", "render_comparison", args.rule_docs), args.force)
    return batch.exit_code()


def _analysis_targets(args: argparse.Namespace) -> list[Target]:
    targets = pair_targets(args.outputs)
    check_targets(targets, args.force)
    return targets


def _draws(n: int) -> int:
    if not 1 <= n <= batch.MAX_DRAWS:
        raise UsageError("--draws", "", f"a whole number from 1 to {batch.MAX_DRAWS:,}", str(n))
    return n


def _drawn(found: object, module: str, page: str | None, rule_docs: str | None) -> Callable[[str, TextIO], None]:
    """How an analysis is drawn in each format: ``html`` by the ``page`` function of
    ``render/html.py``, any other format by the function of that name in ``render/<module>.py``
    (``text``, ``json``). A module is imported only when its format is asked for (start-up time)."""

    def draw(fmt: str, out: TextIO) -> None:
        if fmt == "html" and page is not None:
            from ..render import html

            getattr(html, page)(found, out, rule_docs)
        else:
            getattr(importlib.import_module(f"reform_gate.render.{module}"), fmt)(found, out)

    return draw


def _write_drawn(targets: Sequence[Target], draw: Callable[[str, TextIO], None], force: bool) -> None:
    """Each target drawn in its format: files atomically first, then standard output."""
    from ..files import write_text

    for t in targets:
        if t.path is not None:
            buffer = io.StringIO()
            draw(t.format, buffer)
            write_text(t.path, buffer.getvalue(), overwrite=force)
    for t in targets:
        if t.path is None:
            draw(t.format, sys.stdout)


#: Each command's function, by the name the parser gives it.
COMMANDS = {
    "score": score,
    "sensitivity": sensitivity,
    "what-if": what_if,
    "compare": compare,
    "validate": validate,
    "verify": verify,
    "criteria": criteria,
    "explain": explain,
    "schema": schema,
    "init": init,
    "evidence": evidence,
    "timeline": timeline,
    # --- issue 12 ---
    "config": config,
    "completion": completion,
}
