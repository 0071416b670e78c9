from collections.abc import AsyncIterator

import pytest
from notes_app import Application

from pyjolt.testing import PyJoltTestClient


@pytest.fixture
def application() -> Application:
    return Application()


@pytest.fixture
async def client(application: Application) -> AsyncIterator[PyJoltTestClient]:
    async with PyJoltTestClient(application) as c:  # runs the app's start-up and shutdown
        yield c
