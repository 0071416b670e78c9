"""One-endpoint controllers built in one call, and the check that an app refuses one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from pyjolt.controller import Controller, path
from pyjolt.exceptions.errors import RegistrationError
from pyjolt.testing import make_app


def route_controller(
    name: str, prefix: str, route: Callable[[Any], Any], *handler: Callable[..., Any]
) -> type[Controller]:
    """A controller class ``name`` at ``prefix`` with one endpoint under ``route``.

    ``handler`` is the function and then the decorators to put on it, innermost first; the
    endpoint is named after the function (``Name.function`` in start-up errors).
    """
    fn, *marks = handler
    endpoint = fn
    for mark in marks:
        endpoint = mark(endpoint)
    return path(prefix)(type(name, (Controller,), {fn.__name__: route(endpoint)}))


def assert_refused(match: str, controllers: Iterable[type[Controller]], **config: Any) -> None:
    """Building an app with ``controllers`` stops with a ``RegistrationError`` matching
    ``match``."""
    with pytest.raises(RegistrationError, match=match):
        make_app(controllers=list(controllers), **config)
