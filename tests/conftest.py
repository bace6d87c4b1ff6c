"""Shared fixtures: small criteria sets and proposals written as TOML text into a temporary folder."""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

import reform_gate
from reform_gate.model import Criteria, Proposal
from reform_gate.verdict import Verdict

ROOT = Path(__file__).resolve().parent.parent

# The compiled criteria cache of this run, in a private folder of its own (not the user's), so the
# suite both uses it (every load after the first of a set) and leaves nothing behind in ~/.cache.
os.environ.setdefault("REFORM_GATE_CACHE", tempfile.mkdtemp(prefix="reform-gate-cache-"))

# Hypothesis profiles: "ci" (the default) is quick; HYPOTHESIS_PROFILE=thorough shakes out bugs.
settings.register_profile("ci", max_examples=50, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class Files:
    """Writes TOML text (dedented) into one folder, and loads or scores it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def criteria(self, text: str, name: str = "crit.toml") -> Criteria:
        return reform_gate.load_criteria(self.write(name, text))

    def proposal(self, text: str, name: str = "prop.toml") -> Proposal:
        return reform_gate.load_proposal(self.write(name, text))

    @staticmethod
    def proposal_head(tier: str, date: str = "2025-01-01", criteria: str = "crit.toml") -> str:
        """The ``[proposal]`` table of a test proposal against ``crit.toml`` beside it."""
        return textwrap.dedent(
            f"""
            [proposal]
            id = "p"
            title = "A test proposal"
            actor = "Actor"
            counterpart = "Counterpart"
            tier = "{tier}"
            date = {date}
            criteria = "{criteria}"
            """
        )

    @staticmethod
    def obs(indicator: str, value: str, as_of: str = "2024-12-01", reliability: str = "A1") -> str:
        """One observation table; ``value`` is TOML text (``true``, ``12.5``, ``"open"``)."""
        return textwrap.dedent(
            f"""
            [observations.{indicator}]
            value = {value}
            source = "test source"
            as_of = {as_of}
            reliability = "{reliability}"
            """
        )

    def verdict(self, criteria_text: str, proposal_text: str, as_of: _dt.date | None = None) -> Verdict:
        """Write both files, load them the way the CLI does, and score."""
        criteria = self.criteria(criteria_text)
        proposal = self.proposal(proposal_text)
        assert reform_gate.criteria_for(proposal) == criteria
        return reform_gate.score(proposal, criteria, as_of)


@pytest.fixture
def files(tmp_path: Path) -> Files:
    """Write and load TOML files in this test's own temporary folder."""
    return Files(tmp_path)


@pytest.fixture
def root() -> Path:
    """The repository checkout (for the shipped criteria set and the seed proposals)."""
    return ROOT
