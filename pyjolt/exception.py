"""Alias of :mod:`pyjolt.exceptions` (the spec uses both names)."""

from pyjolt.exceptions import *  # noqa: F403
from pyjolt.exceptions import __all__  # noqa: F401
