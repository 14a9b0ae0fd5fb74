"""The examples in the package's docstrings are executed and must hold."""

import doctest
import importlib
import pkgutil

import pytest

import sgc_theory

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(sgc_theory.__path__, "sgc_theory.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
