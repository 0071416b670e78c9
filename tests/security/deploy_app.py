"""Apps for the deployment checks: one with the defaults, one hardened."""

from __future__ import annotations

from typing import Any

from pyjolt import Request, Response
from pyjolt.auth import Authentication
from pyjolt.controller import Controller, path, post
from pyjolt.rate_limit import RateLimiter
from pyjolt.request import AnyRequest
from pyjolt.testing import make_app

STRONG_KEY = "q2Xv9-Lr7TmWc1Yh8Ks4Fp0Zb6Nd3Jg5Ue2Ai7Ro1Qw9Ey4Tz"


class Auth(Authentication):
    async def user_loader(self, req: AnyRequest) -> Any:
        return self.cookie_user_id(req)


def build(hardened: bool, **overrides: Any) -> Any:
    auth, limiter = Auth(), RateLimiter()
    limit = limiter.limit("5/minute") if hardened else (lambda fn: fn)

    @path("/account")
    class AccountApi(Controller):
        @post("/login")
        @limit
        async def login(self, req: Request) -> Response[Any]:
            return auth.login_user(req.res.json({"ok": True}), "1")

    config: dict[str, Any] = {
        "controllers": [AccountApi],
        "EXTENSIONS": [auth, limiter],
        "SECRET_KEY": STRONG_KEY,
    }
    if hardened:
        config.update(
            APP_NAME="shop",
            ALLOWED_HOSTS=["shop.example"],
            CORS_ALLOW_ORIGINS=["https://www.shop.example"],
        )
    config.update(overrides)
    return make_app(**config)


def Application() -> Any:  # `pyjolt check tests.security.deploy_app:Application --deploy`
    return build(hardened=False)
