"""The configuration reference lists every key of BaseConfig and of every extension section."""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from typing import Any

import pyjolt
from pyjolt.config import BaseConfig
from pyjolt.extension import BaseExtension
from tests.docs.site import built_site, docs_module

reference = docs_module("config_reference")
descriptions = docs_module("config_descriptions")

#: the sections PyJolt ships with today (the walk below must find at least these)
KNOWN_SECTIONS = {
    "ADMIN", "AI_INTERFACE", "AUTHENTICATION", "CACHE", "EMAIL_CLIENT", "NOSQL_DATABASE",
    "RATE_LIMIT", "SQL_DATABASE", "TASK_MANAGER", "TASK_QUEUE",
}  # fmt: skip
ROW = re.compile(
    r"^\| `(?P<key>[A-Z0-9_]+)` \| (?P<type>.+?) \| (?P<default>.+?) \| (?P<desc>.*) \|$"
)


def _extension_models() -> dict[str, Any]:
    """Every extension class of the package with a config model, found independently of the
    generator: import every module, then walk BaseExtension's subclasses."""
    for info in pkgutil.walk_packages(pyjolt.__path__, "pyjolt."):
        if info.name != "pyjolt.mypy_plugin":  # imports mypy: only mypy loads it, no extension
            importlib.import_module(info.name)
    found: dict[str, Any] = {}
    todo = list(BaseExtension.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("pyjolt.") and cls.config_model is not None:
            found[cls.default_configs_name] = cls.config_model
    return found


def _cell(row: re.Match[str], column: str) -> str:
    """A cell's text as written in the model: code marks and table escapes removed."""
    return row[column].strip("`").strip().replace("\\|", "|")


def _rendered_tables() -> dict[str, dict[str, re.Match[str]]]:
    """The generated Markdown, parsed back: section -> key -> table row."""
    tables: dict[str, dict[str, re.Match[str]]] = {}
    current = ""
    for line in reference.render_markdown().splitlines():
        if line.startswith("## "):
            heading = re.findall(r"`([A-Za-z_]+)`", line)
            current = heading[0] if heading else line
            tables[current] = {}
        elif (row := ROW.match(line)) is not None:
            tables[current][row["key"]] = row
    return tables


def test_every_basecfg_key_is_in_the_reference_with_type_and_default() -> None:
    rows = _rendered_tables()["BaseConfig"]
    assert set(BaseConfig.model_fields) == set(rows)
    for key, field in BaseConfig.model_fields.items():
        assert _cell(rows[key], "type") == reference.type_name(field.annotation)
        assert _cell(rows[key], "default") == reference.default_text(field)
    assert rows["PORT"]["type"] == "`int`" and rows["PORT"]["default"] == "`8080`"
    assert rows["DEBUG"]["default"] == "`False`"
    assert rows["BASE_PATH"]["type"] == "`str \\| None`"


def test_every_extension_setting_is_in_the_reference() -> None:
    models = _extension_models()
    assert set(models) >= KNOWN_SECTIONS
    tables = _rendered_tables()
    assert set(tables) == {"BaseConfig", *models}
    for section, model in models.items():
        assert set(tables[section]) == set(model.model_fields), section
        for key, field in model.model_fields.items():
            assert _cell(tables[section][key], "default") == reference.default_text(field)
    lock_url = tables["TASK_MANAGER"]["LOCK_URL"]
    assert lock_url["type"] == "`str \\| None`" and lock_url["default"] == "`None`"
    assert tables["SQL_DATABASE"]["DATABASE_URI"]["default"] == "`required`"


def test_every_key_has_a_description_and_no_description_is_stale() -> None:
    models = {"BaseConfig": BaseConfig, **_extension_models()}
    for name, rows in _rendered_tables().items():
        missing = [key for key, row in rows.items() if not row["desc"].strip()]
        assert not missing, f"{name}: no description for {missing}"
    for section, keys in descriptions.DESCRIPTIONS.items():
        assert section in models, f"config_descriptions.py: no section {section}"
        stale = set(keys) - set(models[section].model_fields)
        assert not stale, f"config_descriptions.py: {section} has no keys {sorted(stale)}"


def test_descriptions_come_from_the_models_comments_and_docstrings() -> None:
    """The code stays the source: ``#:`` comments, docstring key lists, field descriptions."""
    tables = _rendered_tables()
    assert "OpenAI-Organization" in tables["AI_INTERFACE"]["ORGANIZATION_ID"]["desc"]
    assert "claim each run in Redis" in tables["TASK_MANAGER"]["LOCK_URL"]["desc"]
    assert tables["BaseConfig"]["TRUSTED_PROXIES"]["desc"] == (
        BaseConfig.model_fields["TRUSTED_PROXIES"].description
    )
    # a key that two docstring items name gets the first; a later "KEY: text" in the same
    # item is split off ("CONNECT_ARGS: ...; ENGINE_OPTIONS: ...")
    assert "create_async_engine" in tables["SQL_DATABASE"]["ENGINE_OPTIONS"]["desc"]
    assert "create_async_engine" not in tables["SQL_DATABASE"]["CONNECT_ARGS"]["desc"]


def test_the_built_page_lists_every_key() -> None:
    """In `nox -s docs`: the configuration page of the built site holds every key."""
    page = html.unescape((built_site() / "configuration.html").read_text(encoding="utf-8"))
    for section in reference.sections():
        assert section.name in page
        for setting in section.settings:
            assert f">{setting.key}<" in page, f"{section.name}.{setting.key} not on the page"
