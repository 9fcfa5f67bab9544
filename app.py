"""Run the S3 Observatory: `python app.py` (after `python -m s3map.data build`)."""

from s3map import config
from s3map.app_factory import create_app

app = create_app()
server = app.server  # for a WSGI server, e.g. `gunicorn app:server`

if __name__ == "__main__":
    app.run(host=config.HOST, port=config.PORT, debug=config.DEBUG)
