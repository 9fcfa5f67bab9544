#!/usr/bin/env bash
# Set up everything the app needs, idempotently: virtual environment, packages, dataset.
# Usage: scripts/setup.sh [requirements file]   (default requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
requirements="${1:-requirements.txt}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    echo "setup: installing python3-venv (Debian)"; rm -rf .venv
    $(command -v sudo || true) apt-get update -qq && $(command -v sudo || true) apt-get install -y -qq python3-venv
    "$python" -m venv .venv
  fi
fi

# Reinstall only when the requirement files changed since the last successful install.
stamp=".venv/.installed-$(basename "$requirements")"
wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" > "$stamp"
fi

.venv/bin/python -m s3map.data build
