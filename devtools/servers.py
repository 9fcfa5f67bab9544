"""Start the app's servers on loopback ports, for the load benchmark and the serving tests alike:
gunicorn as `scripts/run-app.sh` runs it (`python -m s3map.server`) and Flask's development server
as `python app.py` ran it before (the benchmark's baseline). Each is stopped with SIGTERM afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import requests

from s3map import config


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout: float = 120) -> dict:
    """/healthz's answer once the server gives one; the server's last output if it exits first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}: {output_of(process)[-2000:]}")
        try:
            response = requests.get(url + "/healthz", timeout=2)
            if response.status_code == 200:
                return response.json()
        except requests.RequestException:  # not listening yet, or still warming before the workers fork
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not healthy after {timeout} s")


def output_of(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read()


@contextmanager
def _server(command: list[str], port: int, env: dict):
    # A file, not a pipe: a full pipe would stall the server.
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(command, cwd=config.PROJECT_ROOT, env={**os.environ, **env}, stdout=log,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    process.log = log
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield process, url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def gunicorn_server(port: int, workers: int | None = None, **env):
    """gunicorn with gunicorn.conf.py; yields (process, base URL)."""
    settings = {"S3MAP_PORT": str(port), "S3MAP_HOST": "127.0.0.1", "S3MAP_DEBUG": "", **env}
    if workers:
        settings["S3MAP_WORKERS"] = str(workers)
    return _server([sys.executable, "-m", "s3map.server"], port, settings)


def dev_server(port: int, **env):
    """Flask's development server, as `python app.py` ran it before (threaded, no debugger); yields
    (process, base URL)."""
    code = ("from s3map import config; from app import app; "
            "app.run(host='127.0.0.1', port=config.PORT, debug=False)")
    return _server([sys.executable, "-c", code], port, {"S3MAP_PORT": str(port), "S3MAP_DEBUG": "", **env})
