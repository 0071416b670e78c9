"""Is a ``SECRET_KEY`` fit for production? Placeholders and low-entropy values are not."""

from __future__ import annotations

import math
import string
import zlib

#: Bits of randomness a production key needs (estimated).
MIN_SECRET_BITS = 128
#: The command that prints a good key.
GENERATE_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
#: Example keys from PyJolt's template, README and the spec.
KNOWN_PLACEHOLDERS = frozenset(
    {
        "change-me-to-a-long-random-string",
        "change-me-to-a-long-random-string-0123456789",
        "some-super-secret-key",
        "example-secret-key-change-me-please-0123456789",
    }
)
#: Words that mark a value as a placeholder, not a generated key (compared case-insensitively).
PLACEHOLDER_WORDS = (
    "change-me",
    "changeme",
    "change_me",
    "secret",
    "password",
    "placeholder",
    "replace-me",
    "replaceme",
    "example",
    "insecure",
    "dummy",
)
_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
_EMPTY_COMPRESSED = len(zlib.compress(b"", 9))


def estimated_bits(value: str) -> float:
    """A rough upper bound of the randomness in ``value``, in bits.

    The smaller of: the length times the bits of the character classes it uses (lower case,
    upper case, digits, others), and the size of the value compressed (repeated patterns such
    as ``"s" * 40`` or ``"abc-" * 10`` compress to almost nothing).
    """
    if not value:
        return 0.0
    alphabet = sum(len(c) for c in _CLASSES if any(ch in c for ch in value))
    if any(not any(ch in c for c in _CLASSES) for ch in value):
        alphabet += 33  # punctuation and the rest
    by_classes = len(value) * math.log2(alphabet)
    compressed = (len(zlib.compress(value.encode("utf-8"), 9)) - _EMPTY_COMPRESSED) * 8
    return float(min(by_classes, compressed))


def weak_secret_reason(value: str) -> str | None:
    """Why ``value`` must not sign production cookies and tokens, or None when it may."""
    if value in KNOWN_PLACEHOLDERS:
        return "it is an example value from PyJolt's documentation"
    lowered = value.lower()
    for word in PLACEHOLDER_WORDS:
        if word in lowered:
            return f"it looks like a placeholder (it contains {word!r})"
    bits = estimated_bits(value)
    if bits < MIN_SECRET_BITS:
        return (
            f"it has too little randomness (about {int(bits)} bits estimated; "
            f"at least {MIN_SECRET_BITS} are needed)"
        )
    return None
