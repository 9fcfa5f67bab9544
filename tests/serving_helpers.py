"""Start the app the way scripts/run-app.sh does (gunicorn via `python -m s3map.server`) for tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import requests

from devtools.ports import free_port
from s3map import config


@contextmanager
def production_server(workers: int = 2, **env):
    """gunicorn on a loopback port; yields its base URL; stopped (SIGTERM to the master) afterwards."""
    port = free_port()
    environment = {**os.environ, "S3MAP_PORT": str(port), "S3MAP_HOST": "127.0.0.1",
                   "S3MAP_WORKERS": str(workers), "S3MAP_DEBUG": "", **env}
    log = tempfile.TemporaryFile("w+")  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen([sys.executable, "-m", "s3map.server"], cwd=config.PROJECT_ROOT, env=environment,
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    process.log = log
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout: float = 90) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            process.log.seek(0)
            raise RuntimeError(f"server exited with {process.returncode}: {process.log.read()[-2000:]}")
        try:
            response = requests.get(f"{url}/healthz", timeout=2)
            if response.status_code == 200:
                return response.json()
        except requests.RequestException:  # not listening yet, or still warming before the workers fork
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not healthy after {timeout} s")
