"""Driving the dashboard over HTTP: log in, read CSRF tokens, count rows."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from tests.admin.admin_app import Gadget, pg

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def token(client: Any, url: str = "/admin/login") -> str:
    """The CSRF token of the form on ``url``."""
    res = await client.get(url)
    assert res.status_code == 200, (url, res.status_code, res.text[:300])
    found = TOKEN.search(res.text)
    assert found, f"no CSRF token in the form of {url}"
    return found.group(1)


async def submit(client: Any, url: str, form: dict[str, str], **kwargs: Any) -> Any:
    """Post ``form`` to ``url`` with the CSRF token of the form served there."""
    return await client.post(url, data={**form, "csrf_token": await token(client, url)}, **kwargs)


async def save(client: Any, url: str, **fields: str) -> Any:
    """Fill the create or edit form on ``url`` with ``fields`` and press Save."""
    return await submit(client, url, {**fields, "save": "Save"})


async def login(client: Any, username: str, password: str | None = None) -> Any:
    data = {"username": username, "password": password or f"{username}-pw"}
    return await submit(client, "/admin/login", data)


async def gadgets() -> dict[str, int]:
    """name -> price of every gadget, read through the app's own engine."""
    async with pg.engine.connect() as conn:
        rows = await conn.execute(select(Gadget.name, Gadget.price))
        return {row.name: row.price for row in rows}


async def gadget_id(name: str) -> int:
    async with pg.engine.connect() as conn:
        value = await conn.scalar(select(Gadget.id).where(Gadget.name == name))
        assert isinstance(value, int), name
        return value


async def gadget_count() -> int:
    async with pg.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(Gadget)) or 0)
