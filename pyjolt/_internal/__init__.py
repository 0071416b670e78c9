"""Internal helpers (standard library only)."""
