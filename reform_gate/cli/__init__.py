"""The command line: argv in, one library call per command, a rendered result and an exit code out.

Exit codes (:func:`reform_gate.batch.exit_code`): 0 when every outcome is at or above
``--fail-below``, 1 when one is below it, 2 for invalid input or usage. A
:class:`~reform_gate.errors.ReformGateError` becomes a clean ``error:`` message and exit 2, never
a traceback; so does anything unexpected, as one "internal error, please report" line
(``REFORM_GATE_DEBUG=1`` shows the traceback). SIGTERM, like Ctrl-C, stops the run without
leaving a temporary file behind (``docs/cli.md``).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType

from ..defaults import EXIT_BELOW, EXIT_INVALID, EXIT_OK
from ..errors import ReformGateError, UsageError

__all__ = ["EXIT_BELOW", "EXIT_INVALID", "EXIT_OK", "Terminated", "main"]

#: Exit codes for a run stopped by a signal: 128 + its number, as shells report it.
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C, so that every output file is discarded on the way."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _catch_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into :class:`Terminated` while the command runs; returns what undoes it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, _on_sigterm)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _never_fail_to_print() -> None:
    """A character the terminal's encoding cannot show (a Windows runner's cp1252) is written
    escaped, ``\\u2192``, instead of stopping the run with an encoding error."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, io.UnsupportedOperation):  # a detached stream
                stream.reconfigure(errors="backslashreplace")


def _internal_error(err: Exception) -> int:
    from ..safe_text import printable

    if os.environ.get("REFORM_GATE_DEBUG"):
        raise err
    sys.stderr.write(
        f"reform-gate: internal error, please report: {printable(type(err).__name__)}: {printable(str(err))}\n"
        "  set REFORM_GATE_DEBUG=1 to see the traceback\n"
    )
    return EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Options are read from ``argv``, then from ``REFORM_GATE_*`` variables and the configuration
    file (:mod:`reform_gate.cli.config`); a mistake in any of them is an ``error:`` and exit 2.
    Standard output and error never fail to print (``docs/security.md``), SIGTERM cleans up like
    an interrupt, and an unexpected exception is one line and exit 2, never a traceback.
    """
    _never_fail_to_print()
    from .commands import COMMANDS, report
    from .config import parse
    from .parser import build_parser

    parser = build_parser()
    restore = _catch_sigterm()
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
        return EXIT_INTERRUPTED
    except Terminated:
        return EXIT_TERMINATED
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except Exception as err:  # the last guard: one line, never a traceback
        return _internal_error(err)
    finally:
        restore()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
