"""The code's shape: modules import in one direction (no circle), none hides an import in a function, none is long."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bril"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> tuple[set[str], list[str]]:
    """The project modules a file imports at its top, and where it imports inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found, hidden = set(), []
    # Imports for type checkers only never run: they make no circle at run time.
    typing_only = {id(inner) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for inner in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        names = [name for name in names if name.split(".")[0] == "bril"]
        if not names:
            continue
        if node.col_offset:  # indented: inside a function or a class
            hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        found.update(names)
    return found, hidden


def graph() -> tuple[dict[str, set[str]], list[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    edges, hidden = {}, []
    for name, path in modules.items():
        names, inside = imports_of(path)
        hidden += inside
        # `from .x import y` names either module x.y or a thing y in x: keep whichever is a module.
        edges[name] = {n if n in modules else n.rsplit(".", 1)[0] for n in names} & modules.keys() - {name}
    return edges, hidden


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_no_import_circle():
    edges, _ = graph()
    # A package's __init__ that gathers its modules is no circle with them.
    edges = {name: {o for o in others if not name.startswith(o + ".")} for name, others in edges.items()}
    assert cycles(edges) == []


def test_no_import_hides_in_a_function():
    _, hidden = graph()
    assert hidden == []


def test_no_module_is_long():
    long = {str(path.relative_to(ROOT)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_check_sees_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_two_test_files_share_a_name():
    """pytest imports test files by their name alone (tests/ has no packages): two files of one name stop the
    whole run at collection, as tests/test_editor.py and tests/browser/test_editor.py once did in CI."""
    tests = Path(__file__).resolve().parent
    names = [path.name for path in tests.rglob("test_*.py")]
    assert sorted({name for name in names if names.count(name) > 1}) == []
