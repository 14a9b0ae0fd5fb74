"""Straggler models (docs/guide/models.md): membership, automaton, enumeration, exact counting, sampling."""

from .base import StragglerModel
from .patterns import as_pattern, as_rng, extract_pattern
from .window import Arbitrary, Bursty, PerRound, as_model, parse_model

__all__ = [
    "StragglerModel",
    "PerRound",
    "Bursty",
    "Arbitrary",
    "parse_model",
    "as_model",
    "extract_pattern",
    "as_pattern",
    "as_rng",
]
