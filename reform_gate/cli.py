"""The command line: a thin shell over the library (STYLE 5).

Each command opens its inputs, calls one public function, renders the result, and turns a
:class:`~reform_gate.errors.ReformGateError` into a clean message and exit code 2. Exit codes
(DESIGN 6): 0 when every outcome is at or above ``--fail-below``, 1 when one is below it, 2 for
invalid input or usage.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from ._outputs import OrderedOption, Target, check_targets, pair_targets, write_targets
from ._progress import Progress
from .errors import ReformGateError, UsageError, suggest
from .load import criteria_for, load_criteria, load_document, shipped_criteria
from .model import OUTCOMES, Criteria, Expect, Proposal, below
from .render import FORMATS
from .score import score
from .verdict import Verdict

if TYPE_CHECKING:
    from .render import Run

EXIT_OK, EXIT_BELOW, EXIT_INVALID = 0, 1, 2

EXAMPLES = {
    "score": "reform-gate score seeds/ru-isisk-intelligence-sharing.toml\n"
    "  reform-gate score seeds/ --fail-below scale-back --format json",
    "validate": "reform-gate validate proposals/",
    "verify": "reform-gate verify seeds/",
    "criteria": "reform-gate criteria list\n  reform-gate criteria show reform-before-recognition",
    "explain": "reform-gate explain CT-1",
    "schema": "reform-gate schema proposal > proposal.schema.json\n"
    "  reform-gate schema criteria > criteria.schema.json",
    "init": "reform-gate init --tier dialogue proposals/new-proposal.toml",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reform-gate",
        description="Score engagement proposals against 'reform before recognition' criteria.",
        epilog="examples:\n  " + "\n  ".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reform-gate {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=help,
            epilog="example:\n  " + EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p = command("score", "Score proposals and explain each verdict.")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="proposal files, or folders to search for *.toml")
    p.add_argument(
        "--criteria", metavar="ID|PATH", help="score against this criteria set instead of the one each proposal names"
    )
    p.add_argument(
        "--format",
        dest="outputs",
        action=OrderedOption,
        const="format",
        choices=list(FORMATS),
        metavar="FORMAT",
        help="output format: " + ", ".join(FORMATS) + " (default: text); repeat it with --output for several",
    )
    p.add_argument(
        "--output",
        dest="outputs",
        action=OrderedOption,
        const="output",
        metavar="FILE",
        help="write the --format next to it to FILE, atomically; a format without --output goes to standard output",
    )
    p.add_argument("--force", action="store_true", help="let --output replace existing files (never done silently)")
    p.add_argument(
        "--rule-docs",
        metavar="BASE",
        default="docs/rules/",
        help="where rule pages live, for links: BASE + RULE-ID + .md (default: docs/rules/)",
    )
    p.add_argument(
        "--fail-below",
        choices=OUTCOMES,
        default="supported",
        metavar="OUTCOME",
        help="exit 1 when an outcome is below this: rejected < scale-back < revise < supported (default: supported)",
    )
    p.add_argument(
        "--as-of", metavar="DATE", help="score as if on this day (YYYY-MM-DD) instead of each proposal's date"
    )
    p.add_argument(
        "--details", action="store_true", help="for several files, print every verdict in full, not only the summary"
    )
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only what changed against this stored run (score --format json); text and json become the "
        "diff, and only new proposals or worse outcomes count against --fail-below",
    )

    p = command("validate", "Load and check proposals and criteria files without scoring (for pre-commit).")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")

    p = command("verify", "Check that every proposal's [expect] block holds.")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--criteria", metavar="ID|PATH")

    p = command("criteria", "List the shipped criteria sets, or show one.")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    csub.add_parser("list", help="list shipped criteria sets")
    show = csub.add_parser("show", help="show a criteria set's pillars, rules and ladder")
    show.add_argument("criteria_id", metavar="ID|PATH")

    p = command("explain", "Explain one rule: what it checks, why, and how to meet it.")
    p.add_argument("rule", metavar="RULE-ID")
    p.add_argument("--criteria", metavar="ID|PATH", default="reform-before-recognition")

    p = command("schema", "Print the JSON Schema (draft 2020-12) of proposals or criteria sets, for editors.")
    p.add_argument("kind", choices=["proposal", "criteria"], help="which format")
    p.add_argument(
        "--criteria",
        metavar="ID|PATH",
        help="for proposal: list this criteria set's indicators, tiers and rules (default: reform-before-recognition)",
    )

    p = command("init", "Write a new proposal template with every indicator of a criteria set as a stub.")
    p.add_argument("file", metavar="FILE", help="the proposal file to create (never overwritten)")
    p.add_argument("--criteria", metavar="ID|PATH", default="reform-before-recognition")
    p.add_argument("--tier", metavar="TIER", help="the engagement sought (default: the lowest tier)")
    p.add_argument(
        "--schema",
        metavar="PATH|URL",
        help="start the file with a '#:schema PATH' line for editors (see: reform-gate schema proposal)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_INVALID
    handler = {
        "score": _score,
        "validate": _validate,
        "verify": _verify,
        "criteria": _criteria,
        "explain": _explain,
        "schema": _schema,
        "init": _init,
    }
    try:
        return handler[args.command](args)
    except ReformGateError as err:
        _error(err)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; nothing more to say.
        sys.stderr.close()
        return EXIT_OK


def _error(err: ReformGateError) -> None:
    sys.stderr.write("error: " + err.render() + "\n")


def _color(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def iter_files(paths: Sequence[str]) -> Iterator[Path]:
    """The files named, with folders searched for ``*.toml`` in sorted order."""
    for name in _file_names(paths):
        yield Path(name)


def _file_names(paths: Sequence[str]) -> list[str]:
    """:func:`iter_files` as strings, for a batch to hold: 10,000 ``Path`` objects take 6 MB,
    and so would ``Path.rglob``, which keeps every path it yields. Folders are walked as rglob
    walks them (not into linked folders), and sorted as paths sort: part by part."""
    names: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for folder, _, files in os.walk(path):
                for name in files:
                    if name.endswith(".toml"):
                        full = str(Path(folder, name))
                        if os.path.isfile(full):
                            found.append(full)
            names += sorted(found, key=lambda name: name.replace(os.sep, "\0"))
        else:
            names.append(str(path))
    return names


def _as_of(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError("--as-of", "", "a date such as 2025-07-03", f'"{text}"') from None


class _CriteriaCache:
    """Criteria sets are shared by many proposals: load each once per run."""

    def __init__(self, override: str | None) -> None:
        self.override = override
        self._sets: dict[str, Criteria] = {}

    def __call__(self, proposal: Proposal) -> Criteria:
        ref = self.override or proposal.proposal.criteria
        key = ref if self.override else f"{Path(proposal.origin).parent}|{ref}"
        if key not in self._sets:
            self._sets[key] = criteria_for(proposal, self.override)
        return self._sets[key]


def _proposals(
    paths: Sequence[str], errors: list[ReformGateError], progress: Progress | None = None
) -> Iterator[Proposal]:
    """Every proposal under ``paths``; criteria files found along the way are skipped."""
    files = _file_names(paths)
    if progress is not None:
        progress.total = len(files)
    for done, file in enumerate(files):
        if progress is not None:
            progress.step(done, str(file))
        try:
            doc = load_document(file)
        except ReformGateError as err:
            errors.append(err)
            continue
        if isinstance(doc, Proposal):
            yield doc


def score_paths(
    paths: Sequence[str],
    criteria: str | None = None,
    as_of: _dt.date | None = None,
    progress: Progress | None = None,
) -> tuple[list[tuple[Proposal, Verdict]], list[ReformGateError]]:
    """Score every proposal under ``paths``; bad files are collected, not fatal."""
    errors: list[ReformGateError] = []
    scored = list(iter_scores(paths, errors, criteria, as_of, progress))
    return scored, errors


def iter_scores(
    paths: Sequence[str],
    errors: list[ReformGateError],
    criteria: str | None = None,
    as_of: _dt.date | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[Proposal, Verdict]]:
    """Each proposal under ``paths`` with its verdict, as it is scored; bad files go to ``errors``.

    A batch that draws each verdict as it comes holds one at a time, however many files.
    """
    cache = _CriteriaCache(criteria)
    try:
        for proposal in _proposals(paths, errors, progress):
            try:
                verdict = score(proposal, cache(proposal), as_of)
            except ReformGateError as err:
                errors.append(err)
                continue
            yield proposal, verdict
    finally:
        if progress is not None:
            progress.close()


def _score(args: argparse.Namespace) -> int:
    from .render import Run

    as_of = _as_of(args.as_of)
    targets = pair_targets(args.outputs)
    check_targets(targets, args.force)
    stored = None
    if args.baseline is not None:
        from .baseline import load_baseline

        stored = load_baseline(args.baseline)
    single = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
    if stored is None and not single and targets in ([Target("json")], [Target("text")]):
        return _score_streamed(args, targets[0].format, as_of)
    scored, errors = score_paths(args.paths, args.criteria, as_of, Progress(0))
    verdicts = [v for _, v in scored]
    if not verdicts and not errors:
        raise UsageError(", ".join(args.paths), "", "at least one proposal file", "no proposal in the paths given")
    out = sys.stdout
    run = Run(tuple(verdicts), tuple(errors), single, _color(out), args.fail_below, args.rule_docs)
    code = None
    if stored is None:
        write_targets(run, targets, out, args.force, args.details)
    else:
        code = _write_diff(stored, run, targets, args)
    for err in errors:
        _error(err)
    if errors:
        return EXIT_INVALID
    if code is not None:
        return code
    return EXIT_BELOW if any(below(v.outcome, args.fail_below) for v in verdicts) else EXIT_OK


def _score_streamed(args: argparse.Namespace, fmt: str, as_of: _dt.date | None) -> int:
    """A batch in text or JSON on standard output, drawn verdict by verdict as it is scored.

    The output and exit code are those of the general path (``write_targets``), but memory stays
    flat however many files there are: the summary keeps one row per verdict, JSON a buffer of
    text (see :class:`~reform_gate.render.json_.RunWriter`), and no verdict is held.
    """
    out = sys.stdout
    errors: list[ReformGateError] = []
    failed = False
    rows: list[tuple[str, str, str, str, str]] = []
    if fmt == "json":
        from .render.json_ import RunWriter

        writer = RunWriter()
        scored = 0
        try:
            for _, v in iter_scores(args.paths, errors, args.criteria, as_of, Progress(0)):
                writer.add(v)
                scored += 1
                failed = failed or below(v.outcome, args.fail_below)
            if not scored and not errors:
                raise UsageError(
                    ", ".join(args.paths), "", "at least one proposal file", "no proposal in the paths given"
                )
            writer.close(errors, out)
        finally:
            writer.discard()
    else:
        from .render import text

        color = _color(out)
        progress = Progress(0)
        if args.details and out.isatty():
            progress.enabled = False  # verdicts are printed as they come: no progress line among them
        for _, v in iter_scores(args.paths, errors, args.criteria, as_of, progress):
            if args.details:
                text.render_verdict(v, out, color)
            rows.append(text.summary_row(v))
            failed = failed or below(v.outcome, args.fail_below)
        if not rows and not errors:
            raise UsageError(", ".join(args.paths), "", "at least one proposal file", "no proposal in the paths given")
        text.render_table(rows, errors, out)
    for err in errors:
        _error(err)
    if errors:
        return EXIT_INVALID
    return EXIT_BELOW if failed else EXIT_OK


def _write_diff(stored: list[dict[str, Any]], run: Run, targets: Sequence[Target], args: argparse.Namespace) -> int:
    """``--baseline``: text and json targets get the diff, other formats the run; the diff's exit code."""
    import io

    from . import baseline
    from ._atomic import write_text
    from .render.json_ import dumps, error_data, verdict_data

    diff = baseline.compare(
        stored,
        [verdict_data(v) for v in run.verdicts],
        baseline_file=args.baseline,
        errors=[error_data(e) for e in run.errors],
    )

    def draw(fmt: str) -> str:
        if fmt == "json":
            return dumps(diff)
        buffer = io.StringIO()
        baseline.render_text(diff, buffer, args.fail_below)
        return buffer.getvalue()

    ours = [t for t in targets if t.format in ("text", "json")]
    write_targets(run, [t for t in targets if t not in ours], sys.stdout, args.force, args.details)
    for t in ours:
        if t.path is not None:
            write_text(t.path, draw(t.format), overwrite=args.force)
    for t in ours:
        if t.path is None:
            sys.stdout.write(draw(t.format))
    return baseline.exit_code(diff, args.fail_below)


def _validate(args: argparse.Namespace) -> int:
    errors: list[ReformGateError] = []
    cache = _CriteriaCache(None)
    checked = 0
    for file in iter_files(args.paths):
        checked += 1
        try:
            doc = load_document(file)
            if isinstance(doc, Proposal):
                from .load import validate_proposal

                validate_proposal(doc, cache(doc))
        except ReformGateError as problem:
            errors.append(problem)
    for err in errors:
        _error(err)
    if not checked:
        _error(UsageError(" ".join(args.paths), "", "TOML files to check", "no *.toml file"))
        return EXIT_INVALID
    print(f"{checked - len(errors)} of {checked} file{'s' if checked != 1 else ''} valid")
    return EXIT_INVALID if errors else EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    scored, errors = score_paths(args.paths, args.criteria)
    failed = 0
    checked = 0
    for proposal, v in scored:
        expect = proposal.expect
        if expect is None:
            continue
        checked += 1
        problems = _compare(v, expect)
        if problems:
            failed += 1
            print(f"FAIL {v.file}")
            for line in problems:
                print(f"     {line}")
        else:
            print(f"ok   {v.file}  {v.outcome}, supports {v.supported_tier or 'none'}")
    for err in errors:
        _error(err)
    if errors:
        print(f"\n{checked - failed} of {checked} expectations hold; {len(errors)} file(s) invalid")
        return EXIT_INVALID
    if not checked:
        # A CI job that verifies nothing must not pass quietly.
        _error(UsageError(" ".join(args.paths), "", "proposals with an [expect] block", "none"))
        return EXIT_BELOW
    print(f"\n{checked - failed} of {checked} expectations hold")
    return EXIT_BELOW if failed else EXIT_OK


def _compare(v: Verdict, expect: Expect) -> list[str]:
    """Each way the verdict differs from the proposal's [expect] block, as expected against actual."""
    problems = []
    if v.outcome != expect.outcome:
        problems.append(f"outcome: expected {expect.outcome}, got {v.outcome}")
    actual_tier = v.supported_tier or "none"
    if actual_tier != expect.supported_tier:
        problems.append(f"supported_tier: expected {expect.supported_tier}, got {actual_tier}")
    if expect.overall_score is not None and abs(round(v.overall_score, 1) - expect.overall_score) > 0.05:
        problems.append(f"overall_score: expected {expect.overall_score:.1f}, got {v.overall_score:.1f}")
    if expect.design_score is not None and (
        v.design_score is None or abs(round(v.design_score, 1) - expect.design_score) > 0.05
    ):
        got = "none" if v.design_score is None else f"{v.design_score:.1f}"
        problems.append(f"design_score: expected {expect.design_score:.1f}, got {got}")
    return problems


def _criteria(args: argparse.Namespace) -> int:
    if args.action == "list":
        for ident, path in shipped_criteria().items():
            c = load_criteria(path)
            print(f"{ident}  {c.criteria.version}  {c.criteria.title}  ({len(c.rules)} rules, {len(c.tiers)} tiers)")
        return EXIT_OK
    c = _load_named(args.criteria_id)
    from .render import criteria as show

    show.render_criteria(c, sys.stdout)
    return EXIT_OK


def _load_named(ref: str) -> Criteria:
    return load_criteria(ref, Path.cwd(), "")


def _explain(args: argparse.Namespace) -> int:
    c = _load_named(args.criteria)
    ids = [r.id for r in c.rules]
    if args.rule not in ids:
        raise UsageError(c.origin, "rules", f"a rule id of {c.id}", f'"{args.rule}"', suggest(args.rule, ids))
    from .render import criteria as show

    show.render_rule(c, c.rule(args.rule), sys.stdout)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from . import schema

    if args.kind == "criteria":
        if args.criteria is not None:
            raise UsageError("--criteria", "", "no --criteria for the criteria schema", f'"{args.criteria}"')
        sys.stdout.write(schema.dumps(schema.criteria_schema()))
    else:
        c = _load_named(args.criteria or "reform-before-recognition")
        sys.stdout.write(schema.dumps(schema.proposal_schema(c)))
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from . import template

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
    if args.criteria not in shipped_criteria():
        # A criteria file: the proposal names it by a path relative to the proposal's own folder.
        ref = Path(os.path.relpath(Path(c.origin).resolve(), target.resolve().parent)).as_posix()
    text = template.proposal_template(
        c, tier=args.tier, proposal_id=template.proposal_id_for(target), criteria_ref=ref, schema_hint=args.schema
    )
    template.write_new(target, text)
    print(f"wrote {target}: a {args.tier or tiers[0]} proposal for {c.id}, {len(c.indicators)} indicator stubs")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
