"""docs/topics/email.md: the messages the page sends, received by a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example
from tests.email.support import Recorder
from tests.services import free_port


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recorder = Recorder()
    port = free_port()
    server = Controller(recorder, hostname="127.0.0.1", port=port)
    server.start()
    monkeypatch.setenv("EMAIL_CLIENT__SMTP_SERVER", "127.0.0.1")
    monkeypatch.setenv("EMAIL_CLIENT__SMTP_PORT", str(port))
    monkeypatch.setenv("EMAIL_CLIENT__USE_TLS", "false")  # the test server speaks plain SMTP
    yield recorder
    server.stop()


async def test_sending_mail(smtp: Recorder) -> None:
    example = load_example("email/welcome.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.post("/mail/welcome/Ada")
        assert (res.status_code, res.json()) == (202, {"sent": True})
        res = await client.post("/mail/report")
        assert (res.status_code, res.json()) == (200, {"sent": True})

    welcome, report = smtp.received
    assert welcome.mail_from == "shop@example.com"
    assert welcome.rcpt_tos == ["ada@example.com"]
    message = welcome.message
    assert message["From"] == "Shop <shop@example.com>"
    assert message["Subject"] == "Welcome!"
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and "<h1>Welcome, Ada!</h1>" in html.get_content()
    assert text is not None and "Welcome, Ada!" in text.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "terms.txt"
    assert attachment.get_content() == "Be nice."

    assert report.rcpt_tos == ["ops@example.com", "cto@example.com"]
    assert report.message["Subject"] == "Daily report"
    assert report.message.get_content().strip() == "All systems go."
