"""Import the paper figure scripts by path (paper_figures is not a package)."""

from pathlib import Path

from sgc_theory.figures import load_script

FIG_DIR = Path(__file__).resolve().parents[2] / "paper_figures"


def fig(name):
    return load_script(FIG_DIR / f"fig_{name}.py")
