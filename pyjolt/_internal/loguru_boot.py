"""loguru, imported once for the whole package at a fraction of its usual cost.

Every loguru sink (loguru's default stderr handler made at import, each app's sinks) builds an
exception formatter that lists the library folders of every ``sysconfig`` install scheme: 36
``sysconfig.get_path`` calls, each copying all of Python's build variables, about as much work
as importing loguru itself. The formatter only reads that list to format a traceback, and the
folders do not change while the process runs: here each sink's list is made when it first
formats a traceback (``LibDirs``), from folders listed once per process (one ``get_paths`` call
per scheme) and filtered by ``sys.path`` as loguru does. loguru's default handler is added by
this module (same sink, same id 0) once that cheaper listing is in place, unless the process
configured loguru's start-up itself (``LOGURU_AUTOINIT`` set, or loguru imported before PyJolt).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import sysconfig
from collections.abc import Iterator

_AUTOINIT = "LOGURU_AUTOINIT"
_LIB_NAMES = ("stdlib", "platstdlib", "platlib", "purelib")


@functools.cache
def _scheme_paths() -> frozenset[str]:
    """The library folders of every install scheme (what loguru asks ``sysconfig`` for)."""
    found: set[str] = set()
    for scheme in sysconfig.get_scheme_names():
        paths = sysconfig.get_paths(scheme)
        found.update(paths[name] for name in _LIB_NAMES)
    return frozenset(found)


def lib_dirs() -> list[str]:
    """loguru's ``ExceptionFormatter._get_lib_dirs``, with the ``sysconfig`` part listed once."""
    return [os.path.abspath(path).lower() + os.sep for path in _scheme_paths() if path in sys.path]


class LibDirs:
    """A formatter's library folders, listed on first use (loguru only iterates over them, to
    tell library frames from the app's when it formats a traceback)."""

    __slots__ = ("_dirs",)

    def __init__(self) -> None:
        self._dirs: list[str] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._dirs is None:
            self._dirs = lib_dirs()
        return iter(self._dirs)


def _boot() -> None:
    own_autoinit = "loguru" not in sys.modules and _AUTOINIT not in os.environ
    if own_autoinit:
        os.environ[_AUTOINIT] = "False"
        try:
            import loguru
        finally:
            del os.environ[_AUTOINIT]
    else:
        import loguru
    formatter = getattr(
        importlib.import_module("loguru._better_exceptions"), "ExceptionFormatter", None
    )
    if formatter is not None and hasattr(formatter, "_get_lib_dirs"):
        formatter._get_lib_dirs = staticmethod(LibDirs)
    if own_autoinit and sys.stderr:
        loguru.logger.add(sys.stderr)  # what loguru's own start-up does


_boot()
