"""The loader: TOML files in, checked model objects out, each with its :class:`~reform_gate.model.Origin`.

Three passes: ``tomllib`` for syntax (with its line, :mod:`.read`), the converter for types and
unknown keys (:mod:`.convert`), then the checks that types cannot say: duplicate ids, dangling
references, ranges, levels, grades (:mod:`.criteria_checks`, :mod:`.proposal_checks`,
:mod:`.entry_checks`). The last two passes collect every problem of a file and raise them together,
each with its line and key path. A loaded file carries its origin: the path to show, its digest,
and the line of every key, so that scoring never reads it again (``docs/architecture.md``).

A proposal that names evidence files (``proposal.evidence``) is loaded with them: each is read
once per :class:`Ledgers` (a batch keeps one), checked against the criteria set it names, and
attached to the proposal (:attr:`~reform_gate.model.Proposal.ledgers`), so that the engine never
reads a file (:mod:`.evidence`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

from attrs import evolve

from ..errors import (
    CriteriaNotFoundError,
    DuplicateIdError,
    InvalidArgumentError,
    InvalidFileError,
    InvalidValueError,
    MissingKeyError,
    OutsideRootError,
    ReformGateError,
)
from ..model import Criteria, Ledger, Origin, Proposal
from . import cache, extends, plain
from .criteria_checks import check_criteria
from .digest import digest_of
from .entry_checks import check_entries
from .evidence import (
    check_counterpart,
    check_ledger,
    disagreements,
    relocated,
    resolve_evidence,
    shown_evidence,
)
from .problems import Problems, line_order
from .proposal_checks import check_against
from .read import MAX_BYTES, MAX_DEPTH, decode, parse, read_bytes, read_stream, read_text, read_toml
from .resolve import (
    contained,
    installed_criteria,
    looks_like_path,
    resolve_criteria,
    shipped_criteria,
    shown,
    shown_criteria,
)
from .walk import looks_like

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Ledgers",
    "criteria_for",
    "criteria_of_ledger",
    "installed_criteria",
    "load_criteria",
    "load_criteria_text",
    "load_document",
    "load_document_text",
    "load_ledger",
    "load_proposal",
    "load_proposal_text",
    "looks_like_path",
    "read_stream",
    "read_toml",
    "resolve_criteria",
    "shipped_criteria",
    "validate_proposal",
    "with_origin",
]

D = TypeVar("D", Criteria, Proposal, Ledger)


def _path_argument(value: Any, name: str) -> Path:
    if isinstance(value, Path):
        return value
    if isinstance(value, str) and value:
        return Path(value)
    raise InvalidArgumentError(name, "", "a file path (str or pathlib.Path)", _kind(value))


def _kind(value: Any) -> str:
    return "an empty string" if value == "" else f"{type(value).__name__} {value!r}"[:80]


def _built(
    cls: type[D], text: str, data: dict[str, Any], file: str, path: str | None, lines: dict[Any, int] | None = None
) -> D:
    """Structure and check one parsed file, then attach its origin (``lines``: of merged data)."""
    problems = Problems(file, None if lines is not None else text, data, lines)
    try:
        document = plain.structure(data, cls)
        if document is None:  # not plainly valid: the converter says what is wrong (docs/performance.md)
            from .convert import structure

            document = structure(data, cls, file)
    except ReformGateError as err:
        raise problems.locate(err) from None
    if isinstance(document, Criteria):
        check_criteria(document, problems)
    else:
        check_entries(document.observations, problems)
    problems.raise_found()
    return evolve(document, origin=Origin(file, path, digest_of(document), problems.lines()))


# --- criteria sets ----------------------------------------------------------------------------


def _criteria(
    text: str,
    data: dict[str, Any],
    file: str,
    path: str | None,
    chain: tuple[str, ...] = (),
    root: str | Path | None = None,
) -> Criteria:
    """A criteria set from parsed data; a derived one (``extends``) is merged with its base first
    (a base path, like any path a file names, must lead under ``root`` when one is given)."""
    if not extends.is_derived(data):
        extends.refuse_changes(data, text, file)
        return _built(Criteria, text, data, file, path)
    resolved = extends.resolve(data, text, file, path, chain, functools.partial(_base, root=root), root)
    try:
        return _built(Criteria, text, resolved.data, file, path, resolved.lines)
    except ReformGateError as err:
        raise resolved.relabel(err) from None


def _base(path: Path, chain: tuple[str, ...], root: str | Path | None = None) -> Criteria:
    """Load the base of a derived set (itself perhaps derived: ``chain`` catches a cycle)."""
    file = shown_criteria(path)
    text, data = read_toml(path, file)
    return _criteria(text, data, file, str(path), chain, root)


def load_criteria(
    ref: str | Path, relative_to: Path | None = None, origin: str = "", root: str | Path | None = None
) -> Criteria:
    """Load a criteria set by shipped id or path, and check everything in it.

    A string that names a shipped set (``reform-before-recognition``) loads that set; a path is
    read relative to ``relative_to`` (default: the working folder). ``origin`` names where the
    reference was written, for the error if it resolves to nothing. With ``root``, a path must
    lead under it (``load.resolve.contained``).
    """
    if isinstance(ref, Path):
        path = ref if root is None else contained(ref, root, origin or str(ref))
    elif isinstance(ref, str):
        path = resolve_criteria(ref, relative_to, origin or ref, "", root)
    else:
        raise InvalidArgumentError("load_criteria", "", "a shipped id or a file path (str or pathlib.Path)", _kind(ref))
    file = shown_criteria(path)
    text = read_text(path, file)
    hit = cache.load(str(path), text, file)
    if hit is not None:
        return hit
    data = parse(text, file)
    found = _criteria(text, data, file, str(path), (), root)
    if not extends.is_derived(data):  # a derived set's content is also its base's: not kept
        cache.store(str(path), text, found)
    return found


def load_criteria_text(text: str, name: str = "<criteria>") -> Criteria:
    """A criteria set from TOML text; ``name`` stands for the file in errors and outputs.

    A set that ``extends`` another by path finds it relative to the working folder.
    """
    if not isinstance(text, str):
        raise InvalidArgumentError("load_criteria_text", "", "TOML text (str)", _kind(text))
    text = text.removeprefix("\ufeff")
    return _criteria(text, parse(text, name), name, None)


# --- evidence files ---------------------------------------------------------------------------


class Ledgers:
    """Evidence files, each read and checked once: a batch keeps one, as it keeps criteria sets.

    ``root`` is the folder every evidence file must lie under (default: see
    :func:`~reform_gate.load.evidence.evidence_root`); ``criteria`` (``--criteria``) replaces the
    set each evidence file names for checking its indicators.
    """

    def __init__(
        self,
        root: Path | None = None,
        criteria: Criteria | None = None,
        criteria_of: Callable[[Ledger], Criteria] | None = None,
    ) -> None:
        self.root = root
        self.criteria = criteria
        #: How to load the set an evidence file names (a batch shares its own cache of sets).
        self.criteria_of = criteria_of
        self._files: dict[Path, Ledger | ReformGateError] = {}
        self._sets: dict[tuple[str, str], Criteria] = {}
        #: Invalid evidence files whose problems a proposal has already reported in full.
        self._told: set[Path] = set()

    def read(self, path: Path) -> Ledger:
        """The checked evidence file at ``path`` (an invalid one raises its problems each time)."""
        key = path.resolve()
        if key not in self._files:
            try:
                self._files[key] = self._load(path)
            except ReformGateError as err:
                self._files[key] = err
        found = self._files[key]
        if isinstance(found, ReformGateError):
            raise found
        return found

    def _load(self, path: Path) -> Ledger:
        file = shown_evidence(path)
        text, data = read_toml(path, file)
        ledger = _built(Ledger, text, data, file, str(path))
        problems = Problems(file, None, data, lines=ledger.origin.lines if ledger.origin else {})
        check_ledger(ledger, self.criteria or self._set_of(ledger, path), problems, every_id=True)
        problems.raise_found()
        return ledger

    def _set_of(self, ledger: Ledger, path: Path) -> Criteria:
        if self.criteria_of is not None:
            return self.criteria_of(ledger)
        key = (str(path.parent.resolve()), ledger.evidence.criteria)
        if key not in self._sets:
            self._sets[key] = criteria_of_ledger(ledger)
        return self._sets[key]

    def attach(self, proposal: Proposal) -> Proposal:
        """``proposal`` with the evidence files it names, read, checked and in the order named.

        Raises every problem at once: a path that leads nowhere or outside the root, a file named
        twice, a file about another counterpart, two files that disagree, and the problems of the
        files themselves.
        """
        refs = proposal.proposal.evidence
        if not refs:
            return proposal
        origin = proposal.origin
        p = Problems(proposal.file or "<proposal>", None, lines=origin.lines if origin is not None else {})
        errors: list[ReformGateError] = []
        ledgers: list[Ledger] = []
        named: dict[Path, int] = {}
        for i, ref in enumerate(refs):
            try:
                path = resolve_evidence(ref, origin.path if origin is not None else None, self.root)
            except ReformGateError as err:
                relocated(err, p, ["proposal", "evidence", i])
                continue
            first = named.setdefault(path.resolve(), i)
            if first != i:
                p.add(
                    DuplicateIdError,
                    ["proposal", "evidence", i],
                    "each evidence file named once",
                    f'"{ref}", already named by proposal.evidence[{first}]',
                )
                continue
            try:
                ledger = self.read(path)
            except ReformGateError as err:
                # In full for the first proposal that reads it; after that, one line pointing up.
                if path.resolve() in self._told:
                    p.add(
                        InvalidValueError,
                        ["proposal", "evidence", i],
                        "an evidence file without problems",
                        f'"{ref}", whose problems are reported above',
                    )
                else:
                    self._told.add(path.resolve())
                    errors.append(err)
                continue
            check_counterpart(proposal, ledger, i, p)
            ledgers.append(ledger)
        disagreements(ledgers, p)
        found = [*p.found, *(q for err in errors for q in err.problems())]
        if found:
            raise InvalidFileError.of(found)
        return evolve(proposal, ledgers=tuple(ledgers))


def criteria_of_ledger(ledger: Ledger) -> Criteria:
    """The criteria set an evidence file names (a shipped id, or a path relative to the file)."""
    if not isinstance(ledger, Ledger):
        raise InvalidArgumentError("criteria_of_ledger", "", "a Ledger (from load_ledger)", _kind(ledger))
    origin = ledger.origin
    base = Path(origin.path).parent if origin is not None and origin.path else Path.cwd()
    try:
        return load_criteria(ledger.evidence.criteria, base, ledger.file or "<evidence>")
    except CriteriaNotFoundError as err:
        line = origin.line(("evidence", "criteria")) if origin is not None else None
        where = ledger.file or "<evidence>"
        expected = err.expected.replace("relative to the proposal", "relative to the evidence file")
        raise CriteriaNotFoundError(where, "evidence.criteria", expected, err.found, err.hint, line) from None


def load_ledger(path: str | Path, criteria: Criteria | None = None) -> Ledger:
    """Load an evidence file and check it: its entries, and their indicators and values against the
    criteria set it names (or ``criteria``, when given)."""
    return Ledgers(criteria=criteria).read(_path_argument(path, "load_ledger"))


# --- proposals --------------------------------------------------------------------------------


def load_proposal(path: str | Path, ledgers: Ledgers | None = None) -> Proposal:
    """Load a proposal, with the evidence files it names, and check it on its own;
    :func:`validate_proposal` checks it against its criteria set.

    ``ledgers`` reads each evidence file once across many proposals (default: a new one).
    """
    p = _path_argument(path, "load_proposal")
    text, data = read_toml(p, shown(p))
    return (ledgers or Ledgers()).attach(_built(Proposal, text, data, shown(p), str(p)))


def load_proposal_text(text: str, name: str = "<proposal>") -> Proposal:
    """A proposal from TOML text; ``name`` stands for the file in errors and outputs.

    A criteria path or evidence file named in the text is read relative to the working folder.
    """
    if not isinstance(text, str):
        raise InvalidArgumentError("load_proposal_text", "", "TOML text (str)", _kind(text))
    return Ledgers().attach(_built(Proposal, text, parse(text.removeprefix("\ufeff"), name), name, None))


def load_document(
    path: str | Path, ledgers: Ledgers | None = None, tables: Collection[str] | None = None
) -> Proposal | Criteria | Ledger | None:
    """Load a file that may be a proposal, a criteria set or an evidence file (told apart by its
    tables: ``[criteria]`` or ``[evidence]`` without ``[proposal]``); a proposal comes with the
    evidence files it names, read through ``ledgers``.

    With ``tables`` (a folder search), a file without a line opening one of them (``[proposal]``)
    is not a reform-gate file: it is left alone and ``None`` returned (``load.walk.looks_like``).
    """
    p = _path_argument(path, "load_document")
    file = shown(p)
    if tables is not None:
        raw = read_bytes(p, file, MAX_BYTES)
        if not looks_like(raw, tables):
            return None
        text = decode(raw, file)
        data = parse(text, file)
    else:
        text, data = read_toml(p, file)
    if "proposal" not in data:
        if isinstance(data.get("criteria"), dict):
            return _criteria(text, data, file, str(p))
        if isinstance(data.get("evidence"), dict):
            return (ledgers or Ledgers()).read(p)
    return (ledgers or Ledgers()).attach(_built(Proposal, text, data, file, str(p)))


def load_document_text(text: str, name: str, ledgers: Ledgers | None = None) -> Proposal | Criteria:
    """:func:`load_document` for text that came from no file (standard input); ``name`` stands for it.

    A criteria or evidence path a proposal names is read relative to the working folder.
    """
    if not isinstance(text, str):
        raise InvalidArgumentError("load_document_text", "", "TOML text (str)", _kind(text))
    data = parse(text.removeprefix("\ufeff"), name)
    if "criteria" in data and isinstance(data["criteria"], dict) and "proposal" not in data:
        return _criteria(text, data, name, None)
    return (ledgers or Ledgers()).attach(_built(Proposal, text, data, name, None))


def criteria_for(
    proposal: Proposal, override: str | Path | None = None, root: str | Path | None = None
) -> Criteria:
    """The criteria set a proposal names (a shipped id, or a path relative to the proposal).

    ``override`` (``--criteria``) replaces it: a shipped id or a path relative to the working
    folder, read wherever it is. A path the proposal itself names must lead under ``root``
    (``--criteria-root``; the command line gives the repository or the working folder) when one is
    given: the proposal may come from someone else (``docs/security.md``). A proposal may leave
    ``criteria`` out when an override is given; without either, a
    :class:`~reform_gate.errors.MissingKeyError` says so.
    """
    if not isinstance(proposal, Proposal):
        raise InvalidArgumentError("criteria_for", "", "a Proposal (from load_proposal)", _kind(proposal))
    if override is not None:
        return load_criteria(override, Path.cwd(), "--criteria")
    origin = proposal.origin
    base = Path(origin.path).parent if origin is not None and origin.path else Path.cwd()
    where = proposal.file or "<proposal>"
    if proposal.proposal.criteria is None:
        line = origin.line(("proposal",)) if origin is not None else None
        raise MissingKeyError(
            where,
            "proposal.criteria",
            'a criteria set: criteria = "reform-before-recognition" (a shipped id or a path) in [proposal], '
            "or --criteria on the command line",
            "nothing: the proposal names no criteria set and none was given",
            None,
            line,
        )
    try:
        return load_criteria(proposal.proposal.criteria, base, where, root)
    except (CriteriaNotFoundError, OutsideRootError) as err:
        # Point at the key that names the set, and its line.
        line = origin.line(("proposal", "criteria")) if origin is not None else None
        raise type(err)(where, "proposal.criteria", err.expected, err.found, err.hint, line) from None


def validate_proposal(proposal: Proposal, criteria: Criteria) -> None:
    """Check every reference and value of ``proposal`` against ``criteria``; raise every problem."""
    origin = proposal.origin
    problems = Problems(proposal.file or "<proposal>", None, lines=origin.lines if origin is not None else {})
    check_against(proposal, criteria, problems)
    found = sorted(problems.found, key=line_order)
    for ledger in proposal.ledgers:
        # Checked against its own set when read; here the values of the indicators it shares with
        # the proposal's set, which may define them otherwise (once per set and file in a batch).
        if ledger.origin is None:
            found += _fits(ledger, criteria)
        else:
            key = f"ledger-fits:{ledger.origin.sha256}:{ledger.file}"
            found += criteria.derived.get(key, functools.partial(_fits, ledger, criteria))
    if found:
        raise InvalidFileError.of(found)


def _fits(ledger: Ledger, criteria: Criteria) -> list[ReformGateError]:
    lines = ledger.origin.lines if ledger.origin is not None else {}
    theirs = Problems(ledger.file or ledger.id, None, lines=lines)
    check_ledger(ledger, criteria, theirs, every_id=False)
    return sorted(theirs.found, key=line_order)


def with_origin(document: D) -> D:
    """``document`` with an origin: a criteria set, proposal or evidence file built in code gets its
    digest here (a proposal's evidence files too)."""
    if isinstance(document, Proposal) and any(ledger.origin is None for ledger in document.ledgers):
        ledgers = tuple(with_origin(ledger) for ledger in document.ledgers)
        document = evolve(document, ledgers=ledgers)  # type: ignore[call-arg]
    if document.origin is not None:
        return document
    return evolve(document, origin=Origin("", None, digest_of(document), {}))
