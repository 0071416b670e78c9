"""Exception handler classes: ``@handles(E1, E2)`` methods, compiled into Starlette's map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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

    def __init__(self, app: Any) -> None:
        self._app = app

    @property
    def app(self) -> Any:
        return self._app

    def handled(self) -> list[tuple[type[BaseException], Callable[..., Any]]]:
        """(exception class, bound method) pairs, in definition order."""
        pairs: list[tuple[type[BaseException], Callable[..., Any]]] = []
        for klass in reversed(type(self).__mro__):
            for name, fn in vars(klass).items():
                for exc in getattr(fn, HANDLES_ATTR, ()):
                    pairs.append((exc, getattr(self, name)))
        return pairs
