"""Trace-driven runtime simulation (docs/guide/simulation.md): real traces, waiting policies (paper,
minimal, offline optimal), sweeps, the paper's experiment replayed on the shipped probes, and
straggler processes fitted to the traces for long-run comparisons (docs/guide/processes.md).

>>> from sgc_theory.simulate import load_trace, simulate, sweep
>>> t = load_trace("sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000")
>>> t.n, t.rounds
(256, 30)
"""

from .reproduce import load0_traces, reproduce
from .runtime import DEFAULT_SLOPE, PAPER_SLOPE, POLICIES, SCHEMES, SimResult, simulate
from .sweep import SweepResult, sweep, sweep_choices
from .traces import Trace, fit_slope, list_traces, load_trace, trace_families, trace_index

__all__ = [
    "Trace",
    "list_traces",
    "load_trace",
    "trace_index",
    "trace_families",
    "fit_slope",
    "SimResult",
    "simulate",
    "SweepResult",
    "sweep",
    "sweep_choices",
    "reproduce",
    "load0_traces",
    "DEFAULT_SLOPE",
    "PAPER_SLOPE",
    "POLICIES",
    "SCHEMES",
]
