"""What a request's answer may depend on: its credentials, and whether a handler read them.

Shared by the auth helpers (which report their use) and the response cache (which watches
a handler while it runs, so an answer built from a user's credentials is never shared).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

#: Names of cookies that log a user in (each ``Authentication`` registers its own).
CREDENTIAL_COOKIES: set[str] = {"auth_cookie"}
#: Request headers that carry credentials.
CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")

#: The answer depends on who the user is: store it per user (per credentials).
USER = "user"
#: The answer depends on a secret value the cache cannot key on: do not store it.
OPAQUE = "opaque"


@dataclass
class CredentialReads:
    """What the code watched by :func:`watch_credentials` read (``USER`` / ``OPAQUE``)."""

    kinds: set[str] = field(default_factory=set)


_READS: ContextVar[CredentialReads | None] = ContextVar("pyjolt_credential_reads", default=None)


def register_credential_cookie(name: str) -> None:
    """Count cookie ``name`` as a credential (an auth extension's login cookie)."""
    CREDENTIAL_COOKIES.add(name)


def note_credentials_read(kind: str = USER) -> None:
    """Report that the running code looked at the request's credentials (auth helpers)."""
    reads = _READS.get()
    if reads is not None:
        reads.kinds.add(kind)


@contextmanager
def watch_credentials() -> Iterator[CredentialReads]:
    """Collect the credential reads of the code run inside (tasks it starts included)."""
    reads = CredentialReads()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def credential_kind(headers: Mapping[str, str], cookies: Mapping[str, str]) -> str | None:
    """``"header"`` (an ``Authorization`` header), ``"cookie"`` (a login cookie) or None."""
    if any(name in headers for name in CREDENTIAL_HEADERS):
        return "header"
    return "cookie" if any(name in cookies for name in CREDENTIAL_COOKIES) else None


def credential_values(
    headers: Mapping[str, str], cookies: Mapping[str, str]
) -> list[tuple[str, str]]:
    """The credentials a request carries, as ``(source, value)`` pairs (sorted)."""
    found = [(f"header:{name}", headers[name]) for name in CREDENTIAL_HEADERS if name in headers]
    found += [(f"cookie:{name}", cookies[name]) for name in CREDENTIAL_COOKIES if name in cookies]
    return sorted(found)
