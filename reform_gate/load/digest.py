"""Digests for the audit: the SHA-256 of a criteria set's, a proposal's or an evidence file's content.

The content is the file's TOML form (through the converter) written as canonical JSON, so the
digest does not change with comments, key order or ``60`` against ``60.0``. A proposal's
``[expect]`` block is for ``verify`` and is left out: it does not change the evidence scored.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import json
from collections.abc import Callable
from typing import Any

from attrs import evolve

from ..model import Criteria, Ledger, Proposal
from .plain import unstructure

__all__ = ["digest", "digest_of", "sha256_hex"]


def _sha256_of_interpreter() -> Callable[[bytes], Any]:
    """The interpreter's own SHA-256: the same digest as OpenSSL's, without loading OpenSSL (4 ms
    of start-up). Python 3.12 renamed its module; failing both, hashlib's."""
    for name in ("_sha256", "_sha2"):
        try:
            found: Callable[[bytes], Any] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return found
    import hashlib

    return hashlib.sha256


_sha256 = _sha256_of_interpreter()


def digest(obj: Any) -> str:
    """SHA-256 of an object's normalized content: its TOML form as canonical JSON."""
    # One walk of the object: its TOML form, with every value normalized on the way.
    normal = unstructure(obj, _normal)
    text = json.dumps(normal, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso)
    return sha256_hex(text)


def sha256_hex(text: str) -> str:
    """The SHA-256 of ``text`` in UTF-8, as 64 hex digits."""
    return str(_sha256(text.encode("utf-8")).hexdigest())


def digest_of(document: Criteria | Proposal | Ledger) -> str:
    """The audit digest of a loaded file's content (a proposal without its ``[expect]``; the
    evidence files it reads have digests of their own)."""
    if isinstance(document, Proposal):
        return digest(evolve(document, expect=None))
    return digest(document)


def _normal(value: Any) -> Any:
    """``60`` and ``60.0`` load to equal objects, so they must digest alike."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _iso(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
