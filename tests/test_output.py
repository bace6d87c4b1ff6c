"""Writing outputs: atomic files that never replace silently, --format/--output pairs, batches, progress."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reform_gate import files as _atomic
from reform_gate.cli import main
from reform_gate.cli.outputs import Target, check_targets, pair_targets
from reform_gate.cli.progress import Progress
from reform_gate.errors import UsageError, WriteError
from reform_gate.files import write_text
from tests.render_util import REPO
from tests.seed_util import copy_seed

SEED = "seeds/ru-formal-recognition.toml"
#: Every seed proposal (the counts below follow the folder, not a number written down).
SEED_COUNT = len(list((REPO / "seeds").glob("*.toml")))


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- atomic writes -------------------------------------------------------------------------------


def test_writes_a_new_file(tmp_path: Path) -> None:
    """A new file gets the text, the usual mode, and no temporary file is left."""
    target = tmp_path / "r.sarif"
    write_text(target, "é\n")
    assert target.read_bytes() == "é\n".encode()
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert leftovers(tmp_path) == []


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    """An existing file (or a symlink) is never replaced without overwrite."""
    target = tmp_path / "r.sarif"
    target.write_text("old")
    with pytest.raises(WriteError, match="already exists"):
        write_text(target, "new")
    assert target.read_text() == "old"
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(WriteError):
        write_text(link, "new")
    assert leftovers(tmp_path) == []


def test_overwrite_replaces_whole(tmp_path: Path) -> None:
    """With overwrite the file is swapped in one step."""
    target = tmp_path / "r.sarif"
    target.write_text("old")
    write_text(target, "new", overwrite=True)
    assert target.read_text() == "new"
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing fails half-way, the target is untouched and the temporary file is gone."""
    target = tmp_path / "r.sarif"
    target.write_text("old")

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_atomic.os, "fsync", broken)
    with pytest.raises(WriteError, match="No space left"):
        write_text(target, "new", overwrite=True)
    assert target.read_text() == "old"
    with pytest.raises(WriteError):
        write_text(tmp_path / "fresh", "new")
    assert not (tmp_path / "fresh").exists()
    assert leftovers(tmp_path) == []


def test_a_file_created_meanwhile_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last step is a link that fails if the name was taken after the first check."""
    target = tmp_path / "r.sarif"
    real_link = os.link

    def racing(src: str, dst: str) -> None:
        Path(dst).write_text("theirs")
        real_link(src, dst)

    monkeypatch.setattr(_atomic.os, "link", racing)
    with pytest.raises(WriteError, match="created meanwhile"):
        write_text(target, "mine")
    assert target.read_text() == "theirs"
    assert leftovers(tmp_path) == []


def test_no_hard_links_falls_back_to_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the file system has no hard links, a last check and os.replace do."""

    def unsupported(src: str, dst: str) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(_atomic.os, "link", unsupported)
    write_text(tmp_path / "r", "x")
    assert (tmp_path / "r").read_text() == "x"
    assert leftovers(tmp_path) == []


def test_missing_folder_or_a_folder_as_target(tmp_path: Path) -> None:
    """A file in a folder that does not exist, or a folder, is an error, not a crash."""
    with pytest.raises(WriteError, match="folder"):
        write_text(tmp_path / "no" / "r", "x")
    with pytest.raises(WriteError):
        write_text(tmp_path, "x", overwrite=True)


# --- pairing -------------------------------------------------------------------------------------


F, OUT = "format", "output"


@pytest.mark.parametrize(
    ("events", "targets"),
    [
        ([], [Target("text")]),
        ([(F, "json")], [Target("json")]),
        ([(OUT, "r.txt")], [Target("text", "r.txt")]),
        ([(OUT, "r.json"), (F, "json")], [Target("json", "r.json")]),
        (
            [(F, "sarif"), (OUT, "r.sarif"), (F, "junit"), (OUT, "r.xml"), (F, "text")],
            [Target("sarif", "r.sarif"), Target("junit", "r.xml"), Target("text")],
        ),
        ([(F, "text"), (F, "sarif"), (OUT, "r.sarif")], [Target("text"), Target("sarif", "r.sarif")]),
        (
            [(OUT, "a.md"), (F, "markdown"), (F, "json"), (OUT, "b.json")],
            [Target("markdown", "a.md"), Target("json", "b.json")],
        ),
    ],
)
def test_pairing(events: list[tuple[str, str]], targets: list[Target]) -> None:
    """Each --output belongs to the --format just before it, else just after it."""
    assert pair_targets(events) == targets


def test_two_outputs_in_a_row_are_refused() -> None:
    """Two --output with no --format between them cannot be paired."""
    with pytest.raises(UsageError, match="one --format for each --output"):
        pair_targets([(F, "json"), (OUT, "a"), (OUT, "b")])


def test_check_targets(tmp_path: Path) -> None:
    """Two formats on stdout, one file twice, an existing file or a missing folder: refused up front."""
    with pytest.raises(UsageError, match="at most one format"):
        check_targets([Target("text"), Target("json")], force=False)
    with pytest.raises(UsageError, match="twice"):
        check_targets([Target("json", str(tmp_path / "a")), Target("sarif", str(tmp_path / "a"))], force=False)
    (tmp_path / "a").write_text("")
    with pytest.raises(WriteError, match="already exists"):
        check_targets([Target("json", str(tmp_path / "a"))], force=False)
    check_targets([Target("json", str(tmp_path / "a"))], force=True)
    with pytest.raises(WriteError, match="no folder"):
        check_targets([Target("json", str(tmp_path / "x" / "a"))], force=False)


# --- the command line ----------------------------------------------------------------------------


def test_simple_case_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    """`score FILE` prints the text verdict, exactly the reviewed golden text, and exits on the outcome."""
    code = main(["score", SEED])
    out = capsys.readouterr().out
    assert out == (REPO / "tests" / "golden" / "text" / "ru-formal-recognition.txt").read_text(encoding="utf-8")
    assert code == 1
    assert main(["score", SEED, "--fail-below", "scale-back"]) == 0


def test_json_to_stdout_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    """`--format json` alone prints JSON, as before."""
    main(["score", SEED, "--format", "json"])
    assert json.loads(capsys.readouterr().out)["format"] == "reform-gate/verdict/2"


def test_several_pairs_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """sarif and junit and markdown go to their files, text to stdout; each reads back."""
    sarif, junit, md = tmp_path / "r.sarif", tmp_path / "r.xml", tmp_path / "r.md"
    argv = ["score", "seeds/", "--format", "sarif", "--output", str(sarif), "--format", "junit"]
    argv += ["--output", str(junit), "--output", str(md), "--format", "markdown", "--format", "text"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert out.startswith("proposal ")
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert ET.parse(junit).getroot().tag == "testsuites"
    assert md.read_text().startswith(f"## reform-gate: {SEED_COUNT} proposals scored")
    assert leftovers(tmp_path) == []


def test_existing_output_is_refused_before_scoring(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An existing --output file stops the run with exit 2 and a message; --force replaces it."""
    target = tmp_path / "r.sarif"
    target.write_text("old")
    assert main(["score", SEED, "--format", "sarif", "--output", str(target)]) == 2
    captured = capsys.readouterr()
    assert "already exists" in captured.err and "--force" in captured.err
    assert captured.out == ""
    assert target.read_text() == "old"
    assert main(["score", SEED, "--format", "sarif", "--output", str(target), "--force"]) == 1
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_two_formats_to_stdout_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Only one format may go to standard output."""
    assert main(["score", SEED, "--format", "text", "--format", "json"]) == 2
    assert "at most one format without --output" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown format is refused with exit 2, in the tool's error style."""
    assert main(["score", SEED, "--format", "html5"]) == 2
    assert capsys.readouterr().err.startswith("error: --format: usage error\n")


def test_renderers_are_imported_lazily() -> None:
    """Loading the CLI imports no renderer module (startup time is benchmarked)."""
    code = "import sys, reform_gate.cli; print(sorted(m for m in sys.modules if m.startswith('reform_gate.render.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- batches -------------------------------------------------------------------------------------


def test_batch_prints_the_summary_and_exits_on_the_worst(capsys: pytest.CaptureFixture[str]) -> None:
    """A folder gives the summary table; the exit code follows the worst outcome against --fail-below."""
    assert main(["score", "seeds/"]) == 1
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header == ["proposal", "requested", "outcome", "supported", "score"]
    assert f"{SEED_COUNT} scored" in out
    assert main(["score", "seeds/", "--fail-below", "rejected"]) == 0
    assert main(["score", "seeds/", "--fail-below", "scale-back"]) == 1


def test_one_bad_file_does_not_stop_the_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad file is reported, the rest are scored, and the exit code is 2."""
    folder = tmp_path / "proposals"
    folder.mkdir()
    for seed in ("ru-tapi-pipeline", "hypothetical-2029-economic-reform"):
        copy_seed(f"{seed}.toml", folder)
    (folder / "broken.toml").write_text("[proposal\nid = 1\n")
    code = main(["score", str(folder), "--format", "json", "--criteria-root", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 2
    data = json.loads(captured.out)
    assert len(data["verdicts"]) == 2 and len(data["errors"]) == 1
    assert data["errors"][0]["file"].endswith("broken.toml") and data["errors"][0]["line"] == 1
    assert "broken.toml:1" in captured.err


def test_every_format_reports_the_bad_file(tmp_path: Path) -> None:
    """Each format writes the scored proposals and the invalid file into one run (exit 2)."""
    folder = tmp_path / "proposals"
    folder.mkdir()
    copy_seed("ru-tapi-pipeline.toml", folder)
    (folder / "broken.toml").write_text('[proposal]\nid = "x"\n')
    argv = ["score", str(folder)]
    for fmt, ext in (("sarif", "sarif"), ("junit", "xml"), ("markdown", "md"), ("github", "txt"), ("json", "json")):
        argv += ["--format", fmt, "--output", str(tmp_path / f"r.{ext}")]
    assert main(argv) == 2
    assert "invalid-input" in (tmp_path / "r.sarif").read_text()
    assert 'name="invalid input"' in (tmp_path / "r.xml").read_text()
    assert "### Invalid files" in (tmp_path / "r.md").read_text()
    assert "broken.toml" in (tmp_path / "r.txt").read_text()


def test_an_empty_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Scoring nothing is not a pass: exit 2."""
    assert main(["score", str(tmp_path)]) == 2
    assert "no proposal" in capsys.readouterr().err


def test_no_progress_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    """CI logs and pipes get no progress line."""
    main(["score", "seeds/"])
    assert "\r" not in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_only_for_long_batches() -> None:
    """On a terminal: shown for more than 50 files at once, or after a second; erased at the end."""
    many = _Terminal()
    p = Progress(60, many, clock=_Clock())
    p.step(0, "a.toml")
    assert many.getvalue() == "\rscoring 0/60 a.toml\x1b[K"
    p.close()
    assert many.getvalue().endswith("\r\x1b[K")

    clock, few = _Clock(), _Terminal()
    p = Progress(10, few, clock=clock)
    p.step(1, "a.toml")
    assert few.getvalue() == ""
    clock.now = 1.5
    p.step(2, "b.toml")
    assert "scoring 2/10 b.toml" in few.getvalue()
    p.close()

    pipe = io.StringIO()
    p = Progress(500, pipe, clock=_Clock())
    p.step(1, "a")
    p.close()
    assert pipe.getvalue() == ""


def test_progress_is_throttled() -> None:
    """Redrawn at most ten times a second, but the last file always shows."""
    clock, term = _Clock(), _Terminal()
    p = Progress(100, term, clock=clock)
    for i in range(100):
        p.step(i, "x")
    assert term.getvalue().count("\r") == 1
    p.step(100, "x")
    assert term.getvalue().count("\r") == 2
