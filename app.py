"""Run the S3 Observatory: `python app.py` (after `python -m s3map.data build`): gunicorn, or Flask's
development server with S3MAP_DEBUG=1 (see s3map/server.py)."""

from s3map.app_factory import create_app
from s3map.server import main

app = create_app()
server = app.server  # for a WSGI server, e.g. `gunicorn app:server`

if __name__ == "__main__":
    main(app)
