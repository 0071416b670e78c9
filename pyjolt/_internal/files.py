"""File paths given in config: relative ones are taken from the app's ``BASE_PATH``."""

from __future__ import annotations

import os


def resolve_path(base: str, path: str) -> str:
    """``path`` made absolute: a relative path is joined to ``base`` (the app's ``BASE_PATH``),
    so the result does not depend on the folder a server or CLI command is started from."""
    expanded = os.path.expanduser(path)
    if os.path.isabs(expanded):
        return os.path.normpath(expanded)
    return os.path.normpath(os.path.join(os.path.abspath(base), expanded))
