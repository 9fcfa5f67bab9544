"""The production server: gunicorn, health check, security headers, size limit, compression, CSP in a browser."""

from __future__ import annotations

import re
import socket
import threading
import time

import flask
import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from s3map import config
from s3map.server import QuietRequestHandler
from serving_helpers import free_port, production_server

# Runs in the page before any of its scripts (DevTools), so it sees every CSP violation.
RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def production(dataset):
    with production_server(workers=2) as url:
        yield url


def test_run_app_serves_with_gunicorn_and_a_health_check_naming_the_dataset(production, dataset):
    health = requests.get(f"{production}/healthz", timeout=5)
    assert health.status_code == 200 and health.headers["Cache-Control"] == "no-store"
    body = health.json()
    assert body["status"] == "ok"
    assert body["dataset"]["version"] == dataset.folder.name
    assert body["dataset"]["fingerprint"] == (dataset.folder / "fingerprint").read_text().strip()[:16]
    page = requests.get(production, timeout=10)
    assert page.status_code == 200 and "S3 Observatory" in page.text
    assert page.headers["Server"] == "gunicorn"  # gunicorn names itself, without a version
    assert "scripts/run-app.sh" in (config.PROJECT_ROOT / "README.md").read_text()
    assert "python -m s3map.server" in (config.PROJECT_ROOT / "scripts" / "run-app.sh").read_text()


def test_page_headers_allow_no_external_origin(production):
    headers = requests.get(production, timeout=10).headers
    csp = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert re.fullmatch(r"'self'( 'sha256-[A-Za-z0-9+/=]{44}')+", directives["script-src"])
    assert not re.search(r"https?:|\*|'unsafe-eval'", csp)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_geojson_and_scripts_stay_compressed_and_cached(production, dataset):
    geo = requests.get(f"{production}/geo/{dataset.geo_files['2']}", headers={"Accept-Encoding": "gzip, br"},
                       timeout=10)
    assert geo.status_code == 200 and geo.headers["Content-Type"] == "application/geo+json"
    assert geo.headers["Content-Encoding"] in {"gzip", "br"}
    assert "immutable" in geo.headers["Cache-Control"] and "max-age=31536000" in geo.headers["Cache-Control"]
    assert geo.headers["X-Content-Type-Options"] == "nosniff"
    assert geo.headers.get("Content-Disposition", "").endswith(f"filename={dataset.geo_files['2']}")  # not .br
    assert len(geo.json()["features"]) > 200
    page = requests.get(production, timeout=10).text
    script = re.search(r'src="(/_dash-component-suites/[^"]+\.js)"', page).group(1)
    bundle = requests.get(production + script, headers={"Accept-Encoding": "gzip, br"}, timeout=10)
    assert bundle.headers["Content-Encoding"] in {"gzip", "br"}
    assert "max-age" in bundle.headers.get("Cache-Control", "")


def test_a_request_larger_than_the_limit_is_answered_413_without_being_read(production):
    limit = config.MAX_REQUEST_BYTES
    with socket.create_connection(("127.0.0.1", int(production.rsplit(":", 1)[1])), timeout=10) as sock:
        # Announce 200 MB, send only the headers: the answer must come without the body.
        sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 200000000\r\n\r\n")
        status = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status == b"HTTP/1.1 413 REQUEST ENTITY TOO LARGE"
    small = requests.post(f"{production}/_dash-update-component", data=b"x" * (limit // 2),
                          headers={"Content-Type": "application/json"}, timeout=10)
    assert small.status_code != 413
    just_over = requests.post(f"{production}/_dash-update-component", data=b"x" * (limit + 1),
                              headers={"Content-Type": "application/json"}, timeout=10)
    assert just_over.status_code == 413 and "larger than" in just_over.json()["error"]


@pytest.mark.slow  # starts gunicorn
def test_sites_allowed_to_embed_the_app_are_a_setting(dataset):
    with production_server(workers=1, S3MAP_FRAME_ANCESTORS="https://forum.example.eu") as url:
        headers = requests.get(url, timeout=10).headers
    assert "frame-ancestors 'self' https://forum.example.eu" in headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in headers  # it cannot name another site; frame-ancestors does


def test_workers_come_from_the_cpu_count_or_the_setting(monkeypatch):
    monkeypatch.delenv("S3MAP_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert config.workers() == 3
    monkeypatch.setenv("S3MAP_WORKERS", "3")
    assert config.workers() == 3


def test_the_development_server_names_no_versions():
    # What `S3MAP_DEBUG=1 scripts/run-app.sh` serves with: Flask's server with the quiet handler.
    app = flask.Flask(__name__)
    app.add_url_rule("/", view_func=lambda: "ok")
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        headers = requests.get(f"http://127.0.0.1:{port}/", timeout=5).headers
    finally:
        server.shutdown()
    assert headers["Server"] == "s3map"
    assert "Werkzeug" not in str(headers) and "Python" not in str(headers)


def test_the_page_works_under_its_csp_in_chromium(production, browser):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CSP_VIOLATIONS})
    browser.get_log("browser")  # drop what earlier tests left
    browser.get(production + "/?indicator=gdp_pps_hab")
    WebDriverWait(browser, 40).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".choroplethlocation")) > 200)
    time.sleep(1.5)  # late scripts (clientside callbacks, plotly's style rules) have run
    violations = browser.execute_script("return window.__csp")
    console = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert violations == [] and console == []


def test_the_api_gets_the_same_headers_and_its_swagger_page_runs_under_its_csp(production, browser):
    answer = requests.get(f"{production}/api/v1/regions?limit=1", timeout=10)
    assert answer.status_code == 200 and answer.headers["X-Content-Type-Options"] == "nosniff"
    csp = requests.get(f"{production}/api/v1/swagger", timeout=10).headers["Content-Security-Policy"]
    assert not re.search(r"https?:|\*|'unsafe-eval'", csp) and "frame-ancestors 'self'" in csp
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CSP_VIOLATIONS})
    browser.get(f"{production}/api/v1/swagger")
    WebDriverWait(browser, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) > 5)
    assert browser.execute_script("return window.__csp") == []
