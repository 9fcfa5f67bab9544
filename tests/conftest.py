"""Shared fixtures: the built dataset, a live app server, a headless Chromium; and the test lanes.

Markers (pytest.ini): a test that uses the browser is marked `browser`, one that rebuilds the
dataset or imports into it `rebuild`, from the fixtures it asks for, so no test can forget its
mark. Notebooks, image exports and
schemathesis are marked `slow` in their modules. The fast lane is
`pytest -m "not browser and not rebuild and not slow"`.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from devtools.browser import start_browser
from s3map import config
from s3map.app_factory import create_app
from s3map.data.build import build
from s3map.data.store import get_dataset

REPO = Path(__file__).resolve().parent.parent
BROWSER_FIXTURES = {"browser", "live_server"}
REBUILD_FIXTURES = {"built", "scratch_project"}  # scratch_project: the importer reads the upstream files
SLOW_FIXTURES = {"production"}  # starts gunicorn with its workers


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & REBUILD_FIXTURES:
            item.add_marker(pytest.mark.rebuild)
        if fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def dataset():
    build(log=lambda *_: None)  # quick no-op when the set-up command already built it
    return get_dataset()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(dataset):
    """The real app on a loopback port, served from a background thread."""
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
    driver = start_browser(1600, 1000, download_dir=str(downloads))
    yield driver
    driver.quit()


@pytest.fixture()
def mirror() -> Path:
    path = config.mirror_dir()
    if path is None:
        pytest.fail("the offline mirror ../shared/data (or S3MAP_MIRROR) is required for these tests")
    return path
