"""Migrations folders written by PyJolt 0.111 run unchanged.

Their ``env.py`` is Alembic's generic one: it calls ``fileConfig(config.config_file_name)``,
reads the URL from the ``sqlalchemy.url`` option (a sync driver: 0.111 required
``ALEMBIC_DATABASE_URI_SYNC``) and the models from ``config.attributes["target_metadata"]``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pyjolt.database.sql.migrate.environment import MigrationEnvironment

if TYPE_CHECKING:
    from alembic.config import Config

#: The ini file handed to Alembic when the migrations folder has no ``alembic.ini``.
DEFAULT_INI = Path(__file__).with_name("alembic.ini")


def ini_file(directory: Path) -> Path:
    """The folder's own ``alembic.ini`` (0.111 wrote one there), else PyJolt's default."""
    own = directory / "alembic.ini"
    return own if own.is_file() else DEFAULT_INI


def add_legacy_options(config: Config, environment: MigrationEnvironment) -> None:
    """Set what a 0.111 ``env.py`` reads: ``sqlalchemy.url`` and ``target_metadata``."""
    url = environment.sync_url or environment.url
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser syntax
    config.attributes["target_metadata"] = environment.target_metadata


@contextmanager
def keep_logging() -> Iterator[None]:
    """Undo what ``fileConfig`` in an ``env.py`` does to the process's logging.

    ``fileConfig`` disables every logger it does not name and replaces the root handlers;
    in a process that goes on (tests, an app running migrations at start-up) that would
    silence other libraries' logs.
    """
    manager = logging.Logger.manager
    disabled = {
        name: item.disabled
        for name, item in list(manager.loggerDict.items())
        if isinstance(item, logging.Logger)
    }
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for name, was_disabled in disabled.items():
            item = manager.loggerDict.get(name)
            if isinstance(item, logging.Logger):
                item.disabled = was_disabled
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        for handler in handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(level)
