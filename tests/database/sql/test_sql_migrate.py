"""Migrate: the db-* commands end to end, with and without a prefix, on both databases."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, inspect
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.cli.controller import CliCommand, CommandError
from pyjolt.database.sql import SqlDatabase, create_declarative_base
from pyjolt.database.sql.migrate import Migrate
from pyjolt.testing import PyJoltTestClient, make_app

COMMANDS = [
    "db-init",
    "db-migrate",
    "db-upgrade",
    "db-downgrade",
    "db-history",
    "db-current",
    "db-heads",
    "db-show",
    "db-stamp",
]


def user_model(version: int, db_name: str = "db", table: str = "accounts") -> Any:
    """``table`` with (id, fullname); version 2 adds ``email``."""
    base = create_declarative_base(db_name)
    namespace: dict[str, Any] = {
        "__tablename__": table,
        "__annotations__": {"id": Mapped[int], "fullname": Mapped[str]},
        "id": mapped_column(primary_key=True),
        "fullname": mapped_column(String(30)),
    }
    if version >= 2:
        namespace["__annotations__"]["email"] = Mapped[str | None]
        namespace["email"] = mapped_column(String(50), nullable=True)
    return type("Account", (base,), namespace)


def invoke(cmd: CliCommand, **given: Any) -> Any:
    """Call a command's handler the way run_cli does: every argument, defaults filled in."""
    kwargs = {arg.name: given.pop(arg.name, arg.default) for arg in cmd.arguments}
    assert not given, f"{cmd.name} has no arguments {sorted(given)}"
    return cmd.handler(**kwargs)


@asynccontextmanager
async def migration_app(
    database: Any, migrations: Path, model: Any, prefix: str = ""
) -> AsyncIterator[tuple[SqlDatabase, dict[str, Callable[..., Any]]]]:
    db = SqlDatabase()
    migrate = Migrate(db, command_prefix=prefix)
    app = make_app(
        EXTENSIONS=[db, migrate],
        MODELS=[model],
        SQL_DATABASE=database.section(ALEMBIC_MIGRATION_DIR=str(migrations)),
    )
    commands = {cmd.name: cmd for cmd in migrate.cli_commands()}
    assert sorted(commands) == sorted(prefix + name for name in COMMANDS)
    runners = {
        name: (lambda c: lambda **kw: invoke(c, **kw))(commands[prefix + name]) for name in COMMANDS
    }
    async with PyJoltTestClient(app):
        yield db, runners


async def columns(db: SqlDatabase, table: str) -> set[str] | None:
    def _read(conn: Any) -> set[str] | None:
        inspector = inspect(conn)
        if not inspector.has_table(table):
            return None
        return {c["name"] for c in inspector.get_columns(table)}

    async with db.engine.connect() as conn:
        return await conn.run_sync(_read)


@pytest.mark.parametrize("prefix", ["", "main-"])
async def test_migrations_end_to_end(
    database: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], prefix: str
) -> None:
    migrations = tmp_path / "migrations"
    async with migration_app(database, migrations, user_model(1), prefix) as (db, run):
        await run["db-init"]()
        assert (migrations / "env.py").is_file()
        assert (migrations / "script.py.mako").is_file()
        assert f"{prefix}db-upgrade" in (migrations / "README").read_text()
        with pytest.raises(CommandError, match="already exists"):
            await run["db-init"]()

        first = await run["db-migrate"](message="create accounts")
        assert first
        [script] = list((migrations / "versions").glob(f"{first}_*.py"))
        assert "create_table('accounts'" in script.read_text()
        assert await columns(db, "accounts") is None
        await run["db-upgrade"]()
        assert await columns(db, "accounts") == {"id", "fullname"}
        capsys.readouterr()
        await run["db-current"]()
        assert first in capsys.readouterr().out
        # nothing changed: no empty revision is written
        assert await run["db-migrate"](message="nothing") is None
        assert "No changes" in capsys.readouterr().out
        assert len(list((migrations / "versions").glob("*.py"))) == 1

    async with migration_app(database, migrations, user_model(2), prefix) as (db, run):
        second = await run["db-migrate"](message="add email")
        assert second
        assert second != first
        [script] = list((migrations / "versions").glob(f"{second}_*.py"))
        assert "add_column" in script.read_text()
        await run["db-upgrade"]()
        assert await columns(db, "accounts") == {"id", "fullname", "email"}

        capsys.readouterr()
        await run["db-heads"](verbose=True)
        out = capsys.readouterr().out
        assert second in out
        assert "(head)" in out
        await run["db-history"](verbose=True, indicate_current=True)
        out = capsys.readouterr().out
        assert first in out
        assert second in out
        assert "(current)" in out
        assert "add email" in out
        await run["db-show"](revision=first)
        out = capsys.readouterr().out
        assert "create accounts" in out
        assert second not in out

        await run["db-downgrade"]()
        assert await columns(db, "accounts") == {"id", "fullname"}
        capsys.readouterr()
        await run["db-current"](verbose=True)
        out = capsys.readouterr().out
        assert first in out
        assert second not in out

        # stamp moves the version without running the migration
        await run["db-stamp"](revision=second)
        await run["db-current"]()
        assert second in capsys.readouterr().out
        assert await columns(db, "accounts") == {"id", "fullname"}

        await run["db-stamp"](revision=first)
        await run["db-downgrade"](revision="base")
        assert await columns(db, "accounts") is None


async def test_commands_need_db_init(database: Any, tmp_path: Path) -> None:
    async with migration_app(database, tmp_path / "none", user_model(1)) as (_, run):
        with pytest.raises(CommandError, match="db-init"):
            await run["db-upgrade"]()


async def test_migrate_without_models_is_an_error(database: Any, tmp_path: Path) -> None:
    db = SqlDatabase(db_name="nomodels")
    migrate = Migrate(db)
    app = make_app(
        EXTENSIONS=[db, migrate],
        SQL_DATABASE=database.section(ALEMBIC_MIGRATION_DIR=str(tmp_path / "m")),
    )
    async with PyJoltTestClient(app):
        await migrate.init()
        with pytest.raises(CommandError, match="MODELS"):
            await migrate.migrate("empty")


async def test_two_databases_keep_separate_migrations(
    database: Any,
    second_database: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path / "..")  # relative folders are taken from BASE_PATH
    main_model = user_model(1, "db", "main_things")
    other_model = user_model(1, "other", "other_things")
    main_db = SqlDatabase()
    other_db = SqlDatabase(db_name="other", configs_name="OTHER_DATABASE")
    main_migrate = Migrate(main_db)
    other_migrate = Migrate(other_db, command_prefix="other-")
    app = make_app(
        EXTENSIONS=[main_db, other_db, main_migrate, other_migrate],
        MODELS=[main_model, other_model],
        BASE_PATH=str(tmp_path),
        SQL_DATABASE=database.section(),
        OTHER_DATABASE=second_database.section(),
    )
    assert main_migrate.directory == tmp_path / "migrations"
    assert other_migrate.directory == tmp_path / "migrations_other"
    commands = {c.name: c for m in (main_migrate, other_migrate) for c in m.cli_commands()}
    assert "db-upgrade" in commands
    assert "other-db-upgrade" in commands
    async with PyJoltTestClient(app):
        for prefix in ("", "other-"):
            await invoke(commands[f"{prefix}db-init"])
            await invoke(commands[f"{prefix}db-migrate"], message=f"{prefix}init")
            await invoke(commands[f"{prefix}db-upgrade"])
        [main_script] = (tmp_path / "migrations" / "versions").glob("*.py")
        [other_script] = (tmp_path / "migrations_other" / "versions").glob("*.py")
        assert "main_things" in main_script.read_text()
        assert "other_things" not in main_script.read_text()
        assert "other_things" in other_script.read_text()
        assert await columns(main_db, "main_things") == {"id", "fullname"}
        assert await columns(main_db, "other_things") is None
        assert await columns(other_db, "other_things") == {"id", "fullname"}
        assert await columns(other_db, "main_things") is None


async def test_sync_uri_is_used_when_given(tmp_path: Path) -> None:
    db = SqlDatabase()
    migrate = Migrate(db)
    section = {
        "DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
        "ALEMBIC_DATABASE_URI_SYNC": f"sqlite:///{tmp_path / 'sync.db'}",
        "ALEMBIC_MIGRATION_DIR": str(tmp_path / "migrations"),
    }
    app = make_app(EXTENSIONS=[db, migrate], MODELS=[user_model(1)], SQL_DATABASE=section)
    async with PyJoltTestClient(app):
        await migrate.init()
        assert await migrate.migrate("sync") is not None
        await migrate.upgrade()
        # the migrations ran through the sync URL's database, not DATABASE_URI's
        assert await columns(db, "accounts") is None
    assert (tmp_path / "sync.db").is_file()


def test_migrate_needs_a_sql_database() -> None:
    with pytest.raises(TypeError, match="SqlDatabase"):
        Migrate(object())  # type: ignore[arg-type]


def test_top_level_alembic_keys_apply_to_the_default_database(
    database: Any, tmp_path: Path
) -> None:
    main_db, other_db = SqlDatabase(), SqlDatabase(db_name="other", configs_name="OTHER_DATABASE")
    main_migrate, other_migrate = Migrate(main_db), Migrate(other_db, command_prefix="other-")
    make_app(
        EXTENSIONS=[main_db, other_db, main_migrate, other_migrate],
        SQL_DATABASE=database.section(),
        OTHER_DATABASE=database.section(),
        ALEMBIC_MIGRATION_DIR=str(tmp_path / "top"),
    )
    assert main_migrate.directory == tmp_path / "top"
    assert other_migrate.directory.name == "migrations_other"
