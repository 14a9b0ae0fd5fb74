"""Shared helpers of the paper figure scripts (not a figure itself).

Every ``fig_<name>.py`` exposes ``data()`` (the numbers behind the figure) and ``main(out_dir)``
(writes ``fig_<name>.png`` and ``fig_<name>.pdf``, returns the written paths), and runs as
``python paper_figures/fig_<name>.py --out DIR``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sgc_theory.cli._common import LABELS as _CLI_LABELS  # noqa: E402
from sgc_theory.fileio import atomic_write  # noqa: E402

#: trace used by the single-trace figures (256 workers, 30 rounds, probe load 0, Canada)
TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"
#: straggler slack of the paper's runs: straggler iff time > (1 + MU) x fastest
MU = 1.0
#: paper configurations at n = 256 (docs/guide/schemes.md)
PAPER = {"gc": {"s": 15}, "srsgc": {"B": 2, "W": 3, "lam": 23}, "msgc": {"B": 1, "W": 2, "lam": 27}}
#: how the families are written (the command line's labels)
LABELS = dict(_CLI_LABELS)
COLORS = {
    "nocoding": "tab:gray",
    "gc": "tab:blue",
    "srsgc": "tab:orange",
    "msgc": "tab:green",
    "brsgc": "tab:purple",
    "wcsgc": "tab:brown",
    "bound": "black",
    "lp": "tab:red",
}

#: line style and marker of each family, so that every curve reads in grayscale too
STYLES = {
    "nocoding": {"ls": (0, (1, 1)), "marker": "X"},
    "gc": {"ls": "-", "marker": "o"},
    "srsgc": {"ls": "--", "marker": "s"},
    "msgc": {"ls": "-.", "marker": "^"},
    "brsgc": {"ls": (0, (8, 2)), "marker": "v"},
    "wcsgc": {"ls": (0, (3, 1, 1, 1)), "marker": "D"},
    "bound": {"ls": ":", "marker": None},
}


def trace_title(name: str) -> str:
    """A short title of a shipped trace: family, region and probe load from ``index.csv``."""
    from sgc_theory.simulate.traces import load_trace

    tr = load_trace(name)
    family = str(tr.meta.get("source_folder", tr.name)).removeprefix("sam-gc-cnn_profile_est")
    family = family.strip("_-") or tr.name
    load = f", probe load {tr.probe_load:g}" if tr.probe_load is not None else ""
    return f"AWS Lambda trace {family} ({tr.region}, {tr.delays.shape[0]} workers{load})"


plt.rcParams.update(
    {
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "font.size": 9,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "pdf.fonttype": 42,
    }
)


def save(fig, out_dir, name: str) -> list[str]:
    """Write ``name.png`` and ``name.pdf`` into ``out_dir`` (created), close ``fig``; each file is
    written under a temporary name and renamed, so it is whole or absent."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    fig.tight_layout()
    for ext in ("png", "pdf"):
        path = out / f"{name}.{ext}"
        try:
            with atomic_write(path, "wb") as fh:
                fig.savefig(
                    fh, format=ext, metadata={"CreationDate": None} if ext == "pdf" else None
                )
        except BaseException:
            plt.close(fig)
            raise
        files.append(os.fspath(path))
    plt.close(fig)
    return files


def cli(main, doc: str) -> None:
    """``python fig_x.py --out DIR``: run ``main`` and print the written files."""
    p = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    p.add_argument("--out", default=".", help="output folder (default: current folder)")
    args = p.parse_args()
    for f in main(args.out):
        print(f)
