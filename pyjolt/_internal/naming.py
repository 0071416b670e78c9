"""Name conversions used for config sections."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def upper_snake(name: str) -> str:
    """``FileLogger`` -> ``FILE_LOGGER``; ``SqlDatabase`` -> ``SQL_DATABASE``."""
    return _BOUNDARY.sub("_", name).upper()
