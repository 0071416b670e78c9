"""PyJolt imports loguru with the same default handler and library folders, more cheaply."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

from pyjolt._internal.loguru_boot import LibDirs, lib_dirs


def test_lib_dirs_are_loguru_s() -> None:
    names = ["stdlib", "platstdlib", "platlib", "purelib"]
    schemes = sysconfig.get_scheme_names()
    paths = {sysconfig.get_path(name, scheme) for scheme in schemes for name in names}
    expected = [os.path.abspath(path).lower() + os.sep for path in paths if path in sys.path]
    assert sorted(lib_dirs()) == sorted(expected)
    assert lib_dirs()


def _after_import(env: dict[str, str]) -> str:
    code = (
        "import os, pyjolt, loguru; "
        "print(sorted(loguru.logger._core.handlers), os.environ.get('LOGURU_AUTOINIT')); "
        "loguru.logger.info('still there')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip() + "|" + ("still there" in done.stderr) * "logged"


def test_default_handler_as_loguru_makes_it() -> None:
    env = {k: v for k, v in os.environ.items() if k != "LOGURU_AUTOINIT"}
    env["PYTHONPATH"] = os.getcwd()
    assert _after_import(env) == "[0] None|logged"


def test_loguru_autoinit_setting_is_kept() -> None:
    env = {**os.environ, "PYTHONPATH": os.getcwd(), "LOGURU_AUTOINIT": "False"}
    assert _after_import(env) == "[] False|"


def test_a_sink_lists_the_library_folders_when_it_first_formats_a_traceback() -> None:
    from loguru._better_exceptions import ExceptionFormatter

    formatter = ExceptionFormatter()
    dirs = formatter._lib_dirs
    assert isinstance(dirs, LibDirs) and dirs._dirs is None  # nothing listed yet
    # a frame in the standard library is not the app's; one in this test file is
    assert not formatter._is_file_mine(os.__file__)
    assert formatter._is_file_mine(__file__)
    assert sorted(dirs) == sorted(lib_dirs()) and dirs._dirs is not None
