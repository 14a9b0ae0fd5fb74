"""``sgc load`` (closed-form loads of GC, SR-SGC, M-SGC) and ``sgc bound`` (lower bounds)."""

from __future__ import annotations

from ..errors import SGCError, check_int


def register(sub) -> None:
    p = sub.add_parser("load", help="closed-form load and delay of gc, srsgc or msgc")
    p.add_argument("--scheme", required=True, help="gc, srsgc or msgc")
    p.add_argument("--n", type=int, required=True, help="number of workers")
    p.add_argument("--s", type=int, default=None, help="GC: stragglers tolerated per round")
    p.add_argument("--B", type=int, default=None, help="burst length")
    p.add_argument("--W", type=int, default=None, help="window length")
    p.add_argument("--lam", type=int, default=None, help="distinct stragglers per window")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_load)

    b = sub.add_parser("bound", help="lower bounds on the load of any scheme for a model")
    b.add_argument("--n", type=int, required=True, help="number of workers")
    b.add_argument("--model", required=True, help="e.g. bursty:B=2,W=3,lam=2")
    b.add_argument("--json", action="store_true")
    b.set_defaults(func=_bound)


def _frac(x) -> str:
    return f"{x.p}/{x.q}"


def _need(args, names, scheme):
    missing = [f"--{k}" for k in names if getattr(args, k) is None]
    if missing:
        raise SGCError(f"--scheme {scheme} needs {', '.join(missing)}")


def scheme_load(scheme: str, n, s=None, B=None, W=None, lam=None):
    """``(load, T)`` of a scheme by name, validating its parameters (sympy Rationals)."""
    from . import gc_delay, gc_load, msgc_delay, msgc_load, srsgc_delay, srsgc_load

    key = str(scheme).lower().replace("-", "")
    n = check_int("--n", n, minimum=1)
    if key == "gc":
        s = check_int("--s", s)
        if not 0 <= s < n:
            raise SGCError(f"GC needs 0 <= s < n (got s={s}, n={n})")
        return gc_load(n, s), gc_delay()
    if key not in ("srsgc", "msgc"):
        raise SGCError(f"--scheme must be one of gc, srsgc, msgc (got {scheme!r})")
    B, W, lam = (check_int(f"--{k}", v) for k, v in (("B", B), ("W", W), ("lam", lam)))
    if not 0 <= lam <= n:
        raise SGCError(f"{'SR-SGC' if key == 'srsgc' else 'M-SGC'} needs 0 <= lam <= n "
                       f"(got lam={lam}, n={n})")
    if key == "srsgc":
        if B < 1:
            raise SGCError(f"SR-SGC needs B >= 1 (got B={B})")
        if W < B + 1:
            raise SGCError(f"SR-SGC needs W >= B + 1 (got B={B}, W={W})")
        return srsgc_load(n, B, W, lam), srsgc_delay(B)
    if not 1 <= B <= W - 1:
        raise SGCError(f"M-SGC needs 1 <= B <= W - 1 (got B={B}, W={W})")
    return msgc_load(n, B, W, lam), msgc_delay(B, W)


def _load(args) -> int:
    from ..cli import emit

    key = str(args.scheme).lower().replace("-", "")
    if key == "gc":
        _need(args, ["s"], "gc")
    elif key in ("srsgc", "msgc"):
        _need(args, ["B", "W", "lam"], key)
    load, T = scheme_load(key, args.n, args.s, args.B, args.W, args.lam)
    name = {"gc": "GC", "srsgc": "SR-SGC", "msgc": "M-SGC"}[key]
    params = f"s={args.s}" if key == "gc" else f"B={args.B}, W={args.W}, lam={args.lam}"
    emit(args, {"load": _frac(load), "T": int(T)},
         f"{name} (n={args.n}, {params}): load {_frac(load)} ({float(load):.6g}), T = {int(T)}")
    return 0


def _bound(args) -> int:
    import sympy as sp

    from ..cli import emit
    from ..models import parse_model
    from .lower import density_bound, max_straggler_density, model_counting_bound

    model = parse_model(args.model, check_int("--n", args.n, minimum=1))
    cb = model_counting_bound(model)
    db = density_bound(model)
    if db == sp.oo:
        raise SGCError(f"--model {model.spec} lets all n={model.n} workers straggle in every "
                       "round: no scheme can decode any job")
    rho = max_straggler_density(model)
    cb_s = None if cb is None else _frac(cb)
    text = (f"{model!r}: max straggler density rho = {rho}\n"
            f"  counting bound: {cb_s if cb_s else 'n/a (not a bursty model)'}"
            + (f" ({float(cb):.6g})" if cb is not None else "") + "\n"
            f"  density bound 1/(n - rho): {_frac(db)} ({float(db):.6g})")
    emit(args, {"counting_bound": cb_s, "density_bound": _frac(db)}, text)
    return 0
