"""The library's verbs: what each command does, as one call each.

The command line is a thin caller of this module (``docs/architecture.md``): ``score`` is
:func:`score_files`, ``validate`` :func:`validate_files`, ``verify`` :func:`verify_files`,
``sensitivity``, ``what-if`` and ``compare`` are :func:`sensitivity_file`, :func:`what_if_file`
and :func:`compare_files`, and every command's exit code comes from :func:`exit_code`. A batch
loads each criteria set once (:class:`CriteriaSets`), checks each proposal against its set once,
and hands both to the pure engine; a file that cannot be scored is collected as an error while
the rest go on.

For a proposal already in hand, :func:`score` checks its arguments and the proposal against the
criteria set, then scores it: that is ``reform_gate.score``.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from . import engine, load
from .errors import InvalidArgumentError, ReformGateError, UsageError
from .model import Criteria, Expect, Outcome, Proposal, below
from .numbers import show
from .verdict import Verdict

if TYPE_CHECKING:  # the analyses' modules load only when an analysis runs (start-up time)
    from .analysis import Comparison, Sensitivity, WhatIf
    from .checks import Value

#: The Monte-Carlo figure's defaults (``reform-gate sensitivity --seed --draws``) and the most draws.
DEFAULT_SEED = 2025
DEFAULT_DRAWS = 1000
MAX_DRAWS = 1_000_000

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "EXIT_BELOW",
    "EXIT_INVALID",
    "EXIT_OK",
    "CriteriaSets",
    "Expectation",
    "Scored",
    "Validation",
    "Verification",
    "compare",
    "compare_files",
    "exit_code",
    "files_under",
    "score",
    "score_files",
    "sensitivity",
    "sensitivity_file",
    "validate_files",
    "verify_files",
    "what_if",
    "what_if_file",
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


def files_under(paths: Sequence[str]) -> list[str]:
    """The files named, with folders searched for ``*.toml`` in sorted order.

    Kept as strings, for a batch to hold: 10,000 ``Path`` objects take 6 MB, and so would
    ``Path.rglob``, which keeps every path it yields. Folders are walked as rglob walks them (not
    into linked folders), and sorted as paths sort: part by part.
    """
    names: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for folder, _, files in os.walk(path):
                for name in files:
                    if name.endswith(".toml"):
                        full = str(Path(folder, name))
                        if os.path.isfile(full):
                            found.append(full)
            names += sorted(found, key=lambda name: name.replace(os.sep, "\0"))
        else:
            names.append(str(path))
    return names


class CriteriaSets:
    """Criteria sets are shared by many proposals: each is loaded once per batch.

    ``override`` (``--criteria``) replaces the set every proposal names.
    """

    def __init__(self, override: str | None = None) -> None:
        self.override = override
        self._sets: dict[str, Criteria] = {}

    def __call__(self, proposal: Proposal) -> Criteria:
        """The criteria set ``proposal`` is scored under."""
        ref = self.override or proposal.proposal.criteria
        folder = Path(proposal.origin.path).parent if proposal.origin and proposal.origin.path else Path.cwd()
        key = ref if self.override else f"{folder}|{ref}"
        if key not in self._sets:
            self._sets[key] = load.criteria_for(proposal, self.override)
        return self._sets[key]


@frozen
class Scored:
    """A proposal and its verdict."""

    proposal: Proposal
    verdict: Verdict


def _proposals(paths: Sequence[str], errors: list[ReformGateError], on_file: OnFile | None) -> Iterator[Proposal]:
    """Every proposal under ``paths``; criteria files found along the way are skipped."""
    files = files_under(paths)
    for done, file in enumerate(files):
        if on_file is not None:
            on_file(done, len(files), file)
        try:
            doc = load.load_document(file)
        except ReformGateError as err:
            errors.append(err)
            continue
        if isinstance(doc, Proposal):
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
) -> Iterator[Scored]:
    """Each proposal under ``paths`` with its verdict, as it is scored.

    A file that cannot be loaded or scored goes to ``errors`` and the batch goes on. A batch
    that draws each verdict as it comes holds one at a time, however many files. With
    ``require``, paths that hold no proposal (and no file that failed) end the iteration in a
    :class:`UsageError`: a CI job pointed at the wrong folder must not pass quietly.
    """
    sets = CriteriaSets(criteria)
    scored = 0
    for proposal in _proposals(paths, errors, on_file):
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


def validate_files(paths: Sequence[str]) -> Validation:
    """Load and check every TOML file under ``paths``; proposals also against their criteria set."""
    errors: list[ReformGateError] = []
    sets = CriteriaSets()
    files = files_under(paths)
    for file in files:
        try:
            doc = load.load_document(file)
            if isinstance(doc, Proposal):
                load.validate_proposal(doc, sets(doc))
        except ReformGateError as problem:
            errors.append(problem)
    return Validation(len(files), tuple(errors))


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


def verify_files(paths: Sequence[str], *, criteria: str | None = None) -> Verification:
    """Score every proposal under ``paths`` and hold each verdict against its ``[expect]`` block."""
    errors: list[ReformGateError] = []
    found = []
    for s in score_files(paths, errors, criteria=criteria, gap=False, require=False):
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


# --- analyses (docs/scoring.md, "Sensitivity"; docs/cli.md) ----------------------------------


def _checked(call: str, proposal: Proposal, criteria: Criteria, as_of: _dt.date | None) -> None:
    """The argument checks every one-proposal verb makes, then the proposal against its set."""
    if not isinstance(proposal, Proposal):
        raise InvalidArgumentError(call, "proposal", "a Proposal (from load_proposal)", _kind(proposal))
    if not isinstance(criteria, Criteria):
        raise InvalidArgumentError(call, "criteria", "a Criteria (from load_criteria)", _kind(criteria))
    if as_of is not None and (not isinstance(as_of, _dt.date) or isinstance(as_of, _dt.datetime)):
        raise InvalidArgumentError(call, "as_of", "a datetime.date, such as datetime.date(2025, 7, 3)", _kind(as_of))
    load.validate_proposal(proposal, criteria)


def _origins(proposal: Proposal, criteria: Criteria) -> tuple[Proposal, Criteria]:
    return load.with_origin(proposal), criteria.derived.get("with-origin", lambda: load.with_origin(criteria))


def sensitivity(
    proposal: Proposal,
    criteria: Criteria,
    as_of: _dt.date | None = None,
    *,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
) -> Sensitivity:
    """How robust the verdict of ``proposal`` is (``reform-gate sensitivity``).

    For every rule and pillar weight, the exact interval in which the outcome and the supported
    tier stay the same (closest to flipping first); every single observation whose change alone
    flips them; and the share of ``draws`` random weight changes of up to ±25 % (drawn with
    ``random.Random(seed)``) that keep the outcome. See ``docs/scoring.md``, "Sensitivity".
    """
    _checked("sensitivity", proposal, criteria, as_of)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidArgumentError("sensitivity", "seed", "an integer", _kind(seed))
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise InvalidArgumentError("sensitivity", "draws", f"an integer from 1 to {MAX_DRAWS:,}", _kind(draws))
    from .engine.sensitivity import sensitivity as analyse

    return analyse(*_origins(proposal, criteria), as_of, seed=seed, draws=draws)


def what_if(
    proposal: Proposal,
    criteria: Criteria,
    changes: Mapping[str, Value | None],
    as_of: _dt.date | None = None,
) -> WhatIf:
    """``proposal`` scored as it is and with ``changes`` (indicator id -> value; ``None`` removes
    the observation), side by side (``reform-gate what-if``).

    A changed value is a hypothetical observation that counts: dated on the scoring date, graded
    A1. Raises a :class:`~reform_gate.errors.ReformGateError` for an unknown indicator or a value
    that does not fit it.
    """
    _checked("what_if", proposal, criteria, as_of)
    if not isinstance(changes, Mapping) or not changes:
        raise InvalidArgumentError("what_if", "changes", "a non-empty mapping of indicator id to value", _kind(changes))
    from .engine.what_if import hypothetical
    from .engine.what_if import what_if as analyse

    load.validate_proposal(hypothetical(proposal, changes, as_of or proposal.proposal.date), criteria)
    for ident in changes:
        if ident not in criteria.indicators:
            raise UsageError("what_if", "changes", f"an indicator of {criteria.id}", f'"{ident}"')
    return analyse(*_origins(proposal, criteria), changes, as_of)


def compare(pairs: Sequence[tuple[Proposal, Criteria]], as_of: _dt.date | None = None) -> Comparison:
    """Each (proposal, criteria set) pair scored and set side by side, with the findings that
    differ (``reform-gate compare``)."""
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Sequence) or len(pairs) < 2:
        raise InvalidArgumentError("compare", "pairs", "two or more (proposal, criteria) pairs", _kind(pairs))
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidArgumentError("compare", "pairs", "(proposal, criteria) pairs", _kind(pair))
        _checked("compare", pair[0], pair[1], as_of)
    from .engine.compare import compare as analyse

    return analyse([_origins(p, c) for p, c in pairs], as_of)


def _one_proposal(path: str, criteria: str | None) -> tuple[Proposal, Criteria]:
    doc = load.load_document(path)
    if not isinstance(doc, Proposal):
        raise UsageError(path, "", "a proposal file", "a criteria set")
    return doc, load.criteria_for(doc, criteria)


def sensitivity_file(
    path: str,
    *,
    criteria: str | None = None,
    as_of: _dt.date | None = None,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
) -> Sensitivity:
    """:func:`sensitivity` of the proposal in ``path``, under its criteria set or ``criteria``."""
    proposal, chosen = _one_proposal(path, criteria)
    return sensitivity(proposal, chosen, as_of, seed=seed, draws=draws)


def what_if_file(
    path: str,
    settings: Sequence[str] = (),
    drops: Sequence[str] = (),
    *,
    criteria: str | None = None,
    as_of: _dt.date | None = None,
) -> WhatIf:
    """:func:`what_if` of the proposal in ``path``, with ``INDICATOR=VALUE`` ``settings`` read by
    each indicator's type and the observations of ``drops`` removed."""
    from .load.values import indicator_named, parse_setting

    proposal, chosen = _one_proposal(path, criteria)
    changes: dict[str, Value | None] = {}
    for text in settings:
        ident, value = parse_setting(text, chosen)
        changes[ident] = value
    for ident in drops:
        indicator_named(ident, chosen, "--drop")
        changes[ident] = None
    if not changes:
        raise UsageError("what-if", "", "at least one --set INDICATOR=VALUE or --drop INDICATOR", "none")
    return what_if(proposal, chosen, changes, as_of)


def compare_files(paths: Sequence[str], *, criteria: Sequence[str] = (), as_of: _dt.date | None = None) -> Comparison:
    """:func:`compare` of every proposal under ``paths``, each under its own criteria set, or under
    each of ``criteria`` in turn (one column per proposal and set)."""
    pairs: list[tuple[Proposal, Criteria]] = []
    loaded: dict[str, Criteria] = {}
    for path in files_under(paths):
        doc = load.load_document(path)
        if not isinstance(doc, Proposal):
            continue
        if not criteria:
            pairs.append((doc, load.criteria_for(doc)))
        for ref in criteria:
            if ref not in loaded:
                loaded[ref] = load.criteria_for(doc, ref)
            pairs.append((doc, loaded[ref]))
    if len(pairs) < 2:
        raise UsageError(
            ", ".join(paths),
            "",
            "two or more verdicts to compare: several proposals, or one with --criteria given twice",
            f"{len(pairs)} verdict{'s' if len(pairs) != 1 else ''}",
        )
    return compare(pairs, as_of)
