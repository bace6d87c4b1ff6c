"""The package's layout is its pipeline: imports run down the layers of docs/architecture.md, never up.

Every import of every module is read from its source (those inside functions too, which the lazy
start-up path uses), resolved to the room it lands in, and held against the layers. The two
stages in the middle, the loader and the engine, never import each other: the engine gets all it
needs from the loaded model. No two modules import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reform_gate"

#: The rooms of each layer, lowest first (docs/architecture.md, "Layers").
LAYERS: list[set[str]] = [
    {"version", "numbers", "errors", "grades", "files", "safe_text", "defaults"},
    {"checks", "model", "verdict", "requirements", "history", "analysis"},
    {"load", "engine"},
    {"render", "authoring", "baseline", "batch"},
    {"cli", "__init__", "__main__"},
]
#: Rooms of one layer that must not import each other (either way).
APART = [{"load", "engine"}, {"render", "authoring"}, {"render", "batch"}, {"baseline", "batch"}]
#: What the engine may import: the model, the verdict and the small helpers beneath them.
ENGINE_MAY_IMPORT = {
    "engine",
    "checks",
    "model",
    "verdict",
    "analysis",
    "history",
    "requirements",
    "numbers",
    "grades",
    "version",
    "errors",
    "safe_text",
}


def _layer(room: str) -> int:
    return next(i for i, rooms in enumerate(LAYERS) if room in rooms)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """The reform_gate modules ``path`` imports, as dotted names."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("reform_gate"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            elif node.module and node.module.startswith("reform_gate"):
                target = node.module
            else:
                continue
            # ``from . import engine`` imports a module; ``from .model import Criteria`` a name of one.
            modules = [f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}")]
            found.update(modules)
            if len(modules) < len(node.names):
                found.add(target)
    found.discard(here)
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: _imports(path) & set(MODULES) for name, path in MODULES.items()}


def test_every_room_has_a_layer() -> None:
    """Each module of the package sits in a room that docs/architecture.md places in a layer."""
    rooms = {_room(m) for m in MODULES}
    assert rooms <= set().union(*LAYERS), rooms - set().union(*LAYERS)


def violations(graph: dict[str, set[str]], module: str) -> list[str]:
    """Each import of ``module`` that runs up a layer, or across rooms its layer keeps apart."""
    mine = _room(module)
    found = []
    for target in sorted(graph[module]):
        theirs = _room(target)
        if target == "reform_gate":
            found.append(f"{module} imports the package root (it should name the module)")
        elif theirs == mine:
            continue
        elif _layer(theirs) > _layer(mine):
            found.append(f"{module} ({mine}) imports {target} ({theirs}), a higher layer")
        elif {mine, theirs} in APART:
            found.append(f"{module} ({mine}) imports {target} ({theirs}): they stay apart")
        elif mine == "engine" and theirs not in ENGINE_MAY_IMPORT:
            found.append(f"{module} imports {target}: the engine imports only the model and helpers")
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down_the_layers(module: str) -> None:
    """No import reaches a room of a higher layer, or a room its own layer keeps apart; the engine
    imports neither the loader nor a renderer (it reads no file and renders nothing)."""
    assert violations(GRAPH, module) == []


def test_the_layer_check_sees_each_kind_of_violation() -> None:
    """Given imports that break the rules, the check names each one."""
    fake = {
        "reform_gate.engine.score": {"reform_gate.load", "reform_gate.model"},
        "reform_gate.model": {"reform_gate.render.text"},
        "reform_gate.render.text": {"reform_gate.batch", "reform_gate"},
        "reform_gate.engine.gap": {"reform_gate.files"},
    }
    assert len(violations(fake, "reform_gate.engine.score")) == 1
    assert len(violations(fake, "reform_gate.model")) == 1
    assert len(violations(fake, "reform_gate.render.text")) == 2
    assert len(violations(fake, "reform_gate.engine.gap")) == 1


class _Cycle(Exception):
    def __init__(self, path: list[str]) -> None:
        super().__init__(" -> ".join(path))
        self.path = path


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph``, or ``[]`` (a module importing its own package's ``__init__``
    for a shared name is not a loop of code)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if node.startswith(target + "."):
                continue
            if state.get(target) == 1:
                raise _Cycle([*stack[stack.index(target) :], target])
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    try:
        for module in sorted(graph):
            if module not in state:
                visit(module)
    except _Cycle as found:
        return found.path
    return []


def test_no_module_imports_itself_round_a_loop() -> None:
    """The import graph of the package has no cycle."""
    assert cycle(GRAPH) == []


def test_the_cycle_check_sees_a_loop() -> None:
    """A loop of three modules is found."""
    assert cycle({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}}) == ["a.x", "a.y", "a.z", "a.x"]
