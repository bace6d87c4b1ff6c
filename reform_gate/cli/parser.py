"""The command line's arguments: every command, its options and an example of each.

Each command's arguments are the parameters of one library call (:mod:`reform_gate.batch`);
``docs/cli.md`` documents every one, and a test holds the two together. Every argument has a help
text (a test walks the parser), and a mistake on the command line is reported in the tool's own
``error:`` style with exit 2, never in argparse's (:class:`ToolParser`).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from ..defaults import AUTO_JOBS_FROM, DEFAULT_DRAWS, DEFAULT_SEED
from ..errors import UsageError, suggest
from ..model import OUTCOMES
from ..render import FORMATS
from ..version import __version__
from .outputs import OrderedOption

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

__all__ = [
    "ANALYSIS_FORMATS",
    "COLOR_CHOICES",
    "EXAMPLES",
    "LazyParsers",
    "ToolParser",
    "absolute_url",
    "build_parser",
    "chosen_parsers",
    "parse",
]

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
    "  reform-gate schema criteria > criteria.schema.json\n"
    "  reform-gate schema evidence > evidence.schema.json",
    "init": "reform-gate init --tier dialogue proposals/new-proposal.toml\n"
    "  reform-gate init --evidence seeds/evidence/afghanistan.toml proposals/new-proposal.toml",
    "evidence": "reform-gate evidence show seeds/evidence/afghanistan.toml --as-of 2024-07-15",
    "timeline": "reform-gate timeline seeds/ru-formal-recognition.toml --from 2021-09-01 --to 2025-07-03 --every 6m\n"
    "  reform-gate timeline seeds/ru-formal-recognition.toml --from 2021-09-01 --to 2025-07-03 --format html "
    "--output timeline.html",
    # --- configuration and shell completion (issue 12) ---
    "config": "reform-gate config\n  reform-gate config --format json score --fail-below revise",
    "completion": "reform-gate completion bash > ~/.local/share/bash-completion/completions/reform-gate",
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
    "timeline": ("text", "json", "html"),
}

#: The help of ``--as-of`` for the analyses.
_AS_OF_HELP = "analyse as if on this day (YYYY-MM-DD) instead of the proposal's date"

#: ``--color``: ``auto`` draws colour on a terminal unless NO_COLOR or TERM=dumb says not to (``docs/cli.md``).
COLOR_CHOICES = ("auto", "always", "never")


# --- the tool's own error style for argparse ---------------------------------------------------


def _name(action: argparse.Action) -> str:
    """How the user wrote (or would write) an argument: ``--format``, ``COMMAND``, ``FILE``."""
    if action.option_strings:
        return max(action.option_strings, key=len)
    return str(action.metavar or action.dest).upper()


class ToolParser(argparse.ArgumentParser):
    """An argument parser whose every complaint is a :class:`~reform_gate.errors.UsageError`.

    argparse prints its own ``usage:`` block and ``prog: error:`` line and exits; here an unknown
    choice, a value of the wrong type, a missing argument and an unknown option raise the same
    ``error:`` block as a bad file (expected, found, "did you mean"), which ``main`` prints with
    exit 2.
    """

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(c) for c in choices]
        what = "a command: " if isinstance(action, argparse._SubParsersAction) else "one of "
        hint = suggest(str(value), names) or f"see: {self.prog} --help"
        raise UsageError(_name(action), "", what + ", ".join(names), f'"{value}"', hint)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as err:
            expected = err.message
            if match := re.match(r"invalid (\w+) value", expected):
                expected = {"int": "an integer", "float": "a number"}.get(match.group(1), f"a {match.group(1)} value")
            raise UsageError(_name(action), "", expected, f'"{arg_string}"', f"see: {self.prog} --help") from None

    def error(self, message: str) -> NoReturn:
        """Every other complaint of argparse, as a usage error naming what it is about."""
        hint = f"see: {self.prog} --help"
        if match := re.match(r"the following arguments are required: (.*)", message):
            names = match.group(1).split(", ")
            helps = {str(a.metavar or a.dest): a.help for a in self._actions if not a.option_strings}
            wanted = "; ".join(f"{n} ({helps[n]})" if helps.get(n) else n for n in names)
            raise UsageError(self.prog, "", wanted, "nothing", hint)
        if match := re.match(r"argument ([^:]+): (.*)", message, re.S):
            name, what = match.group(1).split("/")[-1], match.group(2)
            if match := re.match(r"ambiguous option: (\S+) could match (.*)", what):
                raise UsageError(match.group(1), "", f"one of {match.group(2)}", f'"{match.group(1)}"', hint)
            if what.startswith("expected"):
                raise UsageError(name, "", f"a value after {name}", "none", hint)
            if what.startswith("not allowed with"):
                raise UsageError(name, "", f"{name} alone: it is {what}", "both", hint)
            raise UsageError(name, "", what, "the command line as given", hint)
        if match := re.match(r"ambiguous option: (\S+) could match (.*)", message):
            raise UsageError(match.group(1), "", f"one of {match.group(2)}", f'"{match.group(1)}"', hint)
        raise UsageError(self.prog, "", "a command line that the help describes", message, hint)


def absolute_url(text: str) -> str:
    """``--rule-docs``: an absolute http(s) URL, so that every output links to pages that open anywhere."""
    # Printable ASCII only: the URL is printed in every format, so it must not carry a control character.
    if not re.fullmatch(r"https?://[!-.0-~][!-~]*", text):
        raise argparse.ArgumentTypeError("an absolute URL, such as https://github.com/ORG/REPO/blob/main/docs/rules/")
    return text


def chosen_parsers(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[argparse.ArgumentParser]:
    """The parser and each command parser ``args`` went through: ``[reform-gate, criteria, show]``."""
    chain = [parser]
    while True:
        current = chain[-1]
        subs = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(args, subs[0].dest, None) if subs else None
        if not subs or name is None:
            return chain
        chain.append(subs[0].choices[name])


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; an unknown option is a usage error with a "did you mean" among its command's options."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        leaf = chosen_parsers(parser, args)[-1]
        options = [o for a in leaf._actions for o in a.option_strings]
        word = extra[0]
        unknown = "an option" if word.startswith("-") else "an argument"
        raise UsageError(
            leaf.prog,
            "",
            f"the options and arguments of {leaf.prog}",
            f'{unknown} "{word}"' + (f" and {len(extra) - 1} more" if len(extra) > 1 else ""),
            (suggest(word.split("=")[0], options) if word.startswith("-") else None) or f"see: {leaf.prog} --help",
        )
    return args


def _common_options(p: argparse.ArgumentParser, *, top: bool) -> None:
    """``-q``, ``-v``, ``--color``, ``--config`` and ``--no-config``: taken before or after a command's name.

    On a command's parser they default to "not given" (``SUPPRESS``) so that a value given before
    the command's name is not reset by the command's own default.
    """

    def default(value: Any) -> Any:
        return value if top else argparse.SUPPRESS

    group = p.add_argument_group("options of every command")
    loud = group.add_mutually_exclusive_group()
    loud.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default(False),
        help="print only the result and errors: no progress line, counts or notes",
    )
    loud.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default(False),
        help="also say, on standard error, which configuration, settings and criteria files were used",
    )
    group.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default=default("auto"),
        metavar="WHEN",
        help="colour in text output: auto (a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces it), "
        "always or never (default: auto)",
    )
    group.add_argument(
        "--config",
        metavar="FILE",
        default=default(None),
        help="read settings from this file (.reform-gate.toml or pyproject.toml) instead of searching for one",
    )
    group.add_argument(
        "--no-config",
        action="store_true",
        default=default(False),
        help="read no configuration file (environment variables and options still apply)",
    )


def _walk_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that reads proposals from files and folders."""
    p.add_argument(
        "--criteria-root",
        metavar="DIR",
        help="criteria and evidence paths written in proposals, and links among the files, must lead under DIR "
        "(default: the repository the command runs in, else the working folder)",
    )
    p.add_argument(
        "--exclude",
        metavar="GLOB",
        action="append",
        help="skip files and folders matching GLOB when searching folders (repeatable)",
    )


def jobs_count(text: str) -> int | None:
    """``--jobs N``: a whole number from 1 to 64, or ``auto`` (``None``: see ``batch.auto_jobs``)."""
    if text == "auto":
        return None
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of processes from 1 to 64, or auto, found {text!r}")
    return int(text)


def _outputs(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """``--format``, ``--output`` and ``--force``: pairs of a format and where it goes, in order."""
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
        help="write the --format next to it to FILE, atomically; a format without --output, or with --output -, "
        "goes to standard output",
    )
    p.add_argument("--force", action="store_true", help="let --output replace existing files (never done silently)")


class LazyParsers(dict[str, ToolParser]):
    """The parsers of a level's commands by name, each built the first time it is looked up.

    Building every command's parser with every option took longer than scoring a small proposal,
    and a run needs one (``docs/performance.md``, "The start-up path"). To argparse and to anything
    that walks the parser this is the dictionary of every command's parser: the names are all
    there, in order, and reading a parser (``[]``, ``get``, ``values``, ``items``) builds it.
    ``on_build`` is called with each parser as it is built (:func:`reform_gate.cli.config.parse`
    takes the configurable defaults out of it).
    """

    def __init__(self) -> None:
        super().__init__()
        self.builders: dict[str, Callable[[], ToolParser]] = {}
        self.on_build: list[Callable[[ToolParser], None]] = []

    def built(self) -> list[ToolParser]:
        """The parsers built so far, without building the others."""
        return list(dict.values(self))

    def __getitem__(self, name: str) -> ToolParser:
        if not dict.__contains__(self, name):
            made = self.builders[name]()
            dict.__setitem__(self, name, made)
            for hook in self.on_build:
                hook(made)
        return dict.__getitem__(self, name)

    def __setitem__(self, name: str, parser: ToolParser) -> None:
        # A parser made elsewhere (``add_parser``): listed like the others, already built.
        self.builders[name] = lambda: parser
        dict.__setitem__(self, name, parser)

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self.builders else default

    def __contains__(self, name: object) -> bool:
        return name in self.builders

    def __iter__(self) -> Iterator[str]:
        return iter(self.builders)

    def __len__(self) -> int:
        return len(self.builders)

    def keys(self) -> dict_keys[str, ToolParser]:
        return self.builders.keys()  # type: ignore[return-value]  # the same names; builds nothing

    def values(self) -> dict_values[str, ToolParser]:
        return {name: self[name] for name in self.builders}.values()

    def items(self) -> dict_items[str, ToolParser]:
        return {name: self[name] for name in self.builders}.items()


def _add_later(
    sub: argparse._SubParsersAction[ToolParser],
    later: LazyParsers,
    name: str,
    summary: str,
    arguments: Callable[[ToolParser], None],
) -> None:
    """List command ``name`` in the help now; build its parser when it is first looked up."""
    sub._choices_actions.append(sub._ChoicesPseudoAction(name, (), summary))

    def build() -> ToolParser:
        # What ``add_parser`` would have made: the same program name, help and error style.
        p = sub._parser_class(
            prog=f"{sub._prog_prefix} {name}",
            description=summary,
            epilog="example:\n  " + EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common_options(p, top=False)
        arguments(p)
        return p

    later.builders[name] = build


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command, with an example in each command's help.

    Each command's own parser is built the first time it is looked up (:class:`LazyParsers`): a
    run builds only the one it runs, while ``reform-gate --help`` lists every command and the
    completion scripts, ``reform-gate config`` and the tests that walk the parser build them all.
    """
    parser = ToolParser(
        prog="reform-gate",
        description="Score engagement proposals against 'reform before recognition' criteria.",
        epilog="examples:\n  " + "\n  ".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reform-gate {__version__}", help="print the version")
    _common_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", help="what to do (reform-gate COMMAND --help)")
    later = LazyParsers()
    sub._name_parser_map = later
    sub.choices = later
    for name, (summary, arguments) in _COMMANDS.items():
        _add_later(sub, later, name, summary, arguments)
    return parser


def _score(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        metavar="FILE|DIR",
        help="proposal files, or folders to search for *.toml; - reads one proposal from standard input",
    )
    p.add_argument(
        "--criteria", metavar="ID|PATH", help="score against this criteria set instead of the one each proposal names"
    )
    _outputs(p, tuple(FORMATS))
    p.add_argument(
        "--rule-docs",
        metavar="BASE",
        type=absolute_url,
        help="link every rule to its page: BASE + RULE-ID + .md, an absolute URL (default: no links)",
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
    p.add_argument(
        "--jobs",
        type=jobs_count,
        metavar="N|auto",
        default=None,
        help="score in N processes, the output the same bytes in the same order; auto: one per core for "
        f"{AUTO_JOBS_FROM} files or more whose outputs show what it would take, else 1 (default: auto, see "
        "docs/performance.md)",
    )

    _walk_options(p)
    p.add_argument(
        "--repo-root",
        metavar="DIR",
        help="the repository root, which SARIF and GitHub annotations give paths from "
        "(default: the nearest folder upwards with a .git, else the working folder)",
    )


def _sensitivity(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="one proposal file")
    p.add_argument("--criteria", metavar="ID|PATH", help="analyse under this criteria set instead of the one named")
    p.add_argument("--as-of", metavar="DATE", help=_AS_OF_HELP)
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
    _outputs(p, ANALYSIS_FORMATS["sensitivity"])
    p.add_argument(
        "--rule-docs",
        metavar="BASE",
        type=absolute_url,
        help="link every rule to its page in HTML: BASE + RULE-ID + .md, an absolute URL (default: no links)",
    )


def _what_if(p: argparse.ArgumentParser) -> None:
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
    p.add_argument("--as-of", metavar="DATE", help=_AS_OF_HELP)
    _outputs(p, ANALYSIS_FORMATS["what-if"])


def _compare(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="proposal files, or folders to search for *.toml")
    p.add_argument(
        "--criteria",
        action="append",
        default=[],
        metavar="ID|PATH",
        help="score every proposal under this criteria set; repeat it to compare sets",
    )
    p.add_argument("--as-of", metavar="DATE", help=_AS_OF_HELP)
    _outputs(p, ANALYSIS_FORMATS["compare"])
    p.add_argument(
        "--rule-docs",
        metavar="BASE",
        type=absolute_url,
        help="link every rule to its page in HTML: BASE + RULE-ID + .md, an absolute URL (default: no links)",
    )


def _validate(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        metavar="FILE|DIR",
        help="files, or folders to search for *.toml; - reads one file from standard input",
    )
    _walk_options(p)
    p.add_argument(
        "--criteria", metavar="ID|PATH", help="check proposals against this criteria set instead of the one each names"
    )


def _verify(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="proposal files, or folders to search for *.toml")
    p.add_argument(
        "--criteria", metavar="ID|PATH", help="verify against this criteria set instead of the one each proposal names"
    )
    _walk_options(p)
    _verify_coverage(p)


def _criteria(p: argparse.ArgumentParser) -> None:
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True, help="list, show, init or lint")
    listing = csub.add_parser("list", help="list the shipped criteria sets and those installed packages offer")
    _common_options(listing, top=False)
    show = csub.add_parser("show", help="show a criteria set's pillars, rules and ladder")
    _common_options(show, top=False)
    show.add_argument("criteria_id", metavar="ID|PATH", help="a criteria set's id, or the path of a criteria file")
    show.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        metavar="FORMAT",
        help="text, or json: the whole rule catalogue as reform-gate/criteria/1 (default: text)",
    )
    show.add_argument(
        "--rule-docs",
        metavar="BASE",
        type=absolute_url,
        help="give each rule the URL of its page, BASE + RULE-ID + .md (default: none)",
    )
    show.add_argument(
        "--resolved",
        action="store_true",
        help="print the whole set as TOML, a derived set (extends) merged with its base",
    )
    _criteria_authoring(csub)


def _explain(p: argparse.ArgumentParser) -> None:
    p.add_argument("rule", metavar="RULE-ID", help="the rule's id, such as CT-1")
    p.add_argument(
        "--criteria",
        metavar="ID|PATH",
        default="reform-before-recognition",
        help="the criteria set the rule belongs to (default: reform-before-recognition)",
    )


def _schema(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "kind",
        choices=["proposal", "criteria", "evidence", "verdict"],
        help="which format: the three inputs, or verdict (what score --format json writes)",
    )
    p.add_argument(
        "--criteria",
        metavar="ID|PATH",
        help="for proposal and evidence: list this criteria set's indicators (and for proposal its tiers and rules; "
        "default: reform-before-recognition)",
    )


def _init(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the proposal file to create (never overwritten)")
    p.add_argument(
        "--criteria",
        metavar="ID|PATH",
        default="reform-before-recognition",
        help="the criteria set whose indicators the template lists (default: reform-before-recognition)",
    )
    p.add_argument("--tier", metavar="TIER", help="the engagement sought (default: the lowest tier)")
    p.add_argument(
        "--schema",
        metavar="PATH|URL",
        help="start the file with a '#:schema PATH' line for editors (see: reform-gate schema proposal)",
    )
    p.add_argument(
        "--evidence",
        metavar="PATH",
        action="append",
        help="read the counterpart's record from this evidence file: the proposal names it, and only the "
        "indicators it lacks get stubs (repeat for several files)",
    )


def _evidence(p: argparse.ArgumentParser) -> None:
    esub = p.add_subparsers(dest="action", metavar="ACTION", required=True, help="show")
    show = esub.add_parser(
        "show",
        help="per indicator, the entry that counts on a date and the later entries passed over, with why",
        description="Per indicator, the entry that counts on a date and the later entries passed over, with why.",
        epilog="example:\n  " + EXAMPLES["evidence"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common_options(show, top=False)
    show.add_argument("file", metavar="FILE", help="an evidence file")
    show.add_argument(
        "--as-of",
        metavar="DATE",
        help="the date (YYYY-MM-DD); default: the day its last entry counts from (never the clock)",
    )
    show.add_argument(
        "--criteria", metavar="ID|PATH", help="judge grades and ages by this set's policy instead of the one it names"
    )
    show.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or json")


def _timeline(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a proposal file")
    p.add_argument("--from", dest="start", metavar="DATE", required=True, help="the first date (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", metavar="DATE", required=True, help="the last date (YYYY-MM-DD)")
    p.add_argument(
        "--every",
        metavar="STEP",
        help="a date every STEP from --from: 6m, 1y, 2w, 30d (default: each date where the evidence or a waiver "
        "changes)",
    )
    p.add_argument("--criteria", metavar="ID|PATH", help="score against this criteria set instead of the one it names")
    _outputs(p, ANALYSIS_FORMATS["timeline"])


def _config(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        metavar="FORMAT",
        help="text, or json: reform-gate/config/1 (default: text)",
    )
    p.add_argument(
        "command_line",
        nargs=argparse.REMAINDER,
        metavar="COMMAND ...",
        help="the command to show settings for, with any options (default: score)",
    )


def _completion(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash, zsh or fish")


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
        "--format",
        choices=("text", "json"),
        default="text",
        metavar="FORMAT",
        help="text, or json: the expectations and coverage as reform-gate/verify/1 (default: text)",
    )


def _criteria_authoring(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``criteria init`` and ``criteria lint``: tools for writing a criteria set."""
    init = csub.add_parser("init", help="write a commented criteria set skeleton that validates as written")
    _common_options(init, top=False)
    init.add_argument("file", metavar="FILE", help="the criteria file to create (never overwritten)")
    init.add_argument(
        "--extends",
        metavar="ID|PATH",
        help="write a derived set of this base instead: only what differs, with commented examples",
    )
    lint = csub.add_parser("lint", help="find what is legal but almost surely not meant in criteria sets")
    _common_options(lint, top=False)
    lint.add_argument("files", nargs="+", metavar="ID|PATH", help="criteria sets: shipped ids or files")
    lint.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        metavar="FORMAT",
        help="text, or json: the findings as reform-gate/lint/1 (default: text)",
    )


#: Every command: what it does (its line in ``reform-gate --help``) and what adds its arguments.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "score": ("Score proposals and explain each verdict.", _score),
    "sensitivity": (
        "How robust a verdict is: weight ranges, observations that flip it, a robustness figure.",
        _sensitivity,
    ),
    "what-if": ("Rescore a proposal with some observations changed, and show before and after.", _what_if),
    "compare": ("Set several verdicts side by side: several proposals, or one under several criteria sets.", _compare),
    "validate": ("Load and check proposals and criteria files without scoring (for pre-commit).", _validate),
    "verify": ("Check that every proposal's [expect] block holds.", _verify),
    "criteria": ("List the criteria sets (shipped and installed), show one, write a new one, or lint one.", _criteria),
    "explain": ("Explain one rule: what it checks, why, and how to meet it.", _explain),
    "schema": (
        "Print the JSON Schema (draft 2020-12) of proposals, criteria sets, evidence files or JSON verdicts.",
        _schema,
    ),
    "init": ("Write a new proposal template with every indicator of a criteria set as a stub.", _init),
    "evidence": ("Show what an evidence file holds on a date.", _evidence),
    "timeline": ("Rescore a proposal at a series of dates and show what changed between them.", _timeline),
    # --- configuration and shell completion (issue 12) ---
    "config": ("Print the settings a command would use, and where each comes from.", _config),
    "completion": ("Print a shell completion script for bash, zsh or fish.", _completion),
}
