"""Import strings and optional third-party imports."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from pyjolt._internal.brief_errors import mark_brief
from pyjolt._internal.dependencies import MissingDependencyError, Requirement


class ImportStringError(ImportError):
    """An import string ``"pkg.mod:Name"`` that does not resolve."""


def import_string(target: str) -> Any:
    """Resolve ``"pkg.mod:Name"`` (or ``"pkg.mod.Name"``) to the object it names."""
    if ":" in target:
        module_name, _, attr_path = target.partition(":")
    elif "." in target:
        module_name, _, attr_path = target.rpartition(".")
    else:
        raise ImportStringError(
            f"{target!r} is not an import string; write it as 'package.module:Name'"
        )
    if not module_name or not attr_path:
        raise ImportStringError(
            f"{target!r} is not an import string; write it as 'package.module:Name'"
        )
    try:
        obj: Any = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise ImportStringError(f"module {module_name!r} could not be found") from exc
        raise
    for part in attr_path.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError as exc:
            raise ImportStringError(
                f"module {module_name!r} has no attribute {attr_path!r}"
            ) from exc
    return obj


def optional_import(module: str, extra: str) -> ModuleType:
    """Import a third-party module that an extra provides; a missing one raises
    ``MissingDependencyError`` naming the ``pip install "pyjolt[extra]"`` that fixes it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise mark_brief(MissingDependencyError([Requirement(module, extra)])) from exc
