"""A migrations folder written by PyJolt 0.111 (Alembic's generic ``env.py``, which calls
``fileConfig(config.config_file_name)`` and reads ``sqlalchemy.url``) runs unchanged through
``db-upgrade``, ``db-current`` and ``db-migrate``."""

from __future__ import annotations

import logging
import sqlite3
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.cli.runner import run_cli
from pyjolt.database.sql import SqlDatabase, create_declarative_base
from pyjolt.database.sql.migrate import Migrate
from pyjolt.testing import make_app

LEGACY_ENV = """
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
fileConfig(config.config_file_name)
target_metadata = config.attributes.get("target_metadata")


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"""

MAKO = '''"""${message}"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''

FIRST_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "0111aaaa0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "legacy_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("body", sa.String(length=50)),
    )


def downgrade():
    op.drop_table("legacy_notes")
"""

INI = """
[alembic]
script_location = /somewhere/else/migrations
sqlalchemy.url = driver://user:pass@localhost/dbname

[loggers]
keys = root,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""

Base = create_declarative_base("db")


class LegacyNote(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "legacy_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str | None] = mapped_column(String(50))
    author: Mapped[str | None] = mapped_column(String(30))  # not in the first revision


def write_legacy_folder(folder: Path, *, with_ini: bool) -> None:
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text(textwrap.dedent(LEGACY_ENV), encoding="utf-8")
    (folder / "script.py.mako").write_text(MAKO, encoding="utf-8")
    (folder / "versions" / "0111aaaa0001_notes.py").write_text(FIRST_REVISION, encoding="utf-8")
    if with_ini:
        (folder / "alembic.ini").write_text(INI, encoding="utf-8")


def table_columns(db_file: Path, table: str) -> set[str]:
    connection = sqlite3.connect(db_file)
    try:
        rows = connection.execute(f"PRAGMA table_info({table})").fetchall()
    finally:
        connection.close()
    return {row[1] for row in rows}


@pytest.mark.parametrize("with_ini", [True, False], ids=["own-alembic.ini", "no-ini"])
def test_a_0111_migrations_folder_runs_unchanged(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    with_ini: bool,
) -> None:
    project = tmp_path / "project"
    write_legacy_folder(project / "migrations", with_ini=with_ini)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the CLI runs from another folder, as in 0.111 projects
    quiet = logging.getLogger("tests.compat.still-enabled")
    db = SqlDatabase()
    app = make_app(
        EXTENSIONS=[db, Migrate(db)],
        MODELS=[LegacyNote],
        BASE_PATH=str(project),
        SQL_DATABASE={
            "DATABASE_URI": "sqlite+aiosqlite:///./app.db",
            "ALEMBIC_MIGRATION_DIR": "migrations",
            "ALEMBIC_DATABASE_URI_SYNC": "sqlite:///./app.db",
        },
    )

    assert run_cli(app, ["db-upgrade"]) == 0, capsys.readouterr().err
    assert table_columns(project / "app.db", "legacy_notes") == {"id", "body"}
    # fileConfig in env.py disables the loggers it does not name; Migrate undoes that
    assert quiet.disabled is False

    capsys.readouterr()
    assert run_cli(app, ["db-current"]) == 0
    assert "0111aaaa0001" in capsys.readouterr().out

    assert run_cli(app, ["db-migrate", "--message", "add author"]) == 0
    [new] = (project / "migrations" / "versions").glob("*_add_author.py")
    assert "author" in new.read_text(encoding="utf-8")
    assert run_cli(app, ["db-upgrade"]) == 0
    assert table_columns(project / "app.db", "legacy_notes") == {"id", "body", "author"}
    assert not (elsewhere / "app.db").exists()


def test_two_migrates_without_prefix_are_named_as_in_0111(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main_db = SqlDatabase()
    other_db = SqlDatabase(db_name="other_db", configs_name="OTHER_DB")
    main_migrate, other_migrate = Migrate(main_db), Migrate(other_db)
    app = make_app(
        EXTENSIONS=[main_db, other_db, main_migrate, other_migrate],
        BASE_PATH=str(tmp_path),
        SQL_DATABASE={"DATABASE_URI": "sqlite+aiosqlite:///main.db"},
        OTHER_DB={"DATABASE_URI": "sqlite+aiosqlite:///other.db"},
    )
    names = {cmd.name for m in (main_migrate, other_migrate) for cmd in m.cli_commands()}
    assert {"db-init", "db-upgrade", "other-db-init", "other-db-upgrade"} <= names
    assert run_cli(app, ["other-db-upgrade"]) != 0  # a command of its own: not initialised yet
    assert "run `other-db-init` first" in capsys.readouterr().err

    # alone, a Migrate without prefix keeps db-* whatever its database is called
    solo_db = SqlDatabase(db_name="other_db", configs_name="OTHER_DB")
    solo = Migrate(solo_db)
    make_app(
        EXTENSIONS=[solo_db, solo],
        BASE_PATH=str(tmp_path),
        OTHER_DB={"DATABASE_URI": "sqlite+aiosqlite:///other.db"},
    )
    assert "db-init" in {cmd.name for cmd in solo.cli_commands()}
