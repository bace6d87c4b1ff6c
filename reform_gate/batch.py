"""The library's verbs: what each command does, as one call each.

The command line is a thin caller of this module (``docs/architecture.md``): ``score`` is
:func:`score_files`, ``validate`` :func:`validate_files`, ``verify`` :func:`verify_files`, and
every command's exit code comes from :func:`exit_code`. A batch loads each criteria set once
(:class:`CriteriaSets`), checks each proposal against its set once, and hands both to the pure
engine; a file that cannot be scored is collected as an error while the rest go on.

For a proposal already in hand, :func:`score` checks its arguments and the proposal against the
criteria set, then scores it: that is ``reform_gate.score``.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from attrs import frozen

from . import engine, load
from .errors import DuplicateIdError, InvalidArgumentError, ReformGateError, UsageError
from .load.walk import Walk
from .model import Criteria, Expect, Outcome, Proposal, below
from .numbers import show
from .verdict import Verdict

__all__ = [
    "EXIT_BELOW",
    "EXIT_INVALID",
    "EXIT_OK",
    "CriteriaSets",
    "Expectation",
    "Scored",
    "Validation",
    "Verification",
    "exit_code",
    "files_under",
    "score",
    "score_files",
    "validate_files",
    "verify_files",
]

#: Exit codes: every outcome at or above ``--fail-below``; one below it; invalid input or usage.
EXIT_OK, EXIT_BELOW, EXIT_INVALID = 0, 1, 2

#: Called before each file of a batch with (files done, files in all, this file's name).
OnFile = Callable[[int, int, str], None]


def exit_code(
    outcomes: Iterable[str] = (), fail_below: str = "supported", *, invalid: bool = False, failed: bool = False
) -> int:
    """The exit code of a command: 2 when input was invalid, 1 when an outcome is below
    ``fail_below`` (or a check ``failed``), else 0. Every command of the CLI ends here."""
    if invalid:
        return EXIT_INVALID
    if failed or any(below(o, fail_below) for o in outcomes):
        return EXIT_BELOW
    return EXIT_OK


# --- one proposal ------------------------------------------------------------------------------


def score(proposal: Proposal, criteria: Criteria, as_of: _dt.date | None = None, *, gap: bool = True) -> Verdict:
    """Check ``proposal`` against ``criteria``, then score it and explain the verdict.

    ``as_of`` replaces the proposal's date as "now" (evidence dated later counts as not yet
    known); ``gap=False`` leaves out what it would take. Raises a
    :class:`~reform_gate.errors.ReformGateError` for arguments of the wrong type and for every
    problem of the proposal against the criteria set.
    """
    if not isinstance(proposal, Proposal):
        raise InvalidArgumentError("score", "proposal", "a Proposal (from load_proposal)", _kind(proposal))
    if not isinstance(criteria, Criteria):
        raise InvalidArgumentError("score", "criteria", "a Criteria (from load_criteria)", _kind(criteria))
    if as_of is not None and (not isinstance(as_of, _dt.date) or isinstance(as_of, _dt.datetime)):
        raise InvalidArgumentError("score", "as_of", "a datetime.date, such as datetime.date(2025, 7, 3)", _kind(as_of))
    load.validate_proposal(proposal, criteria)
    # A set built in code gets its digest once, not once per proposal.
    criteria = criteria.derived.get("with-origin", lambda: load.with_origin(criteria))
    return engine.score(load.with_origin(proposal), criteria, as_of, gap=gap)


def _kind(value: object) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


# --- files -------------------------------------------------------------------------------------


def files_under(paths: Sequence[str], walk: Walk | None = None) -> list[str]:
    """The files named, with folders searched for ``*.toml`` in sorted order (:mod:`reform_gate.load.walk`:
    hidden folders, virtual environments, what git ignores and ``--exclude`` are skipped)."""
    return [f.path for f in load.walk.files_under(paths, walk)]


class CriteriaSets:
    """Criteria sets are shared by many proposals: each is loaded once per batch.

    ``override`` (``--criteria``) replaces the set every proposal names.
    """

    def __init__(self, override: str | None = None, root: str | None = None) -> None:
        self.override = override
        #: Where a criteria path written in a proposal must lead (``--criteria-root``); None: anywhere.
        self.root = root
        self._sets: dict[str, Criteria] = {}

    def __call__(self, proposal: Proposal) -> Criteria:
        """The criteria set ``proposal`` is scored under."""
        ref = self.override or proposal.proposal.criteria
        folder = Path(proposal.origin.path).parent if proposal.origin and proposal.origin.path else Path.cwd()
        key = ref if self.override else f"{folder}|{ref}"
        if key not in self._sets:
            self._sets[key] = load.criteria_for(proposal, self.override, self.root)
        return self._sets[key]


@frozen
class Scored:
    """A proposal and its verdict."""

    proposal: Proposal
    verdict: Verdict


class _Ids:
    """The proposal ids of one run, each with the file that has it: an id used twice is an error."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def check(self, proposal: Proposal) -> None:
        first = self.files.setdefault(proposal.id, proposal.file)
        if first != proposal.file:
            line = proposal.origin.line(("proposal", "id")) if proposal.origin is not None else None
            raise DuplicateIdError(
                proposal.file,
                "proposal.id",
                "an id that no other proposal of this run has",
                f'"{proposal.id}", already the id of {first}',
                "give each proposal its own id: verdicts, baselines and code scanning tell them apart by it",
                line,
            )


def _documents(
    paths: Sequence[str],
    errors: list[ReformGateError],
    on_file: OnFile | None,
    walk: Walk,
    tables: tuple[str, ...],
) -> Iterator[Proposal | Criteria]:
    """Every document under ``paths``: files named, and files found that open one of ``tables``.

    A file whose links lead outside ``walk.root`` is refused unread.
    """
    found = load.walk.files_under(paths, walk)
    for done, f in enumerate(found):
        if on_file is not None:
            on_file(done, len(found), f.path)
        try:
            if walk.root is not None and os.path.realpath(f.path) != os.path.abspath(f.path):
                load.resolve.contained(f.path, walk.root, f.path)
            doc = load.load_document(f.path, None if f.named else tables)
        except ReformGateError as err:
            errors.append(err)
            continue
        if doc is not None:
            yield doc


def _proposals(
    paths: Sequence[str], errors: list[ReformGateError], on_file: OnFile | None, walk: Walk
) -> Iterator[Proposal]:
    """Every proposal under ``paths``, each id once; criteria files named along the way are skipped."""
    ids = _Ids()
    for doc in _documents(paths, errors, on_file, walk, ("proposal",)):
        if isinstance(doc, Proposal):
            try:
                ids.check(doc)
            except ReformGateError as err:
                errors.append(err)
                continue
            yield doc


def score_files(
    paths: Sequence[str],
    errors: list[ReformGateError],
    *,
    criteria: str | None = None,
    as_of: _dt.date | None = None,
    gap: bool = True,
    on_file: OnFile | None = None,
    require: bool = True,
    walk: Walk | None = None,
) -> Iterator[Scored]:
    """Each proposal under ``paths`` with its verdict, as it is scored.

    A file that cannot be loaded or scored goes to ``errors`` and the batch goes on; so does a
    proposal whose id an earlier file of the run already has. A batch that draws each verdict as
    it comes holds one at a time, however many files. With ``require``, paths that hold no
    proposal (and no file that failed) end the iteration in a :class:`UsageError`: a CI job
    pointed at the wrong folder must not pass quietly. ``walk`` says how folders are searched and
    where the files' paths may lead (:class:`reform_gate.load.walk.Walk`); without it, criteria
    paths in proposals are read wherever they lead, as the library trusts its caller.
    """
    sets = CriteriaSets(criteria, walk.root if walk is not None else None)
    scored = 0
    for proposal in _proposals(paths, errors, on_file, walk or Walk(root=None)):
        try:
            chosen = sets(proposal)
            load.validate_proposal(proposal, chosen)
            verdict = engine.score(proposal, chosen, as_of, gap=gap)
        except ReformGateError as err:
            errors.append(err)
            continue
        scored += 1
        yield Scored(proposal, verdict)
    if require and not scored and not errors:
        raise UsageError(", ".join(paths), "", "at least one proposal file", "no proposal in the paths given")


@frozen
class Validation:
    """What ``validate`` found: how many files it checked, and the problems of the invalid ones."""

    checked: int
    errors: tuple[ReformGateError, ...]


def validate_files(paths: Sequence[str], walk: Walk | None = None) -> Validation:
    """Load and check every proposal and criteria file under ``paths``; proposals also against
    their criteria set, and each proposal id only once in the run."""
    walk = walk or Walk(root=None)
    errors: list[ReformGateError] = []
    sets = CriteriaSets(None, walk.root)
    ids = _Ids()
    # Every file read counts as checked; one that could not be read, as checked and invalid.
    checked = before = 0
    for doc in _documents(paths, errors, None, walk, ("proposal", "criteria")):
        checked += len(errors) - before + 1
        try:
            if isinstance(doc, Proposal):
                ids.check(doc)
                load.validate_proposal(doc, sets(doc))
        except ReformGateError as problem:
            errors.append(problem)
        before = len(errors)
    return Validation(checked + len(errors) - before, tuple(errors))


@frozen
class Expectation:
    """One proposal's ``[expect]`` block held against its verdict: each way they differ."""

    file: str
    verdict: Verdict
    problems: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return not self.problems


@frozen
class Verification:
    """What ``verify`` found: every proposal with an ``[expect]`` block, and the invalid files."""

    expectations: tuple[Expectation, ...]
    errors: tuple[ReformGateError, ...]

    @property
    def failed(self) -> int:
        return sum(1 for e in self.expectations if not e.holds)


def verify_files(paths: Sequence[str], *, criteria: str | None = None, walk: Walk | None = None) -> Verification:
    """Score every proposal under ``paths`` and hold each verdict against its ``[expect]`` block."""
    errors: list[ReformGateError] = []
    found = []
    for s in score_files(paths, errors, criteria=criteria, gap=False, require=False, walk=walk):
        if s.proposal.expect is not None:
            found.append(Expectation(s.verdict.file, s.verdict, tuple(_compare(s.verdict, s.proposal.expect))))
    return Verification(tuple(found), tuple(errors))


def _compare(v: Verdict, expect: Expect) -> list[str]:
    """Each way the verdict differs from the proposal's [expect] block, as expected against actual."""
    problems = []
    if v.outcome != expect.outcome:
        problems.append(f"outcome: expected {expect.outcome}, got {v.outcome}")
    actual_tier = v.supported_tier or "none"
    if actual_tier != expect.supported_tier:
        problems.append(f"supported_tier: expected {expect.supported_tier}, got {actual_tier}")
    # [expect] holds scores as shown (one decimal); compare what a reader would see.
    if expect.overall_score is not None and abs(round(v.overall_score, 1) - expect.overall_score) > 0.05:
        problems.append(f"overall_score: expected {show(expect.overall_score, 1)}, got {show(v.overall_score, 1)}")
    if expect.design_score is not None and (
        v.design_score is None or abs(round(v.design_score, 1) - expect.design_score) > 0.05
    ):
        got = "none" if v.design_score is None else show(v.design_score, 1)
        problems.append(f"design_score: expected {show(expect.design_score, 1)}, got {got}")
    return problems


def outcomes_of(verdicts: Iterable[Verdict]) -> list[Outcome]:
    """The outcome of each verdict (for :func:`exit_code`)."""
    return [v.outcome for v in verdicts]

