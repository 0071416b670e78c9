"""The ``pyjolt`` console script: ``pyjolt new-project [--name N] [target] [--force]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from pyjolt.cli.scaffold import ScaffoldError, create_project


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
            "SQLite model, tests, run.py, cli.py, .env.dev, pyproject.toml) into TARGET."
        ),
    )
    new.add_argument(
        "target", nargs="?", default=".", help="folder to create the project in (default: .)"
    )
    new.add_argument("--name", help="project name (default: the target folder's name)")
    new.add_argument(
        "--force", action="store_true", help="write into a non-empty folder (overwrites files)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pyjolt`` script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
        'pip install "pyjolt[db]" pytest pytest-asyncio httpx asgi-lifespan  # or: uv sync',
        "python run.py            # serves http://localhost:8080 (DEBUG from .env.dev)",
        "python -m pytest         # runs app/tests",
        "python cli.py --help     # app commands (db-init, db-migrate, db-upgrade, routes...)",
    ]
    print("Next steps:\n  " + "\n  ".join(steps))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
