"""Session injection: the wrappers ``managed_session`` / ``readonly_session`` put around a
function, and renaming what they inject once the config's ``SESSION_NAME`` is known."""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from pyjolt.controller.meta import get_endpoint_meta, injects, update_endpoint_meta

R = TypeVar("R")

_SESSION_ATTR = "__pyjolt_sql_session_name__"

# Session wrappers of every SqlDatabase, and for each one the session wrappers stacked above
# it, so that a SESSION_NAME read after decoration reaches the outermost function's metadata.
_SESSION_WRAPPERS: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()
_OUTER_WRAPPERS: weakref.WeakKeyDictionary[
    Callable[..., Any], weakref.WeakSet[Callable[..., Any]]
] = weakref.WeakKeyDictionary()


class SessionWrappers:
    """The session-injecting wrappers one database made."""

    def __init__(self) -> None:
        self._wrappers: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()

    def wrap(
        self,
        fn: Callable[..., Awaitable[R]],
        scope: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        name: str,
        *,
        kind: str,
    ) -> Callable[..., Coroutine[Any, Any, R]]:
        """``fn`` with a session of ``scope`` injected under ``name`` unless the caller passes
        one (``kind`` names the decorator in the error for a sync function)."""
        if not inspect.iscoroutinefunction(inspect.unwrap(fn)) and not inspect.iscoroutinefunction(
            fn
        ):
            raise TypeError(f"@{kind} decorates an async function, got {fn!r}")

        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> R:
            name = getattr(wrapper, _SESSION_ATTR)
            if kwargs.get(name) is not None:
                return await fn(*args, **kwargs)
            async with scope() as session:
                kwargs[name] = session
                return await fn(*args, **kwargs)

        setattr(wrapper, _SESSION_ATTR, name)
        self._wrappers.add(wrapper)
        link: Any = fn
        while link is not None:
            if link in _SESSION_WRAPPERS:
                _OUTER_WRAPPERS.setdefault(link, weakref.WeakSet()).add(wrapper)
            link = getattr(link, "__wrapped__", None)
        _SESSION_WRAPPERS.add(wrapper)
        return injects(wrapper, name)

    def rename(self, name: str) -> None:
        """Point wrappers decorated before the config was read at the configured SESSION_NAME.

        The new name is added to the metadata of the wrapper and of session wrappers stacked
        above it. A foreign wrapping decorator applied above copies the metadata it saw at that
        moment: with those, configure the name before decorating (``SqlDatabase(session_name=)``).
        """
        for wrapper in list(self._wrappers):
            old = getattr(wrapper, _SESSION_ATTR)
            if old == name:
                continue
            setattr(wrapper, _SESSION_ATTR, name)
            for fn in (wrapper, *_OUTER_WRAPPERS.get(wrapper, ())):
                meta = get_endpoint_meta(fn)
                if meta is None:
                    continue
                # the old name is no longer passed, unless a session wrapper below still uses it
                stale = set() if _injects_in_chain(fn, old) else {old}
                update_endpoint_meta(fn, injects=(meta.injects - stale) | {name})


def _injects_in_chain(fn: object, name: str) -> bool:
    """Whether a session wrapper in ``fn``'s ``__wrapped__`` chain injects ``name``."""
    link: object = fn
    while link is not None:
        if link in _SESSION_WRAPPERS and getattr(link, _SESSION_ATTR, None) == name:
            return True
        link = getattr(link, "__wrapped__", None)
    return False
