"""Straggler models (docs/guide/models.md): membership, automaton, enumeration, exact counting, sampling."""

from .base import StragglerModel, as_pattern, extract_pattern
from .window import Arbitrary, Bursty, PerRound, parse_model

__all__ = ["StragglerModel", "PerRound", "Bursty", "Arbitrary", "parse_model",
           "extract_pattern", "as_pattern"]
