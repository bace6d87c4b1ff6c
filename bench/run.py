"""reform-gate's benchmarks, each a ratio measured side by side in one run, against its goal.

    python bench/run.py            # the figures recorded in docs/performance.md (several minutes)
    python bench/run.py --quick    # the same measures, smaller (CI: about a minute)
    python bench/run.py --only startup,analysis --json results.json

Measures (the goals are issue 11's, issue 4's before them):

- startup: wall time of ``reform-gate score SEED --format json`` over that of
  ``python -c "import attrs, cattrs, tomllib"``, the floor set by the dependencies; runs of the
  two alternate and the median of each is taken. Goal <= 1.25.
- batch: proposals per second through the whole pipeline (``reform-gate score DIR --format
  json``: read, parse, load, score, render) over 2,000 generated proposals of about 2 KB, over
  the proposals per second of ``tomllib`` parsing the same files and nothing else. Goal >= 0.5;
  ``batch:jobs2`` the same with ``--jobs 2``, goal >= 1.0 and the same bytes as one job.
- size: bytes of JSON per verdict: a run over all the seeds (``reform-gate score seeds/ --format
  json``, which writes each rule's texts once) over the number of verdicts. Goal <= 10 KB. The
  detail shows each seed's verdict written alone (smallest, mean, largest: each carries its own
  catalogue), and SARIF and JUnit bytes per verdict for the same run.
- analysis: scoring with each analysis against a generated 200-rule criteria set, over scoring
  the same proposals without it. The gap: goal <= 3. Sensitivity (``reform_gate.sensitivity``:
  exact weight ranges, the flip list and 1,000 Monte-Carlo draws) over plain scoring: no goal,
  printed. New analyses go in ``ANALYSES``.
- memory: peak RSS of ``reform-gate score DIR --format json`` over 10,000 proposals (``--quick``:
  2,000), over that over 100, each in its own process. Goal <= 1.2. ``memory:files`` is the same for the CI
  recipe's four files at once (``--format sarif --output ... --format markdown --output ...
  --format json --output ... --format junit --output ...``).
- growth: time per proposal as the criteria set grows (rules) and as the batch grows
  (proposals), with the slope of log(time) against log(size): 1 is linear. No goal; shown.

The inputs are generated from fixed seeds into a temporary folder (see ``bench/generate.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

import reform_gate  # noqa: E402
from reform_gate import cli  # noqa: E402
from reform_gate.load import toml_parser  # noqa: E402

SEED = ROOT / "seeds" / "ru-isisk-intelligence-sharing.toml"
SHIPPED = "reform-before-recognition"

#: One proposal through an analysis (or through plain scoring, the yardstick).
Analyse = Callable[[reform_gate.Proposal, reform_gate.Criteria], object]


def _sensitivity(p: reform_gate.Proposal, c: reform_gate.Criteria) -> object:
    return reform_gate.sensitivity(p, c)


#: Each analysis: how to run it, the plain scoring it is measured against, its goal (``None``:
#: printed, not held to one), and how many of the generated proposals to time it on (``None``:
#: all; sensitivity takes seconds a proposal on 200 rules, so it is timed on a few).
ANALYSES: dict[str, tuple[Analyse, Analyse, float | None, int | None]] = {
    "gap": (lambda p, c: reform_gate.score(p, c, gap=True), lambda p, c: reform_gate.score(p, c, gap=False), 3.0, None),
    "sensitivity": (_sensitivity, lambda p, c: reform_gate.score(p, c), None, 5),
}


class Result:
    """One measure: its ratio, the goal, and the figures behind it."""

    def __init__(self, name: str, ratio: float, goal: str, holds: bool | None, detail: dict[str, Any]) -> None:
        self.name = name
        self.ratio = ratio
        self.goal = goal
        self.holds = holds
        self.detail = detail

    def line(self) -> str:
        verdict = "" if self.holds is None else ("  met" if self.holds else "  NOT MET")
        figures = ", ".join(f"{k} {_fmt(v)}" for k, v in self.detail.items() if not isinstance(v, list | dict))
        return f"{self.name:<10} {self.ratio:8.3f}  goal {self.goal:<8}{verdict}\n           {figures}"


def _fmt(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _script() -> str:
    """The ``reform-gate`` console script of this interpreter's environment."""
    found = Path(sys.executable).with_name("reform-gate")
    return str(found) if found.exists() else "reform-gate"


# --- start-up --------------------------------------------------------------------------------


def bench_startup(quick: bool) -> Result:
    runs = 15 if quick else 60
    floor_cmd = [sys.executable, "-c", "import attrs, cattrs, tomllib"]
    ours_cmd = [_script(), "score", str(SEED), "--format", "json", "--fail-below", "rejected"]
    # Both sides run from bytecode, as an installed package does (pip compiles it at install):
    # with PYTHONDONTWRITEBYTECODE set, the dependencies in site-packages would still have theirs
    # and reform-gate's modules would be compiled from source on every run.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for cmd in (floor_cmd, ours_cmd):  # warm the file cache and write the bytecode
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
    floor: list[float] = []
    ours: list[float] = []
    for _ in range(runs):
        for cmd, into in ((floor_cmd, floor), (ours_cmd, ours)):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
            into.append(time.perf_counter() - start)
    ratio = statistics.median(ours) / statistics.median(floor)
    detail = {
        "runs": runs,
        "floor_ms": 1000 * statistics.median(floor),
        "score_ms": 1000 * statistics.median(ours),
    }
    return Result("startup", ratio, "<= 1.25", ratio <= 1.25, detail)


# --- batch -----------------------------------------------------------------------------------


def _pipeline(folder: Path, jobs: int = 1, into: Path | None = None) -> float:
    """Seconds for ``reform-gate score FOLDER --format json --jobs N`` in this process (output to
    ``into``, else discarded)."""
    with open(into or os.devnull, "w", encoding="utf-8") as out, contextlib.redirect_stdout(out):
        start = time.perf_counter()
        cli.main(["score", str(folder), "--format", "json", "--fail-below", "rejected", "--jobs", str(jobs)])
        return time.perf_counter() - start


def _parse_only(paths: Sequence[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        tomllib.loads(path.read_bytes().decode("utf-8"))
    return time.perf_counter() - start


def bench_batch(work: Path, quick: bool) -> list[Result]:
    count = 500 if quick else 2000
    shipped = reform_gate.load_criteria(SHIPPED)
    folder = work / f"batch-{count}"
    paths = generate.write_proposals(folder, count, shipped, SHIPPED)
    _parse_only(paths[:200])  # warm up
    outputs = {jobs: work / f"batch-{count}-jobs{jobs}.json" for jobs in (1, 2)}
    # Alternate the three, and keep each one's best of two: the machine is shared.
    ours: dict[int, list[float]] = {1: [], 2: []}
    parse: list[float] = []
    for _ in range(2):
        parse.append(_parse_only(paths))
        for jobs in (1, 2):
            ours[jobs].append(_pipeline(folder, jobs, outputs[jobs]))
    same = outputs[1].read_bytes() == outputs[2].read_bytes()
    results = []
    for jobs, goal in ((1, 0.5), (2, 1.0)):
        ratio = min(parse) / min(ours[jobs])  # = (proposals/s of the pipeline) / (proposals/s of tomllib alone)
        detail = {
            "proposals": count,
            "mean_bytes": sum(p.stat().st_size for p in paths) / count,
            "pipeline_per_s": count / min(ours[jobs]),
            "tomllib_per_s": count / min(parse),
            "parser": toml_parser.parser_name(),
        }
        if jobs == 2:
            detail["same_bytes_as_one_job"] = same
        name = "batch" if jobs == 1 else "batch:jobs2"
        results.append(Result(name, ratio, f">= {goal}", ratio >= goal and same, detail))
    return results


# --- size ------------------------------------------------------------------------------------


def _score_bytes(*argv: str) -> int:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(["score", *argv, "--fail-below", "rejected"])
    return len(out.getvalue().encode("utf-8"))


def bench_size(work: Path, quick: bool) -> Result:
    """Bytes of JSON per verdict in a run over the seeds (the catalogue once per run), with the
    single-verdict sizes and the CI formats' bytes per verdict beside it."""
    seeds = sorted((ROOT / "seeds").glob("*.toml"))
    alone = [_score_bytes(str(seed), "--format", "json") for seed in seeds]
    formats = ("json", "sarif", "junit")
    per_verdict = {fmt: _score_bytes(str(ROOT / "seeds"), "--format", fmt) / len(seeds) for fmt in formats}
    mean = per_verdict["json"]
    detail = {
        "seeds": len(seeds),
        "run_json_per_verdict": mean,
        "alone_smallest": min(alone),
        "alone_mean": statistics.fmean(alone),
        "alone_largest": max(alone),
        "sarif_per_verdict": per_verdict["sarif"],
        "junit_per_verdict": per_verdict["junit"],
    }
    return Result("size", mean / 1024, "<= 10 KB", mean <= 10 * 1024, detail)


# --- analysis --------------------------------------------------------------------------------


def _analysis_inputs(work: Path, rules: int, count: int) -> tuple[reform_gate.Criteria, list[reform_gate.Proposal]]:
    path, criteria = generate.write_criteria(work / "analysis", rules)
    # Proposals that observe most indicators, so that outcomes and gaps vary.
    files = generate.write_proposals(work / f"analysis-{rules}", count, criteria, str(path), target_bytes=150 * rules)
    return criteria, [reform_gate.load_proposal(f) for f in files]


def _score_all(proposals: Sequence[reform_gate.Proposal], criteria: reform_gate.Criteria, **options: Any) -> float:
    return _time_all(proposals, criteria, lambda p, c: reform_gate.score(p, c, **options))


def _time_all(proposals: Sequence[reform_gate.Proposal], criteria: reform_gate.Criteria, run: Analyse) -> float:
    start = time.perf_counter()
    for p in proposals:
        run(p, criteria)
    return time.perf_counter() - start


def bench_analysis(work: Path, quick: bool) -> list[Result]:
    criteria, proposals = _analysis_inputs(work, 200, 20 if quick else 100)
    _score_all(proposals[:3], criteria)  # warm the per-criteria caches
    outcomes: dict[str, int] = {}
    for p in proposals:
        v = reform_gate.score(p, criteria)
        outcomes[v.outcome] = outcomes.get(v.outcome, 0) + 1
    results = []
    for name, (with_it, without_it, goal, limit) in ANALYSES.items():
        timed = proposals[: limit or len(proposals)]
        repeats = 3 if limit is None else 1
        on = min(_time_all(timed, criteria, with_it) for _ in range(repeats))
        off = min(_time_all(timed, criteria, without_it) for _ in range(3))
        ratio = on / off
        detail: dict[str, Any] = {
            "rules": len(criteria.rules),
            "proposals": len(timed),
            f"with_{name}_ms": 1000 * on / len(timed),
            f"without_{name}_ms": 1000 * off / len(timed),
            "outcomes": " ".join(f"{o}:{n}" for o, n in sorted(outcomes.items())),
        }
        if goal is None:
            results.append(Result(f"analysis:{name}", ratio, "(shown)", None, detail))
        else:
            results.append(Result(f"analysis:{name}", ratio, f"<= {goal:g}", ratio <= goal, detail))
    return results


# --- memory ----------------------------------------------------------------------------------


#: Runs its arguments as a command and prints the command's peak RSS in KiB. It is a small
#: process of its own because a child's peak counts the pages of the process that forked it
#: (until exec), and this benchmark's process is larger than what it measures.
_PEAK_RSS = """
import os, subprocess, sys
with open(os.devnull, "wb") as null:
    child = subprocess.Popen(sys.argv[1:], stdout=null, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
if os.waitstatus_to_exitcode(status) not in (0, 1):
    sys.exit("the command failed")
print(usage.ru_maxrss)
"""


def _peak_rss_kib(cmd: list[str]) -> int:
    """Peak resident set of one run of ``cmd`` (its own, from wait4), in KiB."""
    done = subprocess.run([sys.executable, "-c", _PEAK_RSS, *cmd], capture_output=True, text=True, check=True)
    return int(done.stdout)


def _outputs(folder: Path, count: int) -> list[str]:
    """The CI recipe's four files at once (issue 8): SARIF, Markdown, JSON and JUnit."""
    out = folder.parent / f"out-{count}"
    out.mkdir(exist_ok=True)
    argv = []
    for fmt, ext in (("sarif", "sarif"), ("markdown", "md"), ("json", "json"), ("junit", "xml")):
        argv += ["--format", fmt, "--output", str(out / f"r.{ext}")]
    return [*argv, "--force"]


def bench_memory(work: Path, quick: bool) -> list[Result]:
    big = 2000 if quick else 10_000
    shipped = reform_gate.load_criteria(SHIPPED)
    results = []
    for name, files in (("memory", False), ("memory:files", True)):
        figures = {}
        for count in (100, big):
            folder = work / f"batch-{count}"
            if not folder.exists():
                generate.write_proposals(folder, count, shipped, SHIPPED)
            # One process at both sizes: --jobs auto would score the large batch in workers, whose
            # memory wait4 does not count (tests/security/test_streaming.py runs with workers too).
            cmd = [_script(), "score", str(folder), "--fail-below", "rejected", "--jobs", "1"]
            cmd += _outputs(folder, count) if files else ["--format", "json"]
            figures[count] = min(_peak_rss_kib(cmd) for _ in range(2))
        ratio = figures[big] / figures[100]
        detail = {"rss_100_mib": figures[100] / 1024, f"rss_{big}_mib": figures[big] / 1024}
        results.append(Result(name, ratio, "<= 1.2", ratio <= 1.2, detail))
    return results


# --- growth ----------------------------------------------------------------------------------


def _slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log y against log x."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def bench_growth(work: Path, quick: bool) -> list[Result]:
    results = []
    sizes = [25, 50, 100, 200] if quick else [25, 50, 100, 200, 400]
    per_proposal = []
    for rules in sizes:
        criteria, proposals = _analysis_inputs(work, rules, 10 if quick else 30)
        _score_all(proposals[:2], criteria)
        per_proposal.append(min(_score_all(proposals, criteria) for _ in range(2)) / len(proposals))
    slope = _slope(sizes, per_proposal)
    detail: dict[str, Any] = {f"ms_at_{n}_rules": 1000 * t for n, t in zip(sizes, per_proposal, strict=True)}
    results.append(Result("growth:rules", slope, "(slope)", None, detail))

    counts = [250, 500, 1000, 2000] if quick else [500, 1000, 2000, 4000, 8000]
    shipped = reform_gate.load_criteria(SHIPPED)
    seconds = []
    for count in counts:
        folder = work / f"batch-{count}"
        if not folder.exists():
            generate.write_proposals(folder, count, shipped, SHIPPED)
        seconds.append(_pipeline(folder))
    slope = _slope(counts, seconds)
    detail = {f"s_at_{n}": t for n, t in zip(counts, seconds, strict=True)}
    results.append(Result("growth:proposals", slope, "(slope)", None, detail))
    return results


# --- profiles --------------------------------------------------------------------------------


def profile(work: Path, quick: bool) -> None:
    """Where the time goes: start-up imports by self time, then the batch by function."""
    import cProfile
    import pstats

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # What the start-up measure runs: the command line imports most modules only once it knows
    # the command, so importing reform_gate.cli alone would show almost nothing.
    score = f"from reform_gate.cli import main; main(['score', {str(SEED)!r}, '--format', 'json'])"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import attrs, cattrs, tomllib; {score}"],
        capture_output=True,
        text=True,
        check=False,  # the seed's outcome may be below the default --fail-below
        env=env,
    )
    rows = []
    for line in done.stderr.splitlines():  # "import time: SELF | CUMULATIVE | NAME"
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        head, _, name = line.split("|")
        rows.append((int(head.split(":")[1]), name.strip()))
    print("\nimports of the floor and of reform-gate score SEED --format json, by self time (us):")
    for us, name in sorted(rows, reverse=True)[:20]:
        print(f"  {us:7d}  {name}")

    count = 300 if quick else 1000
    shipped = reform_gate.load_criteria(SHIPPED)
    folder = work / f"profile-{count}"
    generate.write_proposals(folder, count, shipped, SHIPPED)
    _pipeline(folder)
    prof = cProfile.Profile()
    prof.enable()
    _pipeline(folder)
    prof.disable()
    print(f"\nbatch of {count} proposals, by cumulative time:")
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


# --- main ------------------------------------------------------------------------------------

MEASURES = ("startup", "batch", "size", "analysis", "memory", "growth")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller inputs and fewer runs (for CI)")
    parser.add_argument("--only", metavar="NAMES", help="comma-separated subset of: " + ", ".join(MEASURES))
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is not met")
    parser.add_argument("--profile", action="store_true", help="then show where start-up and batch time goes")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(MEASURES)
    unknown = sorted(set(chosen) - set(MEASURES))
    if unknown:
        parser.error("unknown measure: " + ", ".join(unknown))

    print(f"reform-gate {reform_gate.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{'measure':<10} {'ratio':>8}  goal\n")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="reform-gate-bench-") as tmp:
        work = Path(tmp)
        steps: dict[str, Callable[[], Result | list[Result]]] = {
            "startup": lambda: bench_startup(args.quick),
            "batch": lambda: bench_batch(work, args.quick),
            "size": lambda: bench_size(work, args.quick),
            "analysis": lambda: bench_analysis(work, args.quick),
            "memory": lambda: bench_memory(work, args.quick),
            "growth": lambda: bench_growth(work, args.quick),
        }
        for name in MEASURES:
            if name not in chosen:
                continue
            got = steps[name]()
            for r in got if isinstance(got, list) else [got]:
                results.append(r)
                print(r.line(), flush=True)
        if args.profile:
            profile(work, args.quick)
    if args.json:
        data = [{"name": r.name, "ratio": r.ratio, "goal": r.goal, "met": r.holds, **r.detail} for r in results]
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    missed = [r.name for r in results if r.holds is False]
    print("\nall goals met" if not missed else "\ngoals not met: " + ", ".join(missed))
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
