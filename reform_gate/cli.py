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
from typing import TextIO

from . import __version__
from .errors import ReformGateError, UsageError, did_you_mean
from .load import criteria_for, load_criteria, load_document, shipped_criteria
from .model import OUTCOMES, Criteria, Expect, Proposal
from .score import score
from .verdict import Verdict

EXIT_OK, EXIT_BELOW, EXIT_INVALID = 0, 1, 2

EXAMPLES = {
    "score": "reform-gate score seeds/ru-isisk-intelligence-sharing.toml\n"
    "  reform-gate score seeds/ --fail-below scale-back --format json",
    "validate": "reform-gate validate proposals/",
    "verify": "reform-gate verify seeds/",
    "criteria": "reform-gate criteria list\n  reform-gate criteria show reform-before-recognition",
    "explain": "reform-gate explain CT-1",
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
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_INVALID
    handler = {"score": _score, "validate": _validate, "verify": _verify, "criteria": _criteria, "explain": _explain}
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
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.toml") if p.is_file())
        else:
            yield path


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


def _proposals(paths: Sequence[str], errors: list[ReformGateError]) -> Iterator[Proposal]:
    """Every proposal under ``paths``; criteria files found along the way are skipped."""
    for file in iter_files(paths):
        try:
            doc = load_document(file)
        except ReformGateError as err:
            errors.append(err)
            continue
        if isinstance(doc, Proposal):
            yield doc


def score_paths(
    paths: Sequence[str], criteria: str | None = None, as_of: _dt.date | None = None
) -> tuple[list[tuple[Proposal, Verdict]], list[ReformGateError]]:
    """Score every proposal under ``paths``; bad files are collected, not fatal."""
    errors: list[ReformGateError] = []
    scored: list[tuple[Proposal, Verdict]] = []
    cache = _CriteriaCache(criteria)
    for proposal in _proposals(paths, errors):
        try:
            scored.append((proposal, score(proposal, cache(proposal), as_of)))
        except ReformGateError as err:
            errors.append(err)
    return scored, errors


def _score(args: argparse.Namespace) -> int:
    from .render import Run

    as_of = _as_of(args.as_of)
    scored, errors = score_paths(args.paths, args.criteria, as_of)
    verdicts = [v for _, v in scored]
    single = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
    out = sys.stdout
    run = Run(tuple(verdicts), tuple(errors), single, _color(out) and args.format == "text")
    if args.format == "json":
        from .render import json_

        json_.render(run, out)
    else:
        from .render import text

        if args.details and not single:
            for v in verdicts:
                text.render_verdict(v, out, run.color)
        text.render(run, out)
    for err in errors:
        _error(err)
    if errors:
        return EXIT_INVALID
    floor = OUTCOMES.index(args.fail_below)
    return EXIT_BELOW if any(OUTCOMES.index(v.outcome) < floor for v in verdicts) else EXIT_OK


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
    print(f"\n{checked - failed} of {checked} expectations hold")
    if errors:
        return EXIT_INVALID
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
        close = did_you_mean(args.rule, ids)
        raise UsageError(
            c.origin, "rules", f"a rule id of {c.id}", f'"{args.rule}"', f'did you mean "{close}"?' if close else None
        )
    from .render import criteria as show

    show.render_rule(c, c.rule(args.rule), sys.stdout)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
