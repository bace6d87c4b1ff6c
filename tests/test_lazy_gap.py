"""A run scores without the gap when none of its outputs shows it (``docs/performance.md``).

``render.shows_gap`` says which writers read a verdict's ``gap`` and ``gap_to_supported``. These
tests hold it to what the writers do: every format, alone and in a batch, with and without
``--details``, is drawn from verdicts scored with and without the gap, and wherever the two
differ ``shows_gap`` must say so. The command line then gives the same bytes and exit code
either way.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import attrs
import pytest

import reform_gate
from reform_gate import cli
from reform_gate.render import FORMATS, Run, open_writer, shows_gap

from .render_util import MAIN_SEED_IDS, REPO, seed_verdict


def _drawn(fmt: str, run: Run, details: bool) -> str:
    out = io.StringIO()
    writer = open_writer(fmt, run, out, details)
    for v in run.verdicts:
        writer.add(v)
    writer.close([])
    return out.getvalue()


def _without_gap(stem: str) -> reform_gate.Verdict:
    here = os.getcwd()
    os.chdir(REPO)
    try:
        proposal = reform_gate.load_proposal(f"seeds/{stem}.toml")
        return reform_gate.score(proposal, reform_gate.criteria_for(proposal), gap=False)
    finally:
        os.chdir(here)


def test_a_verdict_without_the_gap_differs_only_in_the_gap() -> None:
    for stem in MAIN_SEED_IDS:
        full, lean = seed_verdict(stem), _without_gap(stem)
        assert lean.gap is None and lean.gap_to_supported is None
        assert attrs.evolve(full, gap=None, gap_to_supported=None) == lean


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize(("single", "details"), [(True, False), (False, False), (False, True)])
def test_a_format_said_not_to_show_the_gap_draws_the_same_without_it(fmt: str, single: bool, details: bool) -> None:
    stems = MAIN_SEED_IDS[:1] if single else MAIN_SEED_IDS
    with_gap = Run(tuple(seed_verdict(s) for s in stems), single=single)
    without = Run(tuple(_without_gap(s) for s in stems), single=single)
    assert any(v.gap is not None for v in with_gap.verdicts) or single  # the seeds exercise the gap
    same = _drawn(fmt, with_gap, details) == _drawn(fmt, without, details)
    if not shows_gap(fmt, single, details):
        assert same
    if not same:
        assert shows_gap(fmt, single, details)


def test_the_text_summary_of_a_batch_is_the_only_output_without_the_gap() -> None:
    assert [f for f in FORMATS if not shows_gap(f, single=False)] == ["text"]
    assert shows_gap("text", single=True) and shows_gap("text", single=False, details=True)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(args)
    return code, capsys.readouterr().out


class _Spy:
    """Stands in for ``batch.score_files``: records the ``gap`` asked for, or forces it on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[bool] = []
        self.force = False
        real = reform_gate.batch.score_files

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.asked.append(bool(kwargs["gap"]))
            if self.force:
                kwargs["gap"] = True
            return real(*args, **kwargs)

        monkeypatch.setattr(reform_gate.batch, "score_files", spy)


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--fail-below", "supported"],
        ["--fail-below", "scale-back", "--jobs", "2"],
    ],
)
def test_a_batch_scored_without_the_gap_says_and_exits_the_same(
    extra: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    spy = _Spy(monkeypatch)
    lean = _run(["score", "seeds", *extra], capsys)
    spy.force = True
    full = _run(["score", "seeds", *extra], capsys)
    assert spy.asked == [False, False]
    assert lean == full
    assert lean[0] != 2 and "scored" in lean[1]


def test_a_baseline_diff_is_the_same_without_the_gap(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    stored = tmp_path / "base.json"
    assert cli.main(["score", "seeds", "--format", "json", "--output", str(stored)]) in (0, 1)
    capsys.readouterr()
    spy = _Spy(monkeypatch)
    args = ["score", "seeds", "--baseline", str(stored), "--fail-below", "supported"]
    lean = _run([*args, "--format", "json"], capsys)
    text = _run([*args, "--format", "text"], capsys)
    spy.force = True
    assert _run([*args, "--format", "json"], capsys) == lean
    assert _run([*args, "--format", "text"], capsys) == text
    assert spy.asked == [False, False, False, False]
    assert '"reform-gate/diff/1"' in lean[1] and "unchanged" in text[1]


def test_an_output_that_shows_the_gap_gets_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    spy = _Spy(monkeypatch)
    for args in (["seeds", "--details"], ["seeds", "--format", "sarif"], [f"seeds/{MAIN_SEED_IDS[0]}.toml"]):
        _run(["score", *args], capsys)
    assert spy.asked == [True, True, True]
