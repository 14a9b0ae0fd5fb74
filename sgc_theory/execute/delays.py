"""Injected straggler delays: a trace or a fitted straggler process, shifted to the scheme's load as
in the simulator (``D + (L - L0) * slope``) and scaled by ``time_scale`` (docs/guide/execute.md)."""

from __future__ import annotations

import numpy as np

from ..errors import SGCError

__all__ = ["injected_delays"]


def _slope(slope) -> float:
    from ..simulate import DEFAULT_SLOPE, PAPER_SLOPE

    if slope is None or slope == "default":
        return DEFAULT_SLOPE
    if slope == "paper":
        return PAPER_SLOPE
    try:
        return float(slope)
    except (TypeError, ValueError):
        raise SGCError(f"slope must be a number, 'paper' or 'default' (got {slope!r})") from None


def _trace(spec, rounds: int):
    from ..simulate import Trace, load_trace
    from ..simulate.processes import is_process_spec, trace_from_spec

    if isinstance(spec, Trace):
        return spec
    if isinstance(spec, np.ndarray):
        return Trace(delays=np.asarray(spec, dtype=np.float64), name="<array>", source="<array>")
    if is_process_spec(spec):
        text = str(spec)
        if "rounds=" not in text:  # generate exactly the rounds the run may need
            text = ("" if text.startswith("process:") else "process:") + text + f",rounds={rounds}"
        return trace_from_spec(text)
    return load_trace(spec)


def injected_delays(
    spec, n: int, rounds: int, load, *, slope=None, probe_load=None, time_scale: float = 1.0
) -> np.ndarray:
    """``(n, rounds)`` seconds to inject: the first ``n`` workers and ``rounds`` rounds of the trace
    (or generated process) ``spec``, shifted to ``load`` and multiplied by ``time_scale``."""
    if not (isinstance(time_scale, (int, float)) and np.isfinite(time_scale) and time_scale > 0):
        raise SGCError(f"time_scale must be a positive number (got {time_scale!r})")
    tr = _trace(spec, rounds)
    D = np.asarray(tr.delays, dtype=np.float64)
    if D.shape[0] < n:
        raise SGCError(f"trace {tr.name}: has {D.shape[0]} workers, the scheme needs n={n}")
    if D.shape[1] < rounds:
        raise SGCError(
            f"trace {tr.name}: has {D.shape[1]} rounds, the run needs up to {rounds} (jobs + T); "
            "use fewer jobs or a process (process:MODEL.json,rounds=R)"
        )
    L0 = probe_load if probe_load is not None else (tr.probe_load or 0.0)
    out = (D[:n, :rounds] + (float(load) - float(L0)) * _slope(slope)) * float(time_scale)
    if not np.all(np.isfinite(out)) or out.min() <= 0:
        raise SGCError(
            f"trace {tr.name}: delays shifted to load {float(load):.4g} (probe load {L0}) are not "
            "all positive; use a trace measured at a smaller probe load or a smaller slope"
        )
    return out
