"""The ``EMAIL_CLIENT`` config section."""

from __future__ import annotations

from typing import NotRequired

from pydantic import ConfigDict, Field, SecretStr, with_config
from typing_extensions import TypedDict

from pyjolt.extension import ExtensionConfig


class EmailClientConfig(ExtensionConfig):
    """Validated ``EMAIL_CLIENT`` section (see ``EmailClient`` for the meaning of each key)."""

    SENDER_NAME_OR_ADDRESS: str
    SMTP_SERVER: str
    SMTP_PORT: int | None = Field(None, ge=1, le=65535)
    USERNAME: str | None = None
    PASSWORD: SecretStr | None = None
    USE_TLS: bool = True
    USE_SSL: bool | None = None
    TIMEOUT: float = Field(30.0, gt=0)
    VALIDATE_CERTS: bool = True
    CA_FILE: str | None = None

    @property
    def implicit_tls(self) -> bool:
        """TLS from the first byte: ``USE_SSL``, or port 465 when ``USE_SSL`` is not set."""
        return self.USE_SSL if self.USE_SSL is not None else self.SMTP_PORT == 465

    @property
    def port(self) -> int:
        """``SMTP_PORT``, else 465 (implicit TLS), 587 (STARTTLS) or 25."""
        if self.SMTP_PORT is not None:
            return self.SMTP_PORT
        if self.implicit_tls:
            return 465
        return 587 if self.USE_TLS else 25

    @property
    def start_tls(self) -> bool:
        """Upgrade the connection with STARTTLS (required, not opportunistic)."""
        return self.USE_TLS and not self.implicit_tls


@with_config(ConfigDict(extra="allow"))
class EmailConfig(TypedDict):
    """PyJolt 0.111's annotation of the ``EMAIL_CLIENT`` section (``from pyjolt.email``).

    Deprecated: annotate the section with :class:`EmailClientConfig`, which checks every key.
    """

    SENDER_NAME_OR_ADDRESS: str
    SMTP_SERVER: str
    SMTP_PORT: int
    USERNAME: NotRequired[str | None]
    PASSWORD: NotRequired[str | None]
    USE_TLS: NotRequired[bool]


__all__ = ["EmailClientConfig"]
