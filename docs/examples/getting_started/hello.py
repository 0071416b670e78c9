"""Getting started: a whole PyJolt app in one file.

Serve it from this folder with ``uvicorn hello:Application --factory --port 8080``.
"""

import os

from pydantic import BaseModel, Field

from pyjolt import BaseConfig, HttpStatus, PyJolt, Request, app, on_startup
from pyjolt.controller import Controller, get, path, post


class Greeting(BaseModel):
    name: str = Field(min_length=1)
    text: str = "Hello"


@path("/api")
class HelloApi(Controller):
    @get("/hello/<name>")
    async def hello(self, req: Request, name: str, polite: bool = False) -> dict[str, str]:
        message = f"Good day, {name}." if polite else f"Hello, {name}!"
        return {"message": message}

    @post("/greetings", status_code=HttpStatus.CREATED)
    async def create(self, req: Request, greeting: Greeting) -> Greeting:
        return greeting


class Config(BaseConfig):
    APP_NAME: str = "Hello"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [HelloApi]
    DEBUG: bool = True  # development: tracebacks and /openapi/docs; off in production


@app(__name__, configs=Config)
class Application(PyJolt):
    @on_startup
    async def announce(self) -> None:
        self.logger.info(f"{self.app_name} is ready")
