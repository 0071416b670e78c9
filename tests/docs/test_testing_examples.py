"""docs/topics/testing.md: the example project's own tests pass, run as a user runs them."""

from __future__ import annotations

import subprocess
import sys

from tests.docs.support import EXAMPLES
from tests.services import slow_once


@slow_once
def test_the_example_tests_pass() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLES / "testing",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
