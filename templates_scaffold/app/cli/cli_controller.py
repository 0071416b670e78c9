"""Commands of cli.py (registered in Config.CLI_CONTROLLERS); run ``python cli.py --help``."""

import getpass
import sys

from pyjolt.auth import hash_password_async
from pyjolt.cli import CLIController, CommandError, argument, command
from sqlalchemy.exc import IntegrityError

from app.api.models.user_model import User
from app.extensions import db


class UtilityCLIController(CLIController):
    """Maintenance commands."""

    @command("greet", help="Greet a user with a message.")
    @argument("name", arg_type=str, description="The name of the user to greet.")
    async def greet(self, name: str) -> None:
        print(f"Hello, {name}! Welcome to {self.app.app_name}.")

    @command("create-user", help="Add a user to the database.")
    @argument("email", arg_type=str, description="E-mail address.")
    @argument("fullname", arg_type=str, description="Full name.")
    async def create_user(self, email: str, fullname: str) -> None:
        async with db.create_session() as session:
            session.add(User(email=email, fullname=fullname))
            try:
                await session.commit()
            except IntegrityError as exc:
                raise CommandError(f"a user with e-mail {email!r} already exists") from exc
        print(f"Created user {email}.")

    @command("set-password", help="Set a user's login password (asked for, or read from stdin).")
    @argument("email", arg_type=str, description="E-mail address of the user.")
    async def set_password(self, email: str) -> None:
        # never a command-line argument: it would stay in the shell's history
        if sys.stdin.isatty():
            password = getpass.getpass("New password: ")
            if getpass.getpass("Again: ") != password:
                raise CommandError("the passwords differ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        if len(password) < 8:
            raise CommandError("the password needs at least 8 characters")
        async with db.session_scope() as session:
            user = await User.query(session).filter_by(email=email).first()
            if user is None:
                raise CommandError(f"no user with e-mail {email!r}")
            user.password_hash = await hash_password_async(password)
        print(f"Password set for {email}.")
