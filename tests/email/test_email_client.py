"""EmailClient against real aiosmtpd servers: content, recipients, auth, TLS, failures."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pyjolt.email import EmailClient, EmailClientConfig, EmailSendError, html_to_text
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.task_manager import TaskManager
from pyjolt.testing import make_app
from tests.email.support import PASSWORD, USER, SmtpServer, authenticator, email_section
from tests.services import free_port

WELCOME = """<!doctype html>
<html><head><title>ignored</title><style>p { color: red }</style></head>
<body>
  <h1>Welcome, {{ name }}!</h1>
  <p>Your plan: <b>{{ plan }}</b></p>
  <p><a href="https://example.com/start">Get started</a></p>
  <ul><li>One</li><li>Two</li></ul>
</body></html>
"""


async def make_client(section: dict[str, Any], tmp_path: Path | None = None) -> EmailClient:
    client = EmailClient()
    config: dict[str, Any] = {"EXTENSIONS": [client], "EMAIL_CLIENT": section}
    if tmp_path is not None:
        (tmp_path / "templates" / "emails").mkdir(parents=True)
        (tmp_path / "templates" / "emails" / "welcome.html").write_text(WELCOME)
        config.update(BASE_PATH=str(tmp_path), TEMPLATES_DIR="templates")
    make_app(**config)
    return client


async def test_plain_email(smtp_server: Any) -> None:
    server: SmtpServer = smtp_server()
    client = await make_client(email_section(server))
    await client.send_email("ann@example.com", "Hello Ann", "Plain body\nline two")

    [got] = server.received
    assert got.mail_from == "noreply@example.com"
    assert got.rcpt_tos == ["ann@example.com"]
    message = got.message
    assert message["From"] == "PyJolt Tests <noreply@example.com>"
    assert message["To"] == "ann@example.com"
    assert message["Subject"] == "Hello Ann"
    assert message["Message-ID"].endswith("@example.com>")
    assert message["Date"]
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "Plain body\nline two\n"
    assert not got.tls and not got.authenticated


async def test_several_recipients(smtp_server: Any) -> None:
    server: SmtpServer = smtp_server()
    client = await make_client(email_section(server))
    to = ["ann@example.com", "Bob Builder <bob@example.com>", "cid@example.org"]
    await client.send_email(to, "Team news", "Hi all")

    [got] = server.received
    assert got.rcpt_tos == ["ann@example.com", "bob@example.com", "cid@example.org"]
    assert got.message["To"] == "ann@example.com, Bob Builder <bob@example.com>, cid@example.org"


async def test_template_email_is_multipart_alternative(smtp_server: Any, tmp_path: Path) -> None:
    server: SmtpServer = smtp_server()
    client = await make_client(email_section(server), tmp_path)
    await client.send_email_with_template(
        "ann@example.com",
        "Welcome",
        "emails/welcome.html",
        context={"name": "Ann <script>", "plan": "Pro"},
    )

    [got] = server.received
    message = got.message
    assert message.get_content_type() == "multipart/alternative"
    text_part, html_part = message.iter_parts()
    assert text_part.get_content_type() == "text/plain"
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    assert "<h1>Welcome, Ann &lt;script&gt;!</h1>" in html  # the app's autoescaping env
    text = text_part.get_content()
    assert "Welcome, Ann <script>!" in text
    assert "Your plan: Pro" in text
    assert "Get started (https://example.com/start)" in text
    assert "- One" in text and "- Two" in text
    assert "ignored" not in text and "color" not in text and "<" not in text.replace("<script>", "")


async def test_attachments_get_content_types(smtp_server: Any, tmp_path: Path) -> None:
    server: SmtpServer = smtp_server()
    client = await make_client(email_section(server), tmp_path)
    attachments = {
        "report.pdf": b"%PDF-1.4 fake",
        "notes.txt": b"some notes\n",
        "photo.png": b"\x89PNG\r\n\x1a\n\x00binary",
        "blob.unknownext": b"\x00\x01\x02",
    }
    await client.send_email_with_template(
        ["ann@example.com", "bob@example.com"],
        "Your files",
        "emails/welcome.html",
        attachments=attachments,
        context={"name": "Ann", "plan": "Free"},
    )

    [got] = server.received
    message = got.message
    assert message.get_content_type() == "multipart/mixed"
    body, *files = message.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    found = {part.get_filename(): part for part in files}
    assert set(found) == set(attachments)
    assert found["report.pdf"].get_content_type() == "application/pdf"
    assert found["notes.txt"].get_content_type() == "text/plain"
    assert found["photo.png"].get_content_type() == "image/png"
    assert found["blob.unknownext"].get_content_type() == "application/octet-stream"
    for name, data in attachments.items():
        assert found[name].get_content_disposition() == "attachment"
        assert found[name].get_payload(decode=True) == data


async def test_plain_email_with_attachment(smtp_server: Any) -> None:
    server: SmtpServer = smtp_server()
    client = await make_client(email_section(server))
    await client.send_email(
        "ann@example.com", "Invoice", "See attached", {"invoice.csv": "a,b\n1,2\n"}
    )
    [got] = server.received
    body, attachment = got.message.iter_parts()
    assert body.get_content() == "See attached\n"
    assert attachment.get_content_type() == "text/csv"
    assert attachment.get_payload(decode=True) == b"a,b\n1,2\n"


async def test_authentication(smtp_server: Any) -> None:
    server: SmtpServer = smtp_server(authenticator=authenticator, auth_require_tls=False)
    good = await make_client(email_section(server, USERNAME=USER, PASSWORD=PASSWORD))
    await good.send_email("ann@example.com", "Authed", "hi")
    [got] = server.received
    assert got.authenticated

    bad = await make_client(email_section(server, USERNAME=USER, PASSWORD="wrong"))
    with pytest.raises(EmailSendError, match=r"535|[Aa]uthentication") as info:
        await bad.send_email("ann@example.com", "Not authed", "hi")
    assert f"127.0.0.1:{server.port}" in str(info.value)
    assert "wrong" not in str(info.value)  # the password never appears in the error
    assert len(server.received) == 1


async def test_starttls_with_trusted_self_signed_ca(
    smtp_server: Any, server_tls_context: ssl.SSLContext, ca_file: str
) -> None:
    server: SmtpServer = smtp_server(
        tls_context=server_tls_context, require_starttls=True, authenticator=authenticator
    )
    section = email_section(server, USE_TLS=True, CA_FILE=ca_file, USERNAME=USER, PASSWORD=PASSWORD)
    client = await make_client(section)
    await client.send_email("ann@example.com", "Over STARTTLS", "secret stuff")
    [got] = server.received
    assert got.tls and got.authenticated


async def test_starttls_untrusted_certificate_fails(
    smtp_server: Any, server_tls_context: ssl.SSLContext
) -> None:
    server: SmtpServer = smtp_server(tls_context=server_tls_context, require_starttls=True)
    client = await make_client(email_section(server, USE_TLS=True))
    with pytest.raises(EmailSendError, match=r"(?i)certificate"):
        await client.send_email("ann@example.com", "Untrusted", "x")
    assert server.received == []

    relaxed = await make_client(email_section(server, USE_TLS=True, VALIDATE_CERTS=False))
    await relaxed.send_email("ann@example.com", "Unverified", "x")
    assert [r.tls for r in server.received] == [True]


async def test_use_tls_refuses_server_without_starttls(smtp_server: Any) -> None:
    server: SmtpServer = smtp_server()  # no tls_context: STARTTLS not offered
    client = await make_client(email_section(server, USE_TLS=True))
    with pytest.raises(EmailSendError, match=r"(?i)starttls"):
        await client.send_email("ann@example.com", "No downgrade", "x")
    assert server.received == []


async def test_implicit_tls(
    smtp_server: Any, server_tls_context: ssl.SSLContext, ca_file: str
) -> None:
    server: SmtpServer = smtp_server(ssl_context=server_tls_context)
    section = email_section(server, USE_SSL=True, CA_FILE=ca_file)
    client = await make_client(section)
    await client.send_email("ann@example.com", "Implicit TLS", "x")
    [got] = server.received
    assert got.tls


def test_port_465_means_implicit_tls() -> None:
    base = {"SENDER_NAME_OR_ADDRESS": "a@example.com", "SMTP_SERVER": "smtp.example.com"}
    ssl_config = EmailClientConfig.model_validate({**base, "SMTP_PORT": 465})
    assert ssl_config.implicit_tls and not ssl_config.start_tls
    default = EmailClientConfig.model_validate(base)
    assert (default.port, default.start_tls, default.implicit_tls) == (587, True, False)
    plain = EmailClientConfig.model_validate({**base, "USE_TLS": False})
    assert (plain.port, plain.start_tls) == (25, False)
    forced = EmailClientConfig.model_validate({**base, "USE_SSL": True})
    assert (forced.port, forced.implicit_tls) == (465, True)


async def test_refused_connection_gives_clear_error() -> None:
    port = free_port()
    section = {
        "SENDER_NAME_OR_ADDRESS": "noreply@example.com",
        "SMTP_SERVER": "127.0.0.1",
        "SMTP_PORT": port,
        "USE_TLS": False,
        "TIMEOUT": 5,
    }
    client = await make_client(section)
    with pytest.raises(EmailSendError) as info:
        await client.send_email("ann@example.com", "Lost", "x")
    text = str(info.value)
    assert f"127.0.0.1:{port}" in text
    assert "'Lost'" in text and "ann@example.com" in text
    assert "SMTPConnectError" in text


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """Accepts connections and never answers (no SMTP greeting)."""
    writers: list[asyncio.StreamWriter] = []

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        for writer in writers:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_timeout_gives_clear_error(silent_server: int) -> None:
    section = {
        "SENDER_NAME_OR_ADDRESS": "noreply@example.com",
        "SMTP_SERVER": "127.0.0.1",
        "SMTP_PORT": silent_server,
        "USE_TLS": False,
        "TIMEOUT": 0.3,
    }
    client = await make_client(section)
    with pytest.raises(EmailSendError, match=r"(?i)timeout|timed out"):
        await client.send_email("ann@example.com", "Slow", "x")


async def test_refused_recipient_is_reported(smtp_server: Any) -> None:
    server: SmtpServer = smtp_server(refuse={"ghost@example.com"})
    client = await make_client(email_section(server))
    with pytest.raises(EmailSendError, match=r"ghost@example\.com") as info:
        await client.send_email(["ann@example.com", "ghost@example.com"], "Partial", "x")
    assert list(info.value.recipients_refused) == ["ghost@example.com"]
    assert "550" in info.value.recipients_refused["ghost@example.com"]
    [got] = server.received
    assert got.rcpt_tos == ["ann@example.com"]


async def test_failure_in_background_task_is_logged(build_client: Any) -> None:
    from loguru import logger

    records: list[str] = []
    sink = logger.add(lambda m: records.append(m.record["message"]), level="ERROR")
    try:
        tasks, mailer = TaskManager(), EmailClient()
        section = {
            "SENDER_NAME_OR_ADDRESS": "noreply@example.com",
            "SMTP_SERVER": "127.0.0.1",
            "SMTP_PORT": free_port(),
            "USE_TLS": False,
        }
        await build_client(EXTENSIONS=[mailer, tasks], EMAIL_CLIENT=section)
        task = tasks.run_background_task(mailer.send_email, "ann@example.com", "Bg", "x")
        await asyncio.wait({task}, timeout=30)
        assert isinstance(task.exception(), EmailSendError)
        await asyncio.sleep(0)
    finally:
        logger.remove(sink)
    assert any("EmailClient.send_email" in r and "could not send email" in r for r in records)


@pytest.mark.parametrize("to", ["", "not-an-address", ["ok@example.com", "nope"]])
async def test_invalid_recipients_are_rejected(smtp_server: Any, to: Any) -> None:
    server: SmtpServer = smtp_server()
    client = await make_client(email_section(server))
    with pytest.raises(ValueError, match="recipient"):
        await client.send_email(to, "x", "y")


def test_name_only_sender_uses_username() -> None:
    client = EmailClient()
    make_app(
        EXTENSIONS=[client],
        EMAIL_CLIENT={
            "SENDER_NAME_OR_ADDRESS": "My App",
            "SMTP_SERVER": "smtp.example.com",
            "USERNAME": "robot@example.com",
            "PASSWORD": "pw",
        },
    )
    assert client.sender == "My App <robot@example.com>"
    assert "pw" not in repr(client.config)


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ({"SMTP_SERVER": "smtp.example.com"}, "SENDER_NAME_OR_ADDRESS"),
        ({"SENDER_NAME_OR_ADDRESS": "a@example.com"}, "SMTP_SERVER"),
        ({"SENDER_NAME_OR_ADDRESS": "My App", "SMTP_SERVER": "x"}, "has no email address"),
        (
            {"SENDER_NAME_OR_ADDRESS": "a@example.com", "SMTP_SERVER": "x", "CA_FILE": "/nope"},
            "CA_FILE",
        ),
        ({"SENDER_NAME_OR_ADDRESS": "a@x.com", "SMTP_SERVER": "x", "SMTP_PORT": 0}, "SMTP_PORT"),
    ],
)
def test_bad_config_fails_at_build(section: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=fragment):
        make_app(EXTENSIONS=[EmailClient()], EMAIL_CLIENT=section)


def test_html_to_text() -> None:
    html = "<p>Hi&nbsp;<b>there</b></p><p>Line<br>break</p><a href='mailto:x@y.z'>mail us</a>"
    assert html_to_text(html) == "Hi\xa0there\n\nLine\nbreak\n\nmail us (x@y.z)\n"
