"""0.111 names of the batteries: ``DeclarativeBaseModel`` (models on two databases),
``db.managed_session_for_cli`` and ``pyjolt.email.EmailConfig``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt import BaseConfig, PyJolt, app
from pyjolt.cli import CLIController, argument, command
from pyjolt.cli.runner import run_cli
from pyjolt.database.sql import AsyncSession, SqlDatabase
from pyjolt.email import EmailClient
from pyjolt.testing import PyJoltTestClient, make_app
from tests.database.sql.support import sqlite_tables

with pytest.warns(DeprecationWarning, match=r"DeclarativeBaseModel.*create_declarative_base"):
    from pyjolt.database.sql import DeclarativeBaseModel
with pytest.warns(DeprecationWarning, match=r"EmailConfig.*EmailClientConfig"):
    from pyjolt.email import EmailConfig


class MainModel(DeclarativeBaseModel):
    """The per-database base a 0.111 app writes once."""

    __abstract__ = True
    __db_name__ = "db"


class Account(MainModel):
    __tablename__ = "compat_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(50))

    class Meta:
        exclude_from_table = ["email"]


class AuditEntry(DeclarativeBaseModel):
    """A model naming its database itself."""

    __tablename__ = "compat_audit"
    __db_name__ = "audit"
    __db_configs_name__ = "AUDIT_DATABASE"
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(30))


def test_a_concrete_model_must_name_its_database() -> None:
    with pytest.raises(TypeError, match="__db_name__"):

        class Orphan(DeclarativeBaseModel):
            __tablename__ = "compat_orphans"
            id: Mapped[int] = mapped_column(primary_key=True)


async def test_models_on_two_databases(tmp_path: Path) -> None:
    main, audit = SqlDatabase(), SqlDatabase(db_name="audit", configs_name="AUDIT_DATABASE")
    application = make_app(
        EXTENSIONS=[main, audit],
        MODELS=[Account, AuditEntry],
        SQL_DATABASE={"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'main.db'}"},
        AUDIT_DATABASE={"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}"},
    )
    assert Account.metadata is not AuditEntry.metadata
    assert Account.Meta.exclude_from_table == ["email"]
    assert MainModel.Meta.exclude_from_create_form == []
    async with PyJoltTestClient(application):
        await main.create_all()
        await audit.create_all()
        async with main.session_scope() as session:
            session.add(Account(email="ada@example.com"))
        async with audit.session_scope() as session:
            session.add(AuditEntry(action="signup"))
        async with main.readonly_scope() as session:
            [account] = await Account.query(session).all()
            assert account.email == "ada@example.com"
        async with audit.readonly_scope() as session:
            assert await AuditEntry.query(session).filter_by(action="signup").count() == 1
    # each database has its own tables only
    assert sqlite_tables(tmp_path / "main.db") == {"compat_accounts"}
    assert sqlite_tables(tmp_path / "audit.db") == {"compat_audit"}


db = SqlDatabase()


class Tools(CLIController):
    @command("add-account", help="Add an account")
    @argument("email", arg_type=str, description="Address")
    async def add_account(self, email: str, session: AsyncSession | None = None) -> None:
        assert session is not None
        session.add(Account(email=email))
        print(f"added {email}")


with pytest.warns(DeprecationWarning, match=r"managed_session_for_cli.*@db\.managed_session"):
    Tools.add_account = db.managed_session_for_cli(Tools.add_account)  # type: ignore[method-assign]


async def count_accounts() -> int:
    async with db.readonly_scope() as session:
        return await Account.query(session).count()


def test_managed_session_for_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    uri = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"

    class Config(BaseConfig):
        EXTENSIONS = [db]
        MODELS = [Account]
        CLI_CONTROLLERS = [Tools]
        SQL_DATABASE = {"DATABASE_URI": uri}

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    application = Application()
    import asyncio

    async def prepare_and_call_directly() -> int:
        # no lifespan: the decorator starts the engine, commits and stops it again
        await db.startup()
        await db.create_all()
        await db.shutdown()
        await Tools(application).add_account("direct@example.com")
        with pytest.raises(RuntimeError):
            db.engine  # noqa: B018 - stopped again
        await db.startup()
        try:
            return await count_accounts()
        finally:
            await db.shutdown()

    assert asyncio.run(prepare_and_call_directly()) == 1
    # through the CLI: the lifespan has started the database; the session is still injected
    assert run_cli(application, ["add-account", "cli@example.com"]) == 0
    assert "added cli@example.com" in capsys.readouterr().out
    connection = sqlite3.connect(tmp_path / "cli.db")
    try:
        emails = {row[0] for row in connection.execute("SELECT email FROM compat_accounts")}
    finally:
        connection.close()
    assert emails == {"direct@example.com", "cli@example.com"}


def test_email_config_annotates_the_section() -> None:
    client = EmailClient()

    class Config(BaseConfig):
        EXTENSIONS = [client]
        EMAIL_CLIENT: EmailConfig = {  # type: ignore[typeddict-unknown-key]
            "SENDER_NAME_OR_ADDRESS": "App <noreply@example.com>",
            "SMTP_SERVER": "127.0.0.1",
            "SMTP_PORT": 2525,
            "USE_TLS": False,
            "TIMEOUT": 5,  # a current key the 0.111 type does not list is kept
        }

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    Application()
    assert client.config.SMTP_PORT == 2525
    assert client.config.TIMEOUT == 5
    assert client.config.USE_TLS is False
