"""Reading criteria sets and proposals: TOML, shape, then meaning.

Three passes, each raising one :class:`~reform_gate.errors.ReformGateError` on the first problem:
``tomllib`` for syntax (with its line), the converter for types and unknown keys, and the checks
here for what types cannot say: duplicate ids, dangling references, ranges, levels, grades.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from . import checks
from ._convert import PathPart, describe, format_path, structure
from .errors import (
    CriteriaNotFoundError,
    DanglingReferenceError,
    DuplicateIdError,
    InputTooLargeError,
    InvalidValueError,
    ReformGateError,
    TomlSyntaxError,
    UsageError,
    suggest,
)
from .evidence import is_grade
from .locate import key_lines, line_of
from .model import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Check,
    Credit,
    Criteria,
    Equals,
    Indicator,
    OneOf,
    Proposal,
    RequirementGroup,
    Scale,
    Value,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "criteria_for",
    "load_criteria",
    "load_document",
    "load_proposal",
    "read_toml",
    "shipped_criteria",
    "validate_proposal",
]

T = TypeVar("T")

#: Proposals and criteria sets are small; anything larger is a mistake or an attack.
MAX_BYTES = 2 * 1024 * 1024
#: Deeper nesting than this has no meaning in either format.
MAX_DEPTH = 16

# Patterns for tomllib's messages, compiled (and cached by ``re``) only when a file fails to parse.
_TOML_POSITION = r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$"
#: tomllib names a key as a Python tuple, ``('tiers', 'any_of')``; users wrote ``tiers.any_of``.
_TOML_KEY_TUPLE = r"\((?:'[^']*',? ?)+\)"


class _Doc:
    """A parsed file: its path as given, its text (for line numbers) and its data."""

    def __init__(self, file: str, text: str | None, data: dict[str, Any]) -> None:
        self.file = file
        self.text = text
        self.data = data
        self._lines: dict[tuple[PathPart, ...], int] | None = None

    def line(self, path: Sequence[PathPart]) -> int | None:
        """The line of ``path``; the text is only scanned (or re-read) when an error needs it."""
        if self._lines is None:
            if self.text is None:
                try:
                    self.text = Path(self.file).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    self.text = ""
            self._lines = key_lines(self.text)
        return line_of(self._lines, path)

    def fail(
        self,
        error: type[ReformGateError],
        path: Sequence[PathPart],
        expected: str,
        found: str,
        hint: str | None = None,
    ) -> NoReturn:
        raise error(self.file, format_path(list(path)), expected, found, hint, self.line(path))


def read_toml(path: str | Path) -> tuple[str, dict[str, Any]]:
    """Read and parse one TOML file; every failure is a ReformGateError naming the file."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(file, "", "an existing file", "no such file") from None
    except IsADirectoryError:
        raise UsageError(file, "", "a file", "a directory") from None
    except OSError as err:
        raise UsageError(file, "", "a readable file", err.strerror or str(err)) from None
    if len(raw) > MAX_BYTES:
        raise InputTooLargeError(file, "", f"at most {MAX_BYTES:,} bytes", f"{len(raw):,} bytes")
    try:
        # A byte-order mark is what some editors write first; it means nothing in UTF-8.
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        byte_line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        found = f"the byte 0x{raw[err.start]:02x}, which is not UTF-8, at column {column}"
        raise TomlSyntaxError(file, "", "UTF-8 text (save the file as UTF-8)", found, None, byte_line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        match = re.search(_TOML_POSITION, message)
        line = int(match.group(1)) if match and match.group(1) else None
        what = re.sub(_TOML_POSITION, "", message)
        what = re.sub(_TOML_KEY_TUPLE, lambda m: ".".join(re.findall(r"'([^']*)'", m.group())), what)
        raise TomlSyntaxError(file, "", "valid TOML", what[:1].lower() + what[1:], None, line) from None
    except RecursionError:
        raise InputTooLargeError(file, "", f"at most {MAX_DEPTH} levels of nesting", "deeper nesting") from None
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise InputTooLargeError(file, "", f"at most {MAX_DEPTH} levels of nesting", f"{depth} levels")
    return text, data


def _depth(value: Any) -> int:
    """Nesting depth, without recursion (a hostile file must not exhaust the stack)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


# --- criteria sets ----------------------------------------------------------------------------


def _package_criteria_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent
    # In a wheel the sets sit inside the package; in a checkout (editable install) beside it.
    return [d for d in (here / "criteria", here.parent / "criteria") if d.is_dir()]


def shipped_criteria() -> dict[str, Path]:
    """Shipped criteria sets by id (the file's stem), in id order."""
    found: dict[str, Path] = {}
    for folder in _package_criteria_dirs():
        for file in sorted(folder.glob("*.toml")):
            found.setdefault(file.stem, file)
    return dict(sorted(found.items()))


def _resolve(ref: str, relative_to: Path | None, origin: str, key: str) -> Path:
    looks_like_path = ref.endswith(".toml") or "/" in ref or "\\" in ref
    if looks_like_path:
        candidate = Path(ref) if relative_to is None else relative_to / ref
        if candidate.is_file():
            return candidate
    shipped = shipped_criteria()
    if ref in shipped:
        return shipped[ref]
    expected = "a shipped criteria set (" + ", ".join(shipped) + ") or the path of a criteria file"
    if looks_like_path and relative_to is not None:
        expected += " relative to the proposal"
    raise CriteriaNotFoundError(origin, key, expected, f'"{ref}"', suggest(ref, shipped))


def load_criteria(ref: str | Path, relative_to: Path | None = None, origin: str = "") -> Criteria:
    """Load a criteria set by shipped id or path, and check everything in it."""
    path = ref if isinstance(ref, Path) else _resolve(ref, relative_to, origin or str(ref), "")
    text, data = read_toml(path)
    return _criteria_from(_Doc(str(path), text, data))


def _structured(doc: _Doc, cls: type[T]) -> T:
    """Structure a parsed document; a shape error learns its line here, where the text is."""
    try:
        return structure(doc.data, cls, doc.file)
    except ReformGateError as err:
        err.line = doc.line(_parse_path(err.path))
        err.args = (err.render(),)
        raise


def _criteria_from(doc: _Doc) -> Criteria:
    criteria = _structured(doc, Criteria)
    _check_criteria(criteria, doc)
    return Criteria(
        criteria.criteria, criteria.pillars, criteria.indicators, criteria.rules, criteria.tiers, doc.file, doc.text
    )


def _parse_path(text: str) -> list[PathPart]:
    parts: list[PathPart] = []
    for token in re.findall(r'"[^"]*"|\[\d+\]|[^.\[\]"]+', text):
        if token.startswith("["):
            parts.append(int(token[1:-1]))
        else:
            parts.append(token.strip('"'))
    return parts


def _unique(doc: _Doc, items: Iterable[tuple[int, str]], where: str) -> None:
    seen: dict[str, int] = {}
    for index, ident in items:
        if ident in seen:
            doc.fail(
                DuplicateIdError,
                [where, index, "id"],
                f"a unique id (each {where[:-1]} once)",
                f'"{ident}", already used by {where}[{seen[ident]}]',
            )
        seen[ident] = index


def _known(doc: _Doc, path: Sequence[PathPart], ident: str, choices: Collection[str], what: str) -> None:
    # Membership is tested on the collection given (a dict of indicators is a hash lookup, once
    # per observation); the choices are listed only for the error.
    if ident in choices:
        return
    listed = list(choices)
    shown = ", ".join(listed) if len(listed) <= 12 else ", ".join(listed[:12]) + ", ..."
    doc.fail(
        DanglingReferenceError,
        path,
        f"the id of {'an' if what[0] in 'aeiou' else 'a'} {what} ({shown})",
        f'"{ident}"',
        suggest(ident, listed),
    )


def _percent(doc: _Doc, path: Sequence[PathPart], value: float, what: str) -> None:
    if not 0 <= value <= 100:
        doc.fail(InvalidValueError, path, f"{what} between 0 and 100", describe(value))


def _check_criteria(c: Criteria, doc: _Doc) -> None:
    info = c.criteria
    if not is_grade(info.min_reliability):
        doc.fail(
            InvalidValueError,
            ["criteria", "min_reliability"],
            'an Admiralty grade: a letter A-F and a digit 1-6, such as "C3"',
            describe(info.min_reliability),
            _grade_hint(info.min_reliability),
        )
    if info.max_evidence_age_days is not None and info.max_evidence_age_days < 0:
        doc.fail(
            InvalidValueError,
            ["criteria", "max_evidence_age_days"],
            "a number of days, 0 or more",
            describe(info.max_evidence_age_days),
        )
    if not c.pillars:
        doc.fail(InvalidValueError, ["pillars"], "at least one pillar", "none")
    _unique(doc, ((i, p.id) for i, p in enumerate(c.pillars)), "pillars")
    for i, p in enumerate(c.pillars):
        if p.weight < 0:
            doc.fail(InvalidValueError, ["pillars", i, "weight"], "a weight of 0 or more", describe(p.weight))
    reform = [p for p in c.pillars if p.kind == "reform"]
    if not reform:
        doc.fail(InvalidValueError, ["pillars"], 'at least one pillar of kind "reform"', "only safeguard pillars")
    if sum(p.weight for p in reform) <= 0:
        doc.fail(InvalidValueError, ["pillars"], "reform pillar weights with a positive sum", "weights summing to 0")
    for ident, ind in c.indicators.items():
        _check_indicator(doc, ident, ind)
    _unique(doc, ((i, r.id) for i, r in enumerate(c.rules)), "rules")
    pillar_ids = [p.id for p in c.pillars]
    for i, r in enumerate(c.rules):
        _known(doc, ["rules", i, "pillar"], r.pillar, pillar_ids, "pillar")
        if r.weight < 0:
            doc.fail(InvalidValueError, ["rules", i, "weight"], "a weight of 0 or more", describe(r.weight))
        if not 0 < r.gate_min <= 1:
            doc.fail(
                InvalidValueError, ["rules", i, "gate_min"], "a credit above 0 and at most 1", describe(r.gate_min)
            )
        _check_check(doc, ["rules", i, "check"], r.check, c.indicators)
    for p in c.pillars:
        rules = [r for r in c.rules if r.pillar == p.id]
        if rules and sum(r.weight for r in rules) <= 0:
            index = c.rules.index(rules[0])
            doc.fail(
                InvalidValueError,
                ["rules", index, "weight"],
                f'rule weights in pillar "{p.id}" with a positive sum',
                "weights summing to 0",
            )
    if not c.tiers:
        doc.fail(InvalidValueError, ["tiers"], "at least one tier (the engagement ladder)", "none")
    _unique(doc, ((i, t.id) for i, t in enumerate(c.tiers)), "tiers")
    for i, t in enumerate(c.tiers):
        _check_group(doc, ["tiers", i], t.own_group(), c)
        for j, group in enumerate(t.any_of):
            _check_group(doc, ["tiers", i, "any_of", j], group, c)
        if t.any_of:
            kinds = {k for g in t.any_of for k in group_kinds(g, c)}
            if len(kinds) > 1:
                doc.fail(
                    InvalidValueError,
                    ["tiers", i, "any_of"],
                    "groups that read only reform pillars and rules, or only safeguard ones",
                    "groups mixing reform and safeguard requirements",
                )
            if any(not group_kinds(g, c) for g in t.any_of):
                doc.fail(
                    InvalidValueError,
                    ["tiers", i, "any_of"],
                    "every group with at least one requirement",
                    "an empty group",
                )


def _check_indicator(doc: _Doc, ident: str, ind: Indicator) -> None:
    path: list[PathPart] = ["indicators", ident]
    if ind.type == "level":
        if ind.levels is None or len(ind.levels) < 2:
            doc.fail(
                InvalidValueError,
                [*path, "levels"],
                "at least two levels, worst first",
                "none" if ind.levels is None else f"{len(ind.levels)}",
            )
        if len(set(ind.levels)) != len(ind.levels):
            doc.fail(DuplicateIdError, [*path, "levels"], "each level once", "a level listed twice")
    elif ind.levels is not None:
        doc.fail(
            InvalidValueError,
            [*path, "levels"],
            'levels only on an indicator of type "level"',
            f'levels on type "{ind.type}"',
        )
    if ind.type != "number":
        for key in ("min", "max", "unit"):
            if getattr(ind, key) is not None:
                doc.fail(
                    InvalidValueError,
                    [*path, key],
                    f'{key} only on an indicator of type "number"',
                    f'{key} on type "{ind.type}"',
                )
    if ind.min is not None and ind.max is not None and ind.min >= ind.max:
        doc.fail(InvalidValueError, [*path, "max"], f"a maximum above the minimum ({ind.min:g})", describe(ind.max))


def _check_check(doc: _Doc, path: list[PathPart], check: Check, indicators: dict[str, Indicator]) -> None:
    if isinstance(check, AllOf | AnyOf):
        key = "all_of" if isinstance(check, AllOf) else "any_of"
        for j, part in enumerate(check.all_of if isinstance(check, AllOf) else check.any_of):
            _check_check(doc, [*path, key, j], part, indicators)
        return
    _known(doc, [*path, "indicator"], check.indicator, indicators, "indicator")
    ind = indicators[check.indicator]
    kind = checks.kind_of(check)
    if isinstance(check, AtLeast | AtMost | Scale) and ind.type != "number":
        doc.fail(
            InvalidValueError,
            [*path, kind],
            f'an indicator of type "number" for {kind}',
            f'indicator "{check.indicator}" of type "{ind.type}"',
        )
    if isinstance(check, Scale) and check.scale[0] == check.scale[1]:
        doc.fail(
            InvalidValueError,
            [*path, "scale"],
            "two different ends [a, b]",
            f"[{check.scale[0]:g}, {check.scale[1]:g}]",
        )
    if isinstance(check, Equals):
        _check_value(doc, [*path, "equals"], check.equals, ind, check.indicator)
    if isinstance(check, OneOf):
        for j, v in enumerate(check.one_of):
            _check_value(doc, [*path, "one_of", j], v, ind, check.indicator, ranged=False)
    if isinstance(check, Credit):
        if ind.type != "level":
            doc.fail(
                InvalidValueError,
                [*path, "credit"],
                'an indicator of type "level" for credit',
                f'indicator "{check.indicator}" of type "{ind.type}"',
            )
        levels = ind.levels or ()
        for level, value in check.credit.items():
            if level not in levels:
                doc.fail(
                    DanglingReferenceError,
                    [*path, "credit", level],
                    "a level of " + check.indicator + ": " + ", ".join(levels),
                    f'"{level}"',
                    suggest(level, levels),
                )
            if not 0 <= value <= 1:
                doc.fail(InvalidValueError, [*path, "credit", level], "a credit between 0 and 1", describe(value))
        absent = [lv for lv in levels if lv not in check.credit]
        if absent:
            doc.fail(
                InvalidValueError,
                [*path, "credit"],
                "a credit for every level: " + ", ".join(levels),
                "no credit for " + ", ".join(absent),
            )


def _check_value(
    doc: _Doc, path: Sequence[PathPart], value: Value, ind: Indicator, ident: str, ranged: bool = True
) -> None:
    """An observed or compared value must fit its indicator's type, range and levels."""
    if ind.type == "bool" and not isinstance(value, bool):
        doc.fail(InvalidValueError, path, f'true or false (indicator "{ident}" is a bool)', describe(value))
    if ind.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            unit = f" in {ind.unit}" if ind.unit else ""
            doc.fail(InvalidValueError, path, f'a number{unit} (indicator "{ident}" is a number)', describe(value))
        low = -float("inf") if ind.min is None else ind.min
        high = float("inf") if ind.max is None else ind.max
        if ranged and not low <= value <= high:
            doc.fail(
                InvalidValueError,
                path,
                f'a number from {checks.show_bound(ind.min)} to {checks.show_bound(ind.max)} for "{ident}"',
                describe(value),
            )
    if ind.type == "level":
        levels = ind.levels or ()
        if not isinstance(value, str) or value not in levels:
            doc.fail(
                InvalidValueError,
                path,
                f'one of the levels of "{ident}": ' + ", ".join(f'"{lv}"' for lv in levels),
                describe(value),
                suggest(value, levels) if isinstance(value, str) else None,
            )


def group_kinds(group: RequirementGroup, c: Criteria) -> set[str]:
    """Which kinds of pillar (``reform``, ``safeguard``) a requirement group reads."""
    kinds: set[str] = set()
    if group.min_score is not None:
        kinds.add("reform")
    for pillar in group.min_pillar:
        kinds.update(p.kind for p in c.pillars if p.id == pillar)
    rule_kind = {r.id: c.pillar(r.pillar).kind for r in c.rules}
    if group.gates == "all":
        kinds.update(rule_kind[r.id] for r in c.rules if r.gate)
    elif group.gates:
        kinds.update(rule_kind[g] for g in group.gates if g in rule_kind)
    if group.min_met is not None:
        among = group.min_met.among
        kinds.update({rule_kind[g] for g in among if g in rule_kind} if among else {"reform"})
    return kinds


def _check_group(doc: _Doc, path: list[PathPart], g: RequirementGroup, c: Criteria) -> None:
    if g.min_score is not None:
        _percent(doc, [*path, "min_score"], g.min_score, "a score")
    pillar_ids = [p.id for p in c.pillars]
    for pillar, minimum in g.min_pillar.items():
        _known(doc, [*path, "min_pillar", pillar], pillar, pillar_ids, "pillar")
        _percent(doc, [*path, "min_pillar", pillar], minimum, "a pillar score")
    rule_ids = [r.id for r in c.rules]
    if isinstance(g.gates, tuple):
        for j, rule in enumerate(g.gates):
            _known(doc, [*path, "gates", j], rule, rule_ids, "rule")
            if not c.rule(rule).gate:
                doc.fail(
                    InvalidValueError,
                    [*path, "gates", j],
                    "a rule marked gate = true",
                    f'"{rule}", which is not a gate',
                )
    if g.min_met is not None:
        among = g.min_met.among
        for j, rule in enumerate(among or ()):
            _known(doc, [*path, "min_met", "among", j], rule, rule_ids, "rule")
            if rule in (among or ())[:j]:
                doc.fail(DuplicateIdError, [*path, "min_met", "among", j], "each rule once", f'"{rule}", listed twice')
        pool = len(among) if among else sum(1 for r in c.rules if c.pillar(r.pillar).kind == "reform")
        if not 0 <= g.min_met.count <= pool:
            doc.fail(
                InvalidValueError,
                [*path, "min_met", "count"],
                f"a count from 0 to {pool} (the rules it counts)",
                describe(g.min_met.count),
            )
        if among and len({c.pillar(c.rule(r).pillar).kind for r in among}) > 1:
            doc.fail(
                InvalidValueError,
                [*path, "min_met", "among"],
                "rules all from reform pillars or all from safeguard pillars",
                "a mix of both",
            )


# --- proposals --------------------------------------------------------------------------------


def load_document(path: str | Path) -> Proposal | Criteria:
    """Load a file that may be either a proposal or a criteria set (told apart by its tables)."""
    text, data = read_toml(path)
    if "criteria" in data and isinstance(data["criteria"], dict) and "proposal" not in data:
        return _criteria_from(_Doc(str(path), text, data))
    return _proposal_from(_Doc(str(path), text, data))


def load_proposal(path: str | Path) -> Proposal:
    """Load a proposal and check its shape. Use :func:`validate_proposal` against its criteria."""
    text, data = read_toml(path)
    return _proposal_from(_Doc(str(path), text, data))


def _proposal_from(doc: _Doc) -> Proposal:
    proposal = _structured(doc, Proposal)
    for ident, obs in proposal.observations.items():
        if not is_grade(obs.reliability):
            doc.fail(
                InvalidValueError,
                ["observations", ident, "reliability"],
                'an Admiralty grade: a letter A-F and a digit 1-6, such as "B2"',
                describe(obs.reliability),
                _grade_hint(obs.reliability),
            )
    return Proposal(proposal.proposal, proposal.observations, proposal.waivers, proposal.expect, doc.file, doc.text)


def _grade_hint(text: str) -> str | None:
    """``"b2"`` or ``" B2"`` -> ``did you mean "B2"?``."""
    fixed = text.strip().upper()
    return f'did you mean "{fixed}"?' if is_grade(fixed) else None


def criteria_for(proposal: Proposal, override: str | Path | None = None) -> Criteria:
    """The criteria set a proposal names (a shipped id, or a path relative to the proposal)."""
    if override is not None:
        return load_criteria(override, Path.cwd(), "--criteria")
    base = Path(proposal.origin).parent if proposal.origin else Path.cwd()
    origin = proposal.origin or "<proposal>"
    try:
        return load_criteria(proposal.proposal.criteria, base, origin)
    except CriteriaNotFoundError as err:
        # Point at the key that names the set, and its line.
        line = _doc_for(proposal).line(["proposal", "criteria"])
        raise CriteriaNotFoundError(origin, "proposal.criteria", err.expected, err.found, err.hint, line) from None


def validate_proposal(proposal: Proposal, criteria: Criteria) -> None:
    """Check every reference and value of ``proposal`` against ``criteria``."""
    doc = _doc_for(proposal)
    tiers = [t.id for t in criteria.tiers]
    _known(doc, ["proposal", "tier"], proposal.proposal.tier, tiers, f"tier of {criteria.id}")
    for ident, obs in proposal.observations.items():
        _known(doc, ["observations", ident], ident, criteria.indicators, f"indicator of {criteria.id}")
        _check_value(doc, ["observations", ident, "value"], obs.value, criteria.indicators[ident], ident)
    rule_ids = [r.id for r in criteria.rules]
    seen: dict[str, int] = {}
    for i, waiver in enumerate(proposal.waivers):
        _known(doc, ["waivers", i, "rule"], waiver.rule, rule_ids, "rule")
        if waiver.rule in seen:
            doc.fail(
                DuplicateIdError,
                ["waivers", i, "rule"],
                "one waiver per rule",
                f'"{waiver.rule}", already waived by waivers[{seen[waiver.rule]}]',
            )
        seen[waiver.rule] = i
    if proposal.expect is not None and proposal.expect.supported_tier != "none":
        _known(
            doc,
            ["expect", "supported_tier"],
            proposal.expect.supported_tier,
            [*tiers, "none"],
            f"tier of {criteria.id}, or none",
        )


def _doc_for(proposal: Proposal) -> _Doc:
    # The text read at load time, if kept; else the file is re-read only when an error needs a line.
    text = proposal.text if proposal.text is not None else None if proposal.origin else ""
    return _Doc(proposal.origin or "<proposal>", text, {})
