"""TOML text to data: ``tomllib``, or a faster exact parser when the ``fast`` extra is installed.

``pip install 'reform-gate[fast]'`` adds ``toml-rs``, used in its TOML 1.0 mode, which accepts
what the ``tomllib`` of Python 3.11 accepts and gives the same values (but for a byte-order mark
at the start, which is left to ``tomllib``, and for texts with enough brackets to nest past
what toml-rs can recurse through, likewise left to ``tomllib``) (``tests/test_toml_parsers.py``
runs both over the TOML conformance corpus). It is only ever trusted with a success: on any error
the text goes to ``tomllib``, so a file that does not parse gets ``tomllib``'s message, word for
word, whatever is installed (``docs/performance.md``). ``REFORM_GATE_TOML=tomllib`` turns the
fast parser off.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from typing import Any

__all__ = ["fast_loads", "loads", "parser_name"]

_Loads = Callable[[str], dict[str, Any]]

#: toml-rs recurses once per level of nesting and overflows its stack (a crash, not an error) past
#: a few thousand; it parses 2,000 levels safely even in a thread. A text with more openers than
#: this could nest that deep, and goes to tomllib, whose RecursionError the loader turns into an
#: error. Seeds hold about 10 openers, the shipped criteria set about 230.
MAX_OPENERS = 1000
_UNSET: Any = object()
_fast: _Loads | None = _UNSET


def fast_loads() -> _Loads | None:
    """The fast parser's ``loads`` in TOML 1.0 mode, or None when it is not installed or turned off."""
    global _fast
    if _fast is _UNSET:
        _fast = None
        if os.environ.get("REFORM_GATE_TOML", "") != "tomllib":
            try:
                import toml_rs
            except ImportError:
                pass
            else:
                rs_loads = toml_rs.loads

                def _loads(text: str) -> dict[str, Any]:
                    return rs_loads(text, toml_version="1.0.0")

                _fast = _loads
    return _fast


def parser_name() -> str:
    """Which parser reads files first: ``toml-rs`` or ``tomllib`` (the benchmarks report it)."""
    return "tomllib" if fast_loads() is None else "toml-rs"


def loads(text: str) -> tuple[dict[str, Any], bool]:
    """The data of ``text`` and whether the fast parser read it.

    Raises what ``tomllib.loads`` raises; a fast parse that fails for any reason is retried with
    ``tomllib``, so every error is ``tomllib``'s.
    """
    fast = fast_loads()
    # toml-rs takes a byte-order mark at the start as TOML 1.1 allows; tomllib does not. The
    # loader drops one; a second one is tomllib's to refuse.
    if fast is not None and not text.startswith("\ufeff") and text.count("[") + text.count("{") <= MAX_OPENERS:
        try:
            return fast(text), True
        except Exception:  # tomllib says what is wrong, in its words
            pass
    return tomllib.loads(text), False
