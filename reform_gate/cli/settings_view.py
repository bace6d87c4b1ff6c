"""``reform-gate config``: the settings a command would use and where each came from, as text or JSON.

``reform-gate config score --fail-below revise`` parses that command line as ``score`` would
(its files may be left out) and shows each configurable setting of ``score``: its value and its
source, one of the option, a ``REFORM_GATE_*`` variable, the configuration file (with the line) or
the default. JSON is ``{"format": "reform-gate/config/1", ...}`` (``docs/cli.md``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any, TextIO

from .config import Resolved, Setting, parse
from .console import detail
from .parser import build_parser, chosen_parsers

__all__ = ["CONFIG_FORMAT", "data", "show", "shown_value", "verbose_settings"]

CONFIG_FORMAT = "reform-gate/config/1"


def _outputs(events: Sequence[tuple[str, str]]) -> list[dict[str, str | None]]:
    """``--format``/``--output`` events as ``[{format, output}]`` (``output`` null: standard output)."""
    from .outputs import pair_targets

    return [{"format": t.format, "output": t.path} for t in pair_targets(events)]


def plain_value(s: Setting) -> Any:
    """A setting's value as JSON holds it."""
    if s.key.kind == "outputs":
        return _outputs(s.value or [])
    if s.key.name == "jobs" and s.value is None:
        return "auto"  # what --jobs auto parses to, and the default (docs/cli.md)
    return s.value


def shown_value(s: Setting) -> str:
    """A setting's value as the text view shows it."""
    value = plain_value(s)
    if value is None:
        return "(none)"
    if s.key.kind == "outputs":
        return ", ".join(f"{o['format']} -> {o['output'] or 'standard output'}" for o in value)
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)


def _loosened(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``parser`` with every file argument optional: ``config score`` needs no proposal to show settings."""
    stack = [parser]
    while stack:
        p = stack.pop()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
            elif not action.option_strings and action.nargs != argparse.REMAINDER:
                action.required = False
                action.nargs = "*" if action.nargs in ("+", "*") else "?"
    return parser


def _resolve(args: argparse.Namespace) -> tuple[str, Resolved]:
    line = list(args.command_line) or ["score"]
    outer = (["--no-config"] if args.no_config else []) + (["--config", args.config] if args.config else [])
    parser = _loosened(build_parser())
    inner, resolved = parse(parser, [*outer, *line])
    names = [p.prog.removeprefix("reform-gate ") for p in chosen_parsers(parser, inner)[1:]]
    return (names[-1] if names else "reform-gate"), resolved


def data(command: str, resolved: Resolved) -> dict[str, Any]:
    """The JSON document of ``reform-gate config --format json``."""
    return {
        "format": CONFIG_FORMAT,
        "command": command,
        "file": resolved.file.shown if resolved.file is not None else None,
        "table": ".".join(resolved.file.prefix) or None if resolved.file is not None else None,
        "ignored": list(resolved.ignored),
        "settings": [
            {
                "key": s.key.name,
                "value": plain_value(s),
                "source": s.source.kind,
                "where": s.source.where or None,
                "option": s.option,
                "variable": s.key.env,
            }
            for s in resolved.settings
        ],
        "unused": list(resolved.unused),
    }


def _file_line(resolved: Resolved) -> str:
    if resolved.file is None:
        return "configuration file: none found"
    table = f" [{'.'.join(resolved.file.prefix)}]" if resolved.file.prefix else ""
    return f"configuration file: {resolved.file.shown}{table}"


def show(args: argparse.Namespace, out: TextIO) -> None:
    """Write the settings of ``args.command_line`` (default ``score``) in ``args.format``."""
    command, resolved = _resolve(args)
    if args.format == "json":
        out.write(json.dumps(data(command, resolved), indent=2, sort_keys=True) + "\n")
        return
    out.write(f"settings of reform-gate {command}\n{_file_line(resolved)}\n")
    for name in resolved.ignored:
        out.write(f"not read: {name} (the .reform-gate.toml beside it wins)\n")
    rows = [("key", "value", "from"), *((s.key.name, shown_value(s), str(s.source)) for s in resolved.settings)]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    out.write("\n")
    for key, value, source in rows:
        out.write(f"{key:<{widths[0]}}  {value:<{widths[1]}}  {source}".rstrip() + "\n")
    if resolved.unused:
        out.write(f"\nnot used by {command}: {', '.join(resolved.unused)}\n")


def verbose_settings(args: argparse.Namespace, resolved: Resolved) -> None:
    """``-v``: the configuration file, and each setting that did not come from its default."""
    detail(args, _file_line(resolved))
    for name in resolved.ignored:
        detail(args, f"not read: {name} (the .reform-gate.toml beside it wins)")
    for s in resolved.settings:
        if s.source.kind != "default":
            detail(args, f"{s.key.name} = {shown_value(s)} (from {s.source})")
