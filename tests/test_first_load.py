"""First load: the plotly.js partial bundle the app serves, and the page's language."""

from __future__ import annotations

import ast
import gzip
import re
from pathlib import Path

import plotly.graph_objects as go
import requests
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from s3map import plotly_bundle

PACKAGE = Path(plotly_bundle.__file__).parent


def trace_types_in_source() -> set[str]:
    """Every plotly trace type the app's code constructs (`go.Choropleth(...)` -> 'choropleth')."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "go":
                cls = getattr(go, node.attr, None)
                if isinstance(cls, type) and issubclass(cls, BaseTraceType):
                    found.add(cls().type)
    return found


def test_bundle_holds_every_trace_type_the_app_draws():
    used = trace_types_in_source()
    assert {"choropleth", "bar", "scatter"} <= used  # the scan sees the map and the charts
    assert used <= set(plotly_bundle.TRACE_TYPES), f"add to web/plotly-entry.js and rebuild: {used - set(plotly_bundle.TRACE_TYPES)}"
    entry = (PACKAGE.parent / "web" / "plotly-entry.js").read_text()
    for trace in set(plotly_bundle.TRACE_TYPES) - {"scatter"}:  # scatter is part of plotly.js core
        assert f"plotly.js/lib/{trace}'" in entry


def test_bundle_matches_the_plotly_js_version_of_the_python_package():
    assert plotly_bundle.BUNDLE_VERSION == get_plotlyjs_version()
    assert f'.version="{plotly_bundle.BUNDLE_VERSION}"' in plotly_bundle.BUNDLE.read_text(encoding="utf-8")


def test_app_serves_the_partial_bundle_gzipped_at_dashs_plotly_address(live_server):
    full = Path(go.__file__).parent.parent / "package_data" / "plotly.min.js"
    response = requests.get(live_server + plotly_bundle.DASH_PLOTLY_PATH, headers={"Accept-Encoding": "gzip"},
                            stream=True, timeout=30)
    raw = response.raw.read()
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(raw)
    assert body == plotly_bundle.BUNDLE.read_bytes()
    assert len(body) < full.stat().st_size / 3  # the point of it: a third of the full file or less
    assert len(raw) < 550_000
    again = requests.get(live_server + plotly_bundle.DASH_PLOTLY_PATH, timeout=30,
                         headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_page_declares_its_language(live_server):
    html = requests.get(live_server + "/", timeout=30).text
    assert '<html lang="en">' in html


def test_dash_babel_polyfill_is_answered_with_the_regenerator_runtime_only(live_server):
    html = requests.get(live_server + "/", timeout=30).text
    path = re.search(r'src="(/_dash-component-suites/dash/deps/polyfill@7[^"]*)"', html).group(1)
    body = requests.get(live_server + path, timeout=30).content
    assert body == plotly_bundle.REGENERATOR.read_bytes() and b"regeneratorRuntime" in body
    assert len(body) < 10_000  # the Babel polyfill it replaces is 99 kB
