"""A tiny app with a CLI controller, run as a script by the CLI tests.

``python tests/cli/sample_cli_app.py add 2 3``
"""

from __future__ import annotations

import sys
from typing import Any

from pyjolt.cli import CLIController, CommandError, argument, command
from pyjolt.extension import BaseExtension
from pyjolt.testing import make_app


class Probe(BaseExtension[Any]):
    """Records whether the app's lifespan started it (commands must run inside it)."""

    default_configs_name = "PROBE"

    def __init__(self) -> None:
        super().__init__()
        self.started = False

    async def startup(self) -> None:
        self.started = True
        print("probe: startup")

    async def shutdown(self) -> None:
        self.started = False
        print("probe: shutdown")


probe = Probe()


class UtilityCLIController(CLIController):
    """The spec's example commands, plus float and optional arguments."""

    @command("greet", help="Greet a user with a message.")
    @argument("name", arg_type=str, description="The name of the user to greet.")
    async def greet(self, name: str) -> None:
        print(f"Hello, {name}! Welcome to the CLI utility.")

    @command("add", help="Add two numbers.")
    @argument("a", arg_type=int, description="The first number.")
    @argument("b", arg_type=int, description="The second number.")
    async def add(self, a: int, b: int) -> None:
        print(f"The sum of {a} and {b} is {a + b} ({type(a).__name__}).")

    @command("scale", help="Multiply a number by a factor.")
    @argument("value", arg_type=float, description="The number.")
    @argument("factor", arg_type=float, description="The factor.", default=2.0)
    async def scale(self, value: float, factor: float) -> None:
        print(f"scaled={value * factor!r} ({type(value).__name__})")

    @command("status", help="Show whether extensions are started.")
    async def status(self) -> None:
        print(f"probe started: {probe.started}; app: {self.app.app_name}")

    @command("fail", help="Fail with a message.")
    @argument("code", arg_type=int, description="Exit code.")
    async def fail(self, code: int) -> None:
        raise CommandError("the thing could not be done", exit_code=code)


if __name__ == "__main__":
    application = make_app(
        APP_NAME="Sample CLI",
        CLI_CONTROLLERS=[UtilityCLIController],
        EXTENSIONS=[probe],
        DEFAULT_LOGGER={"SINK": "stderr", "LEVEL": "WARNING"},
    )
    sys.argv[0] = "cli.py"
    application.run_cli()
