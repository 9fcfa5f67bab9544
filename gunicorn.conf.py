"""gunicorn settings for the S3 Observatory (`scripts/run-app.sh`; `gunicorn -c gunicorn.conf.py app:server`).

The dataset is loaded once in the master before the workers fork (preload_app), so every worker
shares it and serves the same version; the build keeps that version on disk while it is held.
"""

import time

from s3map import config as s3map_config
from s3map.app_factory import warm_views

bind = f"{s3map_config.HOST}:{s3map_config.PORT}"
workers = s3map_config.workers()
# Threads let a worker answer a second browser while the first one's connection idles (keep-alive);
# callbacks are short CPU work, so a few are enough.
worker_class = "gthread"
threads = s3map_config.threads()
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
# A callback request is a few kilobytes; refuse absurd request lines and headers at the socket.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-" if s3map_config.ACCESS_LOG else None
errorlog = "-"
loglevel = "info"
proc_name = "s3map"
# No runtime control socket: several instances may share a host, and it is one more way in.
control_socket_disable = True


def when_ready(server):
    """In the master, after the app is loaded and before the workers fork: warm the views every worker
    would otherwise build on its own (S3MAP_WARM=0 skips it, e.g. for a quick local start)."""
    if s3map_config.WARM_VIEWS:
        started = time.perf_counter()
        count = warm_views()
        server.log.info("warmed the panels of %d regions in %.1f s (shared by every worker)", count,
                        time.perf_counter() - started)
