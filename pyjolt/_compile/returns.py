"""What a handler may return, checked per request with ``isinstance`` only.

A handler returns PyJolt's ``Response``, any Starlette ``Response`` (sent as it is), None
(``req.res`` is sent) or a plain value that is JSON-encoded. The mistakes caught here answer
500 with a log line naming what came back and what to return instead; a body never holds
``str(value)`` of an object.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

from loguru import logger

from pyjolt.exceptions.http import InternalServerError
from pyjolt.response import PendingHtml

_FIXES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (
        tuple,
        "a tuple is not a response; return req.res.json(body).status(code) "
        "(or declare the status with @post(..., status_code=201))",
    ),
    (PendingHtml, "a pending template; await it: return await req.res.html(...)"),
    (
        (Iterator, AsyncIterator),
        "an iterator; return req.res.stream(iterator, media_type) or a list",
    ),
)


def check_return(name: str, value: Any) -> Any:
    """``value`` if it can be a JSON body; raises ``InternalServerError`` (logged) if not."""
    if isinstance(value, (dict, list, str, int, float)):
        return value
    fix: str | None = None
    if inspect.isawaitable(value) and not isinstance(value, PendingHtml):
        if inspect.iscoroutine(value):
            value.close()  # no "never awaited" warning on top of the log line
        fix = "an awaitable that was not awaited; add `await` before the call"
    else:
        for kinds, text in _FIXES:
            if isinstance(value, kinds):
                fix = text
                break
    if fix is None:
        return value
    if isinstance(value, PendingHtml):
        value.close()
    logger.bind(logger_name="pyjolt").error(
        "{} returned {} ({}): {}", name, type(value).__name__, _short(value), fix
    )
    raise InternalServerError()


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
