"""Straggler processes: hidden Markov models of delay matrices, fitted to traces, generated
stationary, and checked for credibility (docs/guide/processes.md).

The pipeline, one concept per module:

* ``process_model``: the process (:class:`StragglerProcess`), its checks, stationary
  generation and file format;
* ``process_families``: the emission families of a state (log-normal, shifted exponential,
  Pareto, empirical);
* ``process_em`` and ``process_fit``: EM and the model choice (:func:`fit_process`);
* ``process_stats``: the statistics that matter to the schemes (:func:`straggler_stats`);
* ``process_credibility``: outlier rounds and the verdict (:func:`assess_credibility`);
* ``process_io``: process files, delay CSVs and ``process:`` trace specs.

This module re-exports the public names.
"""

from .process_credibility import assess_credibility, outlier_rounds
from .process_fit import fit_process, fit_work
from .process_io import is_process_spec, load_process, trace_from_spec, write_delay_csv
from .process_model import (
    FORMAT,
    ProcessError,
    StragglerProcess,
    atomic_write_text,
    check_out_path,
    stationary_law,
)
from .process_stats import fit_quality, straggler_stats

__all__ = [
    "StragglerProcess",
    "ProcessError",
    "fit_process",
    "fit_work",
    "fit_quality",
    "assess_credibility",
    "outlier_rounds",
    "load_process",
    "trace_from_spec",
    "is_process_spec",
    "write_delay_csv",
    "straggler_stats",
    "stationary_law",
    "check_out_path",
    "atomic_write_text",
    "FORMAT",
]
