"""Fixtures of the email tests: real aiosmtpd servers on 127.0.0.1, a trustme CA."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller

from tests.email.support import Recorder, SmtpServer
from tests.services import free_port


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def server_tls_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


StartServer = Callable[..., SmtpServer]


@pytest.fixture
def smtp_server() -> Iterator[StartServer]:
    """``start(**controller_kwargs)`` runs an aiosmtpd server on a free port until teardown."""
    controllers: list[Controller] = []

    def start(*, refuse: set[str] | None = None, **kwargs: Any) -> SmtpServer:
        recorder = Recorder(refuse=set(refuse or ()))
        port = free_port()
        controller = Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return SmtpServer("127.0.0.1", port, recorder)

    yield start
    for controller in controllers:
        controller.stop()
