#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite, browser tests included (headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "run-tests: installing Debian chromium and chromium-driver"
  sudo_cmd=$(command -v sudo || true)
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi
scripts/install-nginx.sh  # the two-instance test puts nginx in front of two app servers
scripts/setup.sh requirements-test.txt
exec .venv/bin/python -m pytest "$@"
