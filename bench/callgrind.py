"""CPU instructions of a measured window of a Python run, counted by callgrind.

Instruction counts do not depend on the machine's load, unlike req/s or CPU time on a shared
machine. The child runs under ``valgrind --tool=callgrind --instr-atstart=no``, so start-up
and warm-up run uninstrumented (fast); it switches instrumentation on around the measured part
only, through callgrind's client requests in a tiny C library built here (``cc`` and
valgrind's headers needed). Without them, the count covers the whole run: take two runs, N
and 0 requests, and divide the difference by N.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ENV = "PYJOLT_BENCH_CALLGRIND_LIB"
_SOURCE = """#include <valgrind/callgrind.h>
void bench_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void bench_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
"""


def available() -> bool:
    return shutil.which("valgrind") is not None


def _toggle_library(folder: Path) -> str | None:
    """Build the start/stop library; None without a compiler or valgrind's headers."""
    if not shutil.which("cc") or not Path("/usr/include/valgrind/callgrind.h").exists():
        return None
    (folder / "toggle.c").write_text(_SOURCE)
    lib = folder / "toggle.so"
    done = subprocess.run(
        ["cc", "-O1", "-shared", "-fPIC", "-o", str(lib), str(folder / "toggle.c")],
        capture_output=True,
    )
    return str(lib) if done.returncode == 0 else None


@contextlib.contextmanager
def window() -> Iterator[None]:
    """The measured part of a child run (instrumented only inside, when the library is set)."""
    path = os.environ.get(ENV)
    lib = ctypes.CDLL(path) if path else None
    if lib is not None:
        lib.bench_start()
    try:
        yield
    finally:
        if lib is not None:
            lib.bench_stop()


def _count(argv: list[str], folder: Path, lib: str | None) -> int:
    out = folder / "callgrind.out"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    options = [f"--callgrind-out-file={out}"]
    if lib is not None:
        env[ENV] = lib
        options.append("--instr-atstart=no")
    subprocess.run(
        ["valgrind", "--tool=callgrind", *options, sys.executable, "-m", *argv],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    match = re.search(r"^totals:\s+(\d+)", out.read_text(), re.MULTILINE)
    assert match, "no callgrind totals"
    out.unlink()
    return int(match.group(1))


def per_request(argv: list[str], requests: int) -> float:
    """Instructions per request of ``python -m *argv REQUESTS`` (the module serves REQUESTS
    requests inside ``window()`` after its warm-up, whatever REQUESTS is)."""
    with tempfile.TemporaryDirectory(prefix="pyjolt-bench-cg-") as tmp:
        folder = Path(tmp)
        lib = _toggle_library(folder)
        full = _count([*argv, str(requests)], folder, lib)
        if lib is not None:
            return full / requests
        return (full - _count([*argv, "0"], folder, lib)) / requests
