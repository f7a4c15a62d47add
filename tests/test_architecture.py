"""The package map holds: imports only go down the stages, no module imports itself back
through others, and modules, functions and classes stay small enough to read.

Imports are read from the source (AST), so an import inside a function or under
`TYPE_CHECKING` counts like one at the top: hiding a cycle there hides it from nobody."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "toolkit"

# Each stage may import the stages named for it (and itself); nothing may import upwards.
BELOW: dict[str, set[str]] = {
    "core": set(),
    "records": {"core"},
    "languages": {"core", "records"},
    "validate": {"core", "records", "languages"},
    "build": {"core", "records", "languages", "validate"},
    "publish": {"core", "records", "languages", "validate", "build"},
    "site": {"core", "records", "languages", "validate", "build", "publish"},
    "contrib": {"core", "records", "languages", "validate", "build"},
    "cli": {"core", "records", "languages", "validate", "build", "publish", "site", "contrib"},
}
TOP_LEVEL_LIMIT = 8
MODULE_LINES, FUNCTION_LINES, CLASS_LINES = 400, 60, 200


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """Every toolkit module `name` imports, with the line, wherever the import statement is."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from toolkit.site import pages` imports the module toolkit.site.pages
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target.startswith("toolkit") and target != name:
                yield target, node.lineno


def _graph() -> dict[str, list[tuple[str, int]]]:
    modules = _modules()
    known = set(modules)
    return {name: sorted(set(_imports(name, path, known))) for name, path in modules.items()}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in BELOW else ""


def test_every_package_is_a_known_stage() -> None:
    folders = {p.parent.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE}
    assert folders <= set(BELOW), f"a package with no place in the stage map: {folders - set(BELOW)}"


def test_few_modules_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= TOP_LEVEL_LIMIT, top


def test_imports_only_go_down_the_stages() -> None:
    wrong = []
    for module, targets in _graph().items():
        stage = _stage(module)
        if not stage:
            continue  # toolkit/__init__ and __main__ sit above every stage
        for target, line in targets:
            other = _stage(target)
            if other and other != stage and other not in BELOW[stage]:
                wrong.append(f"{module}:{line} imports {target} ({stage} → {other})")
            if not other and target != "toolkit":
                wrong.append(f"{module}:{line} imports {target}, outside every stage")
            if target == "toolkit":
                wrong.append(f"{module}:{line} imports the top package (its API imports every stage)")
    assert not wrong, "\n".join(wrong)


def _cycle(graph: dict[str, list[tuple[str, int]]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for start in graph:
        if start in state:
            continue
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(start, iter(graph[start]))]
        path = [start]
        state[start] = 1
        while stack:
            node, edges = stack[-1]
            for target, _ in edges:
                if state.get(target) == 1:
                    return [*path[path.index(target) :], target]
                if target not in state:
                    state[target] = 1
                    stack.append((target, iter(graph.get(target, []))))
                    path.append(target)
                    break
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return None


def test_no_import_cycles() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = {"a": [("b", 1)], "b": [("c", 1)], "c": [("a", 1)], "d": []}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": [("b", 1)], "b": []}) is None


def _too_long() -> Iterator[str]:
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        if len(text.splitlines()) > MODULE_LINES:
            yield f"{where}: {len(text.splitlines())} lines (at most {MODULE_LINES})"
        for node in ast.walk(ast.parse(text)):
            size = (node.end_lineno or node.lineno) - node.lineno + 1 if hasattr(node, "lineno") else 0
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and size > FUNCTION_LINES:
                yield f"{where}:{node.lineno}: def {node.name}: {size} lines (at most {FUNCTION_LINES})"
            if isinstance(node, ast.ClassDef) and size > CLASS_LINES:
                yield f"{where}:{node.lineno}: class {node.name}: {size} lines (at most {CLASS_LINES})"


def test_sizes() -> None:
    found = list(_too_long())
    assert not found, "\n".join(found)


def test_the_top_package_imports_no_stage() -> None:
    """`import toolkit` stays cheap: its public API is imported on first use."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    # toolkit.core.native: FACTBASE_PURE's finder, which must come before any other module
    allowed = ("__future__", "importlib", "typing", "toolkit.core.version", "toolkit.core.native")
    assert all(getattr(n, "module", "") in allowed for n in top)


def test_the_public_api_resolves() -> None:
    import toolkit

    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name
