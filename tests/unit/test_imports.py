"""The package layout is the architecture: imports point down the stages, no cycles, no private names
borrowed across modules. Read with ``ast`` from the source, so an import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

QA = Path(__file__).resolve().parents[2] / "qa"
# The pipeline's order; a module may import its own stage and the ones before it.
STAGES = ["core", "ingest", "models", "index", "retrieve", "reader", "answer", "evaluate"]
TOP = len(STAGES)  # qa/__init__.py, qa/__main__.py, qa/cli.py


def module_name(path: Path) -> str:
    parts = path.relative_to(QA.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in QA.rglob("*.py")}


def stage(name: str) -> int:
    parts = name.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else TOP


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of a qa module in ``path``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "qa"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "qa":
                continue
            names = [a.name for a in node.names]
            submodules = [target + "." + n for n in names if target + "." + n in known]
            found += [(m, [], node.lineno) for m in submodules]
            found.append((target, [n for n in names if target + "." + n not in known], node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {t for t, _, _ in imports(name, path, known) if t in known and t != name}
            for name, path in known.items()}


def test_every_module_belongs_to_a_stage():
    loose = [n for n in modules() if stage(n) == TOP and n not in ("qa", "qa.__main__", "qa.cli")]
    assert not loose, "modules outside the stage packages: %s" % loose


def test_imports_point_down_the_stages():
    known = modules()
    upward = ["%s:%d imports %s" % (name, line, target)
              for name, path in known.items()
              for target, _, line in imports(name, path, known)
              if target in known and stage(target) > stage(name)]
    assert not upward, "\n".join(upward)


def test_no_private_names_across_modules():
    known = modules()
    borrowed = ["%s:%d takes %s from %s" % (name, line, n, target)
                for name, path in known.items()
                for target, names, line in imports(name, path, known)
                for n in names if target != name and n.startswith("_") and not n.startswith("__")]
    assert not borrowed, "\n".join(borrowed)


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``edges`` (a path that returns to its start), or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return []


def test_no_import_cycles():
    assert find_cycle(graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a"}}) == []
