"""Route templates for labels and span names: never the raw path (unbounded cardinality)."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from starlette.types import Scope

UNMATCHED = "<unmatched>"
_CONVERTER = re.compile(r"{(\w+):\w+}")
#: where a route's template is kept once computed
TEMPLATE_ATTR = "_pyjolt_route_template"


def route_template(scope: Scope) -> str:
    """``/users/{id}`` for the route that answered ``scope``; ``<unmatched>`` when none did."""
    route: Any = scope.get("route")
    return UNMATCHED if route is None else template_of(route)


def template_of(route: Any) -> str:
    """``/users/{id}`` for ``route`` (computed once per route)."""
    template: str | None = getattr(route, TEMPLATE_ATTR, None)
    if template is None:
        path = getattr(route, "path", None)
        template = _CONVERTER.sub(r"{\1}", path) if isinstance(path, str) else UNMATCHED
        with contextlib.suppress(AttributeError):
            setattr(route, TEMPLATE_ATTR, template)
    return template
