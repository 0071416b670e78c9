"""CLI commands in 0.111 style: --option arguments and managed_session_for_cli."""

from pyjolt.auth import AuthUtils
from pyjolt.cli import CLIController, argument, command
from pyjolt.database.sql import AsyncSession
from tests.compat.legacy_app.extensions import db, other_db
from tests.compat.legacy_app.models import AuditEntry, User


class UtilityCLI(CLIController):
    @command("create-admin", help="Create an administrator.")
    @argument("--email", arg_type=str, description="Email address of the admin.")
    @argument("--password", arg_type=str, description="Password of the admin.")
    @db.managed_session_for_cli
    async def create_admin(self, email: str, password: str, session: AsyncSession) -> None:
        admin = User(email=email, password=AuthUtils.create_password_hash(password))
        admin.role = "admin"
        session.add(admin)
        print(f"Admin {email} created")

    @command("log-action", help="Write an entry into the audit log.")
    @argument("--action", arg_type=str, description="What happened.")
    @argument("--times", arg_type=int, description="How many entries.", default=1)
    @other_db.managed_session_for_cli
    async def log_action(self, action: str, times: int, audit_session: AsyncSession) -> None:
        for _ in range(times):
            audit_session.add(AuditEntry(action=action))
        print(f"Logged {action!r} {times} time(s)")
