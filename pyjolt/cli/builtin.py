"""Developer commands every app has: ``routes``, ``openapi``, ``run`` and ``check``."""

from __future__ import annotations

import asyncio
import json as jsonlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from pyjolt.cli.controller import Argument, CliCommand

if TYPE_CHECKING:
    from pyjolt.application import PyJolt


def builtin_commands(app: PyJolt) -> list[CliCommand]:
    """The built-in commands bound to ``app`` (an app's own commands of the same name win)."""

    async def routes(json: bool = False) -> None:
        rows = route_table(app)
        if json:
            print(jsonlib.dumps(rows, indent=2))
        else:
            print(format_table(rows))

    async def openapi(output: str | None = None, indent: int = 2) -> None:
        text = jsonlib.dumps(openapi_document(app), indent=indent or None, ensure_ascii=False)
        if output in (None, "", "-"):
            print(text)
            return
        target = Path(str(output))
        await asyncio.to_thread(_write_text, target, text + "\n")
        print(f"OpenAPI document written to {target}", file=sys.stderr)

    def run(
        host: str | None = None,
        port: int | None = None,
        workers: int | None = None,
        reload: bool = False,
        no_reload: bool = False,
    ) -> None:
        from pyjolt.cli.serve import ServeOptions, serve

        chosen = True if reload else (False if no_reload else None)
        serve(app, ServeOptions(host=host, port=port, workers=workers, reload=chosen))

    def check(deploy: bool = False) -> None:
        from pyjolt.security.checks import report

        code = report(app, deploy=deploy)
        if code:
            raise SystemExit(code)

    return [
        CliCommand(
            "check",
            check,  # type: ignore[arg-type]
            "Check the app's settings; --deploy: for a production deployment (exit 1 on errors).",
            (Argument("deploy", bool, "the deployment checks", False, False, True),),
            lifespan=False,
        ),
        CliCommand(
            "run",
            run,  # type: ignore[arg-type]
            "Serve the app with uvicorn (HOST, PORT, WORKERS, PROXY_HEADERS from the settings).",
            (
                Argument("host", str, "address to bind (default: HOST)", None, False, True),
                Argument("port", int, "port to bind (default: PORT)", None, False, True),
                Argument("workers", int, "worker processes (default: WORKERS)", None, False, True),
                Argument(
                    "reload", bool, "restart on code changes (default: DEBUG)", False, False, True
                ),
                Argument("no_reload", bool, "never restart on code changes", False, False, True),
            ),
            lifespan=False,
        ),
        CliCommand(
            "routes",
            routes,
            "List the routes: method, path, name and guards.",
            (Argument("json", bool, "print JSON instead of a table", False, False, True),),
            lifespan=False,  # the routes are known once the app is built: nothing to start
        ),
        CliCommand(
            "openapi",
            openapi,
            "Write the OpenAPI document (JSON) to a file or stdout.",
            (
                Argument("output", str, "file to write (default: stdout)", None, False, True),
                Argument("indent", int, "JSON indentation (0: compact)", 2, False, True),
            ),
            lifespan=False,  # built from the compiled app: no database or service needed
        ),
    ]


def _write_text(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def route_table(app: PyJolt) -> list[dict[str, str]]:
    """One row per route: ``method``, ``path``, ``name``, ``guards``."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for plan in app.handler_plans:
        methods = ("WS",) if plan.websocket else plan.methods
        seen.add(plan.name)
        rows.append(
            {
                "method": ",".join(m for m in methods if m != "HEAD") or "ANY",
                "path": plan.path,
                "name": plan.name,
                "guards": ", ".join(_guard_name(g) for g in plan.meta.guards),
            }
        )
    for route in app.routes:
        name = _route_name(route)
        if name and name in seen:
            continue
        rows.append(_starlette_row(route))
    rows.sort(key=lambda r: (r["path"], r["method"]))
    return rows


def _route_name(route: BaseRoute) -> str:
    return str(route.name or "") if isinstance(route, (Route, WebSocketRoute, Mount)) else ""


def _starlette_row(route: BaseRoute) -> dict[str, str]:
    path = str(getattr(route, "path", ""))  # BaseRoute itself declares no path
    if isinstance(route, Route) and route.methods:
        method = ",".join(sorted(m for m in route.methods if m != "HEAD")) or "HEAD"
    elif isinstance(route, WebSocketRoute):
        method = "WS"
    elif isinstance(route, Mount):
        method, path = "MOUNT", path.rstrip("/") + "/*"
    else:
        method = "ANY"
    return {"method": method, "path": path, "name": _route_name(route), "guards": ""}


def _guard_name(guard: object) -> str:
    return guard.__name__ if isinstance(guard, type) else type(guard).__name__


def format_table(rows: list[dict[str, str]]) -> str:
    """Rows as an aligned text table."""
    if not rows:
        return "No routes."
    headers = {"method": "METHOD", "path": "PATH", "name": "NAME", "guards": "GUARDS"}
    keys = list(headers)
    widths = {k: max(len(headers[k]), *(len(r[k]) for r in rows)) for k in keys}
    lines = ["  ".join(headers[k].ljust(widths[k]) for k in keys).rstrip()]
    lines += ["  ".join(r[k].ljust(widths[k]) for k in keys).rstrip() for r in rows]
    return "\n".join(lines)


def openapi_document(app: PyJolt) -> dict[str, Any]:
    """The app's OpenAPI document (``pyjolt.openapi.build_document``)."""
    from pyjolt.openapi import build_document

    return build_document(app)
