"""Security built into the app: CSRF and websocket origin checks, production headers, hosts.

Settings (all in the app config): ``CSRF_ENABLED``, ``CSRF_TRUSTED_ORIGINS``,
``CSRF_REQUIRE_TOKEN``, ``CSRF_COOKIE_NAME``, ``CSRF_FIELD_NAME``, ``CSRF_HEADER_NAME``,
``CSRF_TOKEN_MAX_AGE``, ``WEBSOCKET_ORIGIN_CHECK``, ``WEBSOCKET_ALLOWED_ORIGINS``,
``SECURITY_HEADERS``, ``SECURITY_FRAME_OPTIONS``, ``SECURITY_REFERRER_POLICY``,
``SECURITY_CROSS_ORIGIN_OPENER_POLICY``, ``SECURITY_CONTENT_SECURITY_POLICY``,
``SECURITY_HSTS_SECONDS``, ``SECURITY_HSTS_INCLUDE_SUBDOMAINS``, ``SECURITY_HSTS_PRELOAD``,
``ALLOWED_HOSTS``, ``TRUSTED_PROXIES``, ``ALLOWED_REDIRECT_HOSTS``.
"""

from __future__ import annotations

from pyjolt.security.origin import OriginPolicy, csrf_exempt, csrf_input, csrf_token

__all__ = ["OriginPolicy", "csrf_exempt", "csrf_input", "csrf_token"]
