#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs, then nox.
#   bash scripts/test.sh            # the full matrix + lint, typecheck, import layers
#   bash scripts/test.sh -s tests-3.11  # any nox arguments
set -euo pipefail
cd "$(dirname "$0")/.."

# Interpreters: pyenv provides 3.11-3.13 on these machines; never download one.
if command -v pyenv >/dev/null 2>&1; then
  PYENV_VERSION="$(pyenv versions --bare | grep -E '^3\.1[123]\.[0-9]+$' | sort -V | tr '\n' ':' | sed 's/:$//')"
  export PYENV_VERSION
fi
export UV_PYTHON_DOWNLOADS=never NOX_DOWNLOAD_PYTHON=never PIP_DISABLE_PIP_VERSION_CHECK=1

bash scripts/services.sh

BOOT=.venv-tools
if [ ! -x "$BOOT/bin/nox" ]; then
  python3.11 -m venv "$BOOT"
  "$BOOT/bin/pip" install -q "nox>=2024.4" "uv>=0.5"
fi
export PATH="$PWD/$BOOT/bin:$PATH"

if [ "$#" -gt 0 ]; then
  exec nox "$@"
fi
exec nox -s tests e2e lint typecheck imports docs
