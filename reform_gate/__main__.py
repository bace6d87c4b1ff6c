"""``python -m reform_gate``: the same as the ``reform-gate`` command."""

import sys

from .cli import main

sys.exit(main())
