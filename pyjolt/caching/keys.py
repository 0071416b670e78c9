"""Cache keys: stable digests of what makes two requests answer the same."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

#: Prefix of the keys ``@cache.cache`` writes (manual ``cache.set`` keys are used as given).
RESPONSE_KEY_PREFIX = "resp:"

_IDENTITY_FIELDS = ("id", "pk", "user_id", "uid", "sub", "username", "email")


class NoIdentity(Exception):
    """The request has a user whose identity cannot be told apart from other users'."""


def handler_name(fn: Callable[..., Any]) -> str:
    """``module:QualName`` of a handler: the same in every process running the same code."""
    return f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', repr(fn))}"


def normalised_query(query_string: str) -> list[tuple[str, str]]:
    """Query pairs sorted by name; repeated names keep their values in request order.

    ``?b=2&a=1`` and ``?a=1&b=2`` give the same list, ``?a=1&a=2`` differs from ``?a=1``.
    """
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return sorted(pairs, key=lambda pair: pair[0])


def user_identity(user: Any) -> str | None:
    """A stable string naming ``user`` (None when there is no user).

    Looks at plain values, then mapping keys / attributes ``id``, ``pk``, ``user_id``,
    ``uid``, ``sub``, ``username``, ``email``; a ``get_id()`` method also works. Raises
    ``NoIdentity`` when none is found, so the response is not cached rather than shared.
    """
    if user is None:
        return None
    if isinstance(user, str | int | uuid.UUID) and not isinstance(user, bool):
        return f"{type(user).__name__}:{user}"
    get_id = getattr(user, "get_id", None)
    if callable(get_id):
        value = get_id()
        if value is not None:
            return f"{type(user).__name__}:{value}"
    for field in _IDENTITY_FIELDS:
        value = user.get(field) if isinstance(user, Mapping) else getattr(user, field, None)
        if isinstance(value, str | int | uuid.UUID) and not isinstance(value, bool):
            return f"{type(user).__name__}:{field}={value}"
    raise NoIdentity(f"cannot tell which user {type(user).__name__!r} is (no id attribute)")


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return f"{type(value).__name__}:{value}"


def _digest(material: Any) -> str:
    text = json.dumps(material, separators=(",", ":"), ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def response_key(
    handler: str, method: str, route_params: Mapping[str, Any], inputs: Sequence[Any]
) -> str:
    """The key ``@cache.cache`` stores one request's response (or its variants) under.

    A SHA-256 digest of the handler's name, the method, the route parameters and the
    other ``inputs`` the answer depends on (``rules.request_inputs``, the user): the same
    in every process and after a restart.
    """
    route = sorted((str(k), _plain(v)) for k, v in route_params.items())
    return RESPONSE_KEY_PREFIX + _digest([2, handler, method.upper(), route, list(inputs)])


def variant_key(primary: str, values: Sequence[Any]) -> str:
    """The key of one variant of an answer stored per ``Vary`` header values or per user."""
    return primary + ":" + _digest(list(values))
