"""One table of parameter rules: ``bounds.scheme_load`` accepts exactly the parameters the
scheme constructors accept (the independent route: build the scheme)."""

import itertools

import pytest

from sgc_theory.bounds import scheme_load
from sgc_theory.errors import SGCError
from sgc_theory.schemes import make_scheme


def _accepts(f, *args, **kwargs) -> bool:
    try:
        f(*args, **kwargs)
    except SGCError:
        return False
    return True


@pytest.mark.parametrize("scheme", ["srsgc", "msgc", "brsgc", "wcsgc"])
def test_scheme_load_and_constructor_agree_on_bursty_parameters(scheme):
    n = 4
    for B, W, lam in itertools.product(range(0, 4), range(1, 5), range(0, 6)):
        built = _accepts(make_scheme, scheme, n, B=B, W=W, lam=lam)
        closed = _accepts(scheme_load, scheme, n, B=B, W=W, lam=lam)
        assert built == closed, (scheme, B, W, lam)
        if built:  # and the load is the scheme's own
            sch = make_scheme(scheme, n, B=B, W=W, lam=lam)
            assert scheme_load(scheme, n, B=B, W=W, lam=lam) == (sch.load, sch.T)


def test_scheme_load_and_constructor_agree_on_gc():
    for n, s in itertools.product(range(1, 6), range(-1, 7)):
        built = _accepts(make_scheme, "gc", n, s=s)
        assert built == _accepts(scheme_load, "gc", n, s=s), (n, s)
