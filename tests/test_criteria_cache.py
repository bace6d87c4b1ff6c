"""The compiled criteria cache (``load/cache.py``): it saves time and never changes an answer.

A set loaded from the cache equals the set loaded from its file, origin and all, and a verdict is
the same bytes with the cache on, off, cold or warm. An entry is used only if it is JSON of the
right key and version in a folder and file only the user can write; anything else (corrupt,
foreign, another version, a group-writable folder, a link) is ignored and the file is read. A
folder that cannot be written costs nothing but the saving.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reform_gate
from reform_gate.load import cache

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "criteria" / "reform-before-recognition.toml"
SEED = ROOT / "seeds" / "ru-isisk-intelligence-sharing.toml"


@pytest.fixture
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


@pytest.fixture
def crit(tmp_path: Path) -> Path:
    path = tmp_path / "set.toml"
    shutil.copy(SHIPPED, path)
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _load(path: Path) -> reform_gate.Criteria:
    return reform_gate.load_criteria(path)


def test_a_cached_set_equals_the_set_read_from_its_file(where: Path, crit: Path) -> None:
    cold = _load(crit)
    assert len(_entries(where)) == 1
    assert oct(where.stat().st_mode & 0o777) == "0o700"
    assert oct(_entries(where)[0].stat().st_mode & 0o777) == "0o600"
    text = crit.read_text(encoding="utf-8")
    warm = cache.load(str(crit), text, cold.origin.file if cold.origin else "")
    assert warm is not None
    assert warm == cold
    assert warm.origin == cold.origin and warm.origin is not None and cold.origin is not None
    assert (warm.origin.sha256, dict(warm.origin.lines)) == (cold.origin.sha256, dict(cold.origin.lines))
    assert _load(crit) == cold


def _forge(entry: Path, title: str) -> None:
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["data"]["rules"][0]["title"] = title
    entry.write_text(json.dumps(data), encoding="utf-8")
    entry.chmod(0o600)


def test_an_entry_is_what_is_loaded_when_it_is_private(where: Path, crit: Path) -> None:
    # The cache is trusted when only the user could have written it: proven by an entry changed in place.
    _load(crit)
    _forge(_entries(where)[0], "changed in the cache")
    assert _load(crit).rules[0].title == "changed in the cache"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="folder modes are POSIX")
@pytest.mark.parametrize("mode", [0o770, 0o777, 0o722])
def test_an_entry_in_a_folder_others_can_write_is_ignored(where: Path, crit: Path, mode: int) -> None:
    first = _load(crit)
    _forge(_entries(where)[0], "planted")
    where.chmod(mode)
    assert _load(crit).rules[0].title == first.rules[0].title


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file modes are POSIX")
def test_an_entry_others_can_write_is_ignored(where: Path, crit: Path) -> None:
    first = _load(crit)
    entry = _entries(where)[0]
    _forge(entry, "planted")
    entry.chmod(0o666)
    assert _load(crit).rules[0].title == first.rules[0].title


def test_a_linked_entry_is_ignored(where: Path, crit: Path, tmp_path: Path) -> None:
    first = _load(crit)
    entry = _entries(where)[0]
    _forge(entry, "planted")
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert _load(crit).rules[0].title == first.rules[0].title


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: b"not json",
        lambda d: b"",
        lambda d: json.dumps({**d, "version": "0.0.0"}).encode(),
        lambda d: json.dumps({**d, "key": "0" * 64}).encode(),
        lambda d: json.dumps({**d, "format": "reform-gate/criteria-cache/0"}).encode(),
        lambda d: json.dumps({**d, "sha256": "short"}).encode(),
        lambda d: json.dumps({**d, "lines": [["rules", "x"]]}).encode(),
        lambda d: json.dumps({**d, "data": {**d["data"], "rules": "none"}}).encode(),
        lambda d: json.dumps({**d, "data": {**d["data"], "unknown": 1}}).encode(),
        lambda d: json.dumps([d]).encode(),
    ],
    ids=["not-json", "empty", "version", "key", "format", "digest", "lines", "shape", "unknown-key", "array"],
)
def test_a_corrupt_or_foreign_entry_is_ignored_and_replaced(where: Path, crit: Path, damage: object) -> None:
    first = _load(crit)
    entry = _entries(where)[0]
    good = entry.read_bytes()
    entry.write_bytes(damage(json.loads(good)))  # type: ignore[operator]
    again = _load(crit)
    assert again == first and again.origin == first.origin
    assert entry.read_bytes() == good  # written anew from the file


def test_an_edited_file_is_read_again(where: Path, crit: Path) -> None:
    _load(crit)
    text = crit.read_text(encoding="utf-8")
    crit.write_text(text.replace('title = "Reform before recognition"', 'title = "Edited"', 1), encoding="utf-8")
    assert _load(crit).criteria.title == "Edited"
    assert len(_entries(where)) == 2


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes a read-only folder anyway")
def test_a_read_only_cache_folder_costs_only_the_saving(where: Path, crit: Path) -> None:
    where.mkdir(mode=0o500)
    assert _load(crit) == reform_gate.load_criteria(SHIPPED)
    assert _entries(where) == []


def test_a_cache_path_that_is_a_file_costs_only_the_saving(where: Path, crit: Path) -> None:
    where.write_text("a file where the folder would be", encoding="utf-8")
    assert _load(crit).rules == reform_gate.load_criteria(SHIPPED).rules


def test_off_keeps_nothing(crit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    _load(crit)
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
    assert cache.folder() is None


def test_the_user_cache_folder_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform not in ("win32", "darwin"):
        assert cache.folder() == tmp_path / "xdg" / "reform-gate"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
        assert cache.folder() == Path.home() / ".cache" / "reform-gate"


def test_a_derived_set_is_not_kept(where: Path, crit: Path, tmp_path: Path) -> None:
    derived = tmp_path / "derived.toml"
    derived.write_text(
        '[criteria]\nid = "derived"\ntitle = "Derived"\nversion = "1"\nextends = "set.toml"\n', encoding="utf-8"
    )
    try:
        reform_gate.load_criteria(derived, root=tmp_path)
    except reform_gate.ReformGateError as err:  # the test is of the cache, not of what extends needs
        pytest.fail(str(err))
    assert _entries(where) == []  # neither it nor the base it read


def _score(env: dict[str, str]) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "reform_gate", "score", str(SEED), "--format", "json", "--fail-below", "rejected"],
        capture_output=True,
        env=env,
        check=True,
    )
    return done.stdout


def test_a_verdict_is_the_same_bytes_with_the_cache_off_cold_and_warm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFORM_GATE_")}
    off = _score({**env, cache.ENV: "off"})
    cold = _score({**env, cache.ENV: str(tmp_path / "c")})
    assert len(_entries(tmp_path / "c")) == 1
    warm = _score({**env, cache.ENV: str(tmp_path / "c")})
    assert off == cold == warm
    assert json.loads(warm)["outcome"]
