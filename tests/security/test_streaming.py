"""Class 5 of issue 8: every format is streamed to its --output file, and peak memory does not
depend on the number of proposals.

The CI recipe's four files at once (SARIF, Markdown, JSON, JUnit) are written for N and for 10N
generated proposals, each run in its own process, and their peak resident memory compared: before
this work it grew with N (82 MiB for 200 proposals, 604 MiB for 2,000). What is streamed is the
same text as the whole run rendered at once.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import reform_gate
from reform_gate.errors import TomlSyntaxError
from reform_gate.render import FORMATS, Run, render_to
from tests.render_util import REPO, seed_run

sys.path.insert(0, str(REPO / "bench"))
import generate

_PEAK_RSS = """
import os, subprocess, sys
with open(os.devnull, "wb") as null:
    child = subprocess.Popen(sys.argv[1:], stdout=null, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _peak_kib(folder: Path, out: Path, jobs: int = 1) -> int:
    cmd = [sys.executable, "-m", "reform_gate", "score", str(folder), "--fail-below", "rejected", "--jobs", str(jobs)]
    for fmt, ext in (("sarif", "sarif"), ("markdown", "md"), ("json", "json"), ("junit", "xml")):
        cmd += ["--format", fmt, "--output", str(out / f"r.{ext}")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", _PEAK_RSS, *cmd], capture_output=True, text=True, env=env, check=True)
    code, rss = done.stdout.split()
    assert code == "0"
    return int(rss)


@pytest.mark.parametrize("jobs", [1, 2])
def test_peak_memory_does_not_grow_with_the_number_of_proposals(tmp_path: Path, jobs: int) -> None:
    # With workers too: the results waiting to be drawn are a few chunks, however many files.
    shipped = reform_gate.load_criteria("reform-before-recognition")
    peaks = {}
    for n in (60, 600):
        folder = tmp_path / f"p{n}"
        generate.write_proposals(folder, n, shipped, "reform-before-recognition")
        out = tmp_path / f"out{n}"
        out.mkdir()
        peaks[n] = _peak_kib(folder, out, jobs)
        data = json.loads((out / "r.json").read_text(encoding="utf-8"))
        assert len(data["verdicts"]) == n
        sarif = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
        assert len(sarif["runs"][0]["properties"]["verdicts"]) == n
    # Ten times the proposals, about the same peak (a few MiB of slack for allocator noise).
    assert peaks[600] <= peaks[60] * 1.15, peaks


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("single", [False, True])
def test_a_streamed_file_is_the_whole_run_rendered(fmt: str, single: bool, tmp_path: Path) -> None:
    """Verdict by verdict through a writer, or all at once through render(): the same text."""
    err = TomlSyntaxError("proposals/bad.toml", "", "valid TOML", "an unclosed table", None, 4)
    runs = [seed_run("ru-tapi-pipeline", single=True)] if single else [seed_run(), seed_run(errors=(err,)), Run(())]
    module = __import__(f"reform_gate.render.{FORMATS[fmt]}", fromlist=["render"])
    for run in runs:
        whole, streamed = io.StringIO(), io.StringIO()
        module.render(run, whole)
        render_to(fmt, run, streamed)
        assert streamed.getvalue() == whole.getvalue()


def test_a_folder_to_files_is_what_stdout_gets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from reform_gate import cli

    monkeypatch.chdir(REPO)
    for fmt in sorted(FORMATS):
        target = tmp_path / f"r-{fmt}"
        cli.main(["score", "seeds/", "--format", fmt, "--output", str(target), "--details"])
        capsys.readouterr()
        cli.main(["score", "seeds/", "--format", fmt, "--details"])
        assert capsys.readouterr().out == target.read_text(encoding="utf-8"), fmt
