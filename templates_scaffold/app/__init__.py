"""The __PROJECT_NAME__ application."""

from pyjolt import PyJolt, app, on_startup

from app.api.models.user_model import Base
from app.configs import Config
from app.extensions import db, migrate


@app(__name__, configs=Config)
class Application(PyJolt):
    """The application: built by ``Application()``; uvicorn runs it (see run.py)."""

    @on_startup
    async def create_tables(self) -> None:
        """Creates missing tables (and the SQLite file) at start-up, until you use migrations.

        Once ``python cli.py db-init`` has created the migrations folder, the schema is managed
        with ``db-migrate`` / ``db-upgrade`` and this hook does nothing (nor during db-* commands).
        """
        if migrate.directory.exists() or (self.cli_command or "").startswith("db-"):
            return
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
