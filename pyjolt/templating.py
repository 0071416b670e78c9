"""Jinja2 templates: one async environment per app."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import jinja2


class Templates:
    """The app's Jinja2 environment (async rendering, autoescape for HTML, strict undefined)."""

    def __init__(
        self, directory: str, *, strict: bool = True, globals: dict[str, Any] | None = None
    ) -> None:
        self.directory = directory
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            autoescape=jinja2.select_autoescape(
                ("html", "htm", "xml", "jinja", "j2"), default_for_string=True
            ),
            undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
            enable_async=True,
        )
        self.sync_env = jinja2.Environment(
            loader=self.env.loader,
            autoescape=self.env.autoescape,
            undefined=self.env.undefined,
        )
        for env in (self.env, self.sync_env):
            env.globals.update(globals or {})

    def add_global(self, name: str, value: Callable[..., Any] | Any) -> None:
        self.env.globals[name] = value
        self.sync_env.globals[name] = value

    async def render(self, template_path: str, context: dict[str, Any]) -> str:
        """Render a template file (path relative to the templates folder)."""
        template = self.env.get_template(template_path.lstrip("/").replace(os.sep, "/"))
        return await template.render_async(**context)

    def render_string(self, source: str, context: dict[str, Any]) -> str:
        """Render a template given as a string."""
        return self.sync_env.from_string(source).render(**context)
