"""Fixtures of the auth tests."""

from __future__ import annotations

import pytest

from tests.auth.support import Auth


@pytest.fixture
def auth() -> Auth:
    """A fresh ``Authentication`` subclass instance (cookie or bearer JWT users)."""
    return Auth()
