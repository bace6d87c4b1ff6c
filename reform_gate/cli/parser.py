"""The command line's arguments: every command, its options and an example of each.

Each command's arguments are the parameters of one library call (:mod:`reform_gate.batch`);
``docs/cli.md`` documents every one, and a test holds the two together.
"""

from __future__ import annotations

import argparse

from ..model import OUTCOMES
from ..render import FORMATS
from ..version import __version__
from .outputs import OrderedOption

__all__ = ["EXAMPLES", "build_parser"]

EXAMPLES = {
    "score": "reform-gate score seeds/ru-isisk-intelligence-sharing.toml\n"
    "  reform-gate score seeds/ --fail-below scale-back --format json",
    "validate": "reform-gate validate proposals/\n  reform-gate validate --criteria my-criteria.toml proposals/",
    "verify": "reform-gate verify seeds/\n  reform-gate verify --coverage --min-coverage 100 seeds/",
    "criteria": "reform-gate criteria list\n  reform-gate criteria show reform-before-recognition\n"
    "  reform-gate criteria show --resolved my-criteria.toml\n"
    "  reform-gate criteria init my-criteria.toml\n"
    "  reform-gate criteria lint my-criteria.toml",
    "explain": "reform-gate explain CT-1",
    "schema": "reform-gate schema proposal > proposal.schema.json\n"
    "  reform-gate schema criteria > criteria.schema.json",
    "init": "reform-gate init --tier dialogue proposals/new-proposal.toml",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command, with an example in each command's help."""
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
    p.add_argument(
        "--criteria", metavar="ID|PATH", help="check proposals against this criteria set instead of the one each names"
    )

    p = command("verify", "Check that every proposal's [expect] block holds.")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--criteria", metavar="ID|PATH")
    _verify_coverage(p)

    p = command("criteria", "List the shipped criteria sets, show one, write a new one, or lint one.")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    csub.add_parser("list", help="list shipped criteria sets")
    show = csub.add_parser("show", help="show a criteria set's pillars, rules and ladder")
    show.add_argument("criteria_id", metavar="ID|PATH")
    show.add_argument(
        "--resolved",
        action="store_true",
        help="print the whole set as TOML, a derived set (extends) merged with its base",
    )
    _criteria_authoring(csub)

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


def _verify_coverage(p: argparse.ArgumentParser) -> None:
    """``verify --coverage``: which rules and tiers the verified proposals exercise."""
    p.add_argument(
        "--coverage",
        action="store_true",
        help="also report, per criteria set, the rules and tiers the holding expectations cover",
    )
    p.add_argument(
        "--min-coverage",
        metavar="PCT",
        type=float,
        help="exit 1 when a set's rule or tier coverage is below PCT percent (implies --coverage)",
    )
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="text (default) or json (reform-gate/verify/1)"
    )


def _criteria_authoring(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``criteria init`` and ``criteria lint``: tools for writing a criteria set."""
    init = csub.add_parser("init", help="write a commented criteria set skeleton that validates as written")
    init.add_argument("file", metavar="FILE", help="the criteria file to create (never overwritten)")
    init.add_argument(
        "--extends",
        metavar="ID|PATH",
        help="write a derived set of this base instead: only what differs, with commented examples",
    )
    lint = csub.add_parser("lint", help="find what is legal but almost surely not meant in criteria sets")
    lint.add_argument("files", nargs="+", metavar="ID|PATH", help="criteria sets: shipped ids or files")
    lint.add_argument(
        "--format", choices=["text", "json"], default="text", help="text (default) or json (reform-gate/lint/1)"
    )
