"""Determinism: the JSON verdict of every seed is byte-identical across runs and hash seeds.

Python randomises the hash of strings per process (``PYTHONHASHSEED``), which changes the order
of sets and so of anything built by iterating one. Each seed is scored in fresh processes under
several hash seeds, and once more in this process, and every output must be the same bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))
HASH_SEEDS = ["0", "1", "12345", "random"]

#: Scores every path given on the command line and prints each JSON verdict, NUL-separated.
_SCRIPT = """
import sys
import reform_gate
from reform_gate.render import Run, json_
for path in sys.argv[1:]:
    proposal = reform_gate.load_proposal(path)
    verdict = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    json_.render(Run((verdict,), single=True), sys.stdout)
    sys.stdout.write("\\0")
"""


def _verdicts(hash_seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    paths = [str(p.relative_to(ROOT)) for p in SEEDS]
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
        encoding="utf-8",
        timeout=300,
    )
    return done.stdout.split("\0")[:-1]


def test_there_are_seeds() -> None:
    assert SEEDS, "no seed proposals found"


@pytest.fixture(scope="module")
def outputs() -> dict[str, list[str]]:
    return {seed: _verdicts(seed) for seed in HASH_SEEDS}


@pytest.mark.parametrize("hash_seed", HASH_SEEDS[1:])
def test_json_verdicts_do_not_depend_on_the_hash_seed(outputs: dict[str, list[str]], hash_seed: str) -> None:
    """Every seed's JSON verdict is the same bytes under PYTHONHASHSEED=0 and under ``hash_seed``."""
    reference = outputs[HASH_SEEDS[0]]
    assert len(reference) == len(SEEDS)
    for seed, expected, got in zip(SEEDS, reference, outputs[hash_seed], strict=True):
        assert got == expected, f"{seed.name}: the JSON verdict differs under PYTHONHASHSEED={hash_seed}"


def test_json_verdicts_are_the_same_on_a_second_run(outputs: dict[str, list[str]]) -> None:
    """Scoring again (a new process, same hash seed) gives the same bytes: nothing reads the clock."""
    assert _verdicts(HASH_SEEDS[0]) == outputs[HASH_SEEDS[0]]


def test_json_verdicts_are_the_same_in_process(outputs: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Scoring twice in one process (warm caches) gives what a fresh process gives."""
    import io

    import reform_gate
    from reform_gate.render import Run, json_

    monkeypatch.chdir(ROOT)
    for _ in range(2):
        got = []
        for seed in SEEDS:
            proposal = reform_gate.load_proposal(seed.relative_to(ROOT))
            out = io.StringIO()
            json_.render(Run((reform_gate.score(proposal, reform_gate.criteria_for(proposal)),), single=True), out)
            got.append(out.getvalue())
        assert got == outputs[HASH_SEEDS[0]]
