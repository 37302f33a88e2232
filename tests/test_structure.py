"""The shape of the code, as promised in STYLE.md: dependencies point one way, no import
cycles, no app reaches into another app's views, modules stay small, and views never raise
a canvas' version by hand (model methods and use cases record every change)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
APPS = ["accounts", "canvas_app", "segments", "config"]
MAX_LINES = 400


def modules() -> dict[str, Path]:
    """Every module of the project's apps, by dotted name (migrations left out)."""
    found = {}
    for app in APPS:
        for path in sorted((BASE / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(BASE).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = modules()


def imports_of(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(imported module, names taken from it) for each import of the project's own modules,
    at any depth of the file (imports inside functions count)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            # `from package import module` imports the module.
            found += [(f"{target}.{n}", []) for n in names if f"{target}.{n}" in MODULES]
            found.append((target, [n for n in names if f"{target}.{n}" not in MODULES]))
    return [(target, names) for target, names in found if target.split(".")[0] in APPS and target in MODULES]


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def test_the_graph_was_read():
    targets = {target for target, _ in GRAPH["segments.views.pages"]}
    assert {"canvas_app.access", "canvas_app.models", "segments.views.common"} <= targets


def test_there_is_no_import_cycle():
    cycles = []
    state: dict[str, int] = {}

    def visit(name: str, stack: list[str]) -> None:
        state[name] = 1
        for target, _names in GRAPH[name]:
            if target == name or target.startswith(f"{name}."):
                continue  # a package importing its own modules
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, [*stack, target])
        state[name] = 2

    for name in GRAPH:
        if name not in state:
            visit(name, [name])
    assert cycles == []


def app_of(name: str) -> str:
    return name.split(".")[0]


def test_canvas_app_does_not_depend_on_segments():
    wrong = [(name, target) for name, found in GRAPH.items() for target, _ in found
             if app_of(name) == "canvas_app" and app_of(target) == "segments"]  # fmt: skip
    assert wrong == []


def test_no_module_imports_another_apps_views_or_its_private_names():
    wrong = []
    for name, found in GRAPH.items():
        for target, names in found:
            if app_of(target) == app_of(name) or app_of(name) == "config":
                continue  # the URL configuration is where views are meant to be named
            if ".views" in f".{target}" or any(n.startswith("_") for n in names):
                wrong.append(f"{name} -> {target} {names}")
    assert wrong == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(BASE)} has {lines} lines: split it by feature"


VIEW_MODULES = [name for name in MODULES if ".views" in f".{name}" or name.endswith("views")]


@pytest.mark.parametrize("name", VIEW_MODULES)
def test_views_never_record_a_change_or_touch_the_version_by_hand(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    written = {
        target.attr
        for node in ast.walk(tree)
        if isinstance(node, (ast.Assign, ast.AugAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute)
    }
    assert not calls & {"recording", "touch", "_next_revision"}
    assert not written & {"revision", "updated_at", "version"}


def test_the_view_modules_were_found():
    assert {"canvas_app.views.board", "segments.views.fit", "segments.prioritisation.views", "accounts.views"} <= set(
        VIEW_MODULES
    )
