"""The ``Authentication`` extension: user loading, guards and credential helpers (login cookies
and sessions: ``pyjolt.auth.login``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pyjolt._internal.credentials import (
    USER,
    note_credentials_read,
    register_credential_cookie,
)
from pyjolt._internal.dependencies import Requirement
from pyjolt.auth.config import AuthenticationConfig
from pyjolt.auth.cookies import CookieSigner
from pyjolt.auth.guards import BEARER_SCHEME, COOKIE_SCHEME, LoginGuard, RoleGuard
from pyjolt.auth.legacy import accepted_since, enable_legacy_cookies, track_accepted
from pyjolt.auth.login import AuthState, LoginSessions
from pyjolt.auth.passwords import PasswordHasher
from pyjolt.auth.sessions import LoginTokens, SessionStore, make_store
from pyjolt.auth.tokens import HMAC_ALGORITHMS, JwtCodec, bearer_token
from pyjolt.controller import add_guard
from pyjolt.exceptions import AuthenticationException, UnauthorizedException
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import BaseExtension, Finding

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.request import AnyRequest

T = TypeVar("T")

#: Shortest ``SECRET_KEY`` accepted outside DEBUG.
MIN_SECRET_KEY_LENGTH = 32


class Authentication(LoginSessions, BaseExtension[AuthenticationConfig]):
    """Protects routes and signs credentials. Subclass it and implement ``user_loader``.

    ``async user_loader(self, req)`` returns the user of a request or None; the guards put it
    on ``req.user``. ``async role_check(self, user, roles)`` says whether the user has one of
    ``roles``; by default it compares ``roles`` with the user's ``roles`` attribute (or
    ``"roles"`` key): items may be strings, enums, or objects with a ``role`` or ``name``
    attribute. A user without ``roles`` is refused. Override it for anything else.

    Uses the app's ``SECRET_KEY`` (at least 32 characters; missing or shorter stops
    start-up unless DEBUG, where a warning is logged) and ``SECRET_KEY_FALLBACKS`` (older keys
    that still verify cookies and tokens).

    Config section ``AUTHENTICATION`` (flat keys work too: ``AUTHENTICATION_COOKIE_NAME``):
        AUTHENTICATION_ERROR_MESSAGE: Message of the 401 without a user ("Login required").
        UNAUTHORIZED_ERROR_MESSAGE: Message of the 403 without a role ("Missing user role(s)").
        COOKIE_NAME: Cookie holding the signed user id ("auth_cookie").
        COOKIE_SALT: Salt (purpose) of signed cookie values ("pyjolt.auth.cookie").
        COOKIE_MAX_AGE: Seconds a login cookie (and a signed value) stays valid (14 days;
            None: no expiry).
        COOKIE_SLIDING: Re-issue the login cookie once half its age has passed (False).
        SESSION_STORE: None (the login cookie is the user ID, encrypted and timestamped), or
            ``redis://...`` or an async SQLAlchemy URL: server-side sessions, an opaque ID in
            the cookie; ``logout_user`` and ``revoke_sessions(user_id)`` revoke them, and
            ``revoke_token(token)`` revokes a JWT by its ``jti``.
        SESSION_NAMESPACE: Key prefix / table prefix in the store (default from APP_NAME).
        COOKIE_SECURE: ``Secure`` flag of the auth cookie (True).
        COOKIE_SAMESITE: ``SameSite`` of the auth cookie ("lax").
        JWT_ALGORITHM: HS256 (default), HS384 or HS512; tokens with another ``alg`` are refused.
        JWT_ISSUER / JWT_AUDIENCE: Written into and required from tokens when set.
        JWT_LEEWAY: Seconds of clock skew tolerated when checking ``exp``/``iat`` (0).
        SECURITY_SCHEMES: OpenAPI schemes of guarded routes, "cookie" and/or "bearer" (both).
        ACCEPT_LEGACY_COOKIES: Also accept cookies signed by PyJolt 0.111 with the same
            ``SECRET_KEY`` (or a fallback) while users move over (False). An accepted one is
            re-issued in the current format on that answer (by the guards and
            ``current_user``); turn it off once your users have been back.
    """

    default_configs_name = "AUTHENTICATION"
    config_model = AuthenticationConfig
    requires = (Requirement("jwt", "auth"), Requirement("pwdlib", "auth"))

    def __init__(
        self,
        *,
        configs_name: str | None = None,
        variable_prefix: str | None = None,
        password_hasher: PasswordHasher | None = None,
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)
        self.password_hasher = password_hasher or PasswordHasher()

    # -- set-up ----------------------------------------------------------------------------
    def init_app(self, app: AppProtocol) -> None:
        if type(self).user_loader is Authentication.user_loader:
            raise ConfigurationError(
                f"{type(self).__name__} must implement 'async def user_loader(self, req)' "
                "returning the request's user or None"
            )
        super().init_app(app)

    def make_state(self, app: AppProtocol, config: AuthenticationConfig) -> AuthState:
        key, fallbacks = self._secret_keys(app, config)
        cfg = config
        legacy_keys: tuple[str, ...] = ()
        if cfg.ACCEPT_LEGACY_COOKIES:
            legacy_keys = (key, *fallbacks)
            app.logger.warning(
                f"{self.configs_name}['ACCEPT_LEGACY_COOKIES'] is on: auth cookies signed by "
                "PyJolt 0.111 (no expiry) are accepted and re-issued; turn it off once users "
                "have been back"
            )
        store: SessionStore | None = None
        if cfg.SESSION_STORE:
            slug = "".join(c if c.isalnum() else "_" for c in app.app_name.lower())
            namespace = cfg.SESSION_NAMESPACE or f"pyjolt_auth_{slug}"
            store = make_store(cfg.SESSION_STORE, namespace)
        state = AuthState(
            app,
            config,
            signer=CookieSigner(key, fallbacks, salt=cfg.COOKIE_SALT, max_age=cfg.COOKIE_MAX_AGE),
            tokens=LoginTokens([key, *fallbacks], cfg.COOKIE_SALT),
            jwt=JwtCodec(
                key,
                fallbacks,
                algorithm=cfg.JWT_ALGORITHM,
                issuer=cfg.JWT_ISSUER,
                audience=cfg.JWT_AUDIENCE,
                leeway=cfg.JWT_LEEWAY,
            ),
            store=store,
            legacy_keys=legacy_keys,
        )
        if legacy_keys:
            enable_legacy_cookies(state, legacy_keys)
        register_credential_cookie(cfg.COOKIE_NAME)  # a response cache keys on it
        return state

    def _state(self) -> AuthState:
        return self._state_as(AuthState)

    def _config_or_none(self) -> AuthenticationConfig | None:
        app = self._current_app_or_none()
        return self._state_as(AuthState, app).config if app is not None else None

    def _secret_keys(self, app: AppProtocol, config: AuthenticationConfig) -> tuple[str, list[str]]:
        debug = bool(app.get_conf("DEBUG", False))
        key = app.get_conf("SECRET_KEY", None)
        raw_fallbacks = app.get_conf("SECRET_KEY_FALLBACKS", None) or []
        fallbacks = [raw_fallbacks] if isinstance(raw_fallbacks, str) else list(raw_fallbacks)
        needed = max(MIN_SECRET_KEY_LENGTH, HMAC_ALGORITHMS[config.JWT_ALGORITHM])
        fix = (
            f"set SECRET_KEY to a random string of at least {needed} characters, e.g. the "
            "output of python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
        if not isinstance(key, str) or not key:
            if not debug:
                raise ConfigurationError(f"{type(self).__name__} needs SECRET_KEY: {fix}")
            app.logger.warning(
                f"SECRET_KEY is not set: {type(self).__name__} uses a random key for this process "
                "(signed cookies and tokens stop working on restart); allowed only because "
                "DEBUG is on"
            )
            return secrets.token_urlsafe(64), fallbacks
        weak = [
            name
            for name, value in [("SECRET_KEY", key)]
            + [(f"SECRET_KEY_FALLBACKS[{i}]", fb) for i, fb in enumerate(fallbacks)]
            if len(value.encode("utf-8")) < needed
        ]
        if weak:
            message = (
                f"{', '.join(weak)} is too short for {type(self).__name__} "
                f"(JWT_ALGORITHM {config.JWT_ALGORITHM}): {fix}"
            )
            if not debug:
                raise ConfigurationError(message)
            app.logger.warning(message + " (allowed only because DEBUG is on)")
        return key, fallbacks

    # -- to implement ----------------------------------------------------------------------
    async def user_loader(self, req: AnyRequest) -> Any:
        """Return the user of the request (from a cookie, a token...) or None."""
        raise NotImplementedError

    async def role_check(self, user: Any, roles: list[Any]) -> bool:
        """True if ``user`` has at least one of ``roles`` (see the class docstring)."""
        have = user.get("roles") if isinstance(user, Mapping) else getattr(user, "roles", None)
        if have is None:
            return False
        if isinstance(have, str | Enum) or not isinstance(have, Iterable):
            have = [have]
        owned = [_role_value(item) for item in have]
        return any(_role_value(role) in owned for role in roles)

    # -- guards ----------------------------------------------------------------------------
    @overload
    def login_required(self, target: T) -> T: ...
    @overload
    def login_required(self, target: None = None) -> Callable[[T], T]: ...
    def login_required(self, target: Any = None) -> Any:
        """Require a logged-in user (401 otherwise); loads it into ``req.user``.

        Works on controller methods, controller classes (inherited by subclasses) and
        ``@socket`` handlers (refused before ``accept``).
        """
        if target is None:
            return self.login_required
        return add_guard(target, LoginGuard(self))

    def role_required(self, *roles: Any) -> Callable[[T], T]:
        """Require a logged-in user with one of ``roles`` (401 without user, 403 without role)."""
        guard = RoleGuard(roles, self)

        def decorator(target: T) -> T:
            result: T = add_guard(target, guard)
            return result

        return decorator

    async def current_user(self, req: AnyRequest) -> Any:
        """``req.user``, loading it with ``user_loader`` the first time; None if anonymous."""
        note_credentials_read(USER)
        if req.user is None:
            await self._resolve_credentials(req)
            if not self._state().legacy_keys:
                req.user = await self.user_loader(req)
                return req.user
            token = track_accepted()
            try:
                req.user = await self.user_loader(req)
            finally:
                accepted = accepted_since(token)
            if req.user is not None:
                self._reissue(req, accepted)
        return req.user

    async def require_user(self, req: AnyRequest) -> Any:
        """Like :meth:`current_user`, but raises ``AuthenticationException`` when anonymous."""
        user = await self.current_user(req)
        if user is None:
            bearer = "bearer" in self.config.SECURITY_SCHEMES
            headers = {"WWW-Authenticate": "Bearer"} if bearer else None
            raise AuthenticationException(self.authentication_message, headers=headers)
        return user

    async def require_roles(self, req: AnyRequest, roles: Iterable[Any]) -> Any:
        """Require a user (401) who passes ``role_check`` for ``roles`` (403)."""
        user = await self.require_user(req)
        if not await self.role_check(user, list(roles)):
            raise UnauthorizedException(self.unauthorized_message)
        return user

    def deploy_checks(self, app: AppProtocol) -> Sequence[Finding]:
        cfg, configs, found = self.state_for(app).config, app.configs, []
        if not cfg.COOKIE_SECURE:
            found.append(Finding(
                "auth.W001", "warning",
                f"{self.configs_name} COOKIE_SECURE is off: login cookies travel over plain HTTP",
                f"remove {self.configs_name}['COOKIE_SECURE']=False and serve over HTTPS",
            ))  # fmt: skip
        wildcard = "*" in (configs.get("CORS_ALLOW_ORIGINS") or ())
        if wildcard and configs.get("CORS_ENABLED") and "cookie" in cfg.SECURITY_SCHEMES:
            found.append(Finding(
                "auth.W002", "warning",
                "CORS allows any origin ('*') on an app that logs users in with cookies",
                "list your front-end origins in CORS_ALLOW_ORIGINS",
            ))  # fmt: skip
        return found

    @property
    def authentication_message(self) -> str:
        cfg = self._config_or_none()
        return cfg.AUTHENTICATION_ERROR_MESSAGE if cfg is not None else "Login required"

    @property
    def unauthorized_message(self) -> str:
        cfg = self._config_or_none()
        return cfg.UNAUTHORIZED_ERROR_MESSAGE if cfg is not None else "Missing user role(s)"

    def security_schemes(self) -> Mapping[str, Mapping[str, Any]]:
        """The OpenAPI security schemes of guarded routes (from ``SECURITY_SCHEMES``)."""
        cfg = self._config_or_none()
        wanted = cfg.SECURITY_SCHEMES if cfg is not None else ["cookie", "bearer"]
        cookie_name = cfg.COOKIE_NAME if cfg is not None else "auth_cookie"
        schemes: dict[str, Mapping[str, Any]] = {}
        if "cookie" in wanted:
            schemes[COOKIE_SCHEME] = {"type": "apiKey", "in": "cookie", "name": cookie_name}
        if "bearer" in wanted:
            schemes[BEARER_SCHEME] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        return schemes

    # -- passwords -------------------------------------------------------------------------
    def create_password_hash(self, password: str) -> str:
        """Argon2id hash of ``password`` (blocks: prefer ``hash_password_async`` in handlers)."""
        return self.password_hasher.hash(password)

    def check_password_hash(self, password: str, hashed_password: str) -> bool:
        """True if ``password`` matches (Argon2 or old bcrypt hash); never raises."""
        return self.password_hasher.verify(password, hashed_password)

    def password_needs_rehash(self, hashed_password: str) -> bool:
        """True when a stored hash should be replaced by a new one (e.g. bcrypt)."""
        return self.password_hasher.needs_rehash(hashed_password)

    async def hash_password_async(self, password: str) -> str:
        """:meth:`create_password_hash` in a worker thread."""
        return await self.password_hasher.hash_async(password)

    create_password_hash_async = hash_password_async

    async def check_password_hash_async(self, password: str, hashed_password: str) -> bool:
        """:meth:`check_password_hash` in a worker thread."""
        return await self.password_hasher.verify_async(password, hashed_password)

    async def check_password_hash_and_update_async(
        self, password: str, hashed_password: str
    ) -> tuple[bool, str | None]:
        """Verify in a worker thread; ``(True, new_hash)`` when the stored hash is outdated."""
        return await self.password_hasher.verify_and_update_async(password, hashed_password)

    # -- JWT -------------------------------------------------------------------------------
    @property
    def jwt(self) -> JwtCodec:
        """The current app's JWT codec."""
        return self._state().jwt

    def create_jwt_token(self, payload: Mapping[str, Any], expires_in: int = 3600) -> str:
        """A signed token with ``payload``, ``iat`` and ``exp`` (now + ``expires_in`` seconds)."""
        return self.jwt.encode(payload, expires_in)

    def validate_jwt_token(self, token: str | None) -> dict[str, Any] | None:
        """The token's claims; None if tampered, expired, ``alg: none`` or malformed."""
        note_credentials_read(USER)
        return self.jwt.decode(token)

    def bearer_token(self, req: AnyRequest) -> str | None:
        """The token of the request's ``Authorization: Bearer ...`` header, or None."""
        note_credentials_read(USER)
        return bearer_token(req.headers)


def _role_value(role: Any) -> Any:
    if isinstance(role, Enum):
        return role.value
    if isinstance(role, str | int):
        return role
    for attr in ("role", "name"):
        value = getattr(role, attr, None)
        if value is not None:
            return _role_value(value)
    return role
