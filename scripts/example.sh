#!/usr/bin/env bash
# Starts the example app on a fresh machine: creates .venv, installs PyJolt with its extras,
# and serves examples/app on http://127.0.0.1:8080 (SQLite and an in-memory cache; no server
# to install). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=python3.11
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[full]" email-validator
cd examples/app
exec ../../.venv/bin/python run.py
