"""The dashboard through the HTTP test client, with the gadgets in PostgreSQL and in SQLite:
login, list (search, sort), create, edit, delete, roles, CSRF, invalid forms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.admin.admin_app import create_app
from tests.admin.client import gadget_count, gadget_id, gadgets, login, save, token


@pytest.fixture
async def client(gadget_schema: str | None, sqlite_only_path: str) -> AsyncIterator[Any]:
    """A test client of the app; the gadgets' database is PostgreSQL or a second SQLite."""
    app = create_app(sqlite_only_path, gadget_schema)
    async with PyJoltTestClient(app) as test_client:
        yield test_client


async def test_anonymous_visitor_is_sent_to_the_login_page(client: Any) -> None:
    for url in ("/admin/", "/admin/gadget/list", "/admin/gadget/create"):
        res = await client.get(url)
        assert res.status_code == 302 and res.headers["location"].endswith("/admin/login")


async def test_admin_lists_searches_and_sorts_rows(client: Any) -> None:
    res = await login(client, "alice")
    assert res.status_code == 302 and res.headers["location"].endswith("/admin/")
    listed = await client.get("/admin/gadget/list")
    assert listed.status_code == 200
    assert "sprocket" in listed.text and "widget" in listed.text
    found = await client.get("/admin/gadget/list", params={"search": "sprock"})
    assert "sprocket" in found.text and "widget" not in found.text
    by_price = await client.get("/admin/gadget/list", params={"sortBy": "price", "sort": "desc"})
    assert by_price.text.index("widget") < by_price.text.index("sprocket")
    by_price = await client.get("/admin/gadget/list", params={"sortBy": "price", "sort": "asc"})
    assert by_price.text.index("sprocket") < by_price.text.index("widget")


async def test_admin_creates_edits_and_deletes_a_row(client: Any) -> None:
    await login(client, "alice")
    res = await save(client, "/admin/gadget/create", name="gizmo", price="7")
    assert res.status_code == 302, res.text[:500]
    assert (await gadgets())["gizmo"] == 7
    pk = await gadget_id("gizmo")
    res = await save(client, f"/admin/gadget/edit/{pk}", name="gizmo", price="9")
    assert res.status_code == 302, res.text[:500]
    assert (await gadgets())["gizmo"] == 9
    csrf = await token(client, f"/admin/gadget/edit/{pk}")
    res = await client.delete(
        "/admin/gadget/delete", params={"pks": pk}, headers={"X-CSRF-Token": csrf}
    )
    assert res.status_code == 200
    assert "gizmo" not in await gadgets()


async def test_posts_and_deletes_without_the_csrf_token_are_refused(client: Any) -> None:
    await login(client, "alice")
    before = await gadget_count()
    form = {"name": "forged", "price": "1", "save": "Save"}
    res = await client.post("/admin/gadget/create", data=form)
    assert res.status_code == 403 and "CSRF" in res.text
    res = await client.post("/admin/gadget/create", data={**form, "csrf_token": "guess"})
    assert res.status_code == 403
    pk = await gadget_id("widget")
    res = await client.delete("/admin/gadget/delete", params={"pks": pk})
    assert res.status_code == 403
    # a page of another site, even with a valid token
    good = await token(client, "/admin/gadget/create")
    res = await client.post(
        "/admin/gadget/create",
        data={**form, "csrf_token": good},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert res.status_code == 403
    assert await gadget_count() == before
    # the login form too
    res = await client.post("/admin/login", data={"username": "alice", "password": "alice-pw"})
    assert res.status_code == 403


async def test_the_browser_script_delete_passes_with_its_same_origin_proof(client: Any) -> None:
    await login(client, "alice")
    pk = await gadget_id("widget")
    res = await client.delete(
        "/admin/gadget/delete", params={"pks": pk}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert res.status_code == 200
    assert "widget" not in await gadgets()


async def test_invalid_form_shows_field_errors_and_writes_nothing(client: Any) -> None:
    await login(client, "alice")
    before = await gadgets()
    res = await save(client, "/admin/gadget/create", name="", price="lots")
    assert res.status_code == 400
    assert "This field is required." in res.text
    assert "Not a valid integer value." in res.text
    assert await gadgets() == before
    pk = await gadget_id("widget")
    res = await save(client, f"/admin/gadget/edit/{pk}", name="widget", price="-x-")
    assert res.status_code == 400 and "Not a valid integer value." in res.text
    assert await gadgets() == before


async def test_per_model_permissions_by_role(client: Any) -> None:
    await login(client, "vic")  # viewer: may view gadgets, not change them
    assert (await client.get("/admin/gadget/list")).status_code == 200
    pk = await gadget_id("widget")
    assert (await client.get(f"/admin/gadget/details/{pk}")).status_code == 200
    assert (await client.get("/admin/gadget/create")).status_code == 403
    assert (await client.get(f"/admin/gadget/edit/{pk}")).status_code == 403
    csrf = await token(client, "/admin/note/create")  # notes: no rule, so every entry role
    res = await client.delete(
        "/admin/gadget/delete", params={"pks": pk}, headers={"X-CSRF-Token": csrf}
    )
    assert res.status_code == 403
    res = await client.post(
        "/admin/gadget/create", data={"name": "v", "price": "1", "save": "Save", "csrf_token": csrf}
    )
    assert res.status_code == 403
    assert "widget" in await gadgets()
    # the scheduler page is for admins only
    assert (await client.get("/admin/scheduler")).status_code == 403


async def test_user_without_an_entry_role_gets_403(client: Any) -> None:
    res = await login(client, "bob")
    assert res.status_code == 302
    for url in ("/admin/", "/admin/gadget/list", "/admin/note/list"):
        assert (await client.get(url)).status_code == 403


async def test_wrong_password_or_unknown_user_logs_nobody_in(client: Any) -> None:
    for name, password in (("alice", "nope"), ("nobody", "nobody-pw")):
        res = await login(client, name, password)
        assert res.status_code == 400 and "Invalid credentials" in res.text
        assert "auth_cookie" not in res.headers.get("set-cookie", "")
    assert (await client.get("/admin/")).status_code == 302


async def test_second_database_models_are_edited_too(client: Any) -> None:
    await login(client, "alice")
    listed = await client.get("/admin/note/list")
    assert listed.status_code == 200 and "first note" in listed.text
    assert (await save(client, "/admin/note/create", title="", body="x")).status_code == 400
    res = await save(client, "/admin/note/create", title="second note", body="x")
    assert res.status_code == 302
    assert "second note" in (await client.get("/admin/note/list")).text
    # config options: the password hashes stay out of the users' table
    users = await client.get("/admin/admin-user/list")
    assert users.status_code == 200 and "alice" in users.text and "argon2" not in users.text
