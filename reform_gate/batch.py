"""The library's verbs: what each command does, as one call each.

The command line is a thin caller of this module (``docs/architecture.md``): ``score`` is
:func:`score_files`, ``validate`` :func:`validate_files`, ``verify`` :func:`verify_files`,
``sensitivity``, ``what-if`` and ``compare`` are :func:`sensitivity_file`, :func:`what_if_file`
and :func:`compare_files`, and every command's exit code comes from :func:`exit_code`. A batch
loads each criteria set once (:class:`CriteriaSets`), checks each proposal against its set once,
and hands both to the pure engine; a file that cannot be scored is collected as an error while
the rest go on.

For a proposal already in hand, :func:`score` checks its arguments and the proposal against the
criteria set, then scores it: that is ``reform_gate.score``. :func:`timeline` rescores it at a
series of dates, and :func:`evidence_on` says what an evidence file holds on a date; the
``*_file`` forms are what ``reform-gate timeline`` and ``reform-gate evidence show`` call.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from . import engine, load
from .defaults import AUTO_JOBS_FROM, DEFAULT_DRAWS, DEFAULT_SEED, EXIT_BELOW, EXIT_INVALID, EXIT_OK, MAX_DRAWS
from .errors import DuplicateIdError, InvalidArgumentError, ReformGateError, UsageError
from .load.walk import Found, Walk
from .model import Criteria, Expect, Ledger, Outcome, Proposal, below
from .numbers import show
from .verdict import Verdict

if TYPE_CHECKING:  # the analyses', the record's and coverage's modules load only when used (start-up time)
    from concurrent.futures import ProcessPoolExecutor

    from .analysis import Comparison, Sensitivity, WhatIf
    from .checks import Value
    from .engine.coverage import SetCoverage
    from .history import RecordOnDate, Step, Timeline

__all__ = [
    "AUTO_JOBS_FROM",
    "CONFIG_FILE",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "EXIT_BELOW",
    "EXIT_INVALID",
    "EXIT_OK",
    "MAX_DRAWS",
    "STDIN",
    "STDIN_NAME",
    "CriteriaSets",
    "Expectation",
    "Scored",
    "Validation",
    "Verification",
    "auto_jobs",
    "compare",
    "compare_files",
    "evidence_file",
    "evidence_on",
    "exit_code",
    "files_under",
    "score",
    "score_files",
    "sensitivity",
    "sensitivity_file",
    "timeline",
    "timeline_file",
    "validate_files",
    "verify_files",
    "what_if",
    "what_if_file",
]

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
    if as_of is not None:
        _date_argument("score", "as_of", as_of)
    proposal, criteria = _checked("score", proposal, criteria)
    return engine.score(proposal, criteria, as_of, gap=gap)


def _checked(name: str, proposal: Proposal, criteria: Criteria) -> tuple[Proposal, Criteria]:
    """Both arguments' types, and the proposal against the set; with their digests."""
    if not isinstance(proposal, Proposal):
        raise InvalidArgumentError(name, "proposal", "a Proposal (from load_proposal)", _kind(proposal))
    if not isinstance(criteria, Criteria):
        raise InvalidArgumentError(name, "criteria", "a Criteria (from load_criteria)", _kind(criteria))
    load.validate_proposal(proposal, criteria)
    # A set built in code gets its digest once, not once per proposal.
    criteria = criteria.derived.get("with-origin", lambda: load.with_origin(criteria))
    return load.with_origin(proposal), criteria


def _date_argument(name: str, key: str, value: object) -> _dt.date:
    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        raise InvalidArgumentError(name, key, "a datetime.date, such as datetime.date(2025, 7, 3)", _kind(value))
    return value


def _kind(value: object) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


# --- the record over time ----------------------------------------------------------------------


def timeline(
    proposal: Proposal,
    criteria: Criteria,
    start: _dt.date,
    end: _dt.date,
    *,
    every: str | Step | None = None,
) -> Timeline:
    """``proposal`` scored at each date from ``start`` to ``end`` (both included), with the evidence
    that changed between neighbouring dates.

    ``every`` (``"6m"``, ``"1y"``, ``"2w"``, ``"30d"``, or a :class:`~reform_gate.history.Step`)
    spaces the dates evenly from ``start``; without it the dates are ``start``, ``end`` and each
    date between on which the verdict can change (an entry starts to count or grows too old to
    count, a waiver expires). Each date is scored as ``--as-of`` would score it, so the proposal's
    own entries, dated on its own date, count only from then (``docs/cli.md``, "timeline").
    """
    _date_argument("timeline", "start", start)
    _date_argument("timeline", "end", end)
    if end < start:
        raise UsageError("--to", "", f"a date on or after --from ({start.isoformat()})", end.isoformat())
    from .history import Step, parse_step  # only a timeline needs the record over time (start-up time)

    step = parse_step(every) if isinstance(every, str) else every
    if step is not None and not isinstance(step, Step):
        raise InvalidArgumentError("timeline", "every", 'a step such as "6m", or a Step', _kind(every))
    proposal, criteria = _checked("timeline", proposal, criteria)
    days = (
        engine.change_points(proposal, criteria, start, end) if step is None else engine.dates_between(start, end, step)
    )
    return engine.timeline(proposal, criteria, days, every=step)


def timeline_file(
    path: str | Path,
    start: _dt.date,
    end: _dt.date,
    *,
    every: str | Step | None = None,
    criteria: str | None = None,
) -> Timeline:
    """:func:`timeline` for the proposal file at ``path``, under the criteria set it names (or ``criteria``)."""
    proposal = load.load_proposal(path)
    return timeline(proposal, load.criteria_for(proposal, criteria), start, end, every=every)


def evidence_on(ledger: Ledger, criteria: Criteria | None = None, as_of: _dt.date | None = None) -> RecordOnDate:
    """What counts of ``ledger`` on ``as_of``, per indicator, with the later entries passed over
    and why, under the evidence policy of ``criteria`` (default: the set the file names).

    Without ``as_of`` it is the day the last entry counts from: the record as the file knows it
    (never the clock).
    """
    if not isinstance(ledger, Ledger):
        raise InvalidArgumentError("evidence_on", "ledger", "a Ledger (from load_ledger)", _kind(ledger))
    if criteria is None:
        criteria = load.criteria_of_ledger(ledger)
    elif not isinstance(criteria, Criteria):
        raise InvalidArgumentError("evidence_on", "criteria", "a Criteria (from load_criteria)", _kind(criteria))
    if as_of is None:
        days = [e.observation.counts_from for entries in ledger.record().values() for e in entries]
        if not days:
            raise UsageError(ledger.file or ledger.id, "observations", "at least one entry", "none")
        as_of = max(days)
    _date_argument("evidence_on", "as_of", as_of)
    return engine.record_on(load.with_origin(ledger), criteria, as_of)


def evidence_file(path: str | Path, *, as_of: _dt.date | None = None, criteria: str | None = None) -> RecordOnDate:
    """:func:`evidence_on` for the evidence file at ``path`` (``reform-gate evidence show``)."""
    chosen = load.load_criteria(criteria, Path.cwd(), "--criteria") if criteria is not None else None
    ledger = load.load_ledger(path, chosen)
    return evidence_on(ledger, chosen, as_of)


# --- files -------------------------------------------------------------------------------------


#: The configuration file (``docs/cli.md``, "Configuration"): a folder search passes over it.
CONFIG_FILE = ".reform-gate.toml"

#: A path of ``-`` stands for standard input, shown in outputs as :data:`STDIN_NAME`.
STDIN = "-"
STDIN_NAME = "<stdin>"


def _load(found: Found, ledgers: load.Ledgers, tables: tuple[str, ...] | None) -> Proposal | Criteria | Ledger | None:
    """One file of a batch; ``-`` is standard input, whose criteria and evidence paths are relative
    to the working folder. A file found in a folder (not named) is read only if it opens one of
    ``tables`` (``None`` when it does not)."""
    if found.path != STDIN:
        return load.load_document(found.path, ledgers, None if found.named else tables)
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stand-in (tests, embedding): read its text
        text = sys.stdin.read() if sys.stdin is not None else ""
    else:
        text = load.read_stream(stream, STDIN_NAME)
    return load.load_document_text(text, STDIN_NAME, ledgers)


def _found(paths: Sequence[str], walk: Walk | None) -> list[Found]:
    if list(paths).count(STDIN) > 1:
        raise UsageError(STDIN, "", "standard input named once", f"{STDIN} {list(paths).count(STDIN)} times")
    return load.walk.files_under(paths, walk)


def files_under(paths: Sequence[str], walk: Walk | None = None) -> list[str]:
    """The files named (``-`` kept as standard input), with folders searched for ``*.toml`` in
    sorted order (:mod:`reform_gate.load.walk`: hidden files and folders, the configuration file
    among them, virtual environments, what git ignores and ``--exclude`` are skipped)."""
    return [f.path for f in _found(paths, walk)]


class CriteriaSets:
    """Criteria sets are shared by many proposals and evidence files: each set is loaded once per
    batch, however many folders name it and however they name it.

    ``override`` (``--criteria``) replaces the set every proposal names; ``root``
    (``--criteria-root``) is where a criteria path written in a file must lead (``None``: anywhere).
    """

    def __init__(self, override: str | None = None, root: str | None = None) -> None:
        self.override = override
        self.root = root
        self._sets: dict[Path, Criteria] = {}
        self._named_in: dict[tuple[Path, str], Criteria | None] = {}

    def __call__(self, proposal: Proposal) -> Criteria:
        """The criteria set ``proposal`` is scored under."""
        ref = self.override or proposal.proposal.criteria
        if ref is None:
            return load.criteria_for(proposal)  # raises: no criteria set named or given
        folder = Path(proposal.origin.path).parent if proposal.origin and proposal.origin.path else Path.cwd()
        found = self._named(ref, Path.cwd() if self.override else folder, None if self.override else self.root)
        return found if found is not None else load.criteria_for(proposal, self.override, self.root)

    def of_ledger(self, ledger: Ledger) -> Criteria:
        """The criteria set an evidence file names (to check its indicators)."""
        folder = Path(ledger.origin.path).parent if ledger.origin and ledger.origin.path else Path.cwd()
        found = self._named(ledger.evidence.criteria, folder, self.root)
        return found if found is not None else load.criteria_of_ledger(ledger)

    def _named(self, ref: str, folder: Path, root: str | None) -> Criteria | None:
        """The set ``ref`` names from ``folder``, loaded once per file; ``None`` when it names none
        or leads outside ``root`` (the caller then raises the error, placed at the key that names it)."""
        if (folder, ref) in self._named_in:
            return self._named_in[(folder, ref)]
        try:
            path = load.resolve_criteria(ref, folder, ref, "", root)
        except ReformGateError:
            return None
        key = path.resolve()
        if key not in self._sets:
            self._sets[key] = load.load_criteria(path)
        self._named_in[(folder, ref)] = self._sets[key]
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


def _ledgers(sets: CriteriaSets, walk: Walk) -> load.Ledgers:
    """Evidence files, each read once per batch, under the same root as criteria paths."""
    return load.Ledgers(root=Path(walk.root) if walk.root is not None else None, criteria_of=sets.of_ledger)


def _documents(
    paths: Sequence[str],
    errors: list[ReformGateError],
    on_file: OnFile | None,
    walk: Walk,
    tables: tuple[str, ...],
    ledgers: load.Ledgers,
    found: Sequence[Found] | None = None,
    start: int = 0,
) -> Iterator[Proposal | Criteria | Ledger]:
    """Every document under ``paths``: files named, and files found that open one of ``tables``
    (``found``: the files, already listed; ``start``: the first of them to read).

    A file whose links lead outside ``walk.root`` is refused unread.
    """
    found = _found(paths, walk) if found is None else found
    for done in range(start, len(found)):
        f = found[done]
        if on_file is not None:
            on_file(done, len(found), f.path)
        try:
            doc = _read(f, walk, ledgers, tables)
        except ReformGateError as err:
            errors.append(err)
            continue
        if doc is not None:
            yield doc


def _read(f: Found, walk: Walk, ledgers: load.Ledgers, tables: tuple[str, ...]) -> Proposal | Criteria | Ledger | None:
    if walk.root is not None and f.path != STDIN and os.path.realpath(f.path) != os.path.abspath(f.path):
        load.resolve.contained(f.path, walk.root, f.path)
    return _load(f, ledgers, tables)


def _proposals(
    paths: Sequence[str],
    errors: list[ReformGateError],
    on_file: OnFile | None,
    walk: Walk,
    ledgers: load.Ledgers,
    found: Sequence[Found] | None = None,
    start: int = 0,
    ids: _Ids | None = None,
) -> Iterator[Proposal]:
    """Every proposal under ``paths``, each id once; criteria and evidence files named along the
    way are skipped (each evidence file is read once, however many proposals name it)."""
    ids = ids or _Ids()
    for doc in _documents(paths, errors, on_file, walk, ("proposal",), ledgers, found, start):
        if isinstance(doc, Proposal):
            try:
                ids.check(doc)
            except ReformGateError as err:
                errors.append(err)
                continue
            yield doc


def auto_jobs(files: int, gap: bool = True) -> int:
    """How many processes score a batch of ``files`` (``--jobs auto``, the command line's default):
    one for a small batch, or for a run that leaves out what it would take, else one per core (at
    most 8).

    Without the gap a proposal is scored in about 2 ms, less than a worker takes to send its verdict
    back and the parent to rebuild it, so workers made the text summary slower on two cores; with the
    gap they paid (``docs/performance.md``, "Scoring in several processes").
    """
    if files < AUTO_JOBS_FROM or not gap:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, 8))


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
    jobs: int | None = 1,
) -> Iterator[Scored]:
    """Each proposal under ``paths`` with its verdict, as it is scored.

    ``jobs`` > 1 scores in that many worker processes (``None``: :func:`auto_jobs`), with the
    same verdicts and errors in the same order as one process gives (``docs/performance.md``).

    A file that cannot be loaded or scored goes to ``errors`` and the batch goes on; so does a
    proposal whose id an earlier file of the run already has. A batch that draws each verdict as
    it comes holds one at a time, however many files. With ``require``, paths that hold no
    proposal (and no file that failed) end the iteration in a :class:`UsageError`: a CI job
    pointed at the wrong folder must not pass quietly. ``walk`` says how folders are searched and
    where the files' paths may lead (:class:`reform_gate.load.walk.Walk`); without it, criteria
    and evidence paths in proposals are read wherever they lead, as the library trusts its caller.
    """
    walk = walk or Walk(root=None)
    found = _found(paths, walk)
    chosen_for_me = jobs is None
    jobs = auto_jobs(len(found), gap) if jobs is None else jobs
    ids = _Ids()
    scored = 0
    start = 0
    workers = jobs > 1 and len(found) > 1 and all(f.path != STDIN for f in found)
    pool = _pool(_Task(criteria, as_of, gap, walk), jobs, chosen_for_me) if workers else None
    if pool is not None:
        for done, result in _score_in_order(pool, found, jobs, on_file):
            if result is None:  # a file that holds no proposal
                continue
            if isinstance(result, str):  # _FAILED
                # An error: from here on in this process, so that every error reads as one process
                # gives it (an evidence file's problems are told once per run, say).
                start = done
                break
            assert isinstance(result, Scored)
            try:
                ids.check(result.proposal)
            except ReformGateError as err:
                errors.append(err)
                continue
            scored += 1
            yield result
        else:
            start = len(found)
    sets = CriteriaSets(criteria, walk.root)
    for proposal in _proposals(paths, errors, on_file, walk, _ledgers(sets, walk), found, start, ids):
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


def validate_files(paths: Sequence[str], walk: Walk | None = None, *, criteria: str | None = None) -> Validation:
    """Load and check every proposal, criteria and evidence file under ``paths``: proposals also
    against their criteria set (or against ``criteria``, ``--criteria``, when given; and each
    proposal id only once in the run), evidence files against the set they name."""
    walk = walk or Walk(root=None)
    errors: list[ReformGateError] = []
    sets = CriteriaSets(criteria, walk.root)
    ids = _Ids()
    # Every file read counts as checked; one that could not be read, as checked and invalid.
    checked = before = 0
    documents = _documents(paths, errors, None, walk, ("proposal", "criteria", "evidence"), _ledgers(sets, walk))
    for doc in documents:
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
    """What ``verify`` found: every proposal with an ``[expect]`` block, and the invalid files;
    with ``coverage``, how far the holding expectations cover each criteria set."""

    expectations: tuple[Expectation, ...]
    errors: tuple[ReformGateError, ...]
    coverage: tuple[SetCoverage, ...] = ()

    @property
    def failed(self) -> int:
        return sum(1 for e in self.expectations if not e.holds)

    def below(self, min_coverage: float) -> list[SetCoverage]:
        """The criteria sets whose rule or tier coverage is under ``min_coverage`` percent."""
        return [c for c in self.coverage if min(c.rule_percent, c.tier_percent) < min_coverage - 1e-9]


def verify_files(
    paths: Sequence[str], *, criteria: str | None = None, walk: Walk | None = None, coverage: bool = False
) -> Verification:
    """Score every proposal under ``paths`` and hold each verdict against its ``[expect]`` block.

    With ``coverage``, also measure which rules and tiers of each criteria set the holding
    expectations cover (:mod:`reform_gate.engine.coverage`, ``docs/scoring.md``, "Coverage").
    """
    errors: list[ReformGateError] = []
    found = []
    sets = CriteriaSets(criteria, walk.root if walk is not None else None)
    held: dict[tuple[str, str, str], tuple[Criteria, list[Verdict]]] = {}
    for s in score_files(paths, errors, criteria=criteria, gap=False, require=False, walk=walk):
        if s.proposal.expect is None:
            continue
        expectation = Expectation(s.verdict.file, s.verdict, tuple(_compare(s.verdict, s.proposal.expect)))
        found.append(expectation)
        if coverage and expectation.holds:
            # Loaded once per set (score_files has loaded it already; this cache is verify's own).
            chosen = sets(s.proposal)
            key = (chosen.id, chosen.criteria.version, chosen.origin.sha256 if chosen.origin else "")
            held.setdefault(key, (chosen, []))[1].append(s.verdict)
    from .engine.coverage import coverage as set_coverage  # only verify --coverage reads it (start-up time)

    measured = tuple(set_coverage(c, verdicts) for c, verdicts in held.values())
    return Verification(tuple(found), tuple(errors), tuple(sorted(measured, key=lambda x: (x.criteria, x.file))))


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


def _checked_on(call: str, proposal: Proposal, criteria: Criteria, as_of: _dt.date | None) -> tuple[Proposal, Criteria]:
    """:func:`_checked`, and ``as_of`` a date when given."""
    if as_of is not None:
        _date_argument(call, "as_of", as_of)
    return _checked(call, proposal, criteria)


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
    proposal, criteria = _checked_on("sensitivity", proposal, criteria, as_of)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidArgumentError("sensitivity", "seed", "an integer", _kind(seed))
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise InvalidArgumentError("sensitivity", "draws", f"an integer from 1 to {MAX_DRAWS:,}", _kind(draws))
    from .engine.sensitivity import sensitivity as analyse

    return analyse(proposal, criteria, as_of, seed=seed, draws=draws)


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
    proposal, criteria = _checked_on("what_if", proposal, criteria, as_of)
    if not isinstance(changes, Mapping) or not changes:
        raise InvalidArgumentError("what_if", "changes", "a non-empty mapping of indicator id to value", _kind(changes))
    from .engine.what_if import hypothetical
    from .engine.what_if import what_if as analyse

    load.validate_proposal(hypothetical(proposal, changes, as_of or proposal.proposal.date), criteria)
    for ident in changes:
        if ident not in criteria.indicators:
            raise UsageError("what_if", "changes", f"an indicator of {criteria.id}", f'"{ident}"')
    return analyse(proposal, criteria, changes, as_of)


def compare(pairs: Sequence[tuple[Proposal, Criteria]], as_of: _dt.date | None = None) -> Comparison:
    """Each (proposal, criteria set) pair scored and set side by side, with the findings that
    differ (``reform-gate compare``)."""
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Sequence) or len(pairs) < 2:
        raise InvalidArgumentError("compare", "pairs", "two or more (proposal, criteria) pairs", _kind(pairs))
    checked = []
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidArgumentError("compare", "pairs", "(proposal, criteria) pairs", _kind(pair))
        checked.append(_checked_on("compare", pair[0], pair[1], as_of))
    from .engine.compare import compare as analyse

    return analyse(checked, as_of)


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


# --- scoring in worker processes (``score --jobs``) -------------------------------------------------


@frozen
class _Task:
    """What every worker needs to score a file as :func:`score_files` would."""

    criteria: str | None
    as_of: _dt.date | None
    gap: bool
    walk: Walk


#: A worker's answer for a file that raised an error: the parent reads it again itself.
_FAILED = "failed"
#: The worker's own criteria sets and evidence files, kept across the files it is given.
_state: dict[str, object] = {}


def _start_worker(task: _Task) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler unwinds the parent only
    sets = CriteriaSets(task.criteria, task.walk.root)
    _state.update(task=task, sets=sets, ledgers=_ledgers(sets, task.walk))
    _send_verdicts_lean()


def _send_verdicts_lean() -> None:
    """Pickle verdicts as their class and field values, in this worker only.

    attrs pickles a frozen class through ``__getstate__`` and ``__setstate__``, which set each
    field one by one in Python; the parent, which draws every verdict, spent most of a verdict's
    transfer there. Rebuilt through the class's own ``__init__`` (for classes whose fields are all
    plain arguments, without converters or validators), a verdict unpickles in about 60 % of the
    time and equal to what was sent (``docs/performance.md``).
    """
    import functools
    from multiprocessing.reduction import ForkingPickler

    import attrs

    from . import verdict

    for cls in (*(c for c in vars(verdict).values() if isinstance(c, type) and attrs.has(c)), Scored):
        fields = attrs.fields(cls)
        plain = all(f.init and not f.kw_only and f.converter is None and f.validator is None for f in fields)
        if cls.__module__ not in (verdict.__name__, __name__) or not plain:
            continue  # rebuilt through __init__ only where that gives back exactly what was sent
        names = tuple(f.name for f in fields)
        ForkingPickler.register(cls, functools.partial(_as_values, names))


def _as_values(names: tuple[str, ...], obj: object) -> tuple[Callable[..., object], tuple[object, ...]]:
    return type(obj), tuple(getattr(obj, name) for name in names)


def _work(chunk: Sequence[Found]) -> list[Scored | str | None]:
    """Score each file of ``chunk`` (in a worker); stop at the first error."""
    task = _state["task"]
    sets = _state["sets"]
    ledgers = _state["ledgers"]
    assert isinstance(task, _Task) and isinstance(sets, CriteriaSets) and isinstance(ledgers, load.Ledgers)
    out: list[Scored | str | None] = []
    for f in chunk:
        try:
            doc = _read(f, task.walk, ledgers, ("proposal",))
            if not isinstance(doc, Proposal):
                out.append(None)
                continue
            chosen = sets(doc)
            load.validate_proposal(doc, chosen)
            out.append(Scored(doc, engine.score(doc, chosen, task.as_of, gap=task.gap)))
        except ReformGateError:
            out.append(_FAILED)
            break
    return out


def _pool(task: _Task, jobs: int, chosen_for_me: bool) -> ProcessPoolExecutor | None:
    """The worker processes of a batch; None when ``--jobs auto`` chose them and this system cannot
    start them (no working semaphores, as in some sandboxes): one process then scores the batch, as
    it would have without ``auto``. Workers asked for by number fail loudly instead."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    # An executor, not multiprocessing.Pool: stopping a Pool early kills workers that may hold its
    # task queue's lock, and a worker it starts in their place then waits for that lock forever (a
    # hang seen in the tests). Stopped early, the executor cancels what has not started and waits
    # for the chunks in hand, a few files each.
    try:
        return ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker, initargs=(task,)
        )
    except (OSError, ImportError, NotImplementedError):
        if chosen_for_me:
            return None
        raise


def _score_in_order(
    pool: ProcessPoolExecutor, found: Sequence[Found], jobs: int, on_file: OnFile | None
) -> Iterator[tuple[int, Scored | str | None]]:
    """Each file's result, in the order of ``found``, scored by ``pool``'s ``jobs`` workers.

    Files go out in chunks, and at most a few chunks per worker are out at once, so the results
    waiting to be drawn stay few (memory does not grow with the batch). The workers end with the
    iteration, however it ends.
    """
    from collections import deque
    from concurrent.futures import Future

    size = max(1, min(4, len(found) // (jobs * 4)))
    chunks = [found[i : i + size] for i in range(0, len(found), size)]
    try:
        waiting: deque[Future[list[Scored | str | None]]] = deque()
        sent = 0
        done = 0
        while done < len(found):
            while sent < len(chunks) and len(waiting) < jobs + 1:
                waiting.append(pool.submit(_work, chunks[sent]))
                sent += 1
            for result in waiting.popleft().result():
                if result != _FAILED and on_file is not None:
                    on_file(done, len(found), found[done].path)
                yield done, result
                done += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
