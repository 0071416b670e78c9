"""docs/topics/admin.md: the answers the page shows."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _token(client: PyJoltTestClient, url: str) -> str:
    found = TOKEN.search((await client.get(url)).text)
    assert found, url
    return found.group(1)


async def test_staff_log_in_and_manage_products(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("BASE_PATH", str(tmp_path))  # shop.db in a folder of the test
    monkeypatch.setenv("AUTHENTICATION", '{"COOKIE_SECURE": false}')
    example = load_example("admin/dashboard.py")
    application = example.Application()
    async with PyJoltTestClient(application) as client:
        await example.db.create_all()
        async with example.db.create_session() as session:
            for email, role in (("sam@shop.example", "staff"), ("cy@shop.example", "customer")):
                hashed = await example.auth.hash_password_async("pw-" + role)
                session.add(example.User(email=email, password=hashed, role=role))
            session.add(example.Product(name="Teapot", price_cents=2500))
            await session.commit()

        res = await client.get("/admin/product/list")
        assert res.status_code == 302 and res.headers["location"].endswith("/admin/login")

        form = {"username": "cy@shop.example", "password": "pw-customer"}
        form["csrf_token"] = await _token(client, "/admin/login")
        assert (await client.post("/admin/login", data=form)).status_code == 302
        assert (await client.get("/admin/")).status_code == 403  # no entry role
        client.cookies.clear()

        form = {"username": "sam@shop.example", "password": "pw-staff"}
        form["csrf_token"] = await _token(client, "/admin/login")
        assert (await client.post("/admin/login", data=form)).status_code == 302
        listed = await client.get("/admin/product/list")
        assert listed.status_code == 200 and "Teapot" in listed.text

        form = {"name": "Kettle", "price_cents": "4000", "save": "Save"}
        form["csrf_token"] = await _token(client, "/admin/product/create")
        assert (await client.post("/admin/product/create", data=form)).status_code == 302
        assert "Kettle" in (await client.get("/admin/product/list")).text

        users = await client.get("/admin/user/list")
        assert "sam@shop.example" in users.text and "argon2" not in users.text
        assert (await client.get("/admin/user/create")).status_code == 403  # owners only
