"""Run the paper figure scripts (``paper_figures/fig_*.py``); ``sgc figures`` calls this.

The figure scripts live next to the package in the source tree (``<repo>/paper_figures``), not
inside it, so this command works from a source checkout or an editable install. Each script
exposes ``main(out_dir)`` returning the files it wrote (PNG and PDF).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from .errors import SGCError, check_output_dir

__all__ = ["figures_dir", "figure_scripts", "load_script", "run_figures"]


def figures_dir() -> Path:
    """``<repository>/paper_figures``, located from the package's parent folder."""
    here = Path(__file__).resolve().parent.parent / "paper_figures"
    if not here.is_dir():
        raise SGCError(
            f"paper_figures folder not found at {here}: `sgc figures` needs a source "
            "checkout of sgc_theory (install it with `pip install -e .`)"
        )
    return here


def figure_scripts(only=None) -> list[Path]:
    """The ``fig_*.py`` scripts, sorted; ``only`` keeps those whose name contains a given word."""
    scripts = sorted(figures_dir().glob("fig_*.py"))
    if isinstance(only, str):
        only = [only]
    if only is not None:
        only = list(only)
        if not only or any(not isinstance(w, str) or not w.strip() for w in only):
            raise SGCError(f"--only needs non-empty words (got {only!r:.60})")
    if only:
        scripts = [p for p in scripts if any(word in p.stem for word in only)]
        if not scripts:
            raise SGCError(
                f"--only {' '.join(only)}: no figure script matches "
                f"(available: {', '.join(p.stem for p in sorted(figures_dir().glob('fig_*.py')))})"
            )
    if not scripts:
        raise SGCError(f"no fig_*.py scripts in {figures_dir()}")
    return scripts


def load_script(path: Path) -> ModuleType:
    """Import a figure script as a module (its folder is put on ``sys.path`` for ``_common``)."""
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(f"sgc_paper_figures.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise SGCError(f"{path}: not an importable Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_figures(out_dir, only=None, progress: bool = False) -> list[str]:
    """Run the figure scripts, returning every file they wrote."""
    import matplotlib

    matplotlib.use("Agg")
    from tqdm import tqdm

    scripts = figure_scripts(only)
    out = check_output_dir(out_dir, "--out")
    files: list[str] = []
    for path in tqdm(scripts, desc="figures", unit="fig", disable=not progress):
        module = load_script(path)
        files.extend(os.fspath(f) for f in module.main(out))
    return files
