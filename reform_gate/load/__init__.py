"""The loader: TOML files in, checked model objects out, each with its :class:`~reform_gate.model.Origin`.

Three passes: ``tomllib`` for syntax (with its line, :mod:`.read`), the converter for types and
unknown keys (:mod:`.convert`), then the checks that types cannot say: duplicate ids, dangling
references, ranges, levels, grades (:mod:`.criteria_checks`, :mod:`.proposal_checks`). The last
two passes collect every problem of a file and raise them together, each with its line and key
path. A loaded file carries its origin: the path to show, its digest, and the line of every key,
so that scoring never reads it again (``docs/architecture.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from attrs import evolve

from ..errors import CriteriaNotFoundError, InvalidArgumentError, MissingKeyError, ReformGateError
from ..model import Criteria, Origin, Proposal
from . import extends
from .convert import structure
from .criteria_checks import check_criteria
from .digest import digest_of
from .problems import Problems
from .proposal_checks import check_against
from .read import MAX_BYTES, MAX_DEPTH, parse, read_toml
from .resolve import resolve_criteria, shipped_criteria, shown

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "criteria_for",
    "load_criteria",
    "load_criteria_text",
    "load_document",
    "load_proposal",
    "load_proposal_text",
    "read_toml",
    "shipped_criteria",
    "validate_proposal",
    "with_origin",
]

D = TypeVar("D", Criteria, Proposal)


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
        document = structure(data, cls, file)
    except ReformGateError as err:
        raise problems.locate(err) from None
    if isinstance(document, Criteria):
        check_criteria(document, problems)
    problems.raise_found()
    return evolve(document, origin=Origin(file, path, digest_of(document), problems.lines()))


# --- criteria sets ----------------------------------------------------------------------------


def _criteria(text: str, data: dict[str, Any], file: str, path: str | None, chain: tuple[str, ...] = ()) -> Criteria:
    """A criteria set from parsed data; a derived one (``extends``) is merged with its base first."""
    if not extends.is_derived(data):
        extends.refuse_changes(data, text, file)
        return _built(Criteria, text, data, file, path)
    resolved = extends.resolve(data, text, file, path, chain, _base)
    try:
        return _built(Criteria, text, resolved.data, file, path, resolved.lines)
    except ReformGateError as err:
        raise resolved.relabel(err) from None


def _base(path: Path, chain: tuple[str, ...]) -> Criteria:
    """Load the base of a derived set (itself perhaps derived: ``chain`` catches a cycle)."""
    text, data = read_toml(path, shown(path))
    return _criteria(text, data, shown(path), str(path), chain)


def load_criteria(ref: str | Path, relative_to: Path | None = None, origin: str = "") -> Criteria:
    """Load a criteria set by shipped id or path, and check everything in it.

    A string that names a shipped set (``reform-before-recognition``) loads that set; a path is
    read relative to ``relative_to`` (default: the working folder). ``origin`` names where the
    reference was written, for the error if it resolves to nothing.
    """
    if isinstance(ref, Path):
        path = ref
    elif isinstance(ref, str):
        path = resolve_criteria(ref, relative_to, origin or ref, "")
    else:
        raise InvalidArgumentError("load_criteria", "", "a shipped id or a file path (str or pathlib.Path)", _kind(ref))
    text, data = read_toml(path, shown(path))
    return _criteria(text, data, shown(path), str(path))


def load_criteria_text(text: str, name: str = "<criteria>") -> Criteria:
    """A criteria set from TOML text; ``name`` stands for the file in errors and outputs.

    A set that ``extends`` another by path finds it relative to the working folder.
    """
    if not isinstance(text, str):
        raise InvalidArgumentError("load_criteria_text", "", "TOML text (str)", _kind(text))
    text = text.removeprefix("\ufeff")
    return _criteria(text, parse(text, name), name, None)


# --- proposals --------------------------------------------------------------------------------


def load_proposal(path: str | Path) -> Proposal:
    """Load a proposal and check it on its own; :func:`validate_proposal` checks it against its criteria."""
    p = _path_argument(path, "load_proposal")
    text, data = read_toml(p, shown(p))
    return _built(Proposal, text, data, shown(p), str(p))


def load_proposal_text(text: str, name: str = "<proposal>") -> Proposal:
    """A proposal from TOML text; ``name`` stands for the file in errors and outputs.

    A criteria path named in the text is read relative to the working folder.
    """
    if not isinstance(text, str):
        raise InvalidArgumentError("load_proposal_text", "", "TOML text (str)", _kind(text))
    return _built(Proposal, text, parse(text.removeprefix("\ufeff"), name), name, None)


def load_document(path: str | Path) -> Proposal | Criteria:
    """Load a file that may be either a proposal or a criteria set (told apart by its tables)."""
    p = _path_argument(path, "load_document")
    file = shown(p)
    text, data = read_toml(p, file)
    if "criteria" in data and isinstance(data["criteria"], dict) and "proposal" not in data:
        return _criteria(text, data, file, str(p))
    return _built(Proposal, text, data, file, str(p))


def criteria_for(proposal: Proposal, override: str | Path | None = None) -> Criteria:
    """The criteria set a proposal names (a shipped id, or a path relative to the proposal).

    ``override`` (``--criteria``) replaces it: a shipped id or a path relative to the working folder.
    A proposal may leave ``criteria`` out when an override is given; without either, a
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
        return load_criteria(proposal.proposal.criteria, base, where)
    except CriteriaNotFoundError as err:
        # Point at the key that names the set, and its line.
        line = origin.line(("proposal", "criteria")) if origin is not None else None
        raise CriteriaNotFoundError(where, "proposal.criteria", err.expected, err.found, err.hint, line) from None


def validate_proposal(proposal: Proposal, criteria: Criteria) -> None:
    """Check every reference and value of ``proposal`` against ``criteria``; raise every problem."""
    origin = proposal.origin
    problems = Problems(proposal.file or "<proposal>", None, lines=origin.lines if origin is not None else {})
    check_against(proposal, criteria, problems)
    problems.raise_found()


def with_origin(document: D) -> D:
    """``document`` with an origin: a criteria set or proposal built in code gets its digest here."""
    if document.origin is not None:
        return document
    return evolve(document, origin=Origin("", None, digest_of(document), {}))
