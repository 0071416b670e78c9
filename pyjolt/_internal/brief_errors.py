"""Start-up errors printed as one line (no traceback) when nothing catches them."""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TypeVar

E = TypeVar("E", bound=BaseException)

#: Attribute that marks an exception (class or instance) to be printed without traceback.
BRIEF_ATTR = "__pyjolt_brief__"
_lock = threading.Lock()
_installed: list[bool] = []


def mark_brief(exc: E) -> E:
    """Mark ``exc`` to be printed as one line if it ends the program; returns it."""
    setattr(exc, BRIEF_ATTR, True)
    install_brief_excepthook()
    return exc


def install_brief_excepthook() -> None:
    """Make the interpreter print marked exceptions as ``error: <message>`` (once per process).

    Called only when PyJolt raises a start-up error (a broken config, a missing package): a
    server or ``cli.py`` that stops on it then prints the message that names the fix, not a
    traceback. Other exceptions go to the hook that was there before.
    """
    with _lock:
        if _installed:
            return
        _installed.append(True)
        previous = sys.excepthook

        def hook(
            exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
        ) -> None:
            if getattr(exc, BRIEF_ATTR, False):
                print(f"error: {exc}", file=sys.stderr)
                return
            previous(exc_type, exc, tb)

        sys.excepthook = hook
