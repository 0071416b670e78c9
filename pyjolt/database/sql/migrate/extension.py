"""``Migrate``: Alembic migrations of one ``SqlDatabase``, exposed as ``db-*`` CLI commands."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pyjolt._internal.files import resolve_path
from pyjolt._internal.imports import optional_import
from pyjolt.appcontext import AppProtocol
from pyjolt.cli.controller import Argument, CliCommand, CommandError
from pyjolt.database.sql.engines import resolve_database_url
from pyjolt.database.sql.extension import SqlDatabase
from pyjolt.database.sql.migrate.environment import ENVIRONMENT_KEY, MigrationEnvironment
from pyjolt.database.sql.migrate.legacy import add_legacy_options, ini_file, keep_logging
from pyjolt.database.sql.migrate.templates import ENV_PY, README, SCRIPT_PY_MAKO
from pyjolt.database.sql.models import DEFAULT_DB_NAME, metadata_for
from pyjolt.extension import BaseExtension

if TYPE_CHECKING:
    from alembic.config import Config

_VERBOSE = Argument("verbose", bool, "Show more detail", default=False, required=False, flag=True)


def _revision(default: str, description: str) -> Argument:
    return Argument("revision", str, description, default=default, required=False, flag=True)


class Migrate(BaseExtension[Any]):
    """Alembic migrations for ``db``, run with ``python cli.py <prefix>db-<command>``.

    Commands (each prefixed with ``command_prefix``): ``db-init``, ``db-migrate --message``,
    ``db-upgrade [--revision]``, ``db-downgrade [--revision]``,
    ``db-history [--verbose] [--indicate-current]``, ``db-current [--verbose]``,
    ``db-heads [--verbose]``, ``db-show [--revision]``, ``db-stamp [--revision]``.
    The same operations are coroutines on this object (``await migrate.upgrade()``).

    Config keys, read from the database's section (e.g. ``SQL_DATABASE``):
        ALEMBIC_MIGRATION_DIR: migrations folder; a relative one is taken from the app's
            ``BASE_PATH``, whatever folder the CLI runs from (default ``"migrations"``, or
            ``"migrations_<db_name>"`` for a database not named "db").
        ALEMBIC_DATABASE_URI_SYNC: optional sync URL (a relative SQLite path is taken from
            ``BASE_PATH`` too); without it migrations use the async engine (``DATABASE_URI``).
    Models are found through ``MODELS`` (those belonging to ``db``), else every model of
    the database's declarative bases.
    """

    default_configs_name: ClassVar[str] = "MIGRATE"

    def __init__(
        self,
        db: SqlDatabase,
        command_prefix: str = "",
        *,
        version_table: str = "alembic_version",
        configs_name: str | None = None,
        variable_prefix: str | None = None,
    ) -> None:
        if not isinstance(db, SqlDatabase):
            raise TypeError(f"Migrate(db): expected a SqlDatabase, got {db!r}")
        super().__init__(
            configs_name=configs_name or f"{db.configs_name}_MIGRATE",
            variable_prefix=variable_prefix,
        )
        self.db = db
        self.command_prefix = command_prefix
        self.version_table = version_table

    def __repr__(self) -> str:
        return f"<Migrate {self.db.db_name!r} prefix={self.command_prefix!r}>"

    def init_app(self, app: AppProtocol) -> None:
        """Register with ``app`` (the database itself must be listed in EXTENSIONS too)."""
        optional_import("alembic", "db")
        super().init_app(app)

    # -- paths and Alembic config ---------------------------------------------------------------

    @property
    def directory(self) -> Path:
        """The absolute migrations folder."""
        configured = self.db.state_for(self.app).config.ALEMBIC_MIGRATION_DIR or self._top_level(
            "ALEMBIC_MIGRATION_DIR"
        )
        if not configured:
            configured = (
                "migrations" if self.db.db_name == "db" else f"migrations_{self.db.db_name}"
            )
        return Path(resolve_path(self.app.root_path, configured))

    def _top_level(self, key: str) -> str | None:
        """The spec also shows the Alembic keys as top-level config keys: honoured for the
        default database only (a second database sets them in its own section)."""
        if self.db.db_name != "db":
            return None
        value = self.app.get_conf(key, None)
        return str(value) if value else None

    def _check_db(self) -> SqlDatabase:
        try:
            self.db.state_for(self.app)
        except RuntimeError as exc:
            raise CommandError(
                f"{self.db!r} is not initialised for this app: "
                "list it in EXTENSIONS next to the Migrate"
            ) from exc
        return self.db

    def environment(self, *, skip_empty: bool = False) -> MigrationEnvironment:
        """The settings the migrations' ``env.py`` uses."""
        db = self._check_db()
        state = db.state_for(self.app)
        metadata = metadata_for(db.db_name, self.app.models)
        target: Any = None
        if len(metadata) == 1:
            target = metadata[0]
        elif metadata:
            target = metadata
        return MigrationEnvironment(
            db_name=db.db_name,
            url=db.url_for_app(self.app).render_as_string(hide_password=False),
            sync_url=self._sync_url(),
            target_metadata=target,
            engine_options=db.engine_options(state.config),
            version_table=self.version_table,
            skip_empty=skip_empty,
        )

    def _sync_url(self) -> str | None:
        uri = self.db.state_for(self.app).config.ALEMBIC_DATABASE_URI_SYNC or self._top_level(
            "ALEMBIC_DATABASE_URI_SYNC"
        )
        if not uri:
            return None
        url = resolve_database_url(uri, self.db.configs_name, self.app.root_path)
        return url.render_as_string(hide_password=False)

    def alembic_config(self, environment: MigrationEnvironment | None = None) -> Config:
        """An ``alembic.config.Config`` for the migrations folder.

        ``config_file_name`` is the folder's ``alembic.ini`` when there is one (0.111 wrote it),
        else a default one, and ``sqlalchemy.url`` / ``attributes["target_metadata"]`` are set
        too: an ``env.py`` written by PyJolt 0.111 runs unchanged.
        """
        config_module = optional_import("alembic.config", "db")
        environment = environment or self.environment()
        config: Config = config_module.Config(str(ini_file(self.directory)), stdout=sys.stdout)
        config.set_main_option("script_location", str(self.directory))
        config.set_main_option("path_separator", "os")
        config.attributes[ENVIRONMENT_KEY] = environment
        add_legacy_options(config, environment)
        return config

    async def _run(self, name: str, *args: Any, require_init: bool = True, **kwargs: Any) -> Any:
        return await self._run_with(
            self.alembic_config(), name, *args, require_init=require_init, **kwargs
        )

    async def _run_with(
        self, config: Config, name: str, *args: Any, require_init: bool = True, **kwargs: Any
    ) -> Any:
        if require_init and not (self.directory / "env.py").is_file():
            raise CommandError(
                f"no migrations folder at {self.directory}: run `{self.command_stem()}init` first"
            )
        command = optional_import("alembic.command", "db")
        util = optional_import("alembic.util", "db")
        fn: Callable[..., Any] = getattr(command, name)
        try:
            # Alembic is synchronous; env.py runs its own event loop in the worker thread.
            with keep_logging():
                return await asyncio.to_thread(fn, config, *args, **kwargs)
        except util.CommandError as exc:
            raise CommandError(str(exc)) from exc

    # -- commands --------------------------------------------------------------------------------

    async def init(self) -> None:
        """Create the migrations folder (env.py using the app's async engine and models)."""
        directory = self.directory
        if directory.exists() and any(directory.iterdir()):
            raise CommandError(f"{directory} already exists and is not empty")
        (directory / "versions").mkdir(parents=True, exist_ok=True)
        (directory / "env.py").write_text(ENV_PY, encoding="utf-8")
        (directory / "script.py.mako").write_text(SCRIPT_PY_MAKO, encoding="utf-8")
        (directory / "README").write_text(
            README.format(db_name=self.db.db_name, stem=self.command_stem()), encoding="utf-8"
        )
        print(f"Migrations folder for database {self.db.db_name!r} created at {directory}")

    async def migrate(self, message: str | None = None) -> str | None:
        """Autogenerate a revision from the models; returns its id (None when nothing changed)."""
        environment = self.environment(skip_empty=True)
        if environment.target_metadata is None:
            raise CommandError(
                f"no models found for database {self.db.db_name!r}: list them in MODELS "
                "(e.g. 'app.models.user:User') so autogenerate can see them"
            )
        config = self.alembic_config(environment)
        script = await self._run_with(config, "revision", message=message, autogenerate=True)
        if environment.empty or script is None:
            print("No changes in the models were detected; no migration written")
            return None
        scripts = script if isinstance(script, list) else [script]
        for item in scripts:
            if item is not None:
                print(f"Generated {item.path}")
        first = scripts[0]
        return str(first.revision) if first is not None else None

    async def upgrade(self, revision: str = "head") -> None:
        """Apply migrations up to ``revision`` (default: the latest)."""
        await self._run("upgrade", revision)
        print(f"Database {self.db.db_name!r} upgraded to {revision}")

    async def downgrade(self, revision: str = "-1") -> None:
        """Revert migrations down to ``revision`` (default: one step)."""
        await self._run("downgrade", revision)
        print(f"Database {self.db.db_name!r} downgraded to {revision}")

    async def history(self, verbose: bool = False, indicate_current: bool = False) -> None:
        """Print the revision history."""
        await self._run("history", verbose=verbose, indicate_current=indicate_current)

    async def current(self, verbose: bool = False) -> None:
        """Print the revision the database is at."""
        await self._run("current", verbose=verbose)

    async def heads(self, verbose: bool = False) -> None:
        """Print the head revision(s)."""
        await self._run("heads", verbose=verbose)

    async def show(self, revision: str = "head") -> None:
        """Print one revision."""
        await self._run("show", revision)

    async def stamp(self, revision: str = "head") -> None:
        """Mark the database as being at ``revision`` without running migrations."""
        await self._run("stamp", revision)
        print(f"Database {self.db.db_name!r} stamped with {revision}")

    def command_stem(self) -> str:
        """What the command names start with: ``command_prefix + "db-"``.

        Several ``Migrate`` without a prefix in one app (a PyJolt 0.111 app with two
        databases): the one of the database named "db" keeps ``db-``, each other one is named
        after its database as 0.111 did (``other_db`` -> ``other-db-init``).
        """
        if self.command_prefix or self.db.db_name == DEFAULT_DB_NAME:
            return f"{self.command_prefix}db-"
        unprefixed = [
            ext
            for ext in self.app.extensions.values()
            if isinstance(ext, Migrate) and not ext.command_prefix
        ]
        if len(unprefixed) < 2:
            return "db-"
        return self.db.db_name.replace("_", "-").lower() + "-"

    def cli_commands(self) -> Sequence[CliCommand]:
        """The ``db-*`` commands, each named with ``command_prefix`` (see ``command_stem``)."""
        p = self.command_stem()
        return (
            CliCommand(f"{p}init", self.init, "Create the migrations folder"),
            CliCommand(
                f"{p}migrate",
                self.migrate,
                "Autogenerate a migration from the models",
                (
                    Argument(
                        "message", str, "Migration message", default=None, required=False, flag=True
                    ),
                ),
            ),
            CliCommand(
                f"{p}upgrade", self.upgrade, "Apply migrations", (_revision("head", "Target"),)
            ),
            CliCommand(
                f"{p}downgrade",
                self.downgrade,
                "Revert migrations",
                (_revision("-1", "Target"),),
            ),
            CliCommand(
                f"{p}history",
                self.history,
                "Show the migration history",
                (
                    _VERBOSE,
                    Argument(
                        "indicate_current",
                        bool,
                        "Mark the current revision",
                        default=False,
                        required=False,
                        flag=True,
                    ),
                ),
            ),
            CliCommand(f"{p}current", self.current, "Show the current revision", (_VERBOSE,)),
            CliCommand(f"{p}heads", self.heads, "Show the head revision(s)", (_VERBOSE,)),
            CliCommand(f"{p}show", self.show, "Show a revision", (_revision("head", "Revision"),)),
            CliCommand(
                f"{p}stamp",
                self.stamp,
                "Set the revision without migrating",
                (_revision("head", "Revision"),),
            ),
        )
