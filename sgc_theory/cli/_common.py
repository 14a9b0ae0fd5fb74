"""Helpers shared by the command modules."""

from __future__ import annotations

import json


def emit(args, payload: dict, text: str) -> None:
    """Print ``payload`` as JSON when ``--json`` was given, else ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(payload))
    else:
        print(text)
