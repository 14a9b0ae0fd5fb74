"""Closed-form loads and lower bounds (one function per result)."""

from .loads import *  # noqa: F401,F403
from .loads import __all__ as _loads_all
from .lower import *  # noqa: F401,F403
from .lower import __all__ as _lower_all

__all__ = list(_loads_all) + list(_lower_all)
