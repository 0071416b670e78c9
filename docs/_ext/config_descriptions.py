"""Descriptions of config keys whose pydantic field has none, by section and key.

tests/docs/test_config_reference.py fails when a key has no description (neither here nor in
its model) and when an entry here names a key that no longer exists.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, dict[str, str]] = {}
