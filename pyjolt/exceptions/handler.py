"""Exception handler classes: ``@handles(E1, E2)`` methods, compiled into Starlette's map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pyjolt._internal.markers import collect_marked
from pyjolt.appcontext import AppProtocol

F = TypeVar("F", bound=Callable[..., Any])

HANDLES_ATTR = "__pyjolt_handles__"


def handles(*exceptions: type[BaseException]) -> Callable[[F], F]:
    """Mark an ``ExceptionHandler`` method as the handler of ``exceptions`` (and subclasses)."""
    if not exceptions or not all(
        isinstance(e, type) and issubclass(e, BaseException) for e in exceptions
    ):
        raise TypeError("@handles takes one or more exception classes")

    def decorator(fn: F) -> F:
        setattr(fn, HANDLES_ATTR, (*getattr(fn, HANDLES_ATTR, ()), *exceptions))
        return fn

    return decorator


class ExceptionHandler:
    """Base class of exception handler classes; instantiated once per app.

    Methods decorated with ``@handles(...)`` take ``(self, req, exc)`` and return a Response.
    """

    def __init__(self, app: AppProtocol) -> None:
        self._app = app

    @property
    def app(self) -> AppProtocol:
        return self._app

    def handled(self) -> list[tuple[type[BaseException], Callable[..., Any]]]:
        """(exception class, bound method) pairs (override rule and order: ``collect_marked``)."""
        return [
            (exc, getattr(self, m.name))
            for m in collect_marked(type(self), HANDLES_ATTR)
            for exc in m.mark
        ]
