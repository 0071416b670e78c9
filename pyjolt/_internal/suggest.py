"""Did-you-mean: the known name a misspelt one was most likely meant to be."""

from __future__ import annotations

from collections.abc import Collection, Iterable


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment), capped at
    ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _folded(name: str) -> str:
    return name.replace("_", "").replace("-", "").upper()


def closeness(name: str, known: str) -> int | None:
    """How close ``name`` is to ``known`` (lower is closer), or None when it is not close.

    Close means: the same but for case or underscores, singular for plural (or the reverse),
    or a small edit distance (a swapped pair of letters for names up to 4 characters, one edit
    up to 11 characters, two beyond). Identical names are not "close": they are the name.
    """
    if name == known:
        return None
    a, b = _folded(name), _folded(known)
    if a == b:
        return 0
    for singular, plural in ((a, b), (b, a)):
        if plural in (singular + "S", singular + "ES"):
            return 1
    a, b = name.upper(), known.upper()
    shortest = min(len(a), len(b))
    if shortest <= 4:
        swapped = len(a) == len(b) and sorted(a) == sorted(b)
        return 1 if swapped and _distance(a, b, 1) == 1 else None
    limit = 1 if shortest < 12 else 2
    distance = _distance(a, b, limit)
    return distance if distance <= limit else None


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``name`` (see ``closeness``), or None."""
    best: tuple[int, str] | None = None
    for candidate in known:
        score = closeness(name, candidate)
        if score is not None and (best is None or (score, candidate) < best):
            best = (score, candidate)
    return best[1] if best else None


def listed(keys: Collection[str]) -> str:
    """``keys`` sorted and joined for a message, or ``(none)``."""
    return ", ".join(sorted(keys)) or "(none)"


def key_hint(key: str, keys: Collection[str], *, prefix: str = "") -> str:
    """The hint for an unknown ``key``: ``did you mean <prefix><close>?``, else the keys."""
    close = did_you_mean(key, keys)
    return f"did you mean {prefix}{close}?" if close else f"its keys are {listed(keys)}"
