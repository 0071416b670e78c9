"""Jinja2 templates: one async environment per app."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

#: Template file extensions rendered with HTML autoescaping.
AUTOESCAPE_EXTENSIONS = ("html", "htm", "xml", "xhtml", "svg", "jinja", "jinja2", "j2")


class Templates:
    """The app's Jinja2 environment (async rendering, autoescape for HTML, strict undefined).

    Jinja2 is imported and the environments built on first use: apps without templates do not
    pay for them at start-up.
    """

    def __init__(
        self,
        directory: str,
        *,
        strict: bool = True,
        globals: dict[str, Any] | None = None,
        request_globals: dict[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        self.directory = directory
        self.strict = strict
        self._globals: dict[str, Any] = dict(globals or {})
        #: functions of the request being rendered, e.g. ``{{ csrf_token() }}``
        self._request_globals = dict(request_globals or {})

    @cached_property
    def env(self) -> jinja2.Environment:
        """The async environment (template files)."""
        import jinja2

        directory, strict = self.directory, self.strict
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            autoescape=jinja2.select_autoescape(AUTOESCAPE_EXTENSIONS, default_for_string=True),
            undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
            enable_async=True,
        )
        env.globals.update(self._globals)
        for name, fn in self._request_globals.items():
            env.globals[name] = jinja2.pass_context(lambda ctx, f=fn: f(ctx.get("request")))
        return env

    @cached_property
    def sync_env(self) -> jinja2.Environment:
        """The synchronous, sandboxed environment of ``render_string`` (``html_from_string``).

        Sandboxed so a template string cannot reach Python internals
        (``{{ ''.__class__.__mro__ }}``); still, never render a string that a user wrote.
        """
        from jinja2.sandbox import SandboxedEnvironment

        env = SandboxedEnvironment(
            loader=self.env.loader,
            autoescape=self.env.autoescape,
            undefined=self.env.undefined,
        )
        env.globals.update(self.env.globals)
        return env

    def add_global(self, name: str, value: Callable[..., Any] | Any) -> None:
        self._globals[name] = value
        for attr in ("env", "sync_env"):
            if attr in self.__dict__:  # already built
                self.__dict__[attr].globals[name] = value

    async def render(self, template_path: str, context: dict[str, Any]) -> str:
        """Render a template file (path relative to the templates folder)."""
        template = self.env.get_template(template_path.lstrip("/").replace(os.sep, "/"))
        return await template.render_async(**context)

    def render_string(self, source: str, context: dict[str, Any]) -> str:
        """Render a template given as a string (sandboxed; never for user input)."""
        return self.sync_env.from_string(source).render(**context)
