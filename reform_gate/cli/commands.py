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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import batch
from ..errors import ReformGateError, UsageError, suggest
from ..load import load_criteria, shipped_criteria
from ..model import Criteria
from .outputs import Target, check_targets, pair_targets, write_targets
from .progress import Progress

if TYPE_CHECKING:
    from ..render import Run

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
    """``reform-gate score``: :func:`reform_gate.batch.score_files`, drawn in each format asked for."""
    from ..render import Run

    as_of = _as_of(args.as_of)
    targets = pair_targets(args.outputs)
    check_targets(targets, args.force)
    stored = None
    if args.baseline is not None:
        from ..load.baseline import load_baseline

        stored = load_baseline(args.baseline)
    single = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
    if stored is None and not single and targets in ([Target("json")], [Target("text")]):
        return _score_streamed(args, targets[0].format, as_of)
    errors: list[ReformGateError] = []
    progress = Progress(0)
    try:
        verdicts = [
            s.verdict
            for s in batch.score_files(
                args.paths, errors, criteria=args.criteria, as_of=as_of, on_file=progress.on_file
            )
        ]
    finally:
        progress.close()
    out = sys.stdout
    run = Run(tuple(verdicts), tuple(errors), single, color(out), args.fail_below, args.rule_docs)
    if stored is None:
        write_targets(run, targets, out, args.force, args.details)
        outcomes: list[str] = [v.outcome for v in verdicts]
    else:
        outcomes = _write_diff(stored, run, targets, args)
    for err in errors:
        report(err)
    return batch.exit_code(outcomes, args.fail_below, invalid=bool(errors))


def _score_streamed(args: argparse.Namespace, fmt: str, as_of: _dt.date | None) -> int:
    """A batch in text or JSON on standard output, drawn verdict by verdict as it is scored.

    The output and exit code are those of the general path (``write_targets``), but memory stays
    flat however many files there are: the summary keeps one row per verdict, JSON a buffer of
    text (see :class:`~reform_gate.render.json_.RunWriter`), and no verdict is held.
    """
    out = sys.stdout
    errors: list[ReformGateError] = []
    outcomes: list[str] = []
    progress = Progress(0)
    scored = batch.score_files(args.paths, errors, criteria=args.criteria, as_of=as_of, on_file=progress.on_file)
    if fmt == "json":
        from ..render.json_ import RunWriter

        writer = RunWriter()
        try:
            for s in scored:
                writer.add(s.verdict)
                outcomes.append(s.verdict.outcome)
            progress.close()
            writer.close(errors, out)
        finally:
            progress.close()
            writer.discard()
    else:
        from ..render import text

        rows = []
        if args.details and out.isatty():
            progress.enabled = False  # verdicts are printed as they come: no progress line among them
        try:
            for s in scored:
                if args.details:
                    text.render_verdict(s.verdict, out, color(out))
                rows.append(text.summary_row(s.verdict))
                outcomes.append(s.verdict.outcome)
        finally:
            progress.close()
        text.render_table(rows, errors, out)
    for err in errors:
        report(err)
    return batch.exit_code(outcomes, args.fail_below, invalid=bool(errors))


def _write_diff(
    stored: list[dict[str, Any]], run: Run, targets: Sequence[Target], args: argparse.Namespace
) -> list[str]:
    """``--baseline``: text and json targets get the diff, other formats the run; the outcomes that count."""
    from .. import baseline
    from ..files import write_text
    from ..render.diff import render_text
    from ..render.json_ import dumps, error_data

    diff = baseline.compare(
        stored,
        [v.to_dict() for v in run.verdicts],
        baseline_file=args.baseline,
        errors=[error_data(e) for e in run.errors],
    )

    def draw(fmt: str) -> str:
        if fmt == "json":
            return dumps(diff)
        buffer = io.StringIO()
        render_text(diff, buffer, args.fail_below)
        return buffer.getvalue()

    ours = [t for t in targets if t.format in ("text", "json")]
    write_targets(run, [t for t in targets if t not in ours], sys.stdout, args.force, args.details)
    for t in ours:
        if t.path is not None:
            write_text(t.path, draw(t.format), overwrite=args.force)
    for t in ours:
        if t.path is None:
            sys.stdout.write(draw(t.format))
    return list(baseline.counted_outcomes(diff))


# --- validate and verify ---------------------------------------------------------------------


def validate(args: argparse.Namespace) -> int:
    """``reform-gate validate``: :func:`reform_gate.batch.validate_files`."""
    found = batch.validate_files(args.paths)
    for err in found.errors:
        report(err)
    if not found.checked:
        report(UsageError(" ".join(args.paths), "", "TOML files to check", "no *.toml file"))
        return batch.exit_code(invalid=True)
    n = found.checked
    print(f"{n - len(found.errors)} of {n} file{'s' if n != 1 else ''} valid")
    return batch.exit_code(invalid=bool(found.errors))


def verify(args: argparse.Namespace) -> int:
    """``reform-gate verify``: :func:`reform_gate.batch.verify_files`."""
    found = batch.verify_files(args.paths, criteria=args.criteria)
    for e in found.expectations:
        if e.holds:
            print(f"ok   {e.file}  {e.verdict.outcome}, supports {e.verdict.supported_tier or 'none'}")
        else:
            print(f"FAIL {e.file}")
            for line in e.problems:
                print(f"     {line}")
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
            print(f"{ident}  {c.criteria.version}  {c.criteria.title}  ({len(c.rules)} rules, {len(c.tiers)} tiers)")
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
    print(f"wrote {target}: a {args.tier or tiers[0]} proposal for {c.id}, {len(c.indicators)} indicator stubs")
    return batch.exit_code()


# --- analyses ------------------------------------------------------------------------------------


def sensitivity(args: argparse.Namespace) -> int:
    """``reform-gate sensitivity``: :func:`reform_gate.batch.sensitivity_file`."""
    targets = _analysis_targets(args)
    found = batch.sensitivity_file(
        args.file, criteria=args.criteria, as_of=_as_of(args.as_of), seed=args.seed, draws=_draws(args.draws)
    )

    def draw(fmt: str, out: TextIO) -> None:
        if fmt == "html":
            from ..render.html import render_sensitivity

            render_sensitivity(found, out, args.rule_docs)
        else:
            from ..render import sensitivity as drawn

            getattr(drawn, fmt)(found, out)

    _write_drawn(targets, draw, args.force)
    return batch.exit_code()


def what_if(args: argparse.Namespace) -> int:
    """``reform-gate what-if``: :func:`reform_gate.batch.what_if_file`."""
    targets = _analysis_targets(args)
    found = batch.what_if_file(args.file, args.settings, args.drops, criteria=args.criteria, as_of=_as_of(args.as_of))

    def draw(fmt: str, out: TextIO) -> None:
        from ..render import what_if as drawn

        getattr(drawn, fmt)(found, out)

    _write_drawn(targets, draw, args.force)
    return batch.exit_code()


def compare(args: argparse.Namespace) -> int:
    """``reform-gate compare``: :func:`reform_gate.batch.compare_files`."""
    targets = _analysis_targets(args)
    found = batch.compare_files(args.paths, criteria=args.criteria, as_of=_as_of(args.as_of))

    def draw(fmt: str, out: TextIO) -> None:
        if fmt == "html":
            from ..render.html import render_comparison

            render_comparison(found, out, args.rule_docs)
        else:
            from ..render import compare as drawn

            getattr(drawn, fmt)(found, out)

    _write_drawn(targets, draw, args.force)
    return batch.exit_code()


def _analysis_targets(args: argparse.Namespace) -> list[Target]:
    targets = pair_targets(args.outputs)
    check_targets(targets, args.force)
    return targets


def _draws(n: int) -> int:
    if not 1 <= n <= batch.MAX_DRAWS:
        raise UsageError("--draws", "", f"a whole number from 1 to {batch.MAX_DRAWS:,}", str(n))
    return n


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
}
