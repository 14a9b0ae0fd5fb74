"""The package's import layering: library modules only import downwards, and only the command
line knows argparse (the layering a newcomer should see in the package layout)."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "sgc_theory"

#: what each area may import from the package (besides itself)
ALLOWED = {
    "errors": set(),
    "rationals": {"errors"},
    "budget": {"errors", "rationals"},
    "fileio": {"budget", "errors", "rationals"},
    "linalg": {"budget", "errors", "rationals"},
    "models": {"budget", "errors", "rationals"},
    "codes": {"budget", "errors", "linalg", "fileio", "rationals"},
    "lp": {"budget", "errors", "rationals"},
    "bounds": {"budget", "errors", "lp", "models", "rationals"},
    "schemes": {"budget", "errors", "linalg", "models", "codes", "bounds", "rationals"},
    "verify": {"budget", "errors", "linalg", "models", "codes", "schemes", "rationals"},
    "design": {"budget", "errors", "lp", "models", "bounds", "schemes", "verify", "rationals"},
    "simulate": {
        "budget",
        "errors",
        "fileio",
        "models",
        "codes",
        "bounds",
        "schemes",
        "verify",
        "data",
        "rationals",
    },
    "execute": {
        "budget",
        "errors",
        "models",
        "codes",
        "bounds",
        "schemes",
        "verify",
        "simulate",
        "data",
        "rationals",
    },
    "figures": {"budget", "errors", "fileio", "rationals"},
    "data": set(),
}


def _area(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    pkg_parts = ["sgc_theory", *path.relative_to(PKG).parent.parts]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg_parts[: len(pkg_parts) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names = (
                [mod] if node.module or not node.level else [f"{mod}.{a.name}" for a in node.names]
            )
            yield from names
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


LIBRARY = sorted(p for p in PKG.rglob("*.py") if _area(p) in ALLOWED and p.name != "__main__.py")


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(PKG)))
def test_library_imports_only_downwards(path):
    area = _area(path)
    for mod in _imports(path):
        assert mod.split(".")[0] != "argparse", f"{path} imports argparse (only sgc_theory.cli may)"
        if not mod.startswith("sgc_theory."):
            continue
        target = mod.split(".")[1]
        if target == area:
            continue
        assert target in ALLOWED[area], f"{path.relative_to(PKG)} imports {mod} (upward)"


def test_every_area_is_classified():
    areas = {_area(p) for p in PKG.rglob("*.py")} - {"__init__", "__main__", "cli"}
    assert areas <= set(ALLOWED), areas - set(ALLOWED)


# ----------------------------------------------------------------------------------------------
# No import circles: the graph of every import of the package (module level, inside functions
# and under ``if TYPE_CHECKING:`` alike, as a drawing of the import graph shows them).


def _module_name(path: Path) -> str:
    parts = ["sgc_theory", *path.relative_to(PKG).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PKG.rglob("*.py")}


def _targets(path: Path):
    """The package modules ``path`` imports: ``from X import name`` counts as an import of the
    module ``X.name`` when that is a module, else of ``X``."""
    tree = ast.parse(path.read_text())
    is_pkg = path.name == "__init__.py"
    here = _module_name(path).split(".")
    base_parts = here if is_pkg else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = base_parts[: len(base_parts) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for alias in node.names:
                sub = f"{mod}.{alias.name}"
                if sub in MODULES:
                    yield sub
                elif mod in MODULES:
                    yield mod


def import_graph() -> dict[str, set[str]]:
    """``module -> the package modules it imports`` (self-imports dropped)."""
    return {m: set(_targets(p)) - {m} for m, p in MODULES.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` (a list of modules, first = last), or ``None``; iterative
    depth-first search with colours."""
    colour = dict.fromkeys(graph, 0)  # 0 new, 1 on the stack, 2 done
    for root in sorted(graph):
        if colour[root]:
            continue
        stack = [(root, iter(sorted(graph[root])))]
        path = [root]
        colour[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif colour.get(child) == 0:
                colour[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_circles():
    graph = import_graph()
    assert "sgc_theory.bounds.loads" in graph and graph["sgc_theory.verify"]  # the graph is real
    circle = _cycle(graph)
    assert circle is None, "import circle: " + " -> ".join(circle)


# ----------------------------------------------------------------------------------------------
# Sub-package ``__init__`` files only re-export (the top-level lazy loader may stay).

SUBPACKAGE_INITS = sorted(p for p in PKG.rglob("__init__.py") if p.parent != PKG)


@pytest.mark.parametrize("path", SUBPACKAGE_INITS, ids=lambda p: str(p.relative_to(PKG)))
def test_subpackage_init_only_reexports(path):
    tree = ast.parse(path.read_text())
    allowed = (ast.Import, ast.ImportFrom, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)
    for node in tree.body:
        assert isinstance(node, allowed), (
            f"{path.relative_to(PKG)}:{node.lineno}: {type(node).__name__} in an __init__ "
            "(only imports, __all__ and the docstring belong there)"
        )
        if isinstance(node, ast.Expr):  # the docstring
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    assert len(SUBPACKAGE_INITS) >= 8
