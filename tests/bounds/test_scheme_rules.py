"""One table of parameter rules: ``bounds.scheme_load`` accepts exactly the parameters the
scheme constructors accept (the independent route: build the scheme)."""

import itertools

import pytest

from sgc_theory.bounds import (
    brsgc_delay,
    brsgc_load,
    gc_load,
    msgc_delay,
    msgc_load,
    msgc_x,
    scheme_load,
    srsgc_load,
    srsgc_s,
    wcsgc_delay,
    wcsgc_load,
)
from sgc_theory.bounds.pair_replication import prsgc_parameters
from sgc_theory.errors import SGCError
from sgc_theory.schemes import BRSGC, GC, MSGC, PRSGC, SRSGC, WCSGC, make_scheme


def _accepts(f, *args, **kwargs) -> bool:
    try:
        f(*args, **kwargs)
    except SGCError:
        return False
    return True


@pytest.mark.parametrize("scheme", ["srsgc", "msgc", "brsgc", "wcsgc", "prsgc"])
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


def _message(f, *args, **kwargs) -> str:
    with pytest.raises(SGCError) as info:
        f(*args, **kwargs)
    return str(info.value)


# (the message, then every route that must refuse with exactly it: the constructor, the
# closed forms concerned and scheme_load all consult the one table)
SAME_WORDS = [
    (
        "GC needs 0 <= s < n (got s=4, n=4)",
        [lambda: GC(4, 4), lambda: gc_load(4, 4), lambda: scheme_load("gc", 4, s=4)],
    ),
    (
        "SR-SGC needs W >= B + 1 (got B=2, W=2)",
        [
            lambda: SRSGC(4, 2, 2, 1),
            lambda: srsgc_load(4, 2, 2, 1),
            lambda: srsgc_s(2, 2, 1),
            lambda: scheme_load("srsgc", 4, B=2, W=2, lam=1),
        ],
    ),
    (
        "SR-SGC needs s = ceil(B lam / (W - 1 + B)) < n (got B=1, W=2, lam=1, n=1)",
        [
            lambda: SRSGC(1, 1, 2, 1),
            lambda: srsgc_load(1, 1, 2, 1),
            lambda: scheme_load("srsgc", 1, B=1, W=2, lam=1),
        ],
    ),
    (
        "M-SGC needs 1 <= B <= W - 1 (got B=2, W=2): with B >= W a worker may straggle in "
        "every round",
        [
            lambda: MSGC(4, 2, 2, 1),
            lambda: msgc_load(4, 2, 2, 1),
            lambda: msgc_delay(2, 2),
            lambda: msgc_x(2, 2, 1),
            lambda: scheme_load("msgc", 4, B=2, W=2, lam=1),
        ],
    ),
    (
        "BR-SGC needs 0 <= lam <= n (got lam=5, n=4)",
        [
            lambda: BRSGC(4, 1, 2, 5),
            lambda: brsgc_load(4, 5),
            lambda: scheme_load("brsgc", 4, B=1, W=2, lam=5),
        ],
    ),
    ("BR-SGC needs B >= 1 (got B=0)", [lambda: BRSGC(4, 0, 2, 1), lambda: brsgc_delay(0)]),
    (
        "WC-SGC needs 1 <= B <= W - 1 (got B=3, W=3): with B >= W a worker may straggle in "
        "every round",
        [
            lambda: WCSGC(4, 3, 3, 1),
            lambda: wcsgc_load(4, 3, 3, 1),
            lambda: scheme_load("wcsgc", 4, B=3, W=3, lam=1),
        ],
    ),
    ("WC-SGC needs B >= 1 (got B=0)", [lambda: WCSGC(4, 0, 2, 1), lambda: wcsgc_delay(0)]),
    (
        "PR-SGC needs n >= 2 (got n=1)",
        [
            lambda: PRSGC(1, 1, 2, 0),
            lambda: prsgc_parameters(1, 0),
            lambda: scheme_load("prsgc", 1, B=1, W=2, lam=0),
        ],
    ),
    (
        "PR-SGC needs 0 <= lam <= n (got lam=7, n=6)",
        [
            lambda: PRSGC(6, 1, 2, 7),
            lambda: prsgc_parameters(6, 7),
            lambda: scheme_load("prsgc", 6, B=1, W=2, lam=7),
        ],
    ),
]


@pytest.mark.parametrize("words,routes", SAME_WORDS, ids=[w for w, _ in SAME_WORDS])
def test_one_rule_one_message_on_every_route(words, routes):
    for route in routes:
        assert _message(route) == words


def test_unknown_family_is_refused_by_name():
    from sgc_theory.bounds import check_scheme_params

    assert _message(check_scheme_params, "lagrange", n=4) == (
        "scheme must be one of nocoding, gc, srsgc, msgc, brsgc, prsgc, wcsgc, bursty "
        "(got 'lagrange')"
    )
    check_scheme_params("prsgc", n=4, lam=2)  # rules over absent parameters are not applied


def test_symbolic_parameters_pass_the_rules():
    import sympy as sp

    lam = sp.Symbol("lam", nonnegative=True)
    assert sp.simplify(msgc_load(256, 1, 2, lam).subs(lam, 27) - sp.Rational(7, 928)) == 0
    assert wcsgc_load(256, 1, 2, lam).subs(lam, 27) == sp.Rational(2, 485)
