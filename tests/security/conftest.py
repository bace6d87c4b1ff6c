"""Helpers for the security tests: a seed copied into a folder, and the CLI run in-process or as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from reform_gate import cli
from tests.render_util import REPO
from tests.seed_util import self_contained

SEED = REPO / "seeds" / "ru-tapi-pipeline.toml"


def seed_text(**replace: str) -> str:
    """The seed as one self-contained file (its ledger's entries written into it, so that a copy
    reads no other file), with ``key = value`` lines replaced (``criteria='"x.toml"'``)."""
    lines = tomli_w.dumps(self_contained(SEED)).splitlines()
    for key, value in replace.items():
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        lines[at] = f"{key} = {value}"
    return "\n".join(lines) + "\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def process(*argv: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """``reform-gate ARGV`` as its own process (from ``cwd``), with the package of this checkout."""
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8", **env},
        cwd=cwd,
        timeout=120,
        check=False,
    )
