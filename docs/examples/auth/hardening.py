"""Production settings: allowed hosts, security headers, CSRF and a webhook exempt from it."""

import os

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path, post
from pyjolt.security import csrf_exempt


@path("/")
class SiteApi(Controller):
    @get("/")
    async def home(self, req: Request) -> Response:
        return req.response.text("home")

    @post("/settings")
    async def save_settings(self, req: Request) -> Response:
        return req.response.json({"saved": True})

    @post("/webhooks/payments")
    @csrf_exempt  # called by the payment provider's servers, authenticated by its signature
    async def payment_webhook(self, req: Request) -> Response:
        return req.response.json({"received": True})


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [SiteApi]
    ALLOWED_HOSTS: list[str] = ["example.com", "*.example.com"]
    CSRF_TRUSTED_ORIGINS: list[str] = ["https://admin.example.com"]
    SECURITY_CONTENT_SECURITY_POLICY: str | None = "default-src 'self'"


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
