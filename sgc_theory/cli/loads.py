"""``sgc load`` (closed-form loads of GC, SR-SGC, M-SGC, BR-SGC, WC-SGC) and ``sgc bound``
(lower bounds).

JSON: ``sgc load --json`` prints ``{"load": LOAD, "T": int}`` and ``sgc bound --json``
``{"counting_bound": LOAD | null, "density_bound": LOAD, "rho": int}``, where ``LOAD`` is the one
JSON shape of a load everywhere, ``{"fraction": "p/q", "float": p/q}``
(:func:`sgc_theory.rationals.load_json`).
"""

from __future__ import annotations

from ..errors import SGCError, check_int
from ..rationals import fraction_str, load_json
from ._common import LABELS, SCHEME_OPTIONAL, SCHEMES, add_scheme_args, scheme_params


def register(sub) -> None:
    p = sub.add_parser(
        "load",
        help="closed-form load and delay of " + ", ".join(SCHEMES[:-1]) + " or " + SCHEMES[-1],
    )
    add_scheme_args(p)
    p.add_argument(
        "--json", action="store_true", help='print {"load": {"fraction", "float"}, "T": int}'
    )
    p.set_defaults(func=_load)

    b = sub.add_parser("bound", help="lower bounds on the load of any scheme for a model")
    b.add_argument("--n", type=int, required=True, help="number of workers")
    b.add_argument("--model", required=True, help="e.g. bursty:B=2,W=3,lam=2")
    b.add_argument(
        "--json",
        action="store_true",
        help='print {"counting_bound", "density_bound"} as {"fraction", "float"} (or null)',
    )
    b.set_defaults(func=_bound)


def _load(args) -> int:
    from ._common import emit

    key = args.scheme
    given = scheme_params(args)  # the same rule as verify/show: missing and unused refused
    if any(k in given for k in SCHEME_OPTIONAL.get(key, ())):
        return _tuned_load(args, given)
    from ..bounds import scheme_load

    load, T = scheme_load(key, args.n, args.s, args.B, args.W, args.lam)
    name = LABELS[key]
    params = f"s={args.s}" if key == "gc" else f"B={args.B}, W={args.W}, lam={args.lam}"
    emit(
        args,
        {"load": load_json(load), "T": int(T)},
        f"{name} (n={args.n}, {params}): load {fraction_str(load)} ({float(load):.6g}), "
        f"T = {int(T)}",
    )
    return 0


def _tuned_load(args, given) -> int:
    """WC-SGC with ``--T/--capacity/--units``: the load ``P/K`` of the instance, which is not a
    theorem unless those are the defaults (JSON adds ``"tuned": true``)."""
    from ..schemes import make_scheme
    from ._common import emit

    sch = make_scheme(args.scheme, check_int("--n", args.n, minimum=1), **given)
    payload = {"load": load_json(sch.load), "T": sch.T}
    text = f"{sch!r}: load {fraction_str(sch.load)} ({float(sch.load):.6g}), T = {sch.T}"
    if sch.tuned:
        payload["tuned"] = True
        text += " (tuned: it holds only where `sgc verify ... --all-horizons` proves it)"
    emit(args, payload, text)
    return 0


def _bound(args) -> int:
    import sympy as sp

    from ._common import emit
    from ..models import parse_model
    from ..bounds.lower import density_bound, max_straggler_density, model_counting_bound

    model = parse_model(args.model, check_int("--n", args.n, minimum=1))
    cb = model_counting_bound(model)
    db = density_bound(model)
    if db == sp.oo:
        raise SGCError(
            f"--model {model.spec} lets all n={model.n} workers straggle in every "
            "round: no scheme can decode any job"
        )
    rho = max_straggler_density(model)
    cb_s = None if cb is None else fraction_str(cb)
    text = (
        f"{model!r}: max straggler density rho = {rho}\n"
        f"  counting bound: {cb_s if cb_s else 'n/a (not a bursty model)'}"
        + (f" ({float(cb):.6g})" if cb is not None else "")
        + "\n"
        f"  density bound 1/(n - rho): {fraction_str(db)} ({float(db):.6g})"
    )
    payload = {"counting_bound": load_json(cb), "density_bound": load_json(db), "rho": rho}
    emit(args, payload, text)
    return 0
