"""The documentation stays true to the code.

Generated rule pages match the criteria TOML; every command and option is in docs/cli.md and every
command shows an example in its --help; every rule has a page; every key of the formats is in
docs/format.md; the examples in the docs load, score and print what they claim; every link
resolves.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from pathlib import Path

import attrs
import pytest

import reform_gate
from reform_gate import checks, cli, load, model
from reform_gate.authoring import rule_docs as docs_gen
from reform_gate.cli.parser import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RULES = DOCS / "rules"
SHIPPED = "reform-before-recognition"
REGENERATE = "regenerate with: python -m reform_gate.authoring.rule_docs docs/rules"


def _commands() -> dict[str, argparse.ArgumentParser]:
    """Every command of the CLI by its full name, nested ones too: ``score``, ``criteria list``."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found[f"{prefix}{name}"] = sub
                    walk(sub, f"{prefix}{name} ")

    walk(build_parser(), "")
    return found


COMMANDS = _commands()


def _common_options() -> set[str]:
    """The options every command takes (-q, -v, --color, --config, ...): documented once, not per command."""
    top = build_parser()
    group = next(g for g in top._action_groups if g.title == "options of every command")
    return {flag for action in group._group_actions for flag in action.option_strings}


COMMON_OPTIONS = _common_options()


def _markdown_files() -> list[Path]:
    files = sorted(DOCS.rglob("*.md"))
    return [ROOT / "README.md", *files] if (ROOT / "README.md").exists() else files


def _without_code(text: str) -> str:
    """Markdown with fenced code blocks and inline code blanked out (links and headings there are examples)."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    return re.sub(r"`[^`\n]*`", "", text)


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(text: str) -> set[str]:
    text = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.MULTILINE):
        slug = _slug(heading)
        n = seen.get(slug, 0)
        out.add(slug if n == 0 else f"{slug}-{n}")
        seen[slug] = n + 1
    return out


def _section(text: str, heading: str) -> str:
    """The text under a level-2 heading, up to the next one."""
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else len(text)]


CLI_DOC = (DOCS / "cli.md").read_text(encoding="utf-8")
FORMAT_DOC = (DOCS / "format.md").read_text(encoding="utf-8")


# --- generated rule pages -----------------------------------------------------------------------


def test_rule_pages_are_up_to_date() -> None:
    """docs/rules holds exactly the pages docs_gen makes from the shipped criteria set, unchanged."""
    pages = docs_gen.rule_pages(load.load_criteria(SHIPPED))
    wanted = {docs_gen.page_file(key): text for key, text in pages.items()}
    on_disk = {p.name for p in RULES.glob("*.md")}
    assert on_disk == set(wanted), REGENERATE
    for name, text in wanted.items():
        assert (RULES / name).read_text(encoding="utf-8") == text, f"{name} is out of date; {REGENERATE}"


def test_every_rule_has_a_page_linked_from_the_index() -> None:
    """Each rule of the shipped set has its page, and the index links to it."""
    criteria = load.load_criteria(SHIPPED)
    index = (RULES / "README.md").read_text(encoding="utf-8")
    for rule in criteria.rules:
        page = RULES / docs_gen.page_file(rule.id)
        assert page.is_file(), f"no page for {rule.id}; {REGENERATE}"
        assert f"# {rule.id}: {rule.title}" in page.read_text(encoding="utf-8")
        assert f"]({docs_gen.page_file(rule.id)})" in index


def test_rule_pages_returns_a_page_per_rule_and_an_index() -> None:
    """rule_pages keys are the rule ids in order, then the index; each page says what earns full credit."""
    criteria = load.load_criteria(SHIPPED)
    pages = docs_gen.rule_pages(criteria)
    assert list(pages) == [r.id for r in criteria.rules] + [docs_gen.INDEX]
    assert "`safe_haven_denied = true`" in pages["CT-1"]
    assert "The gate passes at credit 0.6: when `benchmark_count >= 3 benchmarks`." in pages["SG-2"]
    assert all(text.startswith(docs_gen.MARKER + "\n") for text in pages.values())


def test_docs_gen_writes_checks_and_refuses_hand_written_files(tmp_path: Path) -> None:
    """--check exits 1 on a changed page; writing restores it, removes stale pages and spares hand-written ones."""
    out = tmp_path / "rules"
    quiet = contextlib.redirect_stdout(io.StringIO())
    with quiet:
        assert docs_gen.main([str(out)]) == 0
        assert docs_gen.main(["--check", str(out)]) == 0
        (out / "CT-1.md").write_text(docs_gen.MARKER + "\nedited\n", encoding="utf-8")
        (out / "OLD-1.md").write_text(docs_gen.MARKER + "\na rule that is gone\n", encoding="utf-8")
        assert docs_gen.main(["--check", str(out)]) == 1
        assert docs_gen.main([str(out)]) == 0
        assert docs_gen.main(["--check", str(out)]) == 0
    assert not (out / "OLD-1.md").exists()
    (out / "CT-2.md").write_text("written by hand\n", encoding="utf-8")
    with quiet, contextlib.redirect_stderr(io.StringIO()) as err:
        assert docs_gen.main([str(out)]) == 2
    assert "CT-2.md: cannot write" in err.getvalue()
    assert (out / "CT-2.md").read_text(encoding="utf-8") == "written by hand\n"


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented(command: str) -> None:
    """docs/cli.md has a section for every top-level command and names every nested one."""
    top = command.split()[0]
    assert f"## `reform-gate {top}`" in CLI_DOC, f"docs/cli.md has no section for {top}"
    assert f"reform-gate {command}" in CLI_DOC


@pytest.mark.parametrize("command", sorted(c for c in COMMANDS if " " not in c))
def test_every_command_has_an_example_in_its_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`reform-gate COMMAND --help` ends with an example of the command, and of each nested one."""
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert "example" in shown
    nested = [c for c in COMMANDS if c.startswith(command + " ")] or [command]
    for name in nested:
        assert f"reform-gate {name}" in shown


@pytest.mark.parametrize("command", sorted(c for c in COMMANDS if " " not in c))
def test_every_option_is_documented(command: str) -> None:
    """Each option of a command appears in that command's section of docs/cli.md."""
    section = _section(CLI_DOC, f"## `reform-gate {command}`")
    options = [
        flag
        for name, parser in COMMANDS.items()
        if name.split()[0] == command
        for action in parser._actions
        for flag in action.option_strings
        if flag.startswith("--") and flag != "--help" and flag not in COMMON_OPTIONS
    ]
    for flag in options:
        assert f"`{flag}" in section, f"{flag} of {command} is not in its section of docs/cli.md"


def test_options_of_every_command_are_documented_once() -> None:
    """-q, -v, --color, --config and --no-config are in docs/cli.md's section for options of every command."""
    section = _section(CLI_DOC, "## Options of every command")
    assert {"--quiet", "--verbose", "--color", "--config", "--no-config"} <= COMMON_OPTIONS
    for flag in sorted(COMMON_OPTIONS):
        assert f"`{flag}" in section, f"{flag} is not in docs/cli.md, Options of every command"
    for name, parser in COMMANDS.items():
        flags = {flag for action in parser._actions for flag in action.option_strings}
        assert flags >= COMMON_OPTIONS, f"reform-gate {name} lacks some of {sorted(COMMON_OPTIONS - flags)}"


def _keys(value: object, path: str = "") -> set[str]:
    """Every key path in JSON data, list items under ``[]``: ``findings[].rule``."""
    if isinstance(value, dict):
        return {k for key, v in value.items() for k in {f"{path}{key}", *_keys(v, f"{path}{key}.")}}
    if isinstance(value, list):
        return {k for item in value for k in _keys(item, path.rstrip(".") + "[].")}
    return set()


def test_json_example_matches_real_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The trimmed JSON verdict in docs/cli.md uses only keys (and values) the real output has."""
    block = re.search(r"^```json\n(.*?)^```", _section(CLI_DOC, "### JSON output"), re.S | re.M)
    assert block is not None
    shown = json.loads(block.group(1))
    monkeypatch.chdir(ROOT)
    cli.main(["score", "seeds/ru-isisk-intelligence-sharing.toml", "--format", "json"])
    real = json.loads(capsys.readouterr().out)
    assert _keys(shown) <= _keys(real)
    for key in ("format", "outcome", "requested_tier", "supported_tier", "overall_score", "design_score"):
        assert shown[key] == real[key]


def test_exit_codes_are_documented() -> None:
    """The codes the CLI returns are the ones docs/cli.md lists."""
    codes = _section(CLI_DOC, "## Exit codes")
    for code in (cli.EXIT_OK, cli.EXIT_BELOW, cli.EXIT_INVALID):
        assert f"\n| {code} |" in codes


# --- the format reference -----------------------------------------------------------------------

FORMAT_CLASSES = [
    model.CriteriaInfo,
    model.Pillar,
    model.Indicator,
    model.Rule,
    model.Tier,
    model.MinMet,
    model.ProposalInfo,
    model.Observation,
    model.Waiver,
    model.Expect,
    model.LedgerInfo,
]


@pytest.mark.parametrize("cls", FORMAT_CLASSES, ids=lambda c: c.__name__)
def test_format_reference_names_every_key(cls: type) -> None:
    """Every TOML key of the model is described in docs/format.md."""
    for field in attrs.fields(cls):
        if field.eq:  # fields with eq=False (origin, text) are not TOML keys
            assert f"`{field.name}`" in FORMAT_DOC, f"{cls.__name__}.{field.name} is not in docs/format.md"


def test_format_reference_names_every_check_kind_and_limit() -> None:
    """Every check kind and both size limits are in docs/format.md."""
    for kind in [*checks.KINDS, *checks.COMBINATORS]:
        assert f"`{kind}" in FORMAT_DOC
    assert f"{load.MAX_BYTES:,} bytes" in FORMAT_DOC
    assert f"{load.MAX_DEPTH} levels" in FORMAT_DOC


def test_format_examples_load_and_score_as_expected(tmp_path: Path) -> None:
    """The complete examples in docs/format.md are valid, and the proposal scores as its [expect] says."""
    blocks = re.findall(r"^```toml\n# file: (\S+)\n(.*?)^```", FORMAT_DOC, flags=re.DOTALL | re.MULTILINE)
    assert {name for name, _ in blocks} == {"mini.toml", "prop.toml", "record.toml"}
    for name, text in blocks:
        (tmp_path / name).write_text(text, encoding="utf-8")
    proposal = load.load_proposal(tmp_path / "prop.toml")
    verdict = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    assert proposal.expect is not None
    assert (verdict.outcome, verdict.supported_tier) == (proposal.expect.outcome, proposal.expect.supported_tier)
    assert round(verdict.overall_score, 1) == 93.3
    assert [w.rule for w in verdict.waivers] == ["DS-1"]
    # The evidence file's example: the proposal reading it instead of its own two tables scores alike.
    text = (tmp_path / "prop.toml").read_text(encoding="utf-8")
    for ident in ("camps_closed", "press_freedom"):
        text = re.sub(rf"\[observations\.{ident}\]\n(?:[a-z_]+ = .*\n)+\n", "", text)
    assert "camps_closed" not in text and "press_freedom" not in text
    text = text.replace('criteria = "mini.toml"', 'criteria = "mini.toml"\nevidence = ["record.toml"]')
    (tmp_path / "from-record.toml").write_text(text, encoding="utf-8")
    reading = load.load_proposal(tmp_path / "from-record.toml")
    again = reform_gate.score(reading, reform_gate.criteria_for(reading))
    assert (again.outcome, again.supported_tier, again.overall_score) == (
        verdict.outcome,
        verdict.supported_tier,
        verdict.overall_score,
    )
    assert [e.file for e in again.audit.evidence] == [load.shown(tmp_path / "record.toml")]


# --- examples and links -------------------------------------------------------------------------


def test_python_examples_print_what_their_comments_say(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each ```python block in the README runs from the repository root and prints its comments."""
    monkeypatch.chdir(ROOT)
    sources = [ROOT / "README.md"]
    blocks = [b for p in sources for b in re.findall(r"^```python\n(.*?)^```", p.read_text("utf-8"), re.S | re.M)]
    assert blocks, "no Python example found"
    for block in blocks:
        expected = [m.group(1).strip() for m in re.finditer(r"^\s*print\(.*\)\s+#\s*(.+)$", block, flags=re.MULTILINE)]
        exec(compile(block, "<docs example>", "exec"), {})
        printed = capsys.readouterr().out.splitlines()
        assert printed == expected


@pytest.mark.parametrize("doc", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_resolve(doc: Path) -> None:
    """Every relative link in the README and docs names an existing file (and heading, if it has an anchor)."""
    text = doc.read_text(encoding="utf-8")
    base = doc.parent
    for target in re.findall(r"\]\(([^)\s]+)\)", _without_code(text)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (base / path).resolve() if path else doc
        assert file.exists(), f"{doc.relative_to(ROOT)}: link to missing {target}"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file.read_text(encoding="utf-8")), f"{doc.relative_to(ROOT)}: no #{anchor}"


@pytest.mark.parametrize("doc", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_seed_files_named_in_docs_exist(doc: Path) -> None:
    """A seed named anywhere in the docs (commands included) is a real file."""
    for name in set(re.findall(r"seeds/[\w.-]+\.toml", doc.read_text(encoding="utf-8"))):
        assert (ROOT / name).is_file(), f"{doc.relative_to(ROOT)} names {name}, which does not exist"


def test_shipped_criteria_listed_in_cli_doc() -> None:
    """The criteria list example names every shipped set."""
    for ident in load.shipped_criteria():
        assert ident in _section(CLI_DOC, "## `reform-gate criteria`")
