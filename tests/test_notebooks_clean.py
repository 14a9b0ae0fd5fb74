"""The tutorial notebooks are the single source of truth, edited in Jupyter and saved WITHOUT
outputs (the nbstripout pre-commit hook strips them; the docs build and nbmake execute them).
This test fails when a notebook is committed with outputs, execution counts or run metadata."""

import copy
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))

#: notebook-level metadata that only a run (or a particular machine) writes
RUN_METADATA = ("widgets", "varInspector", "toc", "vscode", "colab")


def problems(nb: dict) -> list[str]:
    """Everything in a parsed notebook that a stripped notebook must not carry."""
    out = []
    for k, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            out.append(f"cell {k}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            out.append(f"cell {k}: execution_count {cell['execution_count']}")
        if "ExecuteTime" in cell.get("metadata", {}) or "execution" in cell.get("metadata", {}):
            out.append(f"cell {k}: execution timing metadata")
    meta = nb.get("metadata", {})
    out += [f"notebook metadata {key!r}" for key in RUN_METADATA if key in meta]
    return out


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6, [p.name for p in NOTEBOOKS]
    assert not (NOTEBOOKS[0].parent / "_build.py").exists(), "the notebooks have no generator"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_saved_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    assert any(c["cell_type"] == "code" for c in nb["cells"])
    found = problems(nb)
    assert not found, (
        f"{path.name} was saved with outputs: {found}; run "
        f"`nbstripout --keep-id {path}` (or `pre-commit install` once)"
    )


def test_the_check_catches_a_run_notebook():
    """The checker itself: a notebook as Jupyter saves it after running is flagged."""
    clean = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    assert problems(clean) == []
    run = copy.deepcopy(clean)
    code = next(c for c in run["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 1
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}]
    assert problems(run) == [
        f"cell {run['cells'].index(code)}: 1 output(s)",
        f"cell {run['cells'].index(code)}: execution_count 1",
    ]
