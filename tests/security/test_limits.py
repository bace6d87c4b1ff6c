"""Class 3 of issue 8: memory and time are bounded before parsing.

Special files are refused before they are read (a FIFO would hang, /dev/zero never ends), a file
is read up to its limit and one byte, and the raw text passes cheap checks before ``tomllib``,
which is quadratic in the parts of a key. The fuzz test at the end draws hostile texts of every
size and shows that the memory a load takes stays within a small multiple of the text's size.
"""

from __future__ import annotations

import contextlib
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reform_gate.errors import InputTooLargeError, ReformGateError, UsageError
from reform_gate.load import read as reading
from reform_gate.load.baseline import load_baseline
from reform_gate.load.precheck import MAX_KEY_PARTS, MAX_LINE_CHARS, MAX_NUMBER_CHARS, check_text
from reform_gate.load.read import parse, read_bytes, read_text
from tests.security.conftest import process, run, seed_text

# --- special files -------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    """As a proposal, and as a baseline: no reader would ever come, the run must not hang."""
    os.mkfifo(tmp_path / "p.toml")
    os.mkfifo(tmp_path / "base.json")
    (tmp_path / "q.toml").write_text(seed_text(), encoding="utf-8")
    done = process("score", "p.toml", cwd=tmp_path)
    assert done.returncode == 2 and "a named pipe (FIFO)" in done.stderr
    done = process("score", "q.toml", "--baseline", "base.json", cwd=tmp_path)
    assert done.returncode == 2 and "a named pipe (FIFO)" in done.stderr


def test_a_link_to_a_device_is_refused_unopened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with a root that lets the link out, /dev/zero is a device: never opened, never read."""
    os.symlink("/dev/zero", tmp_path / "zero.toml")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "score", "zero.toml", "--criteria-root", "/")
    assert code == 2 and "a character device" in err
    with pytest.raises(UsageError, match="a character device"):
        read_bytes("/dev/zero", "zero", 10)


def test_at_most_the_limit_and_one_byte_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A regular file that says it is empty (as /proc files do) but goes on is cut at limit + 1."""
    proc = Path("/proc/self/maps")
    if not proc.exists():
        pytest.skip("needs Linux's /proc")
    taken: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        taken.append(len(data))
        return data

    monkeypatch.setattr(reading.os, "read", counting)
    with pytest.raises(InputTooLargeError, match="more than 100 bytes"):
        read_bytes(proc, "maps", 100)
    assert sum(taken) == 101


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 5000)
    monkeypatch.setattr(reading.os, "read", lambda fd, n: pytest.fail("read a file known to be too large"))
    with pytest.raises(InputTooLargeError, match="5,000 bytes"):
        read_bytes(big, "big.toml", 4000)


# --- the raw-text checks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        ("a" + ".a" * 40_000 + " = 1\n", f"lines of at most {MAX_LINE_CHARS:,} characters", 1),
        ("x = 1\n[" + "a." * 160_000 + "a]\n", f"lines of at most {MAX_LINE_CHARS:,} characters", 2),
        ("x = 1\n\n" + "a" + ".a" * MAX_KEY_PARTS + " = 1\n", f"keys of at most {MAX_KEY_PARTS} parts", 3),
        ("[" + " . ".join(['"q"'] * (MAX_KEY_PARTS + 1)) + "]\n", f"keys of at most {MAX_KEY_PARTS} parts", 1),
        ('s = """\nx\n"""\nt = { ' + ".".join("b" * (MAX_KEY_PARTS + 1)) + " = 1 }\n", "keys of", 4),
        ("a = " + "1" * 5000 + "\n", f"numbers of at most {MAX_NUMBER_CHARS} characters", 1),
        ("a = 0x" + "f" * 2000 + "\n", f"numbers of at most {MAX_NUMBER_CHARS} characters", 1),
    ],
)
def test_hostile_text_is_refused_before_parsing_at_its_line(text: str, expected: str, line: int) -> None:
    with pytest.raises(InputTooLargeError) as info:
        parse(text, "x.toml")
    assert info.value.expected.startswith(expected) and info.value.line == line


@pytest.mark.parametrize(
    "text",
    [
        'note = "' + ".".join(["a"] * 40) + '"\n',  # a dotted run inside a string is text
        "note = '" + "9" * 500 + "'\n",
        '# ' + ".".join(["a"] * 40) + "\nx = 1\n",
        's = """\n' + ".".join(["a"] * 40) + '\n"" """\nx = 1\n',
        "[" + ".".join(["a"] * MAX_KEY_PARTS) + "]\n",  # exactly at the limit
        "a = 1234567890.5e10\nb = 2024-07-01\n",
    ],
)
def test_what_is_within_the_limits_still_parses(text: str) -> None:
    check_text(text, "x.toml")
    parse(text, "x.toml")


# --- the baseline is bounded too ------------------------------------------------------------------


def test_the_baseline_is_read_within_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reform_gate.load import baseline as module

    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": "reform-gate/run/1", "verdicts": [], "errors": []}), encoding="utf-8")
    assert load_baseline(path) == []
    monkeypatch.setattr(module, "MAX_BASELINE_BYTES", 10)
    with pytest.raises(InputTooLargeError):
        load_baseline(path)


# --- memory stays flat: a fuzz test of the raw-text checks --------------------------------------

_hostile_lines = st.one_of(
    st.integers(1, 60_000).map(lambda n: "a" + ".a" * n + " = 1"),
    st.integers(1, 60_000).map(lambda n: "[" + "a." * n + "a]"),
    st.integers(1, 200).map(lambda n: "k" + ".b" * n + " = 1"),
    st.integers(1, 20_000).map(lambda n: "n = " + "7" * n),
    st.integers(1, 20_000).map(lambda n: "h = 0x" + "f" * n),
    st.integers(1, 20_000).map(lambda n: 's = "' + "x" * n + '"'),
    st.integers(1, 2000).map(lambda n: "t = " + "[" * n + "]" * n),
    st.just('m = """'),
    st.just("# " + ".".join("c" * 30)),
)


def _peak(text: str) -> int:
    tracemalloc.start()
    with contextlib.suppress(ReformGateError):
        parse(text, "fuzz.toml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lines=st.lists(_hostile_lines, min_size=1, max_size=6))
def test_memory_stays_flat_whatever_the_text(lines: list[str]) -> None:
    """Peak memory of a load is at most a small multiple of the text (plus a constant), however
    the hostile lines are mixed: without the checks, 40,000 key parts alone took gigabytes."""
    text = "\n".join(lines) + "\n"
    assert _peak(text) <= 12 * len(text.encode()) + 2_000_000, len(text)


def test_the_issue_examples_take_little_memory() -> None:
    """80 KB of dotted key (6.3 GB before) and a 320 KB header (a minute before)."""
    for text in ("a" + ".a" * 40_000 + " = 1\n", "[" + "a." * 160_000 + "a]\n"):
        assert _peak(text) < 8 * len(text) + 1_000_000
    # And a key just over the part limit, on short lines: refused, not parsed.
    many = "".join(f"k{i}" + ".a" * 63 + " = 1\n" for i in range(1000))
    assert _peak(many) < 8 * len(many) + 1_000_000
    with pytest.raises(InputTooLargeError, match="16 parts"):
        read_text_and_parse(many)


def read_text_and_parse(text: str) -> None:
    parse(text, "many.toml")


def test_reading_a_real_proposal_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "p.toml").write_text(seed_text(), encoding="utf-8")
    assert parse(read_text(tmp_path / "p.toml"), "p.toml")["proposal"]["id"] == "ru-tapi-pipeline-2024"
