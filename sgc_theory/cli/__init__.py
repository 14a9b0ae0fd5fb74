"""The ``sgc`` command line (re-exports only).

The parser, the dispatcher and the exit-code contract live in :mod:`sgc_theory.cli.app`; one
module per command group (``verify``, ``loads``, ``design``, ...) registers its sub-commands
there. The script entry ``sgc = sgc_theory.cli:main`` resolves through this re-export.
"""

from ._common import emit
from .app import DEBUG_ENV, JSON_HELP, UsageError, build_parser, main
from .app import _commands, _leaf_parsers  # noqa: F401  (the tests walk the whole parser)

__all__ = ["main", "build_parser", "UsageError", "DEBUG_ENV", "JSON_HELP", "emit"]
