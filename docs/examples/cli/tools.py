"""Commands of the app's own command line (CLI_CONTROLLERS) and the cli.py entry point."""

import os

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.cli import CLIController, CommandError, argument, command
from pyjolt.controller import Controller, get, path


class UtilityCLIController(CLIController):
    """Maintenance commands."""

    @command("greet", help="Greet a user.")
    @argument("name", arg_type=str, description="Who to greet.")
    @argument("times", arg_type=int, description="How many times.", default=1)
    async def greet(self, name: str, times: int) -> None:
        for _ in range(times):
            print(f"Hello, {name}! This is {self.app.app_name}.")

    @command("add", help="Add two numbers.")
    @argument("a", arg_type=float)
    @argument("b", arg_type=float)
    async def add(self, a: float, b: float) -> None:
        print(a + b)

    @command("check-name")
    @argument("name", arg_type=str)
    async def check_name(self, name: str) -> int:
        """Fail (exit status 1) on a name that is too short."""
        if len(name) < 3:
            raise CommandError(f"name {name!r} is too short")
        print("ok")
        return 0


@path("/api")
class PingApi(Controller):
    @get("/ping")
    async def ping(self, req: Request) -> Response:
        return req.response.text("pong")


class Config(BaseConfig):
    APP_NAME: str = "Tools"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [PingApi]
    CLI_CONTROLLERS: list[str | type] = [UtilityCLIController]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass


if __name__ == "__main__":
    Application().run_cli()
