"""Email client extension (SMTP through aiosmtplib: ``pip install "pyjolt[email]"``)."""

from __future__ import annotations

from pyjolt.email.client import EmailClient, EmailSendError
from pyjolt.email.config import EmailClientConfig
from pyjolt.email.message import html_to_text

__all__ = ["EmailClient", "EmailClientConfig", "EmailSendError", "html_to_text"]
