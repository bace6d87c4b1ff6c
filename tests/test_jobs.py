"""``score --jobs N``: the same bytes in the same order as one process, errors included."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import reform_gate
from reform_gate import batch, cli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty generated proposals, with a broken file, a duplicate id, a proposal that fails its
    checks and a criteria file among them, and the seeds with their ledger."""
    base = tmp_path_factory.mktemp("jobs")
    shipped = reform_gate.load_criteria("reform-before-recognition")
    paths = generate.write_proposals(base / "batch", 40, shipped, "reform-before-recognition")
    (base / "batch" / "p-0013b.toml").write_text("[proposal]\nid = \n", encoding="utf-8")  # a syntax error
    shutil.copy(paths[5], base / "batch" / "p-0030b.toml")  # the id of p-0005 again
    text = paths[7].read_text(encoding="utf-8")
    (base / "batch" / "p-0021b.toml").write_text(text.replace('id = "', 'id = "x-', 1) + "\n[observations.nope]\n"
                                                 'value = true\nas_of = 2024-01-01\nsource = "s"\n', encoding="utf-8")
    shutil.copy(ROOT / "criteria" / "reform-before-recognition.toml", base / "batch" / "set.toml")
    shutil.copytree(ROOT / "seeds", base / "seeds")
    return base


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "junit", "markdown"])
@pytest.mark.parametrize("where", ["batch", "seeds"])
def test_two_jobs_write_what_one_writes(
    folder: Path, fmt: str, where: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    argv = ["score", where, "--format", fmt, "--fail-below", "rejected"]
    one = _run([*argv, "--jobs", "1"], capsys)
    two = _run([*argv, "--jobs", "2"], capsys)
    three = _run([*argv, "--jobs", "3"], capsys)
    assert one == two == three
    if where == "batch":
        assert one[0] == 2  # the broken files
        assert "p-0013b.toml" in one[2] and "p-0030b.toml" in one[2] and "p-0021b.toml" in one[2]
    else:
        assert one[0] == 0


def test_a_large_batch_uses_every_core_and_a_small_one_none() -> None:
    assert batch.auto_jobs(batch.AUTO_JOBS_FROM - 1) == 1
    assert batch.auto_jobs(batch.AUTO_JOBS_FROM) >= 1
    assert batch.auto_jobs(100_000) <= 8
    # Without the gap a proposal scores faster than a worker sends it back: one process.
    assert batch.auto_jobs(100_000, gap=False) == 1


def test_the_command_line_chooses_the_number_of_processes_itself() -> None:
    from reform_gate.cli.parser import build_parser

    args = build_parser().parse_args(["score", "seeds"])
    assert args.jobs is None  # --jobs auto: batch.auto_jobs decides from the batch and its outputs
    assert build_parser().parse_args(["score", "seeds", "--jobs", "2"]).jobs == 2


class _NoSemaphores:
    """A ProcessPoolExecutor on a system that cannot make the locks its queues need."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")


def test_auto_scores_in_one_process_where_workers_cannot_start(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    def run(jobs: int | None) -> list[batch.Scored]:
        errors: list[reform_gate.ReformGateError] = []
        return list(batch.score_files([str(folder / "seeds")], errors, jobs=jobs))

    expected = run(1)
    monkeypatch.setattr(batch, "auto_jobs", lambda files, gap=True: 2)  # auto picks workers, whatever the machine
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _NoSemaphores)
    assert [s.verdict for s in run(None)] == [s.verdict for s in expected]
    # Workers asked for by number are not quietly dropped.
    with pytest.raises(OSError):
        run(2)


def test_the_workers_give_what_one_process_gives(folder: Path) -> None:
    # Through the library: the same Scored objects, the same errors, in the same order.
    def run(jobs: int) -> tuple[list[batch.Scored], list[str]]:
        errors: list[reform_gate.ReformGateError] = []
        scored = list(batch.score_files([str(folder / "batch")], errors, jobs=jobs))
        return scored, [e.render() for e in errors]

    one, two = run(1), run(2)
    assert [s.verdict for s in one[0]] == [s.verdict for s in two[0]]
    assert [s.proposal for s in one[0]] == [s.proposal for s in two[0]]
    assert one[1] == two[1] and len(one[1]) == 3


@pytest.mark.parametrize("value", ["0", "-1", "65", "two", ""])
def test_a_bad_number_of_jobs_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["score", str(ROOT / "seeds"), "--jobs", value], capsys)
    assert code == 2
    assert "--jobs" in err and "from 1 to 64" in err


def _sent_by_a_worker(scored: list[batch.Scored]) -> bytes:
    """``scored`` pickled as a worker sends it back (run in a child process: the reducers a worker
    registers stay in that worker)."""
    batch._send_verdicts_lean()
    from multiprocessing.reduction import ForkingPickler

    return bytes(ForkingPickler.dumps(scored))


def test_a_worker_sends_verdicts_that_arrive_equal(folder: Path) -> None:
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    errors: list[reform_gate.ReformGateError] = []
    scored = list(batch.score_files([str(folder / "seeds")], errors))
    assert len(scored) > 10 and any(s.verdict.gap is not None for s in scored)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method)) as pool:
        sent = pool.submit(_sent_by_a_worker, scored).result()
    back = pickle.loads(sent)
    assert back == scored
    assert [type(s.verdict.findings[0]) for s in back] == [type(s.verdict.findings[0]) for s in scored]
    # Rebuilt through the classes' own __init__, not attrs' __setstate__: smaller than the default.
    assert len(sent) < len(pickle.dumps(scored, protocol=pickle.HIGHEST_PROTOCOL))
