"""Turn controllers into Starlette routes: one route per path, named after its handlers."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, WebSocketRoute

from pyjolt._compile.endpoint import build_http_endpoint, build_socket_endpoint
from pyjolt._compile.plan import HandlerPlan, controller_hooks, plan_controller
from pyjolt._compile.routes import MethodDispatcher, PyJoltRoute
from pyjolt.controller.meta import Guard
from pyjolt.cors import make_policy
from pyjolt.exceptions.errors import RegistrationError
from pyjolt.security.origin import origin_guards

if TYPE_CHECKING:
    from pyjolt.application import PyJolt


class Compiled:
    """What compiling the controllers gives (filled in by ``compile_routes``)."""

    __slots__ = ("guards", "plans", "routes", "url_index")

    def __init__(self) -> None:
        self.routes: list[BaseRoute] = []
        self.plans: list[HandlerPlan] = []
        #: endpoint name -> (route, names of its path parameters)
        self.url_index: dict[str, tuple[Any, set[str]]] = {}
        #: endpoint name -> the guards that run before it (framework's, extensions', its own)
        self.guards: dict[str, tuple[Guard, ...]] = {}


def _guards(app: PyJolt, plan: HandlerPlan) -> tuple[Guard, ...]:
    """The framework's own guards, the extensions' route guards and the handler's, in
    priority order."""
    found = [*origin_guards(app.origin_policy, plan.meta, plan.websocket)]
    for ext in app.extensions.values():
        found.extend(ext.route_guards(app, plan.meta))
    found.extend(g.bind(app) for g in plan.meta.guards)
    return tuple(sorted(found, key=lambda g: g.priority))


def _route_key(path: str, strict: bool) -> str:
    return path if strict or path == "/" else path.rstrip("/")


def compile_routes(app: PyJolt, controllers: list[type], *, debug: bool) -> Compiled:
    """Plan every handler, check for conflicts, and build the routes."""
    configs = app.configs
    strict = bool(configs["STRICT_SLASHES"])
    default_limit = configs["MAX_BODY_SIZE"]
    out = Compiled()
    by_path: dict[str, dict[str, tuple[HandlerPlan, Any]]] = defaultdict(dict)
    path_names: dict[str, list[str]] = defaultdict(list)
    path_form: dict[str, str] = {}
    sockets: dict[str, HandlerPlan] = {}
    seen_names: set[str] = set()

    for cls in controllers:
        instance = cls(app)
        before_names, after_names = controller_hooks(cls)
        before = [getattr(instance, n) for n in before_names]
        after = [getattr(instance, n) for n in after_names]
        for plan in plan_controller(cls, debug=debug):
            if plan.meta.development and not debug:
                continue
            if plan.name in seen_names:
                raise RegistrationError(
                    f"CONTROLLERS: two controllers named {plan.name.split('.')[0]!r}"
                )
            seen_names.add(plan.name)
            guards = _guards(app, plan)
            out.guards[plan.name] = guards
            out.plans.append(plan)
            if plan.websocket:
                key = plan.starlette_path
                if key in sockets:
                    raise RegistrationError(
                        f"{plan.name} and {sockets[key].name} both handle websocket {plan.path!r}"
                    )
                sockets[key] = plan
                route: Any = WebSocketRoute(
                    plan.starlette_path,
                    build_socket_endpoint(plan, instance, guards, before),
                    name=plan.name,
                )
                out.routes.append(route)
                out.url_index[plan.name] = (route, set(plan.path_params))
                continue
            limit = plan.meta.max_body_size if plan.meta.max_body_size_set else default_limit
            endpoint = build_http_endpoint(
                plan, instance, guards, before, after, app.request_class, limit
            )
            key = _route_key(plan.starlette_path, strict)
            for method in plan.methods:
                if method in by_path[key]:
                    other = by_path[key][method][0]
                    raise RegistrationError(
                        f"{plan.name} and {other.name} both handle {method} {plan.path!r}; "
                        "change one path or method"
                    )
                by_path[key][method] = (plan, endpoint)
            path_names[key].append(plan.name)
            path_form.setdefault(key, plan.starlette_path)

    for key, handlers in by_path.items():
        policies = {m: make_policy(configs, p.meta.cors) for m, (p, _) in handlers.items()}
        dispatcher = MethodDispatcher({m: e for m, (_, e) in handlers.items()}, policies)
        include = any(p.include_in_schema for p, _ in handlers.values())
        route = PyJoltRoute(
            path_form[key],
            dispatcher,
            path_names[key],
            strict_slashes=strict,
            include_in_schema=include,
        )
        out.routes.append(route)
        for plan, _ in handlers.values():
            out.url_index[plan.name] = (route, set(plan.path_params))
    return out
