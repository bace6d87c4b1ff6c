"""The fixed numbers several layers name: exit codes, and defaults of the command line's options.

They live in this leaf module so that the command line can name them without importing
:mod:`reform_gate.batch` and everything beneath it before it knows which command runs (start-up
time, ``docs/performance.md``). :mod:`reform_gate.batch` re-exports them under the same names.
"""

from __future__ import annotations

__all__ = ["AUTO_JOBS_FROM", "DEFAULT_DRAWS", "DEFAULT_SEED", "EXIT_BELOW", "EXIT_INVALID", "EXIT_OK", "MAX_DRAWS"]

#: Exit codes: every outcome at or above ``--fail-below``; one below it; invalid input or usage.
EXIT_OK, EXIT_BELOW, EXIT_INVALID = 0, 1, 2

#: The Monte-Carlo figure's defaults (``reform-gate sensitivity --seed --draws``) and the most draws.
DEFAULT_SEED = 2025
DEFAULT_DRAWS = 1000
MAX_DRAWS = 1_000_000

#: A batch of at least this many files is scored in worker processes when ``jobs`` is left to
#: :func:`reform_gate.batch.auto_jobs`: below it, starting the workers costs more than they save.
AUTO_JOBS_FROM = 200
