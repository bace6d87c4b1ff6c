"""Class 6 of issue 8: SIGTERM leaves no temporary file; ``--output -`` is standard output;
``--force`` never turns a link to a device into a regular file; ``init --schema`` keeps the
template valid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import reform_gate
from tests.render_util import REPO
from tests.security.conftest import run, seed_text

sys.path.insert(0, str(REPO / "bench"))
import generate


def test_sigterm_cleans_up_like_ctrl_c(tmp_path: Path) -> None:
    """A job cancelled while the outputs are being written leaves no *.tmp and no half file."""
    folder = tmp_path / "many"
    generate.write_proposals(folder, 400, reform_gate.load_criteria("reform-before-recognition"),
                             "reform-before-recognition")
    # A busy machine can let the run finish between the test seeing a *.tmp file and the signal
    # landing (exit 1, whole files written): then nothing was cut short, so try again, up to 5 times.
    # A run that was cut short (exit 143) must leave nothing behind.
    for attempt in range(5):
        out = tmp_path / f"out{attempt}"
        out.mkdir()
        cmd = [sys.executable, "-m", "reform_gate", "score", str(folder), "--format", "sarif", "--output",
               str(out / "r.sarif"), "--format", "json", "--output", str(out / "r.json")]
        child = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(REPO)}, stderr=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(out.glob(".*.tmp")) and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.005)
        if not list(out.glob(".*.tmp")):
            child.wait(timeout=60)
            continue  # it ended before it was caught writing
        child.send_signal(signal.SIGTERM)
        code = child.wait(timeout=60)
        if code == 143:
            assert sorted(p.name for p in out.iterdir()) == []
            return
        assert code == 1, child.stderr.read().decode() if child.stderr else code
    pytest.fail("the run was never caught writing its outputs")


def test_output_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(seed_text(), encoding="utf-8")
    code, out, _ = run(capsys, "score", "p.toml", "--format", "json", "--output", "-")
    assert code == 1 and out.startswith("{") and not (tmp_path / "-").exists()
    code, _, err = run(capsys, "score", "p.toml", "--format", "json", "--output", "-", "--format", "text")
    assert code == 2 and "at most one format without --output" in err


def test_force_writes_through_a_link_to_a_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(seed_text(), encoding="utf-8")
    os.symlink("/dev/null", tmp_path / "null.sarif")
    code, _, err = run(capsys, "score", "p.toml", "--format", "sarif", "--output", "null.sarif", "--force")
    assert code == 1, err
    assert (tmp_path / "null.sarif").is_symlink() and os.readlink(tmp_path / "null.sarif") == "/dev/null"
    assert not list(tmp_path.glob(".*.tmp"))


def test_force_writes_through_a_fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(seed_text(), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append((tmp_path / "pipe").read_bytes()))
    reader.start()
    code, _, _ = run(capsys, "score", "p.toml", "--format", "json", "--output", "pipe", "--force")
    reader.join(timeout=30)
    assert code == 1 and got and got[0].startswith(b"{")
    assert (tmp_path / "pipe").is_fifo()


def test_force_replaces_a_link_to_a_file_not_its_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A link committed where a report goes must not make reform-gate write where it points."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(seed_text(), encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    os.symlink(victim, tmp_path / "r.json")
    assert run(capsys, "score", "p.toml", "--format", "json", "--output", "r.json", "--force")[0] == 1
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "r.json").is_symlink() and (tmp_path / "r.json").read_text().startswith("{")


@pytest.mark.parametrize("schema", ["x\nid = 1", "x\r[proposal]", "a\x00b", " "])
def test_init_refuses_a_schema_that_breaks_the_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str], schema: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "init", "new.toml", "--schema", schema)
    assert code == 2 and "--schema" in err and not (tmp_path / "new.toml").exists()
    assert run(capsys, "init", "new.toml", "--schema", "https://example.org/p.schema.json")[0] == 0
    assert run(capsys, "validate", "new.toml")[0] == 0
