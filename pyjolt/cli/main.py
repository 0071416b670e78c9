"""The ``pyjolt`` console script: ``pyjolt new-project [--name N] [target] [--force]`` and
``pyjolt run [app:Application] [--host H] [--port P] [--workers N] [--reload | --no-reload]``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, cast

from pyjolt.cli.scaffold import ScaffoldError, create_project

if TYPE_CHECKING:
    from pyjolt.application import PyJolt


def _version() -> str:
    try:
        return metadata.version("pyjolt")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``pyjolt`` script."""
    parser = argparse.ArgumentParser(prog="pyjolt", description="PyJolt project tools.")
    parser.add_argument("--version", action="version", version=f"pyjolt {_version()}")
    sub = parser.add_subparsers(dest="command", title="commands", metavar="<command>")
    new = sub.add_parser(
        "new-project",
        help="Create a new project from the PyJolt template.",
        description=(
            "Write the PyJolt project template (app package, configs, an example API with a "
            "SQLite model, tests, run.py, cli.py, .env.dev, pyproject.toml) into TARGET, and a "
            "git-ignored .env with a random SECRET_KEY."
        ),
    )
    new.add_argument(
        "target", nargs="?", default=".", help="folder to create the project in (default: .)"
    )
    new.add_argument("--name", help="project name (default: the target folder's name)")
    new.add_argument(
        "--force", action="store_true", help="write into a non-empty folder (overwrites files)"
    )
    run = sub.add_parser(
        "run",
        help="Serve an app with uvicorn, from its settings.",
        description=(
            "Serve APP (an import string: a PyJolt subclass, a factory or an app object) with "
            "uvicorn. HOST, PORT, WORKERS, PROXY_HEADERS and FORWARDED_ALLOW_IPS come from the "
            "app's settings; reload follows DEBUG. uvicorn's lines use the app's log format."
        ),
    )
    run.add_argument("app", nargs="?", default="app:Application", help="default: app:Application")
    run.add_argument("--host", help="address to bind (default: HOST)")
    run.add_argument("--port", type=int, help="port to bind (default: PORT)")
    run.add_argument("--workers", type=int, help="worker processes (default: WORKERS)")
    run.add_argument("--proxy-headers", action=argparse.BooleanOptionalAction, default=None)
    run.add_argument("--forwarded-allow-ips", help="default: FORWARDED_ALLOW_IPS")
    check = sub.add_parser(
        "check",
        help="Check an app's settings (--deploy: for production).",
        description="Build APP and list what is unsafe for a deployment, with the fixes; "
        "exit 1 on errors.",
    )
    check.add_argument("app", nargs="?", default="app:Application", help="default: app:Application")
    check.add_argument("--deploy", action="store_true", help="the deployment checks")
    reload = run.add_mutually_exclusive_group()
    reload.add_argument("--reload", action="store_true", default=None, help="default: DEBUG")
    reload.add_argument("--no-reload", dest="reload", action="store_false")
    return parser


def _load_app(target_name: str) -> PyJolt:
    """The app an import string names (a PyJolt subclass, a factory or an app object)."""
    from pyjolt.cli.serve import is_factory
    from pyjolt.registry import load

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # as uvicorn does: `app:Application` from here
    target = load(target_name, target_name)
    return cast("PyJolt", target() if is_factory(target) else target)


def _failed(command: str, exc: Exception) -> int:
    print(f"pyjolt {command}: error: {exc}", file=sys.stderr)
    return 1


def _loaded_app(args: argparse.Namespace) -> PyJolt | None:
    """The app ``args.app`` names, or None (the error printed) when it cannot be built."""
    from pyjolt.exceptions.errors import ConfigurationError

    try:
        return _load_app(args.app)
    except ConfigurationError as exc:
        _failed(args.command, exc)
        return None


def _check(args: argparse.Namespace) -> int:
    from pyjolt.security.checks import report

    app = _loaded_app(args)
    return 1 if app is None else report(app, deploy=args.deploy)


def _run(args: argparse.Namespace) -> int:
    from pyjolt.cli.serve import ServeOptions, serve
    from pyjolt.exceptions.errors import ConfigurationError

    app = _loaded_app(args)
    if app is None:
        return 1
    options = ServeOptions(
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    try:
        serve(app, options, target=args.app)
    except ConfigurationError as exc:
        return _failed("run", exc)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pyjolt`` script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "check":
        return _check(args)
    if args.command != "new-project":
        parser.print_help(sys.stderr)
        return 2
    target = Path(args.target)
    try:
        written = create_project(target, args.name, force=args.force)
    except ScaffoldError as exc:
        print(f"pyjolt new-project: error: {exc}", file=sys.stderr)
        return 1
    location = target.resolve()
    print(f"Created {len(written)} files in {location}")
    steps = [] if location == Path.cwd() else [f"cd {args.target}"]
    steps += [
        "uv sync                  # or: pip install -e . pytest pytest-asyncio httpx asgi-lifespan",
        "python run.py            # serves http://localhost:8080 (DEBUG off; SECRET_KEY from .env)",
        "APP_ENV=development python run.py   # development: reads .env.dev (DEBUG, reload)",
        "python -m pytest         # runs app/tests",
        "python cli.py --help     # app commands (db-init, db-migrate, db-upgrade, routes...)",
    ]
    print("Next steps:\n  " + "\n  ".join(steps))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
