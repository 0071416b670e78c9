"""Start-up errors: the app refuses to start with a message that names the key and the fix."""

from __future__ import annotations

from pyjolt._internal.imports import ImportStringError
from pyjolt._internal.paths import PathSyntaxError


class PyJoltError(Exception):
    """Base class of PyJolt's own (non-HTTP) errors."""


class ConfigurationError(PyJoltError):
    """Invalid configuration, found while the app is built."""


class RegistrationError(ConfigurationError):
    """A controller, route, extension or handler that cannot be registered."""


class AppFrozenError(PyJoltError):
    """Something tried to register on an app that has already been built."""


__all__ = [
    "AppFrozenError",
    "ConfigurationError",
    "ImportStringError",
    "PathSyntaxError",
    "PyJoltError",
    "RegistrationError",
]
