"""Shared fixtures: the built dataset, a live app server, a headless Chromium."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from s3map import config

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def dataset():
    from s3map.data.build import build
    from s3map.data.store import get_dataset
    build(log=lambda *_: None)  # quick no-op when the set-up command already built it
    return get_dataset()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(dataset):
    """The real app on a loopback port, served from a background thread."""
    from werkzeug.serving import make_server
    from s3map.app_factory import create_app

    app = create_app(dataset)
    port = _free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(downloads):
    from s3map.browser import start_browser
    driver = start_browser(1600, 1000, download_dir=str(downloads))
    yield driver
    driver.quit()


@pytest.fixture()
def mirror() -> Path:
    path = config.mirror_dir()
    if path is None:
        pytest.fail("the offline mirror ../shared/data (or S3MAP_MIRROR) is required for these tests")
    return path
