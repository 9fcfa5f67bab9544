"""Start the app the way scripts/run-app.sh does (gunicorn via `python -m s3map.server`) for tests;
the same code as the load benchmark's (devtools/servers.py)."""

from __future__ import annotations

from contextlib import contextmanager

from devtools.ports import free_port
from devtools.servers import gunicorn_server, wait_healthy

__all__ = ["free_port", "production_server", "wait_healthy"]


@contextmanager
def production_server(workers: int = 2, **env):
    """gunicorn on a loopback port; yields its base URL; stopped (SIGTERM to the master) afterwards."""
    with gunicorn_server(free_port(), workers, **env) as (_, url):
        yield url
