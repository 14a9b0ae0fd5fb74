"""Writing figures: one script's main(), and ``sgc figures --json``."""

import json
from pathlib import Path

import pytest
from figures_helpers import fig

from sgc_theory.cli import main as sgc_main
from sgc_theory.errors import SGCError
from sgc_theory.figures import figure_scripts


def _nonempty(paths):
    return all(Path(p).is_file() and Path(p).stat().st_size > 1000 for p in paths)


def test_main_writes_png_and_pdf(tmp_path):
    files = fig("load_vs_lam").main(tmp_path)
    assert sorted(Path(f).suffix for f in files) == [".pdf", ".png"]
    assert _nonempty(files)
    assert Path(files[0]).read_bytes()[:4] in (b"\x89PNG", b"%PDF")


def test_cli_json(tmp_path, capsys):
    out = tmp_path / "figs"
    rc = sgc_main(["figures", "--out", str(out), "--only", "heatmap", "burst_hist", "--json"])
    assert rc == 0
    payload = json.loads(capsys.readouterr().out)
    names = sorted(Path(f).name for f in payload["files"])
    assert (
        names
        == "fig_burst_hist.pdf fig_burst_hist.png fig_straggler_heatmap.pdf fig_straggler_heatmap.png".split()
    )
    assert _nonempty(payload["files"])


def test_cli_unknown_figure(tmp_path, capsys):
    assert sgc_main(["figures", "--out", str(tmp_path), "--only", "no_such_fig"]) == 2
    assert "no figure script matches" in capsys.readouterr().err
    with pytest.raises(SGCError):
        figure_scripts(["no_such_fig"])


def test_missing_folder_is_a_clear_error(monkeypatch, tmp_path):
    import sgc_theory.figures as fc

    monkeypatch.setattr(fc, "__file__", str(tmp_path / "pkg" / "figures.py"))
    with pytest.raises(SGCError, match="paper_figures folder not found"):
        fc.figures_dir()
