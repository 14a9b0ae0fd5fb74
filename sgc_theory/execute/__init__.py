"""Coded gradient descent for real (docs/guide/execute.md): workers compute encoded partial
gradients of a real model on real data, the master decodes each job in float64 by its deadline
under the simulator's waiting policy and steps; in process or on Dask distributed."""

from .cluster import DaskExecutor, local_cluster
from .decode import Decoded, decode_job
from .delays import injected_delays
from .engine import LocalExecutor, TrainResult, build_scheme, code_choice, predict, train
from .master import Master, reference_losses
from .policy import ONLINE_POLICIES, Waiter, replay
from .problem import MODELS, Problem, load_problem
from .runner import run

__all__ = [
    "run",
    "train",
    "TrainResult",
    "build_scheme",
    "code_choice",
    "predict",
    "LocalExecutor",
    "DaskExecutor",
    "local_cluster",
    "Master",
    "reference_losses",
    "Waiter",
    "replay",
    "ONLINE_POLICIES",
    "Decoded",
    "decode_job",
    "injected_delays",
    "Problem",
    "load_problem",
    "MODELS",
]
