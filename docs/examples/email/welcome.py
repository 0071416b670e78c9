"""Sending e-mail from handlers with the EmailClient extension."""

import os
from typing import Any

from pyjolt import BaseConfig, HttpStatus, PyJolt, Request, app
from pyjolt.controller import Controller, path, post
from pyjolt.email import EmailClient

email_client = EmailClient()  # config section EMAIL_CLIENT


@path("/mail")
class MailApi(Controller):
    @post("/welcome/<name>", status_code=HttpStatus.ACCEPTED)
    async def welcome(self, req: Request, name: str) -> dict[str, Any]:
        await email_client.send_email_with_template(
            f"{name.lower()}@example.com",
            "Welcome!",
            "welcome.html",  # from the app's templates folder
            context={"name": name},
            attachments={"terms.txt": b"Be nice."},
        )
        return {"sent": True}

    @post("/report")
    async def report(self, req: Request) -> dict[str, Any]:
        await email_client.send_email(
            ["ops@example.com", "cto@example.com"], "Daily report", "All systems go."
        )
        return {"sent": True}


class Config(BaseConfig):
    APP_NAME: str = "Shop"
    BASE_PATH: str = os.path.dirname(__file__)
    TEMPLATES_DIR: str = "templates"
    CONTROLLERS: list[str | type] = [MailApi]
    EXTENSIONS: list[object] = [email_client]
    EMAIL_CLIENT: dict[str, Any] = {
        "SENDER_NAME_OR_ADDRESS": "Shop <shop@example.com>",
        "SMTP_SERVER": "smtp.example.com",
        "SMTP_PORT": 587,  # STARTTLS (USE_TLS, the default); 465: TLS from the first byte
        # USERNAME and PASSWORD come from the environment:
        # EMAIL_CLIENT__USERNAME=... EMAIL_CLIENT__PASSWORD=...
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
