"""The command line's arguments: every command, its options and an example of each.

Each command's arguments are the parameters of one library call (:mod:`reform_gate.batch`);
``docs/cli.md`` documents every one, and a test holds the two together.
"""

from __future__ import annotations

import argparse

from ..batch import DEFAULT_DRAWS, DEFAULT_SEED
from ..model import OUTCOMES
from ..render import FORMATS
from ..version import __version__
from .outputs import OrderedOption

__all__ = ["ANALYSIS_FORMATS", "EXAMPLES", "build_parser"]

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
    "sensitivity": "reform-gate sensitivity seeds/ru-formal-recognition.toml\n"
    "  reform-gate sensitivity seeds/ru-formal-recognition.toml --seed 7 --draws 5000 --format html --output memo.html",
    "what-if": "reform-gate what-if seeds/ru-formal-recognition.toml --set isisk_operations=sporadic\n"
    "  reform-gate what-if seeds/ru-isisk-intelligence-sharing.toml --set engagement_framing=containment "
    "--drop ct_information_sharing",
    "compare": "reform-gate compare seeds/ru-formal-recognition.toml seeds/ru-kabul-diplomatic-presence.toml\n"
    "  reform-gate compare seeds/ru-tapi-pipeline.toml --criteria reform-before-recognition --criteria mine.toml",
}

#: The formats of each analysis command (``score`` takes every format of ``render.FORMATS``).
ANALYSIS_FORMATS = {
    "sensitivity": ("text", "json", "html"),
    "what-if": ("text", "json"),
    "compare": ("text", "json", "html"),
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

    def outputs(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
        p.add_argument(
            "--format",
            dest="outputs",
            action=OrderedOption,
            const="format",
            choices=formats,
            metavar="FORMAT",
            help="output format: " + ", ".join(formats) + " (default: text); repeat it with --output for several",
        )
        p.add_argument(
            "--output",
            dest="outputs",
            action=OrderedOption,
            const="output",
            metavar="FILE",
            help="write the --format next to it to FILE, atomically",
        )
        p.add_argument("--force", action="store_true", help="let --output replace existing files")

    as_of_help = "analyse as if on this day (YYYY-MM-DD) instead of the proposal's date"

    p = command(
        "sensitivity", "How robust a verdict is: weight ranges, observations that flip it, a robustness figure."
    )
    p.add_argument("file", metavar="FILE", help="one proposal file")
    p.add_argument("--criteria", metavar="ID|PATH", help="analyse under this criteria set instead of the one named")
    p.add_argument("--as-of", metavar="DATE", help=as_of_help)
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"seed of the Monte-Carlo draws (default {DEFAULT_SEED})",
    )
    p.add_argument(
        "--draws",
        type=int,
        default=DEFAULT_DRAWS,
        metavar="N",
        help=f"how many Monte-Carlo draws (default {DEFAULT_DRAWS})",
    )
    outputs(p, ANALYSIS_FORMATS["sensitivity"])
    p.add_argument("--rule-docs", metavar="BASE", default="docs/rules/", help="where rule pages live, for HTML links")

    p = command("what-if", "Rescore a proposal with some observations changed, and show before and after.")
    p.add_argument("file", metavar="FILE", help="one proposal file")
    p.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="INDICATOR=VALUE",
        help="observe this value instead (true/false, a number, or a level); repeat for several",
    )
    p.add_argument(
        "--drop",
        dest="drops",
        action="append",
        default=[],
        metavar="INDICATOR",
        help="remove this indicator's observation, as if the proposal said nothing; repeat for several",
    )
    p.add_argument("--criteria", metavar="ID|PATH", help="score under this criteria set instead of the one named")
    p.add_argument("--as-of", metavar="DATE", help=as_of_help)
    outputs(p, ANALYSIS_FORMATS["what-if"])

    p = command("compare", "Set several verdicts side by side: several proposals, or one under several criteria sets.")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="proposal files, or folders to search for *.toml")
    p.add_argument(
        "--criteria",
        action="append",
        default=[],
        metavar="ID|PATH",
        help="score every proposal under this criteria set; repeat it to compare sets",
    )
    p.add_argument("--as-of", metavar="DATE", help=as_of_help)
    outputs(p, ANALYSIS_FORMATS["compare"])
    p.add_argument("--rule-docs", metavar="BASE", default="docs/rules/", help="where rule pages live, for HTML links")

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
