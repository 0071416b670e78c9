"""Names kept from PyJolt 0.111 so that its apps run unchanged; each one warns once used."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

#: Where the list of differences from 0.111 (and the change each one asks for) lives.
UPGRADE_NOTES = "README, 'Upgrading from PyJolt 0.111'"


def warn_deprecated(old: str, current: str, *, stacklevel: int = 3) -> None:
    """A ``DeprecationWarning`` naming the 0.111 spelling and the current way."""
    warnings.warn(
        f"{old} is kept from PyJolt 0.111 for compatibility; {current} (see {UPGRADE_NOTES})",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def deprecated_names(
    module: str, names: dict[str, tuple[Callable[[], Any], str]]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving 0.111 names: ``{name: (loader, current way)}``.

    The loader runs on each access (nothing is cached in the module), so every import of an
    old name warns where it is written.
    """

    def __getattr__(name: str) -> Any:
        entry = names.get(name)
        if entry is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        loader, current = entry
        warn_deprecated(f"{module}.{name}", current)
        return loader()

    return __getattr__
