"""An app written the way PyJolt 0.111 apps are (its names, its config style, its CLI), used
by ``tests/compat/test_legacy_app.py`` to show it builds and answers on this version."""

from pyjolt import PyJolt, app, on_startup
from tests.compat.legacy_app.configs import Config


@app(__name__, configs=Config)
class Application(PyJolt):
    @on_startup
    async def announce(self) -> None:
        self.logger.info("legacy app started")
