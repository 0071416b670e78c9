"""The spec's app/__init__.py."""

from pyjolt import PyJolt, app, on_shutdown, on_startup
from tests.spec.specapp.configs import Config

EVENTS: list[str] = []


@app(__name__, configs=Config)
class Application(PyJolt):
    @on_startup
    async def first_startup_method(self):
        EVENTS.append("startup")
        print("Starting up...")

    @on_shutdown
    async def first_shutdown_method(self):
        EVENTS.append("shutdown")
        print("Shuting down...")
