"""The registry: import strings in config lists, errors naming the key and the index."""

import pytest

from pyjolt.exceptions import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app
from tests.core.support import HelloApi


def test_bad_import_string_names_key_and_index() -> None:
    with pytest.raises(
        ConfigurationError, match=r"CONTROLLERS\[1\] 'tests.core.support:Missing'.*no attribute"
    ):
        make_app(controllers=[HelloApi, "tests.core.support:Missing"])
    with pytest.raises(ConfigurationError, match=r"CONTROLLERS\[0\].*could not be found"):
        make_app(controllers=["no_such_module.api:Api"])
    with pytest.raises(
        ConfigurationError, match=r"EXCEPTION_HANDLERS\[0\].*expected an ExceptionHandler"
    ):
        make_app(EXCEPTION_HANDLERS=["tests.core.support:HelloApi"])


async def test_import_strings_resolve() -> None:
    application = make_app(controllers=["tests.core.support:HelloApi"])
    async with PyJoltTestClient(application) as client:
        assert (await client.get("/api/hello")).json()["hello"] == "world"


def test_import_string_fields_of_extension_configs_are_resolved_by_the_registry() -> None:
    from typing import Annotated

    from pydantic import ValidationError

    from pyjolt.exceptions import ExceptionHandler
    from pyjolt.extension import ExtensionConfig
    from pyjolt.registry import ImportString

    def is_handler(obj: object) -> bool:
        return isinstance(obj, type) and issubclass(obj, ExceptionHandler)

    class Section(ExtensionConfig):
        HANDLER: Annotated[type, ImportString("an ExceptionHandler subclass", is_handler)]

    assert Section(HANDLER="pyjolt.exceptions:ExceptionHandler").HANDLER is ExceptionHandler
    assert Section(HANDLER=ExceptionHandler).HANDLER is ExceptionHandler
    with pytest.raises(ValidationError, match="module 'no_such_module' could not be found"):
        Section(HANDLER="no_such_module:Handler")
    with pytest.raises(ValidationError, match="expected an ExceptionHandler subclass"):
        Section(HANDLER="tests.core.support:HelloApi")
