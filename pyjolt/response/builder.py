"""The fluent response builder of the spec; it becomes ASGI messages only at the edge
(``pyjolt.response.edge``)."""

from __future__ import annotations

import builtins
import http.cookies
import os
from collections.abc import (
    AsyncIterable,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterable,
    Mapping,
)
from typing import TYPE_CHECKING, Any, Generic, Literal, Self

from starlette.datastructures import MutableHeaders
from typing_extensions import TypeVar

from pyjolt.enums import HttpStatus, MediaType
from pyjolt.exceptions.http import BadRequest, NotFound
from pyjolt.response.edge import ResponseEdge, check_header, is_local_url

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol

T = TypeVar("T", default=Any)

SameSite = Literal["lax", "strict", "none"]

#: Scope key of the JSON encoder of the handler serving the request (``Response[Model]``
#: aware); wrapping decorators that render bodies themselves (the cache) use it.
SERIALIZER_SCOPE_KEY = "pyjolt.serializer"

# Plain values for the per-request code: enum member lookups (HTTPStatus.OK) cost more than a
# dict lookup on Python 3.11.
_OK = int(HttpStatus.OK)
_JSON = MediaType.APPLICATION_JSON


class Response(ResponseEdge, Generic[T]):
    """Response builder: ``req.res.json(data).status(HttpStatus.CREATED)``.

    ``Response[Model]`` as a handler's return annotation makes the JSON body validated and
    serialised through ``Model``.
    """

    __slots__ = (
        "_app",
        "_file",
        "_request",
        "body",
        "kind",
        "media_type",
        "status_code",
    )

    def __init__(self, app: AppProtocol | None = None, request: Any = None) -> None:
        self._app = app
        self._request = request
        self.status_code: int = _OK
        self._headers: MutableHeaders | None = None  # made on first use (``headers``)
        self.body: Any = None
        #: one of "empty", "json", "text", "html", "bytes", "file", "stream"
        self.kind: str = "empty"
        self.media_type: str | None = None
        self._file: dict[str, Any] | None = None
        self._before_send: list[Callable[[], Awaitable[None]]] | None = None

    def before_send(self, fn: Callable[[], Awaitable[None]]) -> Self:
        """Await ``fn()`` just before this response is sent (e.g. store a new session); if it
        raises, the exception handlers answer instead."""
        if self._before_send is None:
            self._before_send = []
        self._before_send.append(fn)
        return self

    # -- status and headers -------------------------------------------------------------
    def status(self, status_code: int | HttpStatus) -> Self:
        """Set the HTTP status code."""
        self.status_code = int(status_code)
        return self

    def set_header(self, key: str, value: str) -> Self:
        """Set a response header (replacing one of the same name); CR/LF/NUL are refused."""
        check_header(key, value)
        self.headers[key] = value
        return self

    def set_cookie(
        self,
        cookie_name: str,
        value: str,
        max_age: int | None = None,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        http_only: bool = True,
        samesite: SameSite | None = "lax",
    ) -> Self:
        """Add a ``Set-Cookie`` header; several cookies give several headers."""
        check_header(cookie_name, value)
        if domain is not None:
            check_header("domain", domain)
        check_header("path", path)
        cookie: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
        cookie[cookie_name] = value
        morsel = cookie[cookie_name]
        if max_age is not None:
            morsel["max-age"] = max_age
        morsel["path"] = path
        if domain is not None:
            morsel["domain"] = domain
        if secure or samesite == "none":
            morsel["secure"] = True
        if http_only:
            morsel["httponly"] = True
        if samesite is not None:
            if samesite not in ("lax", "strict", "none"):
                raise ValueError("samesite must be 'lax', 'strict' or 'none'")
            morsel["samesite"] = samesite
        self.headers.append("set-cookie", cookie.output(header="").strip())
        return self

    def delete_cookie(self, cookie_name: str, path: str = "/", domain: str | None = None) -> Self:
        """Tell the client to drop a cookie."""
        cookie: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
        cookie[cookie_name] = ""
        cookie[cookie_name]["max-age"] = 0
        cookie[cookie_name]["expires"] = "Thu, 01 Jan 1970 00:00:00 GMT"
        cookie[cookie_name]["path"] = path
        if domain is not None:
            cookie[cookie_name]["domain"] = domain
        self.headers.append("set-cookie", cookie.output(header="").strip())
        return self

    # -- bodies -------------------------------------------------------------------------
    def json(self, data: Any) -> Self:
        """Set a JSON body (dicts, lists, pydantic models, dataclasses...)."""
        self.kind, self.body, self.media_type = "json", data, _JSON
        return self

    def text(self, text: str) -> Self:
        """Set a plain-text body."""
        self.kind, self.body, self.media_type = "text", text, MediaType.TEXT_PLAIN
        return self

    def bytes(self, content: bytes, media_type: str = MediaType.APPLICATION_OCTET_STREAM) -> Self:
        """Set a raw body."""
        self.kind, self.body, self.media_type = "bytes", content, media_type
        return self

    def no_content(self) -> Self:
        """An empty 204 answer."""
        self.kind, self.body, self.media_type = "empty", None, None
        self.status_code = HttpStatus.NO_CONTENT
        return self

    def redirect(
        self,
        location: str,
        status_code: int | HttpStatus = HttpStatus.SEE_OTHER,
        *,
        allow_external: bool = False,
    ) -> Self:
        """Redirect the client to ``location`` (303 by default).

        Only paths on this site are accepted, so a ``next=//evil.example`` parameter cannot
        make an open redirect: another host is a 400 unless ``allow_external=True`` or the
        host is listed in the ``ALLOWED_REDIRECT_HOSTS`` setting.
        """
        check_header("location", location)
        if not allow_external and not is_local_url(location):
            from urllib.parse import urlsplit

            host = urlsplit(location).hostname if "://" in location else None
            allowed = self._allowed_redirect_hosts()
            if host is None or host not in allowed:
                raise BadRequest(
                    "redirect to another site refused; pass allow_external=True or list the "
                    "host in ALLOWED_REDIRECT_HOSTS"
                )
        self.kind, self.body, self.media_type = "empty", None, None
        self.status_code = int(status_code)
        self.headers["location"] = location
        return self

    def html_from_string(self, text: str, context: Mapping[str, Any] | None = None) -> Self:
        """Render a Jinja2 template given as a string (synchronously).

        The string is a template written by the developer: it is rendered in a sandbox with
        autoescaping, but a string that a user wrote must never be passed here (pass user text
        in ``context`` instead).
        """
        ctx = dict(context or {})
        ctx.setdefault("request", self._request)
        html = self._templates().render_string(text, ctx)
        self.kind, self.body, self.media_type = "html", html, MediaType.TEXT_HTML
        return self

    def html(
        self, template_path: str, context: Mapping[str, Any] | None = None
    ) -> PendingHtml[Self]:
        """Render a template file from the templates folder; await the result.

        Both ``(await res.html(p, ctx)).status(200)`` and the spec's
        ``await res.html(p, ctx).status(200)`` work: status/header calls made before the
        await are applied after rendering.
        """
        return PendingHtml(self, self._render_html(template_path, context))

    async def _render_html(self, template_path: str, context: Mapping[str, Any] | None) -> None:
        ctx = dict(context or {})
        ctx.setdefault("request", self._request)
        html = await self._templates().render(template_path, ctx)
        self.kind, self.body, self.media_type = "html", html, MediaType.TEXT_HTML

    def send_file(
        self,
        body: str | os.PathLike[str] | builtins.bytes,
        headers: Mapping[str, str] | None = None,
        *,
        filename: str | None = None,
        media_type: str | None = None,
        attachment: bool = False,
    ) -> Self:
        """Send a file: a path is streamed from disk (content type guessed, Range supported)."""
        if headers:
            for key, value in headers.items():
                self.headers[key] = value
        if isinstance(body, bytes):
            return self.bytes(body, media_type or MediaType.APPLICATION_OCTET_STREAM)
        if not os.path.isfile(body):
            raise NotFound("File not found")
        self.kind, self.body, self.media_type = "file", os.fspath(body), media_type
        self._file = {
            "filename": filename or (os.path.basename(os.fspath(body)) if attachment else None),
            "content_disposition_type": "attachment" if attachment else "inline",
        }
        return self

    def stream(
        self,
        content: AsyncIterable[str | builtins.bytes] | Iterable[str | builtins.bytes],
        media_type: str = MediaType.APPLICATION_OCTET_STREAM,
    ) -> Self:
        """Stream a body from an (async) iterator, e.g. server-sent events."""
        self.kind, self.body, self.media_type = "stream", content, media_type
        return self

    def send_from_directory(
        self,
        directory: str | os.PathLike[str],
        path: str,
        *,
        media_type: str | None = None,
        attachment: bool = False,
    ) -> Self:
        """Send ``path`` from inside ``directory`` (relative to the app's ``BASE_PATH`` when
        relative): a path that leaves the folder (``../``, an absolute path, a symlink out) or
        names no file is a 404, so user input can name the file safely."""
        base = os.fspath(directory)
        if not os.path.isabs(base):
            base = os.path.join(self._app.root_path if self._app else os.getcwd(), base)
        root = os.path.realpath(base)
        target = os.path.realpath(os.path.join(root, path.replace("\\", "/").lstrip("/")))
        if "\0" in path or not target.startswith(root + os.sep) or not os.path.isfile(target):
            raise NotFound("File not found")
        return self.send_file(target, media_type=media_type, attachment=attachment)

    def _allowed_redirect_hosts(self) -> frozenset[str]:
        configs = self._app.configs if self._app is not None else {}
        return frozenset(configs.get("ALLOWED_REDIRECT_HOSTS") or ())

    def _templates(self) -> Any:
        if self._app is None:
            raise RuntimeError("HTML responses need an application with templates configured")
        return self._app.templates


R = TypeVar("R", bound=Response[Any])


class PendingHtml(Generic[R]):
    """What ``Response.html`` returns: awaitable (renders, gives the response) and fluent
    (``status``/``set_header``/``set_cookie`` are applied to the response after rendering)."""

    __slots__ = ("_calls", "_render", "_response")

    def __init__(self, response: R, render: Coroutine[Any, Any, None]) -> None:
        self._response = response
        self._render = render
        self._calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def close(self) -> None:
        """Drop the rendering without running it (it was never awaited)."""
        self._render.close()

    def _later(self, name: str, *args: Any, **kwargs: Any) -> PendingHtml[R]:
        self._calls.append((name, args, kwargs))
        return self

    def status(self, status_code: int | HttpStatus) -> PendingHtml[R]:
        return self._later("status", status_code)

    def set_header(self, key: str, value: str) -> PendingHtml[R]:
        return self._later("set_header", key, value)

    def set_cookie(self, *args: Any, **kwargs: Any) -> PendingHtml[R]:
        return self._later("set_cookie", *args, **kwargs)

    def delete_cookie(self, *args: Any, **kwargs: Any) -> PendingHtml[R]:
        return self._later("delete_cookie", *args, **kwargs)

    async def _run(self) -> R:
        await self._render
        for name, args, kwargs in self._calls:
            getattr(self._response, name)(*args, **kwargs)
        return self._response

    def __await__(self) -> Generator[Any, None, R]:
        return self._run().__await__()
