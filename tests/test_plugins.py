"""Criteria sets from other packages (docs/plugins.md), found after a real ``pip install``.

A tiny setuptools package is written into a temporary folder, installed offline with ``pip
install --no-deps --no-build-isolation --target DIR``, and the command line is run in a process
with ``PYTHONPATH=DIR``, as a user's environment would have it installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "criteria" / "reform-before-recognition.toml"
SEED = ROOT / "seeds" / "ru-isisk-intelligence-sharing.toml"
#: The seed is scored from a folder outside the checkout: its ledger lies under the checkout.
ROOTED = ("--criteria-root", str(ROOT))


def make_package(folder: Path, name: str, version: str, sets: dict[str, str | None]) -> Path:
    """A setuptools project offering ``sets`` (entry-point name -> TOML text, or None for no file)."""
    module = name.replace("-", "_")
    entry_points = "\n".join(f'{ident} = "{module}.criteria"' for ident in sets)
    (folder / module / "criteria").mkdir(parents=True)
    (folder / module / "__init__.py").write_text("", encoding="utf-8")
    (folder / module / "criteria" / "__init__.py").write_text("", encoding="utf-8")
    for ident, text in sets.items():
        if text is not None:
            (folder / module / "criteria" / f"{ident}.toml").write_text(text, encoding="utf-8")
    (folder / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["setuptools>=70.1"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{name}"
            version = "{version}"

            [project.entry-points."reform_gate.criteria"]
            """
        ).lstrip()
        + entry_points
        + textwrap.dedent(
            f"""

            [tool.setuptools]
            packages = ["{module}", "{module}.criteria"]

            [tool.setuptools.package-data]
            "{module}.criteria" = ["*.toml"]
            """
        ),
        encoding="utf-8",
    )
    return folder


def pip_install(project: Path, target: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(project),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def renamed_set(ident: str, title: str) -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace('id = "reform-before-recognition"', f'id = "{ident}"', 1)
    return text.replace('title = "Reform before recognition"', f'title = "{title}"', 1)


def run(cwd: Path, target: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("REFORM_GATE_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(target), str(ROOT)])
    return subprocess.run(
        [sys.executable, "-m", "reform_gate", *argv], cwd=cwd, env=environ, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One installed package offering "eu-test-benchmarks", and a set that would shadow the shipped one."""
    base = tmp_path_factory.mktemp("plugin")
    project = make_package(
        base / "src",
        "rg-test-sets",
        "1.2.3",
        {
            "eu-test-benchmarks": renamed_set("eu-test-benchmarks", "EU test benchmarks"),
            "reform-before-recognition": renamed_set("reform-before-recognition", "An impostor"),
        },
    )
    target = base / "site"
    pip_install(project, target)
    assert (target / "rg_test_sets" / "criteria" / "eu-test-benchmarks.toml").is_file()
    return target


def test_criteria_list_shows_the_installed_set_and_its_distribution(installed: Path, tmp_path: Path) -> None:
    done = run(tmp_path, installed, "criteria", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("reform-before-recognition  2.0.0  Reform before recognition  (")
    assert "eu-test-benchmarks  2.0.0  EU test benchmarks  (31 rules, 7 tiers)  from rg-test-sets 1.2.3" in lines
    assert "reform-before-recognition  (from rg-test-sets 1.2.3: not used, the shipped set of that id wins)" in lines
    assert "An impostor" not in done.stdout


def test_an_installed_set_is_found_by_id(installed: Path, tmp_path: Path) -> None:
    """--criteria ID and a proposal's criteria = "ID" both find it; the shipped id still finds the shipped set."""
    by_option = run(
        tmp_path, installed, "score", str(SEED), "--criteria", "eu-test-benchmarks", "--format", "json", *ROOTED
    )
    verdict = json.loads(by_option.stdout)
    assert verdict["audit"]["criteria_id"] == "eu-test-benchmarks", by_option.stderr
    assert verdict["criteria"][0]["file"].endswith("rg_test_sets/criteria/eu-test-benchmarks.toml")

    proposal = tmp_path / "p.toml"
    shutil.copytree(SEED.parent / "evidence", tmp_path / "evidence")  # the ledger the seed reads
    proposal.write_text(
        SEED.read_text(encoding="utf-8").replace(
            'criteria = "reform-before-recognition"', 'criteria = "eu-test-benchmarks"'
        ),
        encoding="utf-8",
    )
    assert (
        json.loads(run(tmp_path, installed, "score", "p.toml", "--format", "json").stdout)["audit"]["criteria_id"]
        == "eu-test-benchmarks"
    )
    assert run(tmp_path, installed, "validate", "p.toml").returncode == 0
    shown = run(tmp_path, installed, "criteria", "show", "eu-test-benchmarks", "--format", "json")
    assert json.loads(shown.stdout)["title"] == "EU test benchmarks"
    shipped = run(tmp_path, installed, "criteria", "show", "reform-before-recognition", "--format", "json")
    assert json.loads(shipped.stdout)["title"] == "Reform before recognition"

    misspelt = run(tmp_path, installed, "score", str(SEED), "--criteria", "eu-test-benchmark", *ROOTED)
    assert misspelt.returncode == 2
    assert "an installed one (eu-test-benchmarks)" in misspelt.stderr
    assert 'did you mean "eu-test-benchmarks"?' in misspelt.stderr


def test_conflicts_and_broken_entries_are_errors(installed: Path, tmp_path: Path) -> None:
    """Two packages offering one id: an error naming both when used. A package without its file: reported."""
    target = tmp_path / "site"
    shutil.copytree(installed, target)
    second = make_package(
        tmp_path / "src2",
        "rg-other-sets",
        "0.1.0",
        {"eu-test-benchmarks": renamed_set("eu-test-benchmarks", "A rival"), "missing-set": None},
    )
    pip_install(second, target)
    listed = run(tmp_path, target, "criteria", "list")
    assert listed.returncode == 2
    assert (
        "missing-set" in listed.stderr
        and 'a file "missing-set.toml" in package "rg_other_sets.criteria"' in listed.stderr
    )
    used = run(tmp_path, target, "score", str(SEED), "--criteria", "eu-test-benchmarks", *ROOTED)
    assert used.returncode == 2
    assert 'expected: one installed package offering criteria set "eu-test-benchmarks"' in used.stderr
    assert "rg-other-sets 0.1.0, rg-test-sets 1.2.3" in used.stderr
    assert "Traceback" not in used.stderr + listed.stderr
