"""The fast paths give what the plain ones give, byte for byte.

A batch on standard output (``reform-gate score DIR`` in text or JSON) is drawn verdict by
verdict instead of after every file is scored; JSON is written by a faster encoder than the
standard library's indenting one; ``score(..., gap=False)`` leaves out only the gap. Each is
checked against the general path it replaces.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reform_gate
from reform_gate import cli
from reform_gate.errors import UsageError
from reform_gate.render import Run, json_, text
from reform_gate.safe_text import json_inert
from reform_gate.verdict import catalogue
from tests.layout_util import reference
from tests.seed_util import copy_seed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml"))


@pytest.fixture(autouse=True)
def in_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")


def _verdicts() -> list[reform_gate.Verdict]:
    out = []
    for seed in SEEDS:
        proposal = reform_gate.load_proposal(seed.relative_to(ROOT))
        out.append(reform_gate.score(proposal, reform_gate.criteria_for(proposal)))
    return out


# --- the JSON encoder ----------------------------------------------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from(["", "\x00", "\u2028", '"\\', "é🙂"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@given(_json_values)
def test_dumps_writes_what_the_standard_library_writes(value: object) -> None:
    """Sorted keys, two-space indent, UTF-8, a final newline: the same bytes as ``json.dumps``."""
    expected = json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    # One deliberate difference: what a log would act on ("##[", C1 controls, line separators) is
    # written as \uXXXX escapes (safe_text.json_inert): the same data to a reader.
    assert json_.dumps(value) == json_inert(expected)
    assert json.loads(json_.dumps(value)) == json.loads(expected)


_layout_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["verdicts", "criteria", "rules", "findings", "a", "##[x"]) | st.text(), inner,
                      max_size=4),
    max_leaves=30,
)


@given(_layout_values)
def test_the_verdict_layout_is_the_reference_layout(value: object) -> None:
    """Any JSON data, in the verdict layout, is the reference written with ``json.dumps``: the
    arrays and objects that are laid out, and the ones written one element per line."""
    assert json_.dumps_verdict(value) == reference(value)
    assert json.loads(json_.dumps_verdict(value)) == value


def test_the_verdict_layout_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        json_.dumps_verdict({"x": [object()]})
    with pytest.raises(ValueError):
        json_.dumps_verdict({"x": [math.nan]})


def test_dumps_writes_tuples_and_dates_as_verdict_data_does() -> None:
    data = {"b": (1, 2.5, (_dt.date(2024, 7, 1),)), "a": _dt.datetime(2024, 7, 1, 12, 30)}
    expected = json.dumps(json_._plain(data), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert json_.dumps(data) == expected


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_dumps_refuses_what_json_cannot_hold(value: float) -> None:
    with pytest.raises(ValueError):
        json_.dumps({"x": [value]})


def test_dumps_hands_unknown_values_to_the_standard_library() -> None:
    """A value the fast encoder does not know fails exactly as ``json.dumps`` fails."""
    with pytest.raises(TypeError):
        json_.dumps({"x": object()})
    assert json_.dumps({1: "one"}) == '{\n  "1": "one"\n}\n'


def test_every_seed_verdict_encodes_as_before() -> None:
    for v in _verdicts():
        data = json_.verdict_data(v)
        assert json_.dumps(data) == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_every_seed_verdict_is_written_in_the_verdict_layout() -> None:
    """Each seed's verdict, encoded straight from its attrs objects, is its ``to_dict()`` in the
    reference layout, byte for byte."""
    for v in _verdicts():
        assert json_.to_json(v) == reference(v.to_dict())
        assert json_.dumps_verdict(v.to_dict()) == json_.to_json(v)


def test_a_run_is_the_run_object_as_before() -> None:
    """The run object (catalogue, verdicts and errors) drawn verdict by verdict is the object
    written whole in the reference layout."""
    verdicts = _verdicts()
    errors = (UsageError("missing.toml", "", "an existing file", "no such file"),)
    for run in (Run(tuple(verdicts), errors), Run(tuple(verdicts)), Run((), errors), Run(())):
        out = io.StringIO()
        json_.render(run, out)
        whole = {
            "criteria": catalogue(run.verdicts),
            "format": json_.RUN_FORMAT,
            "verdicts": [v.to_dict(criteria=False) for v in run.verdicts],
            "errors": [json_.error_data(e) for e in run.errors],
        }
        assert out.getvalue() == reference(whole)


# --- the streamed batch ----------------------------------------------------------------------------


def _folder(tmp_path: Path, broken: bool) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for seed in SEEDS:
        copy_seed(seed, folder)
    if broken:
        (folder / "zz-broken.toml").write_text("[proposal\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("broken", [False, True])
def test_a_streamed_batch_prints_what_the_general_path_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, broken: bool
) -> None:
    """Standard output (streamed) and ``--output FILE`` (rendered whole) hold the same text, and
    the exit code is the same."""
    folder = _folder(tmp_path, broken)
    root = ("--criteria-root", str(tmp_path))
    streamed = cli.main(["score", str(folder), "--format", fmt, "--details", *root])
    out, err = capsys.readouterr()
    target = tmp_path / f"out.{fmt}"
    general = cli.main(["score", str(folder), "--format", fmt, "--details", "--output", str(target), *root])
    capsys.readouterr()
    assert streamed == general == (2 if broken else 1)
    assert out == target.read_text(encoding="utf-8")
    assert ("zz-broken.toml" in err) == broken


def test_a_streamed_summary_is_the_summary_of_all_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path, False)
    assert cli.main(["score", str(folder), "--fail-below", "rejected", "--criteria-root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    expected = io.StringIO()
    text.render(Run(tuple(_verdicts())), expected)
    assert out == expected.getvalue()


def test_an_empty_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for fmt in ("json", "text"):
        assert cli.main(["score", str(empty), "--format", fmt]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert "no proposal in the paths given" in err


# --- analyses that can be left out --------------------------------------------------------------


def test_scoring_without_the_gap_changes_nothing_else() -> None:
    for seed in SEEDS:
        proposal = reform_gate.load_proposal(seed.relative_to(ROOT))
        criteria = reform_gate.criteria_for(proposal)
        full = reform_gate.score(proposal, criteria)
        bare = reform_gate.score(proposal, criteria, gap=False)
        assert bare.gap is None and bare.gap_to_supported is None
        assert bare == reform_gate.Verdict(**{**_fields(full), "gap": None, "gap_to_supported": None})


def _fields(v: reform_gate.Verdict) -> dict[str, object]:
    import attrs

    return {a.name: getattr(v, a.name) for a in attrs.fields(type(v)) if a.init}
