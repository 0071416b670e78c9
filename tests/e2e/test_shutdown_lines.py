"""uvicorn's last lines ("Application shutdown complete", "Finished server process") are
written when a real server stops: the app does not remove the log sinks under them."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.services import start_uvicorn


def test_uvicorn_final_lines_are_written(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    with (tmp_path / "server.log").open("w+b") as log:
        proc, _ = start_uvicorn("tests.e2e.sample_app:Application", "--factory", env=env, log=log)
        try:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    output = (tmp_path / "server.log").read_text(errors="replace")
    assert "Application shutdown complete" in output, output
    assert "Finished server process" in output.strip().splitlines()[-1], output
