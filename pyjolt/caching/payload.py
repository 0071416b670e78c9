"""Cached responses as JSON payloads, and back."""

from __future__ import annotations

import base64
import json
from typing import Any

from pyjolt.response import Response
from pyjolt.serialization import Serializer

#: Bumped when the payload layout changes, so old entries are ignored, not misread.
PAYLOAD_VERSION = 1

#: Statuses worth replaying: successes and permanent redirects.
CACHEABLE_STATUSES = frozenset({*range(200, 300), 301, 308})
#: Response kinds whose body is in memory (files and streams are never cached).
_BUFFERED_KINDS = frozenset({"json", "text", "html", "bytes", "empty"})
#: Headers never stored: per-response or recomputed when the answer is sent.
_SKIPPED_HEADERS = frozenset({b"set-cookie", b"x-cache", b"content-length"})


def encode(value: dict[str, Any]) -> str:
    """JSON text of a payload (compact, keys sorted so equal payloads give equal text)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def decode(raw: str | bytes) -> dict[str, Any] | None:
    """The payload dict of stored JSON text (None if it is not a JSON object)."""
    value = json.loads(raw)
    return value if isinstance(value, dict) else None


def is_cacheable(res: Response[Any]) -> bool:
    """Whether a handler's response may be stored and replayed to other requests."""
    if res.status_code not in CACHEABLE_STATUSES or res.kind not in _BUFFERED_KINDS:
        return False
    if "set-cookie" in res.headers:
        return False
    return "no-store" not in res.headers.get("cache-control", "").lower()


def to_payload(res: Response[Any], serializer: Serializer | None = None) -> dict[str, Any]:
    """The JSON-compatible record of a buffered response (Set-Cookie is never included).

    Raises whatever ``serializer`` raises for a body that does not fit its model.
    """
    body = res.render_body(serializer)
    media_type = res.media_type
    headers = [
        [key.decode("latin-1"), value.decode("latin-1")]
        for key, value in res.headers.raw
        if key.lower() not in _SKIPPED_HEADERS
    ]
    return {
        "v": PAYLOAD_VERSION,
        "status": res.status_code,
        "headers": headers,
        "media_type": media_type,
        # JSON is stored encoded (through the handler's model); text keeps its kind so the
        # replay gets the same charset and media type checks as the original.
        "kind": res.kind if res.kind in ("text", "html", "empty") else "bytes",
        "body": base64.b64encode(body).decode("ascii"),
    }


def is_payload(value: Any) -> bool:
    """Whether a stored value is a response payload this version can replay."""
    return (
        isinstance(value, dict)
        and value.get("v") == PAYLOAD_VERSION
        and isinstance(value.get("status"), int)
        and isinstance(value.get("body"), str)
        and isinstance(value.get("headers"), list)
    )


def apply_payload(res: Response[Any], payload: dict[str, Any]) -> Response[Any]:
    """Fill the request's response builder from a payload (see ``is_payload``)."""
    res.status(payload["status"])
    # Headers already on this request's builder (set by hooks for this request) win.
    live = {name.lower() for name in res.headers}
    for key, value in payload["headers"]:
        if str(key).lower() not in live:
            res.headers.append(str(key), str(value))
    body = base64.b64decode(payload["body"])
    media_type = payload.get("media_type")
    kind = payload.get("kind")
    if kind == "empty" and not body:
        res.kind, res.body, res.media_type = "empty", None, media_type
    elif kind in ("text", "html"):
        res.kind, res.body, res.media_type = kind, body.decode("utf-8"), media_type
    else:
        res.kind, res.body, res.media_type = "bytes", body, media_type
    return res
