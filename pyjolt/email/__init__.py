"""Email client extension (SMTP through aiosmtplib: ``pip install "pyjolt[email]"``)."""

from __future__ import annotations

from pyjolt._internal.deprecation import deprecated_names
from pyjolt.email.client import EmailClient, EmailSendError
from pyjolt.email.config import EmailClientConfig
from pyjolt.email.message import html_to_text

__all__ = ["EmailClient", "EmailClientConfig", "EmailSendError", "html_to_text"]


def _email_config() -> type:
    from pyjolt.email.config import EmailConfig

    return EmailConfig


# PyJolt 0.111's names: served with a DeprecationWarning naming the current way.
__getattr__ = deprecated_names(
    __name__,
    {
        "EmailConfig": (
            _email_config,
            "annotate the section with EmailClientConfig: "
            "`EMAIL_CLIENT: EmailClientConfig = {...}`",
        )
    },
)
