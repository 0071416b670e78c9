"""An admin dashboard for the app's models, behind the app's own logins."""

import os

from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pyjolt import BaseConfig, PyJolt, app
from pyjolt.admin import AdminDashboard
from pyjolt.auth import Authentication
from pyjolt.database.sql import SqlDatabase, SqlModel
from pyjolt.request import AnyRequest


class Base(SqlModel, DeclarativeBase):
    __db_name__ = "shop"  # the models of the SqlDatabase of this name


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(100), unique=True)
    password: Mapped[str] = mapped_column(String(200))  # Authentication.create_password_hash
    role: Mapped[str] = mapped_column(String(20), default="customer")

    @property
    def roles(self) -> list[str]:  # what Authentication.role_check compares
        return [self.role]


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    price_cents: Mapped[int]


db = SqlDatabase("shop")


class Auth(Authentication):
    async def user_loader(self, req: AnyRequest) -> User | None:
        user_id = self.cookie_user_id(req)  # the app's login cookie (the dashboard sets it too)
        if user_id is None:
            return None
        async with db.create_session() as session:
            return await session.scalar(select(User).where(User.id == int(user_id)))


auth = Auth()
admin = AdminDashboard()  # after the extensions it shows


class Config(BaseConfig):
    APP_NAME: str = "Shop"
    BASE_PATH: str = os.path.dirname(__file__)
    # SECRET_KEY comes from the environment (at least 32 random characters)
    EXTENSIONS: list[object] = [db, auth, admin]
    SQL_DATABASE: dict[str, object] = {"DATABASE_URI": "sqlite+aiosqlite:///./shop.db"}
    ADMIN: dict[str, object] = {
        "ROLES": ["staff", "owner"],  # who may enter
        "USER_MODEL": User,  # the login form looks users up here...
        "USERNAME_FIELD": "email",  # ...by email, checking the "password" hash
        "PERMISSIONS": {"User": {"create": ["owner"], "edit": ["owner"], "delete": ["owner"]}},
        "MODEL_OPTIONS": {
            "User": {"column_exclude_list": ["password"], "read_only": ["email"]},
            "Product": {"column_searchable_list": ["name"], "column_default_sort": "name"},
        },
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
