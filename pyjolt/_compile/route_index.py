"""A Starlette ``Router`` whose matching cost does not grow with the number of routes.

``app.routes`` keeps ordinary Starlette ``Route``/``WebSocketRoute``/``Mount`` objects and their
order decides, exactly as in Starlette. An index, built once from those routes, narrows each
request to the few routes whose path *could* match: static paths by one dictionary lookup,
parametrised paths by a walk down a segment tree (literal segments by dictionary, parameter
segments by one wildcard branch, ``path`` converters and mounts as "the rest" entries). The
candidates then run Starlette's own ``route.matches`` in route order, so converters are applied
once, by the matching route, and 404 / 405 / redirect semantics are Starlette's.

Routes the index cannot read (``Host``, custom ``BaseRoute`` classes, routes overriding
``matches``, custom converters that may match a ``/``) are candidates for every request, in
their place in the order. Mutating ``router.routes`` rebuilds the index on the next request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from starlette._utils import get_route_path
from starlette.convertors import (
    FloatConvertor,
    IntegerConvertor,
    StringConvertor,
    UUIDConvertor,
)
from starlette.datastructures import URL, URLPath
from starlette.responses import RedirectResponse
from starlette.routing import (
    PARAM_REGEX,
    BaseRoute,
    Match,
    Mount,
    NoMatchFound,
    Route,
    Router,
    WebSocketRoute,
)
from starlette.types import Receive, Scope, Send

from pyjolt._compile.routes import Endpoint, MethodDispatcher, PyJoltRoute

#: converters whose values never contain a ``/``: their segment is one wildcard segment
_SEGMENT_CONVERTORS = (StringConvertor, IntegerConvertor, FloatConvertor, UUIDConvertor)
_KNOWN_MATCHES = (Route.matches, WebSocketRoute.matches, Mount.matches)
_KINDS = ("http", "websocket")
_RECENT_PATHS = 4096
_KNOWN_URL_PATH_FOR = (Route.url_path_for, WebSocketRoute.url_path_for, PyJoltRoute.url_path_for)


class _Node:
    __slots__ = ("ends", "literal", "tails", "wild")

    def __init__(self) -> None:
        self.literal: dict[str, _Node] = {}
        self.wild: _Node | None = None
        #: positions of routes whose template ends at this node
        self.ends: list[int] = []
        #: positions of routes matching any rest of the path from this node (path, mounts)
        self.tails: list[int] = []

    def child(self, segment: str | None) -> _Node:
        if segment is None:
            if self.wild is None:
                self.wild = _Node()
            return self.wild
        node = self.literal.get(segment)
        if node is None:
            node = self.literal[segment] = _Node()
        return node

    def collect(self, segments: list[str], at: int, out: list[int]) -> None:
        """Add the positions of every route that could match ``segments[at:]``."""
        if self.tails:
            out.extend(self.tails)
        left = len(segments) - at
        if left == 0 or (left == 1 and not segments[at]):
            # the optional trailing slash of routes built with STRICT_SLASHES off
            out.extend(self.ends)
        if left == 0:
            return
        segment = segments[at]
        node = self.literal.get(segment)
        if node is not None:
            node.collect(segments, at + 1, out)
        if self.wild is not None:
            self.wild.collect(segments, at + 1, out)


def _skeleton(route: BaseRoute) -> tuple[list[str | None], bool] | None:
    """Segments of the route's template (``None`` = any one segment) and whether the rest of the
    path is open (a ``path`` converter or a mount); ``None`` when the index cannot read it."""
    if type(route).matches not in _KNOWN_MATCHES:
        return None
    path = getattr(route, "path", None)
    convertors = getattr(route, "param_convertors", None)
    if not isinstance(path, str) or not isinstance(convertors, dict):
        return None
    if path and not path.startswith("/"):
        return None
    segments: list[str | None] = []
    for segment in path.split("/")[1:]:
        params = PARAM_REGEX.findall(segment)
        if not params:
            segments.append(segment)
            continue
        if not all(isinstance(convertors.get(name), _SEGMENT_CONVERTORS) for name, _ in params):
            return segments, True
        segments.append(None)
    return segments, isinstance(route, Mount)


def _handler(route: BaseRoute, scope: Scope) -> Endpoint | None:
    """What serves ``scope`` on ``route`` without the route's frames: the compiled handler for
    the request's method of a plain ``PyJoltRoute`` (without the dispatcher's frame either), the
    app of a plain ``WebSocketRoute`` (whose ``handle`` only awaits it); else None
    (``route.handle`` answers: other methods, subclasses)."""
    if type(route) is PyJoltRoute and type(route.dispatcher) is MethodDispatcher:
        return route.dispatcher.handlers.get(scope["method"])
    if type(route) is WebSocketRoute:
        return route.app
    return None


def _direct(candidates: tuple[BaseRoute, ...], path: str) -> PyJoltRoute | None:
    """The route that answers ``path`` without running ``matches``: the only candidate, a
    ``PyJoltRoute`` (it answers 405 itself, so a partial match is handled like a full one)
    without path parameters, whose pattern matches ``path``; else None."""
    route = candidates[0] if len(candidates) == 1 else None
    if (
        isinstance(route, PyJoltRoute)
        and type(route) is PyJoltRoute
        and not route.param_convertors
        and route.path_regex.match(path) is not None
    ):
        return route
    return None


class RouteIndex:
    """Candidate routes per scope type and path, in route order."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)
        self._names: dict[str, list[int]] | None = None
        #: parametrised paths seen lately -> their candidates (a plain, bounded memo)
        self._recent: dict[tuple[str, str], tuple[BaseRoute, ...]] = {}
        self._unnamed: list[int] = []
        self.trees = {kind: _Node() for kind in _KINDS}
        self.always: dict[str, list[int]] = {kind: [] for kind in _KINDS}
        static_paths: dict[str, set[str]] = {kind: set() for kind in _KINDS}
        for position, route in enumerate(self.routes):
            kinds = (
                ("http",)
                if isinstance(route, Route)
                else ("websocket",)
                if isinstance(route, WebSocketRoute)
                else _KINDS
            )
            shape = _skeleton(route)
            for kind in kinds:
                if shape is None:
                    self.always[kind].append(position)
                    continue
                segments, open_rest = shape
                node = parent = self.trees[kind]
                for segment in segments:
                    node, parent = node.child(segment), node
                if open_rest:
                    node.tails.append(position)
                    continue
                node.ends.append(position)
                if segments and segments[-1] == "":
                    parent.ends.append(position)  # the slash is optional unless strict
                if all(s is not None for s in segments):
                    path = "/" + "/".join(s for s in segments if s is not None)
                    bare = path.rstrip("/") or "/"
                    static_paths[kind].update((bare, bare.rstrip("/") + "/"))
        #: exact path -> candidates, computed once for every static path
        self.static: dict[str, dict[str, tuple[BaseRoute, ...]]] = {
            kind: {p: self._lookup(kind, p) for p in paths} for kind, paths in static_paths.items()
        }
        #: exact path -> its only candidate, a parameterless PyJolt route that matches it
        self.direct: dict[str, dict[str, PyJoltRoute]] = {kind: {} for kind in _KINDS}
        for kind, table in self.static.items():
            for path, hit in table.items():
                only = _direct(hit, path)
                if only is not None:
                    self.direct[kind][path] = only

    def _lookup(self, kind: str, route_path: str) -> tuple[BaseRoute, ...]:
        if not route_path.startswith("/"):
            return tuple(self.routes)
        if route_path.endswith("\n"):
            route_path = route_path[:-1]  # a regex's ``$`` also matches before a final newline
        positions: list[int] = []
        self.trees[kind].collect(route_path.split("/"), 1, positions)
        positions += self.always[kind]
        if len(positions) > 1:
            positions = sorted(set(positions))
        routes = self.routes
        return tuple(routes[p] for p in positions)

    def named(self, name: str) -> tuple[BaseRoute, ...]:
        """Routes that may build a URL for ``name`` (a superset), in order."""
        if self._names is None:
            names: dict[str, list[int]] = {}
            unnamed: list[int] = []
            for position, route in enumerate(self.routes):
                own = getattr(route, "names", None) or getattr(route, "name", None)
                if own is None or type(route).url_path_for not in _KNOWN_URL_PATH_FOR:
                    unnamed.append(position)
                    continue
                for one in {own} if isinstance(own, str) else own:
                    names.setdefault(one, []).append(position)
            self._names, self._unnamed = names, unnamed
        positions = sorted({*self._names.get(name, ()), *self._unnamed})
        return tuple(self.routes[p] for p in positions)

    def candidates(self, scope: Scope) -> tuple[BaseRoute, ...]:
        """Routes that may match ``scope`` (a superset of Starlette's matches), in order."""
        return self.for_path(scope["type"], get_route_path(scope))

    def for_path(self, kind: str, route_path: str) -> tuple[BaseRoute, ...]:
        """``candidates`` of a request of type ``kind`` to ``route_path``."""
        hit = self.static[kind].get(route_path)
        if hit is not None:
            return hit
        key = (kind, route_path)
        hit = self._recent.get(key)
        if hit is None:
            hit = self._lookup(kind, route_path)
            if len(self._recent) >= _RECENT_PATHS:
                self._recent.clear()  # bounded: parametrised paths are unbounded
            self._recent[key] = hit
        return hit


class _RouteList(list[BaseRoute]):
    """``router.routes``: a plain list that tells its router when it changes."""

    def __init__(self, routes: Iterable[BaseRoute], changed: Callable[[], None]) -> None:
        super().__init__(routes)
        self._changed = changed


def _notifying(name: str) -> Any:
    method = getattr(list, name)

    def wrapper(self: _RouteList, *args: Any, **kwargs: Any) -> Any:
        self._changed()
        return method(self, *args, **kwargs)

    wrapper.__name__ = name
    return wrapper


for _name in (
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "sort",
    "reverse",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "__imul__",
):
    setattr(_RouteList, _name, _notifying(_name))


class IndexedRouter(Router):
    """Starlette's ``Router`` with the same matching rules, dispatching through a ``RouteIndex``."""

    _index: RouteIndex | None = None

    @property
    def routes(self) -> list[BaseRoute]:
        return self._routes

    @routes.setter
    def routes(self, routes: Iterable[BaseRoute]) -> None:
        self._routes = _RouteList(routes, self._invalidate)
        self._index = None

    def _invalidate(self) -> None:
        self._index = None

    @property
    def index(self) -> RouteIndex:
        index = self._index
        if index is None:
            index = self._index = RouteIndex(self._routes)
        return index

    def candidates(self, scope: Scope) -> tuple[BaseRoute, ...]:
        """The routes that may match ``scope``, in order (others surely answer ``Match.NONE``)."""
        return self.index.candidates(scope)

    def endpoint(self, scope: Scope) -> Endpoint | None:
        """What serves ``scope`` (HTTP or websocket) when a route matches it fully, with
        ``scope`` set as for that route (``router``, ``route``, ``endpoint``, path parameters):
        the compiled handler of a plain ``PyJoltRoute`` for the request's method, else the
        route's ``handle``; None when no route matches fully (``app`` answers then: a partial
        match's 405, a redirect, the default 404). Called by ``app``, and by the app's
        outermost layer directly (one coroutine frame less per request)."""
        if "router" not in scope:
            scope["router"] = self
        index = self._index or self.index
        # get_route_path's usual case inline: no root path
        path = get_route_path(scope) if scope.get("root_path") else scope["path"]
        direct = index.direct[scope["type"]].get(path)
        if direct is not None:
            # the one route of a static path (what Route.matches would give, without the regex)
            scope["route"] = direct
            scope["endpoint"] = direct.endpoint
            outer = scope.get("path_params")
            scope["path_params"] = dict(outer) if outer else {}
            if type(direct) is PyJoltRoute and type(direct.dispatcher) is MethodDispatcher:
                # _handler, inline
                return direct.dispatcher.handlers.get(scope["method"]) or direct.handle
            return direct.handle
        kind = scope["type"]
        for route in index.for_path(kind, path):
            if kind == "http" and type(route) is PyJoltRoute:
                # Route.matches, inline (a PyJoltRoute does not override it); a partial match
                # (another method) is left to ``app``
                match = route.path_regex.match(path)
                if match is None or (route.methods and scope["method"] not in route.methods):
                    continue
                params = match.groupdict()
                convertors = route.param_convertors
                for key, value in params.items():
                    params[key] = convertors[key].convert(value)
                outer = scope.get("path_params")
                scope["path_params"] = {**outer, **params} if outer else params
                scope["endpoint"] = route.endpoint
                scope["route"] = route
                if type(route.dispatcher) is MethodDispatcher:
                    return route.dispatcher.handlers.get(scope["method"]) or route.handle
                return route.handle
            found, child_scope = route.matches(scope)
            if found is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                return _handler(route, scope) or route.handle
        return None

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            if "router" not in scope:
                scope["router"] = self
            await self.lifespan(scope, receive, send)
            return
        endpoint = self.endpoint(scope)
        if endpoint is not None:
            await endpoint(scope, receive, send)
            return
        index = self.index
        for route in index.candidates(scope):
            match, child_scope = route.matches(scope)
            if match is Match.PARTIAL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
        route_path = get_route_path(scope)
        if scope["type"] == "http" and self.redirect_slashes and route_path != "/":
            redirect_scope = dict(scope)
            if route_path.endswith("/"):
                redirect_scope["path"] = redirect_scope["path"].rstrip("/")
            else:
                redirect_scope["path"] = redirect_scope["path"] + "/"
            for route in index.candidates(redirect_scope):
                if route.matches(redirect_scope)[0] is not Match.NONE:
                    response = RedirectResponse(url=str(URL(scope=redirect_scope)))
                    await response(scope, receive, send)
                    return
        await self.default(scope, receive, send)

    # Starlette's Router.__call__ goes through ``middleware_stack``, which is ``app`` itself
    # for this router (it is built without router middleware): one frame less per request.
    __call__ = app

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.index.named(name):
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)
