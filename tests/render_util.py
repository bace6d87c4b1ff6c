"""Seed verdicts and rendering helpers shared by the tests of the CI formats."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path
from typing import Any

import reform_gate
from reform_gate.render import Run
from reform_gate.verdict import Verdict

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "seeds").glob("*.toml"))
SEED_IDS = [s.stem for s in SEEDS]
#: The seeds of the main shipped set: a run of them has one criteria set, as most CI runs do.
MAIN_SEED_IDS = [s.stem for s in SEEDS if 'criteria = "reform-before-recognition"' in s.read_text(encoding="utf-8")]


@functools.cache
def seed_verdict(stem: str) -> Verdict:
    """A seed scored as the CLI does from the repository root (so its paths are relative)."""
    here = os.getcwd()
    os.chdir(REPO)
    try:
        proposal = reform_gate.load_proposal(f"seeds/{stem}.toml")
        return reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    finally:
        os.chdir(here)


def seed_run(*stems: str, **kwargs: Any) -> Run:
    """A run of the named seeds (every seed of reform-before-recognition when none is named)."""
    verdicts = tuple(seed_verdict(s) for s in (stems or MAIN_SEED_IDS))
    kwargs.setdefault("single", len(verdicts) == 1)
    return Run(verdicts, **kwargs)


def rendered(module: Any, run: Run) -> str:
    """What ``module.render`` writes for ``run``."""
    out = io.StringIO()
    module.render(run, out)
    return out.getvalue()
