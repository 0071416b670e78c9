"""Safe names for files a client sent."""

from __future__ import annotations

import os
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_WINDOWS_DEVICES = frozenset(
    {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(1, 10)),
        *(f"LPT{i}" for i in range(1, 10)),
    }
)


def secure_filename(filename: str, default: str = "file") -> str:
    """A name that is safe to store an upload under: ASCII letters, digits, ``_ . -``, no
    folder part, no leading dot, no Windows device name. ``"../../etc/passwd"`` becomes
    ``"etc_passwd"``; a name with nothing left becomes ``default``.
    """
    import unicodedata

    text = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    for sep in (os.sep, os.altsep, "/", "\\"):
        if sep:
            text = text.replace(sep, " ")
    text = re.sub("_{2,}", "_", _UNSAFE.sub("_", "_".join(text.split()))).strip("._")
    if text.split(".")[0].upper() in _WINDOWS_DEVICES:
        text = f"_{text}"
    return text[:200] or default
