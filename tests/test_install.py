"""Install paths (README.md, "Install"): pipx and uvx lines, the licence, project URLs, and the Dockerfile."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_shows_pipx_and_uvx_from_the_checkout() -> None:
    """pipx run --spec . and uvx --from . name the console script the package really installs."""
    scripts = PYPROJECT["project"]["scripts"]
    assert scripts == {"reform-gate": "reform_gate.cli:main"}
    pipx = re.search(r"^pipx run --spec \. (\S+) (.*)$", README, re.M)
    uvx = re.search(r"^uvx --from \. (\S+) (.*)$", README, re.M)
    assert pipx and uvx
    assert pipx.group(1) == uvx.group(1) == "reform-gate"
    # What follows the script's name is a command line the program accepts, on files that exist.
    from reform_gate.cli.parser import build_parser

    for match in (pipx, uvx):
        args = build_parser().parse_args(shlex.split(match.group(2)))
        assert all((ROOT / p).exists() for p in args.paths)
        # And it succeeds, as the README's first command does.
        done = subprocess.run(
            [sys.executable, "-m", "reform_gate", *shlex.split(match.group(2))],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr


def test_licence_matches_the_package_metadata() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} reform-gate developers$", text, re.M)
    assert "LICENSE" in PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


def test_project_urls_are_absolute() -> None:
    urls = PYPROJECT["project"]["urls"]
    assert {"Homepage", "Documentation", "Changelog"} <= set(urls)
    assert all(re.fullmatch(r"https://\S+", u) for u in urls.values())


def test_dockerfile_installs_the_package_with_reform_gate_as_entrypoint() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    assert re.search(r"^RUN pip install [^\n]* \. ", text, re.M)
    assert re.search(r'^ENTRYPOINT \["reform-gate"\]$', text, re.M)
    assert re.search(r"^USER ", text, re.M)  # not root
    # Everything the build reads is copied in: the build backend's inputs.
    for needed in ("pyproject.toml", "README.md", "LICENSE", "reform_gate", "criteria"):
        assert re.search(rf"^COPY .*\b{re.escape(needed)}\b", text, re.M), needed


def _engine() -> str | None:
    """Why no Docker engine can build here, or None when one answers."""
    if shutil.which("docker") is None:
        return "no docker client on PATH"
    done = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no answer"])[-1]
        return f"no Docker engine answers (docker info failed: {first})"
    return None


def test_docker_image_builds_and_scores_the_seeds() -> None:
    """docker build, then the image scores the seeds mounted at /work (needs a Docker engine)."""
    why = _engine()
    if why is not None:
        pytest.skip(why)
    tag = "reform-gate-test:latest"
    built = subprocess.run(["docker", "build", "-t", tag, str(ROOT)], capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr[-2000:]
    version = subprocess.run(["docker", "run", "--rm", tag, "--version"], capture_output=True, text=True, timeout=120)
    assert version.stdout.startswith("reform-gate ")
    scored = subprocess.run(
        ["docker", "run", "--rm", "-v", f"{ROOT / 'seeds'}:/work:ro", tag, "verify", "."],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert scored.returncode == 0, scored.stdout + scored.stderr
    assert "expectations hold" in scored.stdout
