"""Which models show, who may enter when, and what the app's own login cookie does."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.admin import AdminDashboard, register_model
from pyjolt.database.sql import SqlDatabase, create_declarative_base
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.security.checks import deploy_findings
from pyjolt.testing import PyJoltTestClient, make_app
from tests.admin.admin_app import SECRET, auth, create_app, jobs, lite, pg
from tests.admin.client import login, token

RegBase = create_declarative_base("admin_registered")


@register_model(name_plural="Things on show")
class Shown(RegBase):
    __tablename__ = "shown"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20))


class Hidden(RegBase):
    __tablename__ = "hidden"
    id: Mapped[int] = mapped_column(primary_key=True)


async def test_no_entry_role_and_debug_off_closes_the_dashboard(sqlite_only_path: str) -> None:
    dashboard = AdminDashboard()
    app = create_app(
        sqlite_only_path,
        EXTENSIONS=[lite, pg, auth, jobs, dashboard],
        ADMIN={"USER_MODEL": "tests.admin.admin_app:AdminUser"},
    )
    (finding,) = [f for f in deploy_findings(app) if f.id.startswith("admin.")]
    assert finding.id == "admin.W001" and "ROLES" in finding.message and "ROLES" in finding.fix
    async with PyJoltTestClient(app) as client:
        res = await client.post(
            "/admin/login",
            data={"username": "alice", "password": "alice-pw", "csrf_token": "x"},
        )
        assert res.status_code == 403
        client.cookies.set("auth_cookie", auth.tokens.encode(1))  # alice, logged in by the app
        res = await client.get("/admin/")
        assert res.status_code == 403 and "ROLES" in res.text


async def test_no_entry_role_with_debug_on_lets_any_user_in(sqlite_only_path: str) -> None:
    app = create_app(
        sqlite_only_path,
        debug=True,
        EXTENSIONS=[lite, pg, auth, AdminDashboard()],
        ADMIN={"USER_MODEL": "tests.admin.admin_app:AdminUser"},
    )
    async with PyJoltTestClient(app) as client:
        assert (await client.get("/admin/")).status_code == 302  # still a login
        await login(client, "bob")  # a user without any role
        assert (await client.get("/admin/gadget/list")).status_code == 200


async def test_roles_configured_means_no_finding(sqlite_only_path: str) -> None:
    app = create_app(sqlite_only_path)
    assert not [f for f in deploy_findings(app) if f.id.startswith("admin.")]


async def test_the_apps_own_login_cookie_opens_the_dashboard(sqlite_only_path: str) -> None:
    app = create_app(sqlite_only_path)
    async with PyJoltTestClient(app) as client:
        client.cookies.set("auth_cookie", auth.tokens.encode(1))  # alice
        res = await client.get("/admin/gadget/list")
        assert res.status_code == 200 and "sprocket" in res.text
        client.cookies.set("auth_cookie", auth.tokens.encode(1) + "tampered")
        assert (await client.get("/admin/gadget/list")).status_code == 302


async def test_logout_ends_the_apps_login(sqlite_only_path: str) -> None:
    async with PyJoltTestClient(create_app(sqlite_only_path)) as client:
        await login(client, "alice")
        assert (await client.get("/admin/")).status_code == 200
        res = await client.get("/admin/logout")
        assert res.status_code == 302 and res.headers["location"].endswith("/admin/login")
        assert (await client.get("/admin/")).status_code == 302


def test_without_authentication_debug_off_stops_the_build(sqlite_only_path: str) -> None:
    with pytest.raises(ConfigurationError, match="needs the app's Authentication"):
        create_app(sqlite_only_path, EXTENSIONS=[lite, pg, AdminDashboard()])


async def test_without_authentication_in_debug_the_dashboard_is_open(
    sqlite_only_path: str,
) -> None:
    app = create_app(sqlite_only_path, debug=True, EXTENSIONS=[lite, pg, AdminDashboard()])
    async with PyJoltTestClient(app) as client:
        listed = await client.get("/admin/gadget/list")
        assert listed.status_code == 200 and "widget" in listed.text
        form = {"name": "dev", "price": "1", "save": "Save"}
        assert (await client.post("/admin/gadget/create", data=form)).status_code == 403
        form["csrf_token"] = await token(client, "/admin/gadget/create")
        assert (await client.post("/admin/gadget/create", data=form)).status_code == 302


async def test_registered_models_only_and_their_options() -> None:
    db = SqlDatabase("admin_registered", "REG_DATABASE")
    app = make_app(
        DEBUG=True,
        SECRET_KEY=SECRET,
        EXTENSIONS=[db, AdminDashboard()],
        REG_DATABASE={"DATABASE_URI": "sqlite+aiosqlite:///:memory:"},
    )
    async with PyJoltTestClient(app) as client:
        await db.create_all(RegBase)
        assert (await client.get("/admin/shown/list")).status_code == 200
        assert (await client.get("/admin/hidden/list")).status_code == 404
        page = await client.get("/admin/shown/list")
        assert "Things on show" in page.text  # the option given to register_model


async def test_models_config_and_register_model_method(sqlite_only_path: str) -> None:
    listed = AdminDashboard()
    app = create_app(
        sqlite_only_path,
        EXTENSIONS=[lite, pg, auth, listed],
        ADMIN={
            "ROLES": ["admin"],
            "MODELS": ["tests.admin.admin_app:Note"],
            "USER_MODEL": "tests.admin.admin_app:AdminUser",
        },
    )
    async with PyJoltTestClient(app) as client:
        await login(client, "alice")
        assert (await client.get("/admin/note/list")).status_code == 200
        assert (await client.get("/admin/gadget/list")).status_code == 404

    from tests.admin.admin_app import Gadget

    chosen = AdminDashboard()
    chosen.register_model(Gadget)
    app = create_app(sqlite_only_path, EXTENSIONS=[lite, pg, auth, chosen])
    async with PyJoltTestClient(app) as client:
        await login(client, "alice")
        assert (await client.get("/admin/gadget/list")).status_code == 200
        assert (await client.get("/admin/note/list")).status_code == 404


def test_bad_model_in_config_is_named(sqlite_only_path: str) -> None:
    with pytest.raises(ConfigurationError, match=r"ADMIN\['MODELS'\]\[0\]"):
        create_app(sqlite_only_path, ADMIN={"ROLES": ["admin"], "MODELS": [int]})


def test_two_models_with_one_name_are_reported() -> None:
    first: Any = create_declarative_base("admin_dup_a")
    second: Any = create_declarative_base("admin_dup_b")

    class Thing(first):
        __tablename__ = "things"
        id: Mapped[int] = mapped_column(primary_key=True)

    class OtherThing(second):
        __tablename__ = "things"
        id: Mapped[int] = mapped_column(primary_key=True)

    OtherThing.__name__ = "Thing"  # the same class name in the second database
    databases = {f"DUP_{x.upper()}": {"DATABASE_URI": "sqlite+aiosqlite:///:memory:"} for x in "ab"}
    extensions = [SqlDatabase(f"admin_dup_{x}", f"DUP_{x.upper()}") for x in "ab"]
    with pytest.raises(ConfigurationError, match="both show as 'thing'"):
        make_app(DEBUG=True, EXTENSIONS=[*extensions, AdminDashboard()], **databases)
