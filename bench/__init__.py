"""Benchmarks: the same small app in PyJolt, raw Starlette and FastAPI (``python bench/run.py``)."""
