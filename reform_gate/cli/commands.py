"""One function per command: open the inputs, make one library call, render, return the exit code.

The work is in the library (:mod:`reform_gate.batch`, :mod:`reform_gate.load`,
:mod:`reform_gate.authoring`); these functions only translate arguments, draw results and pick
the exit code through :func:`reform_gate.batch.exit_code`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .. import batch
from ..errors import ReformGateError, UsageError, suggest
from ..load import load_criteria, shipped_criteria
from ..load.resolve import repo_root
from ..load.walk import Walk
from ..model import Criteria
from ..safe_text import printable
from .outputs import Outputs, Target, check_targets, pair_targets
from .progress import Progress

__all__ = ["COMMANDS", "report"]


def report(err: ReformGateError, stream: TextIO | None = None) -> None:
    """Write each problem of ``err`` to standard error, one ``error:`` block each."""
    out = stream if stream is not None else sys.stderr
    for problem in err.problems():
        out.write("error: " + problem.render() + "\n")


def color(stream: TextIO) -> bool:
    """Whether to draw colours on ``stream``: a terminal, without ``NO_COLOR``, not ``TERM=dumb``."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _as_of(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError("--as-of", "", "a date such as 2025-07-03", f'"{text}"') from None


def _load_named(ref: str) -> Criteria:
    return load_criteria(ref, Path.cwd(), "")


# --- score ---------------------------------------------------------------------------------------


def score(args: argparse.Namespace) -> int:
    """``reform-gate score``: :func:`reform_gate.batch.score_files`, drawn in each format asked for.

    Every format is drawn verdict by verdict as the proposals are scored (:class:`Outputs`), to
    standard output and to files alike, so memory stays flat however many files there are.
    """
    from ..render import Run

    as_of = _as_of(args.as_of)
    targets = pair_targets(args.outputs)
    check_targets(targets, args.force)
    stored = None
    if args.baseline is not None:
        from ..load.baseline import load_baseline

        stored = load_baseline(args.baseline)
    single = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
    out = sys.stdout
    root = args.repo_root if args.repo_root is not None else repo_root()
    run = Run((), (), single, color(out), args.fail_below, args.rule_docs, root=root)
    # With --baseline, text and json are the diff (written at the end); the other formats the run.
    diffed = [t for t in targets if stored is not None and t.format in ("text", "json")]
    errors: list[ReformGateError] = []
    outcomes: list[str] = []
    current: list[dict[str, Any]] = []
    progress = Progress(0)
    if args.details and out.isatty() and any(t.format == "text" and t.path is None for t in targets):
        progress.enabled = False  # verdicts are printed as they come: no progress line among them
    outputs = Outputs([t for t in targets if t not in diffed], run, out, args.force, args.details)
    try:
        for s in batch.score_files(
            args.paths,
            errors,
            criteria=args.criteria,
            as_of=as_of,
            on_file=progress.on_file,
            walk=_walk(args),
        ):
            outputs.add(s.verdict)
            outcomes.append(s.verdict.outcome)
            if stored is not None:
                from ..load.baseline import essentials

                current.append(essentials(s.verdict.to_dict()))
        progress.close()
        outputs.close(errors)
    except BaseException:
        progress.close()
        outputs.discard()
        raise
    if stored is not None:
        outcomes = _write_diff(stored, current, errors, diffed, args)
    for err in errors:
        report(err)
    return batch.exit_code(outcomes, args.fail_below, invalid=bool(errors))


def _walk(args: argparse.Namespace) -> Walk:
    """How folders are searched, and where files may lead: ``--criteria-root``, ``--exclude``."""
    root = args.criteria_root if args.criteria_root is not None else os.curdir
    return Walk(root=root, exclude=tuple(args.exclude or ()))


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
    found = batch.validate_files(args.paths, _walk(args))
    for err in found.errors:
        report(err)
    if not found.checked:
        report(UsageError(" ".join(args.paths), "", "proposal or criteria files to check", "none"))
        return batch.exit_code(invalid=True)
    n = found.checked
    print(f"{n - len(found.errors)} of {n} file{'s' if n != 1 else ''} valid")
    return batch.exit_code(invalid=bool(found.errors))


def verify(args: argparse.Namespace) -> int:
    """``reform-gate verify``: :func:`reform_gate.batch.verify_files`."""
    found = batch.verify_files(args.paths, criteria=args.criteria, walk=_walk(args))
    for e in found.expectations:
        if e.holds:
            supports = printable(e.verdict.supported_tier or "none")
            print(f"ok   {printable(e.file)}  {e.verdict.outcome}, supports {supports}")
        else:
            print(f"FAIL {printable(e.file)}")
            for line in e.problems:
                print(f"     {printable(line)}")
    for err in found.errors:
        report(err)
    checked = len(found.expectations)
    holding = checked - found.failed
    if found.errors:
        print(f"\n{holding} of {checked} expectations hold; {len(found.errors)} file(s) invalid")
        return batch.exit_code(invalid=True)
    if not checked:
        # A CI job that verifies nothing must not pass quietly.
        report(UsageError(" ".join(args.paths), "", "proposals with an [expect] block", "none"))
        return batch.exit_code(failed=True)
    print(f"\n{holding} of {checked} expectations hold")
    return batch.exit_code(failed=found.failed > 0)


# --- criteria sets and rules -------------------------------------------------------------------


def criteria(args: argparse.Namespace) -> int:
    """``reform-gate criteria list|show``."""
    if args.action == "list":
        for ident, path in shipped_criteria().items():
            c = load_criteria(path)
            info = c.criteria
            counts = f"({len(c.rules)} rules, {len(c.tiers)} tiers)"
            print(f"{ident}  {printable(info.version)}  {printable(info.title)}  {counts}")
        return batch.exit_code()
    from ..authoring import describe

    describe.render_criteria(_load_named(args.criteria_id), sys.stdout)
    return batch.exit_code()


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
    """``reform-gate schema proposal|criteria``."""
    from ..authoring import schema as schemas

    if args.kind == "criteria":
        if args.criteria is not None:
            raise UsageError("--criteria", "", "no --criteria for the criteria schema", f'"{args.criteria}"')
        sys.stdout.write(schemas.dumps(schemas.criteria_schema()))
    else:
        c = _load_named(args.criteria or "reform-before-recognition")
        sys.stdout.write(schemas.dumps(schemas.proposal_schema(c)))
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
    if args.criteria not in shipped_criteria() and c.origin is not None and c.origin.path is not None:
        # A criteria file: the proposal names it by a path relative to the proposal's own folder.
        ref = Path(os.path.relpath(Path(c.origin.path).resolve(), target.resolve().parent)).as_posix()
    text = template.proposal_template(
        c, tier=args.tier, proposal_id=template.proposal_id_for(target), criteria_ref=ref, schema_hint=args.schema
    )
    template.write_new(target, text)
    tier = printable(args.tier or tiers[0])
    stubs = f"{len(c.indicators)} indicator stubs"
    print(f"wrote {printable(str(target))}: a {tier} proposal for {printable(c.id)}, {stubs}")
    return batch.exit_code()


#: Each command's function, by the name the parser gives it.
COMMANDS = {
    "score": score,
    "validate": validate,
    "verify": verify,
    "criteria": criteria,
    "explain": explain,
    "schema": schema,
    "init": init,
}
