"""Login cookies and server-side sessions of ``Authentication``: signing, logging users in
and out, revoking sessions and tokens (the storage itself is in ``pyjolt.auth.sessions``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyjolt._internal.credentials import OPAQUE, USER, note_credentials_read
from pyjolt.auth.config import AuthenticationConfig
from pyjolt.auth.cookies import CookieSigner
from pyjolt.auth.legacy import cookie_names, verify_legacy_cookie
from pyjolt.auth.sessions import (
    SESSION_PREFIX,
    TOKEN_PREFIX,
    LoginTokens,
    SessionStore,
    new_session_id,
    recalled,
    remember,
)
from pyjolt.auth.tokens import JwtCodec
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import ExtensionState
from pyjolt.response import SocketResponse

if TYPE_CHECKING:
    from pyjolt.request import AnyRequest
    from pyjolt.response import Response

_SESSION_SALT = "pyjolt.auth.session"
_JWT = "jwt:"
_NO_STORE = (
    "is not set: server-side sessions need a store, e.g. 'redis://127.0.0.1:6379/0' or an "
    "async SQLAlchemy URL"
)


@dataclass(eq=False, kw_only=True)
class AuthState(ExtensionState[AuthenticationConfig]):
    """One app's keys: cookie signer, login tokens, JWT codec, session store, legacy keys."""

    signer: CookieSigner
    tokens: LoginTokens
    jwt: JwtCodec
    store: SessionStore | None
    #: Keys that verify PyJolt 0.111 cookies (``ACCEPT_LEGACY_COOKIES``), else empty.
    legacy_keys: tuple[str, ...]


class LoginSessions:
    """The login-cookie and session half of ``Authentication`` (a mixin of it)."""

    if TYPE_CHECKING:
        configs_name: str

        @property
        def config(self) -> AuthenticationConfig: ...

        def _state(self) -> AuthState: ...

        def bearer_token(self, req: AnyRequest) -> str | None: ...

        def validate_jwt_token(self, token: str | None) -> dict[str, Any] | None: ...

    async def _resolve_credentials(self, req: AnyRequest) -> None:
        """Look up what the synchronous helpers cannot: the session of a session cookie and
        whether a bearer token was revoked (with ``SESSION_STORE``); re-issue a sliding
        cookie."""
        cfg = self.config
        cookie = req.cookies.get(cfg.COOKIE_NAME)
        store = self._state().store
        if store is not None:
            if cookie and cookie.startswith(SESSION_PREFIX):
                sid = self.signer.unsign(cookie[len(SESSION_PREFIX) :], salt=_SESSION_SALT)
                remember(cookie, await store.user_of(sid) if sid else None)
            token = self.bearer_token(req)
            claims = self.validate_jwt_token(token) if token else None
            if token and claims and isinstance(claims.get("jti"), str):
                remember(_JWT + token, None if await store.token_revoked(claims["jti"]) else "ok")
        elif cfg.COOKIE_SLIDING and cfg.COOKIE_MAX_AGE and cookie:
            self._slide(req, cookie, cfg.COOKIE_MAX_AGE)

    def _slide(self, req: AnyRequest, cookie: str, max_age: int) -> None:
        issued = self.tokens.issued_at(cookie) if cookie.startswith(TOKEN_PREFIX) else None
        user_id = self.tokens.decode(cookie, max_age) if issued else None
        res = req.res
        old = issued is not None and time.time() - issued > max_age / 2
        if user_id and old and not isinstance(res, SocketResponse):
            self._set_signed_cookie(res, self.config.COOKIE_NAME, user_id)

    def _reissue(self, req: AnyRequest, accepted: list[tuple[str, str]]) -> None:
        """Replace the 0.111 cookies a user was loaded from with current ones."""
        res = req.res
        if isinstance(res, SocketResponse):  # a websocket answers no cookies
            return
        for raw, value in accepted:
            for name in cookie_names(req.cookies, raw):
                self._set_signed_cookie(res, name, value)

    # -- signed cookies --------------------------------------------------------------------
    @property
    def signer(self) -> CookieSigner:
        """The current app's cookie signer."""
        return self._state().signer

    def create_signed_cookie_value(self, value: str | int, *, salt: str | None = None) -> str:
        """Sign ``value`` for a cookie; ``salt`` names another purpose than logins."""
        return self.signer.sign(value, salt=salt)

    def decode_signed_cookie(
        self, cookie_value: str | None, *, salt: str | None = None, max_age: int | None = None
    ) -> str | None:
        """The signed value as a string, or None if tampered, expired or garbage.

        For a login cookie (``login_user``) it is the user ID; with ``SESSION_STORE`` the
        session is looked up by the guards and ``current_user`` before ``user_loader`` runs.
        Inside a cached handler, the answer is then stored per user (with a ``salt``, whose
        cookie the cache cannot know, it is not stored).
        """
        note_credentials_read(USER if salt is None else OPAQUE)
        if isinstance(cookie_value, str) and salt is None:
            if cookie_value.startswith(TOKEN_PREFIX):
                age = self.config.COOKIE_MAX_AGE if max_age is None else max_age
                return self.tokens.decode(cookie_value, age)
            if cookie_value.startswith(SESSION_PREFIX):
                return recalled(cookie_value)[1]
        value = self.signer.unsign(cookie_value, salt=salt, max_age=max_age)
        if value is None and self._state().legacy_keys and salt is None:
            value = verify_legacy_cookie(cookie_value, self._state().legacy_keys)
        return value

    def login_user(self, res: Response[Any], user_id: str | int) -> Response[Any]:
        """Log ``user_id`` in: set the login cookie (``COOKIE_NAME``) on a response.

        The cookie expires after ``COOKIE_MAX_AGE`` and does not show the user ID; with
        ``SESSION_STORE`` it names a new server-side session, stored before the answer leaves.
        """
        return self._set_signed_cookie(res, self.config.COOKIE_NAME, user_id)

    def _set_signed_cookie(self, res: Response[Any], name: str, value: str | int) -> Response[Any]:
        cfg = self.config
        store = self._state().store
        if store is not None:
            sid = new_session_id()
            cookie = SESSION_PREFIX + self.signer.sign(sid, salt=_SESSION_SALT)

            async def create() -> None:
                await store.create(sid, str(value), cfg.COOKIE_MAX_AGE)

            res.before_send(create)
        else:
            cookie = self.tokens.encode(value)
        return res.set_cookie(
            name,
            cookie,
            max_age=cfg.COOKIE_MAX_AGE,
            secure=cfg.COOKIE_SECURE,
            http_only=True,
            samesite=cfg.COOKIE_SAMESITE,
        )

    def logout_user(self, res: Response[Any]) -> Response[Any]:
        """Delete the login cookie; with ``SESSION_STORE`` also revoke its session, so a copy
        of the cookie no longer logs anyone in."""
        name = self.config.COOKIE_NAME
        store, req = self._state().store, res._request
        cookie = req.cookies.get(name) if req is not None else None
        if store is not None and cookie and cookie.startswith(SESSION_PREFIX):
            sid = self.signer.unsign(cookie[len(SESSION_PREFIX) :], salt=_SESSION_SALT)
            if sid is not None:

                async def revoke() -> None:
                    await store.revoke(sid)

                res.before_send(revoke)
        return res.delete_cookie(name)

    async def revoke_sessions(self, user_id: str | int) -> int:
        """Log a user out everywhere (``SESSION_STORE``); returns how many sessions ended."""
        return await self.session_store.revoke_user(str(user_id))

    async def revoke_token(self, token: str) -> None:
        """Revoke a JWT by its ``jti`` until it expires (``SESSION_STORE``)."""
        claims = self.validate_jwt_token(token)
        if not claims or not isinstance(claims.get("jti"), str):
            raise ValueError("only a valid token with a 'jti' claim can be revoked")
        exp = claims.get("exp")
        ttl = max(1, int(exp - time.time())) if isinstance(exp, int | float) else None
        await self.session_store.revoke_token(claims["jti"], ttl)

    @property
    def session_store(self) -> SessionStore:
        if (store := self._state().store) is None:
            raise ConfigurationError(f"{self.configs_name}['SESSION_STORE'] {_NO_STORE}")
        return store

    @property
    def tokens(self) -> LoginTokens:
        """The current app's login tokens."""
        return self._state().tokens

    async def shutdown(self) -> None:
        store = self._state().store
        if store is not None:
            await store.close()

    def cookie_user_id(self, req: AnyRequest) -> str | None:
        """The user id of the request's valid auth cookie, or None."""
        return self.decode_signed_cookie(req.cookies.get(self.config.COOKIE_NAME))

    def bearer_claims(self, req: AnyRequest) -> dict[str, Any] | None:
        """The claims of the request's valid (and, with ``SESSION_STORE``, unrevoked) bearer
        token, or None."""
        token = self.bearer_token(req)
        claims = self.validate_jwt_token(token)
        if claims and token and self._state().store is not None and "jti" in claims:
            known, ok = recalled(_JWT + token)
            if known and ok is None:
                return None
        return claims
