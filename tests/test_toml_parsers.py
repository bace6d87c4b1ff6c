"""The two TOML parsers agree: ``tomllib`` and the ``fast`` extra's ``toml-rs`` (TOML 1.0 mode).

Every file of the TOML conformance corpus (toml-lang/toml-test, ``../shared/toml-test``) is read
the way reform-gate reads a file (UTF-8, byte-order mark dropped) and parsed by both. On the
TOML 1.0 list (``files-toml-1.0.0``) ``tomllib`` must accept exactly the valid files, with the
corpus' values; over the whole corpus, TOML 1.1 files included, the fast parser must accept and
refuse exactly what ``tomllib`` does, with the same values and the same Python types. So the same
files give the same verdicts with and without the extra (``docs/performance.md``). Without the
extra installed only the fast half skips; CI installs it.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest

from reform_gate.errors import ReformGateError
from reform_gate.load import read, toml_parser

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "toml-test" / "tests"


def _corpus() -> list[str]:
    assert CORPUS.is_dir(), f"the TOML conformance corpus is missing: {CORPUS}"
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.toml"))


def _toml_1_0() -> list[str]:
    listed = (CORPUS / "files-toml-1.0.0").read_text(encoding="utf-8").split()
    return [name for name in listed if name.endswith(".toml")]


def _text(name: str) -> str | None:
    """The file's text as reform-gate hands it to a parser, or None when it is not UTF-8 (refused before)."""
    raw = (CORPUS / name).read_bytes()
    try:
        return read.decode(raw, name)
    except ReformGateError:
        return None


def _parse(loads: Any, text: str) -> tuple[str, Any]:
    try:
        return "accepted", loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as err:
        return "refused", type(err).__name__


def _tagged(value: Any) -> Any:
    """The corpus' JSON (``{"type": "integer", "value": "5"}``) as the Python values tomllib gives."""
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if set(value) != {"type", "value"} or not isinstance(value["value"], str):
        return {k: _tagged(v) for k, v in value.items()}
    kind, text = value["type"], value["value"]
    if kind == "string":
        return text
    if kind == "integer":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        return text == "true"
    if kind in ("datetime", "datetime-local"):
        return _dt.datetime.fromisoformat(text.replace("z", "Z"))
    if kind == "date-local":
        return _dt.date.fromisoformat(text)
    assert kind == "time-local", kind
    return _dt.time.fromisoformat(text)


def _same(a: Any, b: Any, where: str = "", ordered: bool = True) -> None:
    """``a`` and ``b`` are equal with the same types all the way down (NaN equals NaN, offsets by
    value); tables hold their keys in the same order when ``ordered`` (problems are reported in the
    order of a file's keys), in any order against the corpus' JSON."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} against {type(b).__name__}"
    if isinstance(a, dict):
        keys_a, keys_b = (list(a), list(b)) if ordered else (sorted(a), sorted(b))
        assert keys_a == keys_b, f"{where}: keys {keys_a} against {keys_b}"
        for key in a:
            _same(a[key], b[key], f"{where}.{key}", ordered)
    elif isinstance(a, list):
        assert len(a) == len(b), f"{where}: {len(a)} items against {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]", ordered)
    elif isinstance(a, float) and math.isnan(a):
        # TOML gives NaN no sign; the two parsers must still agree on the one they keep.
        assert math.isnan(b) and (not ordered or math.copysign(1, a) == math.copysign(1, b)), where
    elif isinstance(a, float):
        assert a == b and math.copysign(1, a) == math.copysign(1, b), f"{where}: {a!r} against {b!r}"
    elif isinstance(a, _dt.datetime | _dt.time):
        assert a == b and a.utcoffset() == b.utcoffset(), f"{where}: {a!r} against {b!r}"
        assert (a.tzinfo is None) == (b.tzinfo is None), where
        if a.tzinfo is not None:
            assert type(a.tzinfo) is type(b.tzinfo), f"{where}: {type(a.tzinfo)} against {type(b.tzinfo)}"
    else:
        assert a == b, f"{where}: {a!r} against {b!r}"


@pytest.mark.parametrize("name", _toml_1_0())
def test_tomllib_follows_the_toml_1_0_corpus(name: str) -> None:
    text = _text(name)
    if text is None:
        assert name.startswith("invalid/"), f"{name} is valid TOML but not UTF-8"
        return
    result, data = _parse(tomllib.loads, text)
    if name.startswith("invalid/"):
        assert result == "refused", f"tomllib accepted {name}"
        return
    assert result == "accepted", f"tomllib refused {name}"
    expected = _tagged(json.loads((CORPUS / name).with_suffix(".json").read_text(encoding="utf-8")))
    _same(data, expected, name, ordered=False)


def _fast() -> Any:
    fast = toml_parser.fast_loads()
    if fast is None:
        pytest.skip("the fast extra is not installed (pip install 'reform-gate[fast]'); tomllib alone is used")
    return fast


@pytest.mark.parametrize("name", _corpus())
def test_the_fast_parser_accepts_and_refuses_what_tomllib_does(name: str) -> None:
    fast = _fast()
    text = _text(name)
    if text is None:
        return  # not UTF-8: refused before either parser sees it
    if text.startswith("\ufeff"):
        # A second byte-order mark: toml-rs would take it (TOML 1.1 does), so the loader leaves
        # such a text to tomllib, which refuses it.
        refused = ("refused", "TOMLDecodeError")
        assert _parse(lambda t: toml_parser.loads(t)[0], text) == _parse(tomllib.loads, text) == refused
        return
    ours, theirs = _parse(fast, text), _parse(tomllib.loads, text)
    assert ours[0] == theirs[0], f"{name}: the fast parser {ours[0]} it, tomllib {theirs[0]} it"
    if ours[0] == "accepted":
        _same(ours[1], theirs[1], name)


def test_the_corpus_is_all_there() -> None:
    # The 1.0 list names every file it should, and both kinds are present in numbers.
    names = set(_corpus())
    listed = _toml_1_0()
    assert set(listed) <= names
    assert sum(n.startswith("valid/") for n in listed) > 150
    assert sum(n.startswith("invalid/") for n in listed) > 300


def test_a_syntax_error_reads_the_same_with_either_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    _fast()
    bad = 'title = "x"\nnumbers = [1, 2,, 3]\n'
    with pytest.raises(ReformGateError) as fast_error:
        read.parse(bad, "p.toml")
    monkeypatch.setattr(toml_parser, "_fast", None)
    with pytest.raises(ReformGateError) as slow_error:
        read.parse(bad, "p.toml")
    assert str(fast_error.value) == str(slow_error.value)
    assert fast_error.value.line == 2


def test_the_fast_parser_reads_a_file_it_can(monkeypatch: pytest.MonkeyPatch) -> None:
    _fast()
    calls: list[str] = []
    real = toml_parser.fast_loads()
    assert real is not None

    def spy(text: str) -> dict[str, Any]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(toml_parser, "_fast", spy)
    assert read.parse("a = 1\n[b]\nc = 2024-01-02\n", "p.toml") == {"a": 1, "b": {"c": _dt.date(2024, 1, 2)}}
    assert len(calls) == 1
    assert toml_parser.parser_name() == "toml-rs"


def test_deep_nesting_is_refused_in_the_same_words(monkeypatch: pytest.MonkeyPatch) -> None:
    _fast()
    deep = "a = " + "[" * 40 + "]" * 40 + "\n"
    with pytest.raises(ReformGateError) as fast_error:
        read.parse(deep, "p.toml")
    monkeypatch.setattr(toml_parser, "_fast", None)
    with pytest.raises(ReformGateError) as slow_error:
        read.parse(deep, "p.toml")
    assert str(fast_error.value) == str(slow_error.value)


def test_the_fast_parser_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toml_parser, "_fast", toml_parser._UNSET)
    monkeypatch.setenv("REFORM_GATE_TOML", "tomllib")
    assert toml_parser.fast_loads() is None
    assert toml_parser.parser_name() == "tomllib"
    assert toml_parser.loads("a = 1") == ({"a": 1}, False)


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[\n" * 100_000 + "]\n" * 100_000,  # one level a line: the line limit lets it through
        "a=" + "{b=" * 2000 + "1" + "}" * 2000 + "\n",  # about as deep as one line of 10,000 characters goes
    ],
    ids=["arrays", "inline tables"],
)
def test_nesting_deep_enough_to_crash_the_fast_parser_goes_to_tomllib(text: str) -> None:
    # toml-rs would overflow its stack (a crash, not an error) this deep: the text never reaches it.
    fast = _fast()
    calls: list[str] = []
    toml_parser._fast = lambda t: calls.append(t) or fast(t)  # type: ignore[assignment]
    try:
        with pytest.raises(ReformGateError) as caught:
            read.parse(text, "p.toml")
    finally:
        toml_parser._fast = fast
    assert calls == []
    assert caught.value.expected == "at most 16 levels of nesting"
