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
        """Creates missing tables (and the SQLite file) when the app serves, until you use
        migrations.

        Hooks do not run for ``python cli.py`` commands (only hooks marked
        ``@on_startup(cli=True)`` do), so ``db-migrate`` sees the models' tables as new. Once
        ``python cli.py db-init`` has created the migrations folder, the schema is managed with
        ``db-migrate`` / ``db-upgrade`` and this hook does nothing.
        """
        if migrate.directory.exists():
            return
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
