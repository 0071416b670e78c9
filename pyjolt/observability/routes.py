"""Route templates for labels and span names: never the raw path (unbounded cardinality)."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from starlette.types import Scope

UNMATCHED = "<unmatched>"
_CONVERTER = re.compile(r"{(\w+):\w+}")
_ATTR = "_pyjolt_route_template"


def route_template(scope: Scope) -> str:
    """``/users/{id}`` for the route that answered ``scope``; ``<unmatched>`` when none did."""
    route: Any = scope.get("route")
    if route is None:
        return UNMATCHED
    template: str | None = getattr(route, _ATTR, None)
    if template is None:
        path = getattr(route, "path", None)
        template = _CONVERTER.sub(r"{\1}", path) if isinstance(path, str) else UNMATCHED
        with contextlib.suppress(AttributeError):
            setattr(route, _ATTR, template)  # computed once per route
    return template
