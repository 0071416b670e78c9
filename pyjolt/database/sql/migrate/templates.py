"""Files that ``db-init`` writes into the migrations folder."""

from __future__ import annotations

ENV_PY = '''"""Alembic environment written by PyJolt's db-init.

Run migrations through the app's CLI (``python cli.py db-upgrade``): it passes the database URL,
the models' metadata (MODELS) and the engine options to this file. Edit freely.
"""

from alembic import context

from pyjolt.database.sql.migrate.environment import current_environment

config = context.config
environment = current_environment(config.attributes)


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``--sql`` mode)."""
    context.configure(
        url=environment.sync_url or environment.url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **environment.configure_options(),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection):
    context.configure(connection=connection, **environment.configure_options())
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    environment.run_online(do_run_migrations)
'''

SCRIPT_PY_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

README = """Migrations of database {db_name!r} (Alembic, written by PyJolt's {stem}init).

    python cli.py {stem}migrate --message "add users"   # write a revision (autogenerate)
    python cli.py {stem}upgrade                         # apply it
    python cli.py {stem}downgrade --revision -1         # undo the last one
    python cli.py {stem}history --verbose --indicate-current
    python cli.py {stem}current / {stem}heads / {stem}show / {stem}stamp

Autogenerate compares the database with the models listed in MODELS. Review every revision
in versions/ before applying it.
"""
