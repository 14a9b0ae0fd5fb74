"""Sphinx configuration of the sgc_theory documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` from the repository
root (``pip install -e ".[docs]"`` first). Two pages are generated at build time into
``docs/_generated`` (git-ignored): the tutorials (a link to ``notebooks/``, executed by myst-nb)
and the gallery (one entry per ``paper_figures/fig_<name>.py``, its docstring as caption).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
GENERATED = DOCS / "_generated"
sys.path.insert(0, str(ROOT))

import sgc_theory  # noqa: E402

# -- project ------------------------------------------------------------------------------------
project = "sgc_theory"
author = "the sgc_theory developers"
copyright = "2026, the sgc_theory developers"
release = version = sgc_theory.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinxarg.ext",
    "myst_nb",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "api_contract.md"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}

# -- warnings: every unresolved cross-reference is an error under -W ------------------------------
nitpicky = True
# names of other libraries (no intersphinx: the build must work offline) and informal types
nitpick_ignore_regex = [
    (r"py:.*", r"(np|numpy|sp|sympy|pulp|flint|nx|networkx|fractions|pathlib|argparse)\..*"),
    (r"py:.*", r"(Fraction|Path|Iterator|Sequence|Iterable|ContextManager)"),
]

# -- autodoc + napoleon (numpydoc docstrings) ----------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # signatures stay readable; types are in the docstrings
autodoc_default_options = {"show-inheritance": True}
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_param = False  # types are prose ("bool array (n, R)"), not cross-references
napoleon_use_rtype = False
# "Attributes" sections read like "Parameters" (names in bold, prose types, no cross-references)
napoleon_custom_sections = [("Attributes", "params_style")]

# -- MyST and notebooks --------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "force"  # notebooks are saved without outputs: run them here
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_in_temp = False  # run next to the real notebooks (they read ../results)


def _quiet_kernel() -> None:
    """Notebook kernels start without the ipykernel warning about TCP transport (a local build
    talks to its own kernel over localhost): a throw-away IPython profile sets the kernel's log
    level, so the build prints only what concerns the documentation."""
    import os
    import tempfile

    if os.environ.get("IPYTHONDIR", "").startswith(tempfile.gettempdir()):
        return
    home = Path(tempfile.mkdtemp(prefix="sgc-docs-ipython-"))
    (home / "profile_default").mkdir()
    (home / "profile_default" / "ipython_kernel_config.py").write_text(
        'c.IPKernelApp.log_level = "ERROR"\n'
    )
    os.environ["IPYTHONDIR"] = str(home)


_quiet_kernel()

# -- HTML ----------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "sgc_theory"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_static_path: list[str] = []


# -- generated pages -----------------------------------------------------------------------------
def _link_notebooks() -> None:
    """``_generated/notebooks`` -> ``<repo>/notebooks``: myst-nb renders and executes the real
    files (a symbolic link, so the kernel's working folder is the real ``notebooks/``)."""
    link = GENERATED / "notebooks"
    if link.is_symlink() or link.exists():
        if link.is_symlink() and link.resolve() == (ROOT / "notebooks").resolve():
            return
        if link.is_symlink() or link.is_file():
            link.unlink()
        else:
            shutil.rmtree(link)
    link.symlink_to(ROOT / "notebooks", target_is_directory=True)


def _gallery() -> None:
    """``_generated/gallery.md``: every ``paper_figures/fig_<name>.py`` with its image and its
    docstring (the caption). A script without an image in ``paper_figures/gallery`` is an error."""
    out = GENERATED / "gallery"
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Gallery",
        "",
        "Every figure is produced by one script in `paper_figures/` (`fig_<name>.py`): its "
        "docstring is the caption, `data()` returns the numbers behind the figure and "
        "`main(out_dir)` writes it as PNG and PDF. Regenerate all of them with "
        "`sgc figures --out DIR`, or one with `python paper_figures/fig_<name>.py --out DIR`. "
        "The images below are the committed ones in `paper_figures/gallery/`.",
        "",
    ]
    for script in sorted((ROOT / "paper_figures").glob("fig_*.py")):
        name = script.stem
        png = ROOT / "paper_figures" / "gallery" / f"{name}.png"
        if not png.is_file():
            raise RuntimeError(
                f"{script.name} has no image paper_figures/gallery/{name}.png: "
                "run `sgc figures --out paper_figures/gallery`"
            )
        doc = ast.get_docstring(ast.parse(script.read_text())) or ""
        caption = " ".join(doc.split())
        shutil.copyfile(png, out / png.name)
        title = name.removeprefix("fig_").replace("_", " ").capitalize()
        lines += [
            f"## {title}",
            "",
            f"```{{figure}} gallery/{png.name}",
            f":alt: {title}",
            f":name: {name}",
            "",
            caption,
            "```",
            "",
            f"Script: `paper_figures/{script.name}`.",
            "",
        ]
    scripts = {p.stem for p in (ROOT / "paper_figures").glob("fig_*.py")}
    orphans = sorted(
        p.name for p in (ROOT / "paper_figures" / "gallery").glob("*.png") if p.stem not in scripts
    )
    if orphans:
        raise RuntimeError(f"paper_figures/gallery has images without a script: {orphans}")
    text = "\n".join(lines)
    target = GENERATED / "gallery.md"
    if not target.is_file() or target.read_text() != text:
        target.write_text(text)


GENERATED.mkdir(exist_ok=True)
_link_notebooks()
_gallery()
os.environ.setdefault("MPLBACKEND", "Agg")


# -- citations and short cross-references in docstrings -----------------------------------------
_CITE_DEF = re.compile(r"^(\s*)\.\. \[([A-Za-z][\w-]*)\]\s*(.*)$")
_CITE_REF = re.compile(r"\[([A-Za-z][\w-]*)\]_")


def _cite(key: str) -> str:
    return f":ref:`[{key}] <bib-{key.lower()}>`"


#: older docstrings point at sections of the working specification the toolkit was built from,
#: which is not part of the repository: on this site they point at the user guide page instead
_SPEC_REF = re.compile(r"SPEC (?:section |§)?(\d)(?:\.\d+)?")
_SPEC_PAGES = {
    "1": "setting",
    "2": "models",
    "3": "codes",
    "4": "schemes",
    "5": "verification",
    "6": "covering_lp",
    "7": "simulation",
}


def _spec_to_guide(line: str) -> str:
    line = _SPEC_REF.sub(lambda m: f":doc:`user guide </guide/{_SPEC_PAGES[m.group(1)]}>`", line)
    return line.replace("SPEC convention", "the convention of the user guide")


def _docstring_citations(app, what, name, obj, options, lines) -> None:
    """Docstrings cite as numpydoc does (``.. [KEK23] ...`` under References, ``[KEK23]_`` in
    the text); several modules cite the same paper, and docutils citations are global, so here
    every citation becomes a link to the bibliography page (label ``bib-<key>``, in
    ``guide/references.md``). An unknown key is an unresolved reference, hence a build error."""
    out: list[str] = []
    cont = None  # indentation of the citation being continued
    for line in lines:
        m = _CITE_DEF.match(line)
        if m:
            indent, key, rest = m.groups()
            out.append(f"{indent}- {_cite(key)} {rest}")
            cont = len(indent)
            continue
        if cont is not None and line.strip() and len(line) - len(line.lstrip()) > cont:
            out.append(" " * (cont + 2) + line.strip())
            continue
        cont = None
        out.append(_spec_to_guide(_CITE_REF.sub(lambda k: _cite(k.group(1)), line)))
    lines[:] = out


def _short_references(app, env, node, contnode):
    """Resolve a short Python reference (``:class:`SGCError```, ``:meth:`GradientCode.verify```)
    written inside a docstring when exactly one documented object ends with that name; targets
    in private modules (``._``) are shown as plain text. Anything else stays unresolved (an
    error under ``-W``)."""
    from sphinx.util.nodes import make_refnode

    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip(".~")
    if "._" in target:
        return contnode
    py = env.get_domain("py")
    hits = {
        (entry.docname, entry.node_id, name)
        for name, entry in py.objects.items()
        if (name == target or name.endswith("." + target)) and not entry.aliased
    }
    if len(hits) != 1:
        return None
    docname, node_id, name = hits.pop()
    return make_refnode(app.builder, node["refdoc"], docname, node_id, contnode, name)


def setup(app):
    app.connect("autodoc-process-docstring", _docstring_citations)
    app.connect("missing-reference", _short_references)
