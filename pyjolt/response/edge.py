"""The edge of the response builder: header checks, and the ASGI messages it becomes."""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.responses import FileResponse, StreamingResponse
from starlette.types import Message, Receive, Scope, Send

from pyjolt.serialization import Serializer, dumps

_FORBIDDEN_IN_HEADERS = ("\r", "\n", "\0")
#: content-type header values by media type, encoded once (the first 64 media types seen)
_CONTENT_TYPES: dict[str, bytes] = {}


def check_header(name: str, value: str) -> None:
    """Refuse CR, LF and NUL in a header (response splitting): a ``ValueError`` raised where the
    header is set, so the exception handlers answer instead of the server dropping the
    connection at send time."""
    for part in (name, value):
        if any(ch in part for ch in _FORBIDDEN_IN_HEADERS):
            raise ValueError(f"response header {name!r} contains CR, LF or NUL: {value!r}")


def check_raw_headers(raw: list[tuple[builtins.bytes, builtins.bytes]]) -> None:
    # Headers added straight to ``res.headers`` (not through ``set_header``) are checked here,
    # before anything is sent.
    for key, value in raw:
        if b"\r" in value or b"\n" in value or b"\0" in value or b"\n" in key or b"\r" in key:
            check_header(key.decode("latin-1"), value.decode("latin-1"))


def is_local_url(location: str) -> bool:
    """True for a path on this site (``/a``, ``a/b``, ``?q``), False for anything that a browser
    would send to another host (``https://x``, ``//x``, ``/\\x``, ``javascript:``)."""
    from urllib.parse import urlsplit

    if any(ord(ch) < 32 for ch in location) or location.startswith(("//", "/\\", "\\")):
        return False
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc


class BodyEncodingError(TypeError):
    """A JSON body holds a value the encoder does not know (the handler's mistake: 500)."""


class ResponseEdge:
    """What turns a ``Response`` into ASGI messages (its base: the builder's state is set by
    ``pyjolt.response.builder.Response``)."""

    __slots__ = ("_before_send", "_headers")
    status_code: int
    _headers: MutableHeaders | None
    body: Any
    kind: str
    media_type: str | None
    _file: dict[str, Any] | None
    _before_send: list[Callable[[], Awaitable[None]]] | None

    @property
    def headers(self) -> MutableHeaders:
        """The headers set on this response (made on first use: most answers set none)."""
        headers = self._headers
        if headers is None:
            headers = self._headers = MutableHeaders()
        return headers

    @headers.setter
    def headers(self, value: MutableHeaders) -> None:
        self._headers = value

    async def _run_before_send(self) -> None:
        hooks, self._before_send = self._before_send or [], None
        for fn in hooks:
            await fn()

    def render_body(self, serializer: Serializer | None = None) -> builtins.bytes:
        """Encode the body to bytes (for buffered kinds)."""
        kind = self.kind
        if kind == "json":
            try:
                return (serializer or dumps)(self.body)
            except (TypeError, ValueError) as exc:
                raise BodyEncodingError(f"{type(exc).__name__}: {exc}") from exc
        if kind in ("text", "html"):
            return str(self.body).encode("utf-8")
        if kind == "bytes":
            return bytes(self.body)
        return b""

    async def send(
        self, scope: Scope, receive: Receive, send: Send, serializer: Serializer | None = None
    ) -> None:
        """Send this response as ASGI messages."""
        if self._before_send is not None:
            await self._run_before_send()
        messages = self.buffered(scope, serializer)
        if messages is None:  # a file or a stream
            await self._starlette_response()(scope, receive, send)
            return
        await send(messages[0])
        await send(messages[1])

    def buffered(
        self, scope: Scope, serializer: Serializer | None = None
    ) -> tuple[Message, Message] | None:
        """The answer's two ASGI messages (start, body), when ``send`` would send just those:
        None for a file or a stream. A plain function: the handler's endpoint sends them
        itself (no coroutine frame) when there are no ``before_send`` hooks to run first."""
        kind = self.kind
        if kind == "file" or kind == "stream":
            return None
        if kind == "json":  # render_body's first case, inline: the usual answer
            try:
                body = (serializer or dumps)(self.body)
            except (TypeError, ValueError) as exc:
                raise BodyEncodingError(f"{type(exc).__name__}: {exc}") from exc
        else:
            body = self.render_body(serializer)
        own = self._headers
        raw: list[tuple[bytes, bytes]] | None = None if own is None else own.raw  # a copy
        if raw:
            check_raw_headers(raw)
        status = self.status_code
        if status >= 200 and status not in (204, 304):
            headers = [(b"content-length", b"%d" % len(body))]
            # `raw and`: skip the header lookup in the common case of no headers set
            if self.media_type is not None and not (raw and "content-type" in self.headers):
                ctype = self.media_type
                if kind in ("text", "html"):
                    ctype += "; charset=utf-8"
                value = _CONTENT_TYPES.get(ctype)
                if value is None:
                    value = ctype.encode("latin-1")
                    if len(_CONTENT_TYPES) < 64:
                        _CONTENT_TYPES[ctype] = value
                headers.append((b"content-type", value))
        else:
            headers = []
            body = b""
        if raw:
            headers.extend(raw)
        if scope.get("method") == "HEAD":
            body = b""
        return (
            {"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": body},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI: lets Starlette send a builder returned by an exception handler (for a
        websocket, e.g. to an unknown path, as the handshake's denial answer)."""
        if scope["type"] == "websocket":
            if "websocket.http.response" not in scope.get("extensions", {}):
                await send({"type": "websocket.close", "code": 1008})
                return

            async def deny(message: Message) -> None:
                await send({**message, "type": "websocket." + message["type"]})

            await self.send(scope, receive, deny)
            return
        await self.send(scope, receive, send)

    def _starlette_response(self) -> Any:
        check_raw_headers(self.headers.raw)
        if self.kind == "file":
            opts = self._file or {}
            res: Any = FileResponse(
                self.body,
                status_code=self.status_code,
                media_type=self.media_type,
                filename=opts.get("filename"),
                content_disposition_type=opts.get("content_disposition_type", "inline"),
            )
        else:
            res = StreamingResponse(
                self.body, status_code=self.status_code, media_type=self.media_type
            )
        for key, value in self.headers.raw:
            res.raw_headers.append((key, value))
        return res
