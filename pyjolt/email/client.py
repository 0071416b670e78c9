"""``EmailClient``: sends email through SMTP with aiosmtplib."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any, ClassVar

from pyjolt._internal.imports import optional_import
from pyjolt.appcontext import AppProtocol
from pyjolt.email.config import EmailClientConfig
from pyjolt.email.message import Attachments, build_message, html_to_text, parse_recipients
from pyjolt.exceptions.errors import ConfigurationError, PyJoltError
from pyjolt.extension import BaseExtension, ExtensionState

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class EmailSendError(PyJoltError):
    """An email could not be sent: connection, TLS, authentication or refusal by the server.

    Attributes:
        recipients_refused: address -> server reply, for recipients the server refused
            (the others, if any, were sent the message).
    """

    def __init__(self, message: str, *, recipients_refused: Mapping[str, str] | None = None):
        super().__init__(message)
        self.recipients_refused: dict[str, str] = dict(recipients_refused or {})


class EmailState(ExtensionState[EmailClientConfig]):
    """One app's sender (``From`` header and envelope address)."""

    def __init__(
        self, app: AppProtocol, config: EmailClientConfig, sender: str, address: str
    ) -> None:
        super().__init__(app, config)
        self.sender = sender
        self.sender_address = address


class EmailClient(BaseExtension[EmailClientConfig]):
    """Sends plain-text, HTML-template and attachment emails through SMTP (aiosmtplib).

    Each send opens a connection, so the client holds nothing between requests. Errors raise
    ``EmailSendError`` (sent through ``TaskManager.run_background_task`` they are logged).

    Config (``EMAIL_CLIENT``):
        SENDER_NAME_OR_ADDRESS: ``"noreply@example.com"``, ``"My App <noreply@example.com>"``
            or a name only (``"My App"``; the address is then ``USERNAME``).
        SMTP_SERVER: host name of the SMTP server.
        SMTP_PORT: its port (default 465 with implicit TLS, 587 with STARTTLS, else 25).
        USERNAME, PASSWORD: log in with these (no login without ``USERNAME``).
        USE_TLS: upgrade with STARTTLS, required when True (default True).
        USE_SSL: implicit TLS from the first byte (default: True when ``SMTP_PORT`` is 465).
        TIMEOUT: seconds for connecting and each SMTP command (default 30).
        VALIDATE_CERTS: verify the server certificate (default True).
        CA_FILE: PEM file of CA certificates to trust (a private CA or a self-signed cert).
    """

    default_configs_name: ClassVar[str] = "EMAIL_CLIENT"
    config_model = EmailClientConfig

    def __init__(
        self, *, configs_name: str | None = None, variable_prefix: str | None = None
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)

    def init_app(self, app: AppProtocol) -> None:
        optional_import("aiosmtplib", "email")
        super().init_app(app)

    def make_state(self, app: AppProtocol, config: EmailClientConfig) -> EmailState:
        cfg = config
        name, address = parseaddr(cfg.SENDER_NAME_OR_ADDRESS)
        if "@" not in address:
            username = cfg.USERNAME or ""
            if "@" not in username:
                raise ConfigurationError(
                    f"{self.configs_name}['SENDER_NAME_OR_ADDRESS']: "
                    f"{cfg.SENDER_NAME_OR_ADDRESS!r} has no email address; write it as "
                    "'My App <noreply@example.com>' or set USERNAME to an email address"
                )
            name, address = cfg.SENDER_NAME_OR_ADDRESS.strip(), username
        if cfg.CA_FILE is not None and not os.path.isfile(cfg.CA_FILE):
            raise ConfigurationError(
                f"{self.configs_name}['CA_FILE']: {cfg.CA_FILE!r} is not a file; give the path "
                "of a PEM file with the CA certificate(s) to trust"
            )
        if (
            cfg.USERNAME
            and not (cfg.USE_TLS or cfg.implicit_tls)
            and cfg.SMTP_SERVER not in _LOCAL_HOSTS
        ):
            app.logger.warning(
                "{}: USE_TLS is False: the SMTP password is sent unencrypted to {}",
                self.configs_name,
                cfg.SMTP_SERVER,
            )
        return EmailState(app, config, formataddr((name, address)), address)

    def _state(self) -> EmailState:
        return self._state_as(EmailState)

    @property
    def sender(self) -> str:
        """The ``From`` header value."""
        return self._state().sender

    async def send_email(
        self,
        to_address: str | Sequence[str],
        subject: str,
        body: str,
        attachments: Attachments | None = None,
        *,
        html: bool = False,
    ) -> None:
        """Send ``body`` as text/plain (``html=True``: as HTML with a plain-text alternative).

        Args:
            to_address: one address, a comma-separated string or a list of addresses.
            attachments: file name -> content; the content type comes from the name.
        """
        recipients = parse_recipients(to_address)
        message = build_message(
            sender=self.sender,
            recipients=recipients,
            subject=subject,
            text=html_to_text(body) if html else body,
            html=body if html else None,
            attachments=attachments,
        )
        await self.send_message(message, [addr for _, addr in recipients])

    async def send_email_with_template(
        self,
        to_address: str | Sequence[str],
        subject: str,
        template_path: str,
        attachments: Attachments | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        """Render ``template_path`` with the app's templates and send it as HTML.

        The same message as ``send_email(..., html=True)``: multipart/alternative, a plain-text
        version derived from the HTML, then the HTML; attachments around it (multipart/mixed).
        """
        rendered = await self.app.templates.render(template_path, dict(context or {}))
        await self.send_email(to_address, subject, str(rendered), attachments, html=True)

    async def send_message(
        self, message: EmailMessage, recipients: Sequence[str] | None = None
    ) -> None:
        """Send a ready-made message (recipients default to its To/Cc/Bcc headers)."""
        aiosmtplib = optional_import("aiosmtplib", "email")
        cfg = self.config
        where = f"{cfg.SMTP_SERVER}:{cfg.port}"
        subject = message.get("Subject", "")
        try:
            refused, _reply = await aiosmtplib.send(
                message,
                sender=self._state().sender_address or None,
                recipients=list(recipients) if recipients is not None else None,
                hostname=cfg.SMTP_SERVER,
                port=cfg.port,
                username=cfg.USERNAME,
                password=cfg.PASSWORD.get_secret_value() if cfg.PASSWORD else None,
                use_tls=cfg.implicit_tls,
                start_tls=cfg.start_tls,
                timeout=cfg.TIMEOUT,
                validate_certs=cfg.VALIDATE_CERTS,
                cert_bundle=cfg.CA_FILE,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            to = ", ".join(recipients) if recipients is not None else message.get("To", "")
            raise EmailSendError(
                f"could not send email {subject!r} to {to} via {where}: {type(exc).__name__}: {exc}"
            ) from exc
        if refused:
            replies = {addr: str(reply) for addr, reply in refused.items()}
            raise EmailSendError(
                f"email {subject!r}: {where} refused recipient(s) "
                + ", ".join(f"{addr} ({reply})" for addr, reply in replies.items())
                + "; the other recipients were sent the message",
                recipients_refused=replies,
            )


__all__ = ["EmailClient", "EmailSendError"]
