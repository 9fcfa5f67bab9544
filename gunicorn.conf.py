"""gunicorn settings for the S3 Observatory (`scripts/run-app.sh`; `gunicorn -c gunicorn.conf.py app:server`).

The dataset is loaded once in the master before the workers fork (preload_app), so every worker
shares it and serves the same version; the build keeps that version on disk while it is held.
"""

from s3map import config as s3map_config

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
