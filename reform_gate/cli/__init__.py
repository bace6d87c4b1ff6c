"""The command line: argv in, one library call per command, a rendered result and an exit code out.

Exit codes (:func:`reform_gate.batch.exit_code`): 0 when every outcome is at or above
``--fail-below``, 1 when one is below it, 2 for invalid input or usage. A
:class:`~reform_gate.errors.ReformGateError` becomes a clean ``error:`` message and exit 2, never
a traceback (``docs/cli.md``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..batch import EXIT_BELOW, EXIT_INVALID, EXIT_OK
from ..errors import ReformGateError, UsageError

__all__ = ["EXIT_BELOW", "EXIT_INVALID", "EXIT_OK", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Options are read from ``argv``, then from ``REFORM_GATE_*`` variables and the configuration
    file (:mod:`reform_gate.cli.config`); a mistake in any of them is an ``error:`` and exit 2.
    """
    from .commands import COMMANDS, report
    from .config import parse
    from .parser import build_parser

    parser = build_parser()
    try:
        args, resolved = parse(parser, argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_INVALID
        if getattr(args, "quiet", False) and getattr(args, "verbose", False):
            # Each level keeps -q and -v apart; one before the command's name and one after it meet here.
            raise UsageError("-q", "", "-q or -v, not both", "both")
        args.config_resolved = resolved
        if getattr(args, "verbose", False):
            from .settings_view import verbose_settings

            verbose_settings(args, resolved)
        return COMMANDS[args.command](args)
    except ReformGateError as err:
        report(err)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; nothing more to say.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
