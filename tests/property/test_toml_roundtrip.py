"""Invariant: criteria sets and proposals survive a trip through TOML unchanged."""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w
from hypothesis import given

from reform_gate import load_criteria, load_proposal
from reform_gate.load.convert import structure, unstructure
from reform_gate.model import Criteria, Proposal

from ..strategies import criteria, proposals


def _through_toml(obj: Criteria | Proposal) -> tuple[str, object]:
    text = tomli_w.dumps(unstructure(obj))
    return text, structure(tomllib.loads(text), type(obj), "<round trip>")


def _written(text: str, load: Callable[[Path], object]) -> object:
    """What ``load`` makes of ``text`` written to a file (a fresh folder: tmp_path is per test)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "written.toml"
        path.write_text(text, encoding="utf-8")
        return load(path)


@given(criteria())
def test_criteria_round_trip(c: Criteria) -> None:
    """unstructure -> tomli_w -> tomllib -> structure (and load_criteria) gives an equal criteria set."""
    text, back = _through_toml(c)
    assert back == c
    assert _written(text, load_criteria) == c


@given(criteria(max_rules=3, max_tiers=2).flatmap(proposals))
def test_proposal_round_trip(p: Proposal) -> None:
    """unstructure -> tomli_w -> tomllib -> structure (and load_proposal) gives an equal proposal."""
    text, back = _through_toml(p)
    assert back == p
    assert _written(text, load_proposal) == p
