"""The email and task-queue pages; model options from PyJolt 0.111's ``Meta`` and
``read_only``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.admin import AdminDashboard
from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.legacy import DeclarativeBaseModel
from pyjolt.email import EmailClient
from pyjolt.task_queue import TaskFailedError, TaskQueue
from pyjolt.testing import PyJoltTestClient, make_app
from tests.admin.admin_app import auth, create_app, lite, pg
from tests.admin.client import gadget_id, gadgets, login, save, submit
from tests.email.conftest import StartServer

mailer = EmailClient()
queue = TaskQueue()


@queue.task(name="admin.explode")
async def explode(code: int) -> None:
    raise RuntimeError(f"kaput {code}")


class Part(DeclarativeBaseModel):
    __db_name__ = "admin_legacy"
    __tablename__ = "parts"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    secret: Mapped[str] = mapped_column(String(20))
    qty: Mapped[int] = mapped_column(Integer)

    class Meta(DeclarativeBaseModel.Meta):
        exclude_from_table = ["secret"]
        custom_labels = {"qty": "Quantity on hand"}
        exclude_from_update_form = ["code"]


@pytest.fixture
async def client(sqlite_only_path: str, smtp_server: StartServer) -> AsyncIterator[Any]:
    server = smtp_server()
    app = create_app(
        sqlite_only_path,
        EXTENSIONS=[lite, pg, auth, mailer, queue, AdminDashboard()],
        EMAIL_CLIENT={
            "SENDER_NAME_OR_ADDRESS": "admin@example.com",
            "SMTP_SERVER": server.host,
            "SMTP_PORT": server.port,
            "USE_TLS": False,
        },
        ADMIN={
            "ROLES": ["admin", "viewer"],
            "USER_MODEL": "tests.admin.admin_app:AdminUser",
            "PAGES": {"email": ["admin"]},
            "MODEL_OPTIONS": {"Gadget": {"read_only": ["name"]}},
        },
    )
    async with PyJoltTestClient(app) as test_client:
        test_client.smtp = server
        yield test_client


async def test_email_page_sends_a_test_message(client: Any) -> None:
    await login(client, "alice")
    page = await client.get("/admin/email")
    assert page.status_code == 200 and "admin@example.com" in page.text
    form = {"to": "ops@example.com", "subject": "Hello from admin", "body": "It works"}
    res = await submit(client, "/admin/email", form, follow_redirects=True)
    assert "Sent to ops@example.com" in res.text
    (received,) = client.smtp.recorder.received
    assert received.rcpt_tos == ["ops@example.com"]
    assert received.message["Subject"] == "Hello from admin"
    # without the token nothing is sent
    res = await client.post("/admin/email", data={**form, "csrf_token": ""})
    assert res.status_code == 403 and len(client.smtp.recorder.received) == 1


async def test_email_page_is_for_its_roles_only(client: Any) -> None:
    await login(client, "vic")
    assert (await client.get("/admin/email")).status_code == 403
    assert (await client.get("/admin/task-queue")).status_code == 200  # no rule: entry roles


async def test_task_queue_page_lists_recent_failures(client: Any) -> None:
    handle = await explode.enqueue(42)
    with pytest.raises(TaskFailedError):
        await handle.result(timeout=10)
    await login(client, "alice")
    page = await client.get("/admin/task-queue")
    assert page.status_code == 200
    assert "admin.explode" in page.text and "RuntimeError: kaput 42" in page.text
    assert handle.task_id in page.text


async def test_read_only_columns_are_shown_but_not_edited(client: Any) -> None:
    await login(client, "alice")
    pk = await gadget_id("widget")
    edit = await client.get(f"/admin/gadget/edit/{pk}")
    assert 'name="price"' in edit.text and 'name="name"' not in edit.text
    assert 'name="name"' in (await client.get("/admin/gadget/create")).text
    res = await save(client, f"/admin/gadget/edit/{pk}", name="renamed", price="11")
    assert res.status_code == 302
    assert (await gadgets())["widget"] == 11 and "renamed" not in await gadgets()


async def test_legacy_meta_options_apply() -> None:
    db = SqlDatabase("admin_legacy", "LEGACY_DATABASE")
    app = make_app(
        DEBUG=True,
        SECRET_KEY="x" * 40,
        EXTENSIONS=[db, AdminDashboard()],
        LEGACY_DATABASE={"DATABASE_URI": "sqlite+aiosqlite:///:memory:"},
    )
    async with PyJoltTestClient(app) as client:
        await db.create_all(Part)
        async with db.engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO parts (code, secret, qty) VALUES ('P-1', 'hush', 4)")
            )
        listed = await client.get("/admin/part/list")
        assert "Quantity on hand" in listed.text and "P-1" in listed.text
        assert "hush" not in listed.text
        assert 'name="code"' in (await client.get("/admin/part/create")).text
        assert 'name="code"' not in (await client.get("/admin/part/edit/1")).text
