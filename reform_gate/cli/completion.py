"""Shell completion scripts for bash, zsh and fish, generated from the argument parser.

``reform-gate completion SHELL`` reads the parser as argparse built it: every command and nested
command, every option (and whether it takes a value), every fixed choice, and which values are
files (an argument whose metavar names a ``FILE``, ``DIR`` or ``PATH``). No third-party package is
involved, and a command or option added to :mod:`reform_gate.cli.parser` is in the next script
generated. ``docs/cli.md`` ("Shell completion") says where each shell looks for the script.
"""

from __future__ import annotations

import argparse
import re

from attrs import frozen

from ..version import __version__

__all__ = ["Command", "Option", "command_tree", "script"]

PROG = "reform-gate"
_FILE_WORDS = re.compile(r"FILE|DIR|PATH")


@frozen
class Option:
    """One option: its spellings, whether it takes a value, and which values to offer."""

    flags: tuple[str, ...]
    help: str
    takes_value: bool
    choices: tuple[str, ...] = ()
    files: bool = False
    repeat: bool = False


@frozen
class Command:
    """A command (or the program itself, ``path == ()``), its options, positionals and subcommands."""

    path: tuple[str, ...]
    help: str
    options: tuple[Option, ...]
    subcommands: tuple[Command, ...] = ()
    #: What the positional arguments take: fixed choices, files, or neither.
    choices: tuple[str, ...] = ()
    files: bool = False
    many: bool = False


def _help(action: argparse.Action) -> str:
    text = action.help if isinstance(action.help, str) and action.help != argparse.SUPPRESS else ""
    return " ".join(text.split())


def _files(action: argparse.Action) -> bool:
    return bool(_FILE_WORDS.search(str(action.metavar or "")))


def command_tree(parser: argparse.ArgumentParser, path: tuple[str, ...] = (), help: str = "") -> Command:
    """The commands, options and values of ``parser``, as the completion scripts need them."""
    options: list[Option] = []
    subcommands: list[Command] = []
    choices: tuple[str, ...] = ()
    files = many = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: _help(a) for a in action._choices_actions}
            for name, sub in action.choices.items():
                subcommands.append(command_tree(sub, (*path, name), helps.get(name, "")))
        elif action.option_strings:
            takes = action.nargs != 0
            options.append(
                Option(
                    tuple(action.option_strings),
                    _help(action),
                    takes,
                    tuple(str(c) for c in action.choices or ()),
                    takes and _files(action),
                    isinstance(action, argparse._AppendAction) or action.__class__.__name__ == "OrderedOption",
                )
            )
        elif action.nargs != argparse.REMAINDER:
            choices = choices or tuple(str(c) for c in action.choices or ())
            files = files or _files(action)
            many = many or action.nargs in ("+", "*")
    return Command(path, help, tuple(options), tuple(subcommands), choices, files, many)


def _walk(command: Command) -> list[Command]:
    out = [command]
    for sub in command.subcommands:
        out += _walk(sub)
    return out


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for ``shell`` (``bash``, ``zsh`` or ``fish``)."""
    tree = command_tree(parser)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](tree)


# --- bash ------------------------------------------------------------------------------------


def _bash(tree: Command) -> str:
    commands = _walk(tree)
    moves = []  # (parent path, word) -> child path
    valued = []  # (path, option) whose next word is a value
    value_cases = []
    for c in commands:
        key = " ".join(c.path)
        for sub in c.subcommands:
            moves.append(f'            "{key}|{sub.path[-1]}") cmd="{" ".join(sub.path)}" ;;')
        for o in c.options:
            if not o.takes_value:
                continue
            pattern = "|".join(f'"{key}|{flag}"' for flag in o.flags)
            valued.append(pattern)
            if o.choices:
                action = f'COMPREPLY=($(compgen -W "{" ".join(o.choices)}" -- "$cur"))'
            elif o.files:
                action = "_reform_gate_files"
            else:
                action = "COMPREPLY=()"
            value_cases.append(f"        {pattern}) {action}; return 0 ;;")
    places = []
    for c in commands:
        words = [flag for o in c.options for flag in o.flags]
        subs = [s.path[-1] for s in c.subcommands]
        if subs:
            rest = f'COMPREPLY=($(compgen -W "{" ".join(subs)}" -- "$cur"))'
        elif c.choices:
            rest = f'COMPREPLY=($(compgen -W "{" ".join(c.choices)}" -- "$cur"))'
        elif c.files:
            rest = "_reform_gate_files"
        else:
            rest = "COMPREPLY=()"
        places.append(
            f'        "{" ".join(c.path)}")\n'
            f'            if [[ "$cur" == -* ]]; then\n'
            f'                COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur"))\n'
            f"            else\n"
            f"                {rest}\n"
            f"            fi ;;"
        )
    return "\n".join(
        [
            f"# bash completion for {PROG} {__version__}, generated by `{PROG} completion bash`.",
            f"# Load it with: source <({PROG} completion bash)",
            "",
            "_reform_gate_files() {",
            "    local IFS=$'\\n'",
            "    compopt -o filenames 2>/dev/null",
            '    COMPREPLY=($(compgen -f -- "$cur"))',
            "}",
            "",
            "_reform_gate() {",
            "    local cur prev word cmd i skip",
            "    COMPREPLY=()",
            '    cur="${COMP_WORDS[COMP_CWORD]}"',
            '    prev=""',
            '    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"',
            '    cmd=""',
            "    skip=0",
            "    for (( i = 1; i < COMP_CWORD; i++ )); do",
            '        word="${COMP_WORDS[i]}"',
            "        if (( skip )); then skip=0; continue; fi",
            '        case "$cmd|$word" in',
            *moves,
            *(f"            {p}) skip=1 ;;" for p in valued),
            "        esac",
            "    done",
            '    case "$cmd|$prev" in',
            *value_cases,
            "    esac",
            '    case "$cmd" in',
            *places,
            "    esac",
            "    return 0",
            "}",
            "",
            f"complete -F _reform_gate {PROG}",
            "",
        ]
    )


# --- zsh -------------------------------------------------------------------------------------


def _zq(text: str) -> str:
    """Text inside a single-quoted zsh word."""
    return text.replace("'", "'\\''")


def _zdesc(text: str) -> str:
    """A description inside ``[...]`` of an ``_arguments`` spec."""
    return _zq(text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:"))


def _zfunction(c: Command) -> str:
    return "_reform_gate" + "".join("_" + re.sub(r"\W", "_", p) for p in c.path)


def _zsh_command(c: Command) -> list[str]:
    specs = []
    for o in c.options:
        for flag in o.flags:
            spec = ("*" if o.repeat else "") + flag + f"[{_zdesc(o.help)}]"
            if o.takes_value:
                if o.choices:
                    spec += f":value:({' '.join(o.choices)})"
                elif o.files:
                    spec += ":file:_files"
                else:
                    spec += ":value: "
            specs.append(f"'{spec}'")
    lines = [f"{_zfunction(c)}() {{"]
    if c.subcommands:
        lines += [
            '    local curcontext="$curcontext" state line',
            "    typeset -A opt_args",
            "    _arguments -C \\",
            *(f"        {s} \\" for s in specs),
            "        '1:command:->command' \\",
            "        '*::argument:->argument'",
            "    case $state in",
            "        command)",
            "            local -a commands",
            "            commands=(",
            *(f"                '{_zq(s.path[-1])}:{_zq(s.help.replace(':', ' -'))}'" for s in c.subcommands),
            "            )",
            "            _describe -t commands 'command' commands ;;",
            "        argument)",
            "            case $line[1] in",
            *(f"                {s.path[-1]}) {_zfunction(s)} ;;" for s in c.subcommands),
            "            esac ;;",
            "    esac",
            "}",
        ]
        return lines
    if c.choices:
        positional = f"':argument:({' '.join(c.choices)})'"
    elif c.files:
        positional = f"'{'*' if c.many else ''}:file:_files'"
    else:
        positional = ""
    body = [*specs, positional] if positional else specs
    lines.append("    _arguments -s \\" if body else "    _arguments -s")
    lines += [f"        {s}" + (" \\" if i < len(body) - 1 else "") for i, s in enumerate(body)]
    lines.append("}")
    return lines


def _zsh(tree: Command) -> str:
    functions = [line for c in _walk(tree) for line in [*_zsh_command(c), ""]]
    return "\n".join(
        [
            f"#compdef {PROG}",
            f"# zsh completion for {PROG} {__version__}, generated by `{PROG} completion zsh`.",
            f"# Save it as _{PROG} in a folder of $fpath, or load it with: source <({PROG} completion zsh)",
            "",
            *functions,
            "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then",
            '    _reform_gate "$@"',
            "else",
            f"    compdef _reform_gate {PROG}",
            "fi",
            "",
        ]
    )


# --- fish ------------------------------------------------------------------------------------


def _fq(text: str) -> str:
    """Text as a single-quoted fish word."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _condition(c: Command, siblings: tuple[str, ...]) -> str:
    """When ``c`` (and not yet one of its subcommands) is the command being typed."""
    parts = [f"__fish_seen_subcommand_from {name}" for name in c.path] or ["__fish_use_subcommand"]
    if c.path and siblings:
        parts.append(f"not __fish_seen_subcommand_from {' '.join(siblings)}")
    return "; and ".join(parts)


def _fish(tree: Command) -> str:
    lines = [
        f"# fish completion for {PROG} {__version__}, generated by `{PROG} completion fish`.",
        f"# Save it as ~/.config/fish/completions/{PROG}.fish, or load it with: {PROG} completion fish | source",
        "",
        f"complete -c {PROG} -f",
    ]
    for c in _walk(tree):
        subs = tuple(s.path[-1] for s in c.subcommands)
        when = _fq(_condition(c, subs))
        lines.append("")
        for s in c.subcommands:
            lines.append(f"complete -c {PROG} -n {when} -a {_fq(s.path[-1])} -d {_fq(s.help)}")
        for o in c.options:
            spell = " ".join(f"-l {f[2:]}" if f.startswith("--") else f"-s {f[1:]}" for f in o.flags)
            value = ""
            if o.takes_value:
                value = f" -x -a {_fq(' '.join(o.choices))}" if o.choices else (" -r -F" if o.files else " -x")
            lines.append(f"complete -c {PROG} -n {when} {spell}{value} -d {_fq(o.help)}")
        if not subs and c.choices:
            lines.append(f"complete -c {PROG} -n {when} -a {_fq(' '.join(c.choices))}")
        elif not subs and c.files:
            lines.append(f"complete -c {PROG} -n {when} -F")
    return "\n".join(lines) + "\n"
