"""The one collector of marked methods: every decorator scan of a class goes through it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Marked(NamedTuple):
    """One marked member of a class."""

    #: the attribute name (bind it with ``getattr(instance, name)``)
    name: str
    #: the function (``staticmethod``/``classmethod`` wrappers looked through)
    function: Any
    #: the marker value the decorator recorded
    mark: Any
    #: the class whose body defines the member
    owner: type


def _function(value: Any) -> Any:
    return value.__func__ if isinstance(value, (staticmethod, classmethod)) else value


def collect_marked(cls: type, attr: str) -> list[Marked]:
    """The members of ``cls`` and its bases whose function carries the marker ``attr``.

    Decorators such as ``@on_startup``, ``@get``, ``@handles``, ``@command``,
    ``@schedule_job`` and ``@tool`` record a marker attribute on the function; the sites that
    read them (lifespan, controllers, exception handlers, CLI, scheduler, AI interface) all
    call this function, so one rule decides what inheritance does:

    * **The most-derived definition of a name decides.** A subclass that redefines a marked
      method without marking it again removes the mark: the method is no longer a hook,
      handler, command, job or tool (as an override of an ``abc.abstractmethod`` is no
      longer abstract). Marking the override again keeps it, with the override's marker.
    * **Order is definition order, base classes first**; an override keeps the place of the
      name it overrides.

    A marker is read with ``getattr`` on the function, so wrappers made with
    ``functools.wraps`` (which copies the wrapped function's attributes) keep it.
    """
    latest: dict[str, tuple[Any, type]] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            latest[name] = (value, klass)
    found: list[Marked] = []
    for name, (value, owner) in latest.items():
        function = _function(value)
        mark = getattr(function, attr, None) if callable(function) else None
        if mark is not None:
            found.append(Marked(name, function, mark, owner))
    return found


def marker(attr: str, value: object, name: str, doc: str) -> Callable[[F], F]:
    """A decorator that records ``value`` under ``attr`` and returns the function unchanged."""

    def decorate(fn: F) -> F:
        setattr(fn, attr, value)
        return fn

    decorate.__name__ = decorate.__qualname__ = name
    decorate.__doc__ = doc
    return decorate
