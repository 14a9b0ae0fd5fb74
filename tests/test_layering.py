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
