#!/usr/bin/env bash
# Set up (if needed) and start the S3 Observatory on http://127.0.0.1:8050
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh requirements.txt
exec .venv/bin/python app.py
