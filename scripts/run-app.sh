#!/usr/bin/env bash
# Set up (if needed) and start the S3 Observatory on http://127.0.0.1:8050
# Production server: gunicorn, workers from the CPU count (S3MAP_WORKERS), dataset loaded before
# forking; health check on /healthz. S3MAP_DEBUG=1 runs Flask's development server instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh requirements.txt
exec .venv/bin/python -m s3map.server
