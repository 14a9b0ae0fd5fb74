"""Argument checks shared by the simulation modules (a leaf: imports nothing of simulate/)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError


def check_float(name, value, minimum=None) -> float:
    """``value`` as a finite float (not a bool), at least ``minimum`` when given; else
    :class:`~sgc_theory.errors.SGCError` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise SGCError(f"{name} must be a number (got {value!r})")
    v = float(value)
    if not math.isfinite(v):
        raise SGCError(f"{name} must be finite (got {name}={value!r})")
    if minimum is not None and v < minimum:
        raise SGCError(f"{name} must be >= {minimum} (got {name}={v})")
    return v
