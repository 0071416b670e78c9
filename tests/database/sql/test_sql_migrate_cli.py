"""The db-* commands through a project's ``cli.py`` (``app.run_cli()``), in a subprocess."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

APP_INIT = """
from pyjolt import PyJolt, app
from app.configs import Config


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
"""

CONFIGS = """
from typing import Any

from pyjolt import BaseConfig


class Config(BaseConfig):
    APP_NAME: str = "migrations"
    DEBUG: bool = False
    SECRET_KEY: str = "a-test-key-kNb1jM9xQv4Lr7sTz2Wc8Yh5Pd3Gf6Ue"
    EXTENSIONS: list[str] = ["app.extensions:db", "app.extensions:migrate"]
    MODELS: list[str] = ["app.models:Gadget"]
    SQL_DATABASE: dict[str, Any] = {section!r}
"""

EXTENSIONS = """
from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.migrate import Migrate

db = SqlDatabase()
migrate = Migrate(db, command_prefix={prefix!r})
"""

MODELS = """
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.database import create_declerative_base

Base = create_declerative_base("db")


class Gadget(Base):
    __tablename__ = "gadgets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
"""

CLI = """
if __name__ == "__main__":
    from app import Application

    Application().run_cli()
"""


def write_project(root: Path, section: dict[str, Any], prefix: str) -> None:
    (root / "app").mkdir(parents=True)
    files = {
        "app/__init__.py": APP_INIT,
        "app/configs.py": CONFIGS.format(section=section),
        "app/extensions.py": EXTENSIONS.format(prefix=prefix),
        "app/models.py": MODELS,
        "cli.py": CLI,
    }
    for name, content in files.items():
        (root / name).write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")


def cli(root: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run(
        [sys.executable, str(root / "cli.py"), *args],
        cwd=cwd or root,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_db_commands_through_run_cli(database: Any, tmp_path: Path) -> None:
    # the in-process tests cover both prefixes on both databases; here one each keeps it quick
    prefix = "" if database.backend == "sqlite" else "shop-"
    root = tmp_path / "project"
    section = database.section(ALEMBIC_MIGRATION_DIR="migrations")
    if database.backend == "sqlite":
        section["DATABASE_URI"] = "sqlite+aiosqlite:///./project.db"  # relative to BASE_PATH
    write_project(root, section, prefix)
    # relative paths are taken from BASE_PATH (the app package): the commands below run from
    # the project folder and from an unrelated folder alike
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    helped = cli(root, "--help")
    assert helped.returncode == 0, helped.stderr
    for name in ("db-init", "db-migrate", "db-upgrade", "db-history", "db-stamp"):
        assert f"{prefix}{name}" in helped.stdout

    early = cli(root, f"{prefix}db-upgrade")
    assert early.returncode != 0
    assert "db-init" in early.stderr

    steps = [
        ([f"{prefix}db-init"], root),
        ([f"{prefix}db-migrate", "--message", "create gadgets"], elsewhere),
        ([f"{prefix}db-upgrade"], elsewhere),
    ]
    for step, cwd in steps:
        done = cli(root, *step, cwd=cwd)
        assert done.returncode == 0, (step, done.stdout, done.stderr)
    assert (root / "app" / "migrations" / "env.py").is_file()
    [revision] = (root / "app" / "migrations" / "versions").glob("*_create_gadgets.py")
    rev_id = revision.name.split("_", 1)[0]
    if database.backend == "sqlite":
        assert (root / "app" / "project.db").is_file()
        assert not (elsewhere / "project.db").exists()
    assert not (elsewhere / "migrations").exists()

    history = cli(root, f"{prefix}db-history", "--verbose", "--indicate-current", cwd=elsewhere)
    assert history.returncode == 0, history.stderr
    assert rev_id in history.stdout
    assert "(current)" in history.stdout
    assert "create gadgets" in history.stdout

    current = cli(root, f"{prefix}db-current", "--verbose")
    assert current.returncode == 0, current.stderr
    assert rev_id in current.stdout

    down = cli(root, f"{prefix}db-downgrade", "--revision", "base")
    assert down.returncode == 0, down.stderr
    current = cli(root, f"{prefix}db-current")
    assert rev_id not in current.stdout
