"""Trace-driven runtime simulation (SPEC section 7): real traces, waiting policies, sweeps.

>>> from sgc_theory.simulate import load_trace, simulate, sweep
>>> t = load_trace("sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000")
>>> t.n, t.rounds
(256, 30)
"""

from .runtime import DEFAULT_SLOPE, POLICIES, SCHEMES, SimResult, simulate
from .sweep import SweepResult, sweep, sweep_choices
from .traces import Trace, list_traces, load_trace, trace_index

__all__ = ["Trace", "list_traces", "load_trace", "trace_index", "SimResult", "simulate", "SweepResult", "sweep",
           "sweep_choices", "DEFAULT_SLOPE", "POLICIES", "SCHEMES"]
