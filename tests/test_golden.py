"""Every seed's text and JSON verdict matches its golden file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import reform_gate
from reform_gate.render import Run, json_, text
from tests.golden_util import REPO, check_golden

SEEDS = sorted((REPO / "seeds").glob("*.toml"))


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative paths keep the goldens independent of where the checkout lives.
    monkeypatch.chdir(REPO)


def _verdict(seed: Path) -> reform_gate.Verdict:
    proposal = reform_gate.load_proposal(seed.relative_to(REPO))
    return reform_gate.score(proposal, reform_gate.criteria_for(proposal))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_text_golden(seed: Path) -> None:
    """The text verdict of each seed is exactly as reviewed."""
    out = io.StringIO()
    text.render(Run((_verdict(seed),), single=True), out)
    check_golden(f"text/{seed.stem}.txt", out.getvalue())


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_json_golden(seed: Path) -> None:
    """The JSON verdict of each seed is exactly as reviewed."""
    out = io.StringIO()
    json_.render(Run((_verdict(seed),), single=True), out)
    check_golden(f"json/{seed.stem}.json", out.getvalue())


def test_every_seed_has_goldens() -> None:
    """No golden file is left over from a seed that no longer exists."""
    stems = {s.stem for s in SEEDS}
    for kind in ("text", "json"):
        left = {p.stem for p in (REPO / "tests" / "golden" / kind).glob("*")} - stems
        assert not left, f"stale golden files in tests/golden/{kind}: {sorted(left)}"
