"""Settings from a configuration file and ``REFORM_GATE_*`` variables, under the command line's options.

A project keeps its settings in ``[tool.reform-gate]`` of ``pyproject.toml`` or at the top level of
``.reform-gate.toml``. The file is found by walking up from the working folder: the first folder
that has either wins (``.reform-gate.toml`` before ``pyproject.toml`` in the same folder; a
``pyproject.toml`` without the table does not count), and the walk stops at the repository's top
folder (the one holding ``.git``) or at the file system's root. ``--config FILE`` (or
``REFORM_GATE_CONFIG``) names the file instead; ``--no-config`` reads none.

Each setting comes from the first of: the command line, an environment variable
(``REFORM_GATE_FAIL_BELOW``), the file, the option's own default. :data:`KEYS` maps each key to
the argparse destination it fills, so an option becomes configurable with one line there; a key
fills only commands that have the option. Values are checked as the option checks them (its
choices, its ``type``), and every mistake is a :class:`~reform_gate.errors.ReformGateError` naming
the file, line and key, or the variable. Paths written in the file are relative to the file's
folder. ``docs/cli.md`` ("Configuration") is the user's page.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ..batch import CONFIG_FILE
from ..errors import InvalidValueError, ReformGateError, UnknownKeyError, UsageError, describe, suggest
from ..files import repository_root
from ..load.lines import key_lines, line_of
from ..load.read import read_toml
from ..load.resolve import looks_like_path
from ..render import FORMATS
from .parser import LazyParsers, chosen_parsers

__all__ = [
    "CONFIG_FILE",
    "ENV_CONFIG",
    "ENV_PREFIX",
    "KEYS",
    "PYPROJECT",
    "ConfigFile",
    "Key",
    "Resolved",
    "Setting",
    "Source",
    "find_config",
    "parse",
    "read_config",
    "resolve",
]

PYPROJECT = "pyproject.toml"
TABLE = ("tool", "reform-gate")
ENV_PREFIX = "REFORM_GATE_"
#: Names the configuration file, as ``--config`` does.
ENV_CONFIG = "REFORM_GATE_CONFIG"
#: Shows the traceback of an internal error instead of one line (``docs/security.md``); not a setting.
ENV_DEBUG = "REFORM_GATE_DEBUG"
#: Not settings either: the TOML parser (``tomllib`` turns the fast one off) and the compiled
#: criteria cache (``off``, or its folder); ``docs/performance.md``.
ENV_ENGINE = ("REFORM_GATE_TOML", "REFORM_GATE_CACHE")

Kind = Literal["string", "criteria", "path", "integer", "strings", "outputs"]


class Key(NamedTuple):
    """One configuration key: its TOML name, the argparse destination it fills, and its shape.

    ``string``: text, checked against the option's choices and ``type``; ``criteria``: a set's id
    or a path; ``path``: a path; ``integer``; ``strings``: an array of text; ``outputs``: an array
    of ``{ format = "...", output = "..." }`` tables.
    """

    name: str
    dest: str
    kind: Kind

    @property
    def env(self) -> str:
        """The environment variable that sets it: ``fail-below`` -> ``REFORM_GATE_FAIL_BELOW``."""
        return ENV_PREFIX + self.name.upper().replace("-", "_")


#: Every configuration key, in the order ``reform-gate config`` shows them. One line per option.
KEYS: tuple[Key, ...] = (
    Key("criteria", "criteria", "criteria"),
    Key("criteria-root", "criteria_root", "path"),
    Key("fail-below", "fail_below", "string"),
    Key("exclude", "exclude", "strings"),
    Key("rule-docs", "rule_docs", "string"),
    Key("outputs", "outputs", "outputs"),
    Key("jobs", "jobs", "integer"),
    Key("color", "color", "string"),
)
_BY_NAME = {k.name: k for k in KEYS}
_BY_DEST = {k.dest: k for k in KEYS}


class Source(NamedTuple):
    """Where a setting came from: ``default``, ``file`` (``where`` = ``path:line``), ``env`` (the
    variable) or ``flag`` (the option)."""

    kind: Literal["default", "file", "env", "flag"]
    where: str = ""

    def __str__(self) -> str:
        return self.where or self.kind


class Setting(NamedTuple):
    """One key's value for the command being run, and its source."""

    key: Key
    value: Any
    source: Source
    option: str


class ConfigFile(NamedTuple):
    """A configuration file as read: its settings table, and the line of each key."""

    path: Path
    shown: str
    table: Mapping[str, Any]
    lines: Mapping[tuple[str | int, ...], int]
    prefix: tuple[str, ...]

    def key_path(self, *parts: str | int) -> str:
        """``tool.reform-gate.fail-below`` in a pyproject.toml, ``fail-below`` in .reform-gate.toml."""
        out = ".".join(self.prefix)
        for part in parts:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out

    def line(self, *parts: str | int) -> int | None:
        return line_of(self.lines, (*self.prefix, *parts))


class Resolved(NamedTuple):
    """What :func:`parse` found: the file read (if any), files passed over, and every setting."""

    file: ConfigFile | None
    ignored: tuple[str, ...]
    settings: tuple[Setting, ...]
    unused: tuple[str, ...]


def _shown(path: Path, cwd: Path) -> str:
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive
        return str(path)


def _has_table(path: Path) -> bool:
    """Whether a pyproject.toml has ``[tool.reform-gate]`` (cheap test first: most never mention it)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if "reform-gate" not in text:
        return False
    _, data = read_toml(path, str(path))
    tool = data.get("tool")
    return isinstance(tool, dict) and "reform-gate" in tool


def find_config(start: Path) -> tuple[Path | None, tuple[Path, ...]]:
    """The configuration file for a command run in ``start``, and files of the same folder it wins over.

    Walks up from ``start`` to the repository's top folder (or the file system's root); in each
    folder ``.reform-gate.toml`` wins over a ``pyproject.toml`` with ``[tool.reform-gate]``.
    """
    here = start.resolve()
    top = repository_root(here)
    for folder in (here, *here.parents):
        dotfile, pyproject = folder / CONFIG_FILE, folder / PYPROJECT
        with_table = pyproject.is_file() and _has_table(pyproject)
        if dotfile.is_file():
            return dotfile, (pyproject,) if with_table else ()
        if with_table:
            return pyproject, ()
        if top is not None and folder == top:
            break
    return None, ()


def read_config(path: Path, cwd: Path) -> ConfigFile:
    """Read one configuration file: its ``[tool.reform-gate]`` table (pyproject.toml) or its top level."""
    shown = _shown(path, cwd)
    text, data = read_toml(path, shown)
    prefix: tuple[str, ...] = ()
    table: Any = data
    if path.name == PYPROJECT:
        prefix = TABLE
        tool = data.get("tool")
        table = tool.get("reform-gate") if isinstance(tool, dict) else None
        if table is None:
            raise UsageError(shown, "tool.reform-gate", "a [tool.reform-gate] table", "none")
        if not isinstance(table, dict):
            line = line_of(key_lines(text), prefix)
            raise InvalidValueError(shown, "tool.reform-gate", "a table", describe(table), None, line)
    found = ConfigFile(path, shown, table, key_lines(text), prefix)
    problems = [
        UnknownKeyError(
            shown,
            found.key_path(name),
            "one of " + ", ".join(k.name for k in KEYS),
            f'"{name}"',
            suggest(name.replace("_", "-"), list(_BY_NAME)),
            found.line(name),
        )
        for name in table
        if name not in _BY_NAME
    ]
    if problems:
        from ..errors import InvalidFileError

        raise InvalidFileError.of(problems)
    return found


# --- checking one value ------------------------------------------------------------------------


class _Place:
    """Where a value was written, for its error: a file's key and line, or a variable."""

    def __init__(
        self,
        file: str,
        path: str = "",
        line: int | None = None,
        config: ConfigFile | None = None,
        parts: tuple[str | int, ...] = (),
    ) -> None:
        self.file, self.path, self.line, self.config, self.parts = file, path, line, config, parts

    def at(self, part: str | int) -> _Place:
        """The place of an element (``[0]``) or key (``.output``) inside this value, with its own line."""
        parts = (*self.parts, part)
        line = self.config.line(*parts) if self.config is not None else None
        path = self.path + (f"[{part}]" if isinstance(part, int) else f".{part}")
        return _Place(self.file, path, line or self.line, self.config, parts)

    def error(self, expected: str, found: str, hint: str | None = None) -> ReformGateError:
        return InvalidValueError(self.file, self.path, expected, found, hint, self.line)


def _checked_text(value: str, action: argparse.Action | None, place: _Place, found: str) -> Any:
    """A text value checked as its option would check it: its choices, then its ``type``."""
    if action is not None and action.choices is not None and value not in action.choices:
        names = [str(c) for c in action.choices]
        raise place.error("one of " + ", ".join(names), found, suggest(value, names))
    if action is not None and callable(action.type):
        try:
            return action.type(value)
        except argparse.ArgumentTypeError as err:
            raise place.error(str(err), found) from None
        except (TypeError, ValueError):
            raise place.error(f"a value {_name(action)} accepts", found) from None
    return value


def _name(action: argparse.Action) -> str:
    return max(action.option_strings, key=len) if action.option_strings else str(action.dest)


def _rebase(value: str, base: Path | None, cwd: Path) -> str:
    """A path written in a configuration file, made relative to the working folder (as options are)."""
    if base is None or os.path.isabs(value) or value == "-":
        return value
    return _shown(base / value, cwd)


def _value(
    key: Key, raw: Any, action: argparse.Action | None, place: _Place, base: Path | None, cwd: Path, from_env: bool
) -> Any:
    """A file's or variable's value for ``key``, checked, in the form argparse would have stored."""
    found = f'"{raw}"' if from_env else describe(raw)
    if key.kind in ("string", "criteria", "path"):
        if not isinstance(raw, str):
            raise place.error("a string", found)
        if key.kind == "path" or (key.kind == "criteria" and looks_like_path(raw)):
            raw = _rebase(raw, base, cwd)
        return _checked_text(raw, action, place, found)
    if key.kind == "integer":
        if key.name == "jobs" and raw == "auto":
            return None  # what --jobs auto stores: the default, so a file or variable can ask for it back
        wanted = 'an integer, or "auto"' if key.name == "jobs" else "an integer"
        if from_env:
            try:
                raw = int(raw)
            except ValueError:
                raise place.error(wanted, found) from None
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise place.error(wanted, found)
        if raw < 1:
            raise place.error("an integer of 1 or more", found)
        return raw
    if key.kind == "strings":
        items = [s.strip() for s in raw.split(",") if s.strip()] if from_env else raw
        if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
            raise place.error("an array of strings", found)
        return [_checked_text(s, action, place, found) for s in items]
    return _outputs(raw, place, base, cwd, from_env)


def _outputs(raw: Any, place: _Place, base: Path | None, cwd: Path, from_env: bool) -> list[tuple[str, str]]:
    """``[{ format = "sarif", output = "r.sarif" }, { format = "text" }]`` as ``--format``/``--output`` events.

    From a variable: ``sarif=r.sarif,text``.
    """
    if from_env:
        raw = [dict(zip(("format", "output"), part.strip().split("=", 1), strict=False)) for part in raw.split(",")]
    shape = 'an array of tables such as [{ format = "sarif", output = "reform-gate.sarif" }]'
    if not isinstance(raw, list) or not raw:
        raise place.error(shape, describe(raw))
    events: list[tuple[str, str]] = []
    for i, item in enumerate(raw):
        where = place.at(i)
        if not isinstance(item, dict):
            raise where.error(shape, describe(item))
        for name in item:
            if name not in ("format", "output"):
                key = where.at(name)
                hint = suggest(name, ["format", "output"])
                raise UnknownKeyError(key.file, key.path, "format, output", f'"{name}"', hint, key.line)
        fmt = item.get("format")
        if not isinstance(fmt, str) or fmt not in FORMATS:
            hint = suggest(fmt, FORMATS) if isinstance(fmt, str) else None
            raise where.error("a format: one of " + ", ".join(FORMATS), describe(fmt), hint)
        events.append(("format", fmt))
        if "output" in item:
            if not isinstance(item["output"], str) or not item["output"]:
                raise where.error("a file name (or - for standard output)", describe(item["output"]))
            events.append(("output", _rebase(item["output"], base, cwd)))
    return events


# --- resolving a command's settings --------------------------------------------------------------


def _environment(environ: Mapping[str, str]) -> dict[Key, str]:
    """The ``REFORM_GATE_*`` variables that are set; an unknown one is an error ("did you mean")."""
    known = {k.env: k for k in KEYS}
    found: dict[Key, str] = {}
    for name, value in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or name in (ENV_CONFIG, ENV_DEBUG, *ENV_ENGINE):
            continue
        if name not in known:
            names = [*known, ENV_CONFIG, ENV_DEBUG, *ENV_ENGINE]
            raise UnknownKeyError(name, "", "one of " + ", ".join(names), f'"{name}"', suggest(name, names))
        found[known[name]] = value
    return found


def _actions(chain: Sequence[argparse.ArgumentParser]) -> dict[str, list[argparse.Action]]:
    """The actions of each configurable destination along ``chain``, the command's own first."""
    found: dict[str, list[argparse.Action]] = {}
    for p in reversed(chain):
        for action in p._actions:
            if action.dest in _BY_DEST:
                found.setdefault(action.dest, []).append(action)
    return found


def _every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _every_parser(sub)


def _built_parsers(
    parser: argparse.ArgumentParser, later: Callable[[argparse.ArgumentParser], None]
) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and the command parsers built under it so far; ``later`` is called with each one
    built from now on."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            choices = action.choices
            if isinstance(choices, LazyParsers):
                choices.on_build.append(later)
                subs = choices.built()
            else:
                subs = list(dict.fromkeys(choices.values()))
            for sub in subs:
                yield from _built_parsers(sub, later)


def _choose_file(
    args: argparse.Namespace, environ: Mapping[str, str], cwd: Path
) -> tuple[Path | None, tuple[Path, ...]]:
    if getattr(args, "no_config", False):
        return None, ()
    named = getattr(args, "config", None) or environ.get(ENV_CONFIG) or None
    if named is not None:
        path = Path(named) if os.path.isabs(named) else cwd / named
        if not path.is_file():
            where = "--config" if getattr(args, "config", None) else ENV_CONFIG
            raise UsageError(where, "", "an existing configuration file", f'"{named}"')
        return path, ()
    return find_config(cwd)


def resolve(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    defaults: Mapping[int, Any],
    environ: Mapping[str, str],
    cwd: Path,
) -> Resolved:
    """Fill every configurable option ``args`` left unset, from the environment, the file or its default.

    ``defaults`` holds each configurable action's own default by ``id(action)`` (:func:`parse`
    takes them out of the parser, so that an option not given leaves its destination unset).
    """
    chain = chosen_parsers(parser, args)
    actions = _actions(chain)
    path, passed_over = _choose_file(args, environ, cwd)
    file = read_config(path, cwd) if path is not None else None
    env = _environment(environ)
    settings: list[Setting] = []
    for key in KEYS:
        if key.dest not in actions:
            if file is not None and key.name in file.table:
                # Still checked, so that a mistake shows wherever the file is read.
                _value(
                    key,
                    file.table[key.name],
                    None,
                    _Place(file.shown, file.key_path(key.name), file.line(key.name), file, (key.name,)),
                    None,
                    cwd,
                    False,
                )
            continue
        own = actions[key.dest]
        action = own[0]
        option = _name(action)
        if hasattr(args, key.dest):
            settings.append(Setting(key, getattr(args, key.dest), Source("flag", option), option))
            continue
        if key in env:
            value = _value(key, env[key], action, _Place(key.env), None, cwd, True)
            source = Source("env", key.env)
        elif file is not None and key.name in file.table:
            line = file.line(key.name)
            place = _Place(file.shown, file.key_path(key.name), line, file, (key.name,))
            value = _value(key, file.table[key.name], action, place, file.path.parent, cwd, False)
            source = Source("file", f"{file.shown}:{line}" if line is not None else file.shown)
        else:
            given = [defaults.get(id(a), argparse.SUPPRESS) for a in own]
            value = next((d for d in given if d is not argparse.SUPPRESS), None)
            source = Source("default")
        setattr(args, key.dest, value)
        settings.append(Setting(key, value, source, option))
    used = {s.key.name for s in settings}
    return Resolved(
        file,
        tuple(_shown(p, cwd) for p in passed_over),
        tuple(settings),
        tuple(k.name for k in KEYS if k.name not in used),
    )


def parse(
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> tuple[argparse.Namespace, Resolved]:
    """Parse ``argv`` with ``parser``, then fill the configurable options it left unset.

    The parser's configurable options lose their defaults (so "not given" can be told from "given
    the default"); :func:`resolve` puts back the environment's, the file's or the default.
    """
    from .parser import parse as parse_argv

    defaults: dict[int, Any] = {}

    def lose_defaults(top: argparse.ArgumentParser) -> None:
        # Only the parsers built so far: a command's parser is built when the command is looked up
        # (parser.LazyParsers), and loses its defaults then, before argparse reads them.
        for p in _built_parsers(top, lose_defaults):
            for action in p._actions:
                if action.dest in _BY_DEST:
                    defaults[id(action)] = action.default
                    action.default = argparse.SUPPRESS

    lose_defaults(parser)
    args = parse_argv(parser, argv)
    resolved = resolve(parser, args, defaults, os.environ if environ is None else environ, cwd or Path.cwd())
    return args, resolved
