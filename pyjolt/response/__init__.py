"""The fluent response builder of the spec (``req.res``), the edge where it becomes ASGI
messages, and the websocket ``res``."""

from __future__ import annotations

from pyjolt.response.builder import SERIALIZER_SCOPE_KEY as SERIALIZER_SCOPE_KEY
from pyjolt.response.builder import PendingHtml, Response
from pyjolt.response.builder import SameSite as SameSite
from pyjolt.response.edge import BodyEncodingError, check_header, is_local_url
from pyjolt.response.socket import SocketResponse

__all__ = [
    "BodyEncodingError",
    "PendingHtml",
    "Response",
    "SocketResponse",
    "check_header",
    "is_local_url",
]
