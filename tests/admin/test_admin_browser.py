"""The dashboard in a real headless Chromium against uvicorn, gadgets in PostgreSQL: login,
list, create, edit, delete (sqladmin's own script), invalid input, 403 without the role,
anonymous visitors sent to the login page, a POST without the CSRF token refused."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.admin.admin_app import Gadget
from tests.admin.browser import Page, open_page
from tests.services import POSTGRES_URL, chromium_binary

APP = "tests.admin.admin_app:create_app_from_env"


@pytest.fixture
def server(uvicorn_server: Callable[..., str], sqlite_path: str, pg_schema: str) -> str:
    chromium_binary()  # skip (or fail under PYJOLT_REQUIRE_SERVICES=1) before starting anything
    env = {"ADMIN_TEST_SQLITE": sqlite_path, "ADMIN_TEST_PG_SCHEMA": pg_schema}
    return uvicorn_server(APP, "--factory", "--log-level", "warning", env=env)


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with open_page() as tab:
        yield tab


async def _gadgets(schema: str) -> dict[str, int]:
    """The gadget table, read straight from PostgreSQL."""
    engine = create_async_engine(
        POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(Gadget.name, Gadget.price))
            return {row.name: row.price for row in rows}
    finally:
        await engine.dispose()


async def _login(page: Page, server: str, username: str) -> None:
    await page.goto(f"{server}/admin/login")
    await page.submit_and_wait(
        f"document.getElementById('username').value = {json.dumps(username)};"
        f"document.getElementById('password').value = {json.dumps(username + '-pw')};"
        "document.querySelector('form button[type=submit]').click()"
    )


def _fill(fields: dict[str, str]) -> str:
    return "".join(
        f"document.querySelector('[name={name}]').value = {json.dumps(value)};"
        for name, value in fields.items()
    )


async def test_admin_lists_creates_edits_and_deletes_in_postgresql(
    server: str, page: Page, pg_schema: str
) -> None:
    await page.goto(f"{server}/admin/gadget/list")
    assert await page.path() == "/admin/login"  # anonymous: sent to the login page

    await _login(page, server, "alice")
    assert await page.path() == "/admin/"
    await page.goto(f"{server}/admin/gadget/list")
    listed = await page.text()
    assert "sprocket" in listed and "widget" in listed

    await page.goto(f"{server}/admin/gadget/create")
    await page.submit_and_wait(
        _fill({"name": "gizmo", "price": "7"})
        + "document.querySelector('input[name=save][value=Save]').click()"
    )
    assert await page.path() == "/admin/gadget/list"
    assert "gizmo" in await page.text()
    assert (await _gadgets(pg_schema))["gizmo"] == 7

    pk = await page.eval(
        "[...document.querySelectorAll('tr')].find(r => r.innerText.includes('gizmo'))"
        ".querySelector('a[href*=\"/edit/\"]').href.split('/').pop()"
    )
    await page.goto(f"{server}/admin/gadget/edit/{pk}")
    await page.submit_and_wait(
        _fill({"price": "9"}) + "document.querySelector('input[name=save][value=Save]').click()"
    )
    assert (await _gadgets(pg_schema))["gizmo"] == 9

    # delete with sqladmin's own modal and script (a DELETE request)
    await page.goto(f"{server}/admin/gadget/list")
    await page.eval(f"document.querySelector('a[data-url$=\"pks={pk}\"]').click()")
    await page.wait_for("document.querySelector('#modal-delete-button').dataset.url")
    await page.submit_and_wait("document.querySelector('#modal-delete-button').click()")
    assert "gizmo" not in await page.text()
    assert "gizmo" not in await _gadgets(pg_schema)


async def test_invalid_input_shows_field_errors_and_writes_nothing(
    server: str, page: Page, pg_schema: str
) -> None:
    await _login(page, server, "alice")
    before = await _gadgets(pg_schema)
    await page.goto(f"{server}/admin/gadget/create")
    # past the browser's own checks (required, type=number): the server's are tested
    await page.eval(
        "for (const el of document.querySelectorAll('input')) el.removeAttribute('required');"
        "document.querySelector('[name=price]').type = 'text'"
    )
    await page.submit_and_wait(
        _fill({"name": "", "price": "lots"})
        + "document.querySelector('input[name=save][value=Save]').click()"
    )
    shown = await page.text()
    assert "This field is required." in shown and "Not a valid integer value." in shown
    assert await _gadgets(pg_schema) == before


async def test_post_without_the_csrf_token_is_refused(
    server: str, page: Page, pg_schema: str
) -> None:
    await _login(page, server, "alice")
    await page.goto(f"{server}/admin/gadget/list")
    status = await page.eval(
        "fetch('/admin/gadget/create', {method: 'POST', body: new URLSearchParams("
        "{name: 'forged', price: '1', save: 'Save'})}).then(r => r.status)"
    )
    assert status == 403
    assert "forged" not in await _gadgets(pg_schema)


async def test_user_without_the_role_gets_403(server: str, page: Page) -> None:
    await _login(page, server, "bob")
    assert await page.eval("fetch('/admin/gadget/list').then(r => r.status)") == 403
    await page.goto(f"{server}/admin/")
    assert "403" in await page.text()


async def test_scheduler_page_pauses_and_resumes_a_job(server: str, page: Page) -> None:
    await _login(page, server, "alice")
    await page.goto(f"{server}/admin/scheduler")
    row = "document.querySelector('tr[data-job=\"hourly-report\"]')"
    assert await page.eval(f"{row}.querySelector('.next-run').innerText") != "paused"
    await page.submit_and_wait(f"{row}.querySelector('button[value=pause]').click()")
    # the page reads the job from the server's scheduler: no next run while paused
    assert "pause: hourly-report" in await page.text()
    assert await page.eval(f"{row}.querySelector('.next-run').innerText") == "paused"
    await page.submit_and_wait(f"{row}.querySelector('button[value=resume]').click()")
    assert await page.eval(f"{row}.querySelector('.next-run').innerText") != "paused"
