"""Scoring is safe across threads: each criteria set keeps its own derived values.

Sixteen threads score every seed against eighty separately loaded copies of the shipped criteria
set, with the interpreter switching threads as often as it can. Every verdict must be the one a
single thread gets, and no thread may fail. (A cache shared by all criteria sets, keyed by
``id()`` and trimmed to the 32 newest, raised ``KeyError`` here.)
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import reform_gate
from reform_gate import load

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))


def test_concurrent_scoring_gives_the_single_threaded_verdicts() -> None:
    """16 threads x 80 criteria sets x every seed: the same JSON as one thread, and no exception."""
    shipped = load.shipped_criteria()["reform-before-recognition"]
    sets = [reform_gate.load_criteria(shipped) for _ in range(80)]
    proposals = [reform_gate.load_proposal(p) for p in SEEDS]
    expected = {p.id: reform_gate.to_json(reform_gate.score(p, sets[0])) for p in proposals}

    failures: list[BaseException] = []
    wrong: list[str] = []
    start = threading.Barrier(16)

    def work(offset: int) -> None:
        try:
            start.wait()
            for i in range(20):
                criteria = sets[(i + offset) % len(sets)]
                proposal = proposals[(i + offset) % len(proposals)]
                if reform_gate.to_json(reform_gate.score(proposal, criteria)) != expected[proposal.id]:
                    wrong.append(proposal.id)
        except BaseException as err:  # any failure in a thread fails the test
            failures.append(err)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(n * 5,)) for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert failures == []
    assert wrong == []
