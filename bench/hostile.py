"""Hostile inputs against the raw-text checks: time and peak memory, with the checks and without.

    python bench/hostile.py            # the figures recorded in docs/performance.md
    python bench/hostile.py --quick    # smaller "without" cases (they are the slow ones)

Each case runs in its own process, which reports its peak resident memory (``ru_maxrss``) and
the seconds the load took. "with checks" is ``reform_gate.load.load_proposal`` on the file, as
every command reads it; "tomllib alone" is what the loader did before issue 8: ``tomllib.loads``
on the same text. The cases without checks run under a memory cap (``RLIMIT_AS``, 3 GiB by
default) so that the 6 GB case cannot take the machine down: a case that hits the cap is
reported as such, with the time it had taken.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (name, text). The first two are issue 8's: 80 KB of dotted key, and a 320 KB table header.
CASES: list[tuple[str, str]] = [
    ("dotted key, 80 KB", "a" + ".a" * 40_000 + " = 1\n"),
    ("table header, 320 KB", "[" + "a." * 160_000 + "a]\n"),
    ("integer of 5,000 digits", "a = " + "1" * 5000 + "\n"),
    ("0x and 2,000 hex digits", "a = 0x" + "f" * 2000 + "\n"),
    ("1,000 keys of 64 parts", "".join(f"k{i}" + ".a" * 63 + " = 1\n" for i in range(1000))),
]

_CHILD = r"""
import json, resource, sys, time
which, path, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
if cap:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
text = open(path, encoding="utf-8").read()
if which == "checks":  # imported before the clock starts: the load is what is measured
    from reform_gate.errors import ReformGateError
    from reform_gate.load import load_proposal
start = time.perf_counter()
outcome = "parsed"
try:
    if which == "checks":
        try:
            load_proposal(path)
        except ReformGateError as err:
            outcome = "refused: " + err.expected
    else:
        import tomllib
        tomllib.loads(text)
except MemoryError:
    outcome = "out of memory at the cap"
except Exception as err:
    outcome = type(err).__name__ + ": " + str(err)[:60]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "outcome": outcome}))
"""


def measure(which: str, path: Path, cap: int, timeout: float) -> dict[str, object]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, which, str(path), str(cap)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "peak_mib": None, "outcome": f"still running after {timeout:.0f} s"}
    if done.returncode != 0 or not done.stdout.strip():
        return {"seconds": None, "peak_mib": None, "outcome": f"died (exit {done.returncode})"}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the slow cases without checks")
    parser.add_argument("--cap-gib", type=float, default=3.0, help="memory cap for tomllib alone (GiB)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a case is given up")
    args = parser.parse_args()
    cap = int(args.cap_gib * 1024**3)
    print(f"{'case':<28} {'reader':<14} {'seconds':>9} {'peak MiB':>9}  outcome")
    with tempfile.TemporaryDirectory(prefix="reform-gate-hostile-") as tmp:
        for name, text in CASES:
            path = Path(tmp) / "case.toml"
            path.write_text(text, encoding="utf-8")
            readers = [("checks", 0)] + ([] if args.quick and "KB" in name else [("tomllib", cap)])
            for which, limit in readers:
                r = measure(which, path, limit, args.timeout)
                seconds = f"{r['seconds']:.3f}" if isinstance(r["seconds"], float) else "-"
                peak = f"{r['peak_mib']:.0f}" if isinstance(r["peak_mib"], float) else "-"
                label = "with checks" if which == "checks" else "tomllib alone"
                print(f"{name:<28} {label:<14} {seconds:>9} {peak:>9}  {r['outcome']}", flush=True)
            os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
