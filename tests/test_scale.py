"""Beyond one machine: two instances behind nginx answer a visit alternating between them identically.

The load benchmark (`python -m devtools.bench load`) measures; this test only checks behaviour.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from devtools.ports import free_port
from devtools.loadbench import RECORDED_REGIONS, alternation_check, nginx_binary, nginx_proxy, record_visit
from devtools.servers import gunicorn_server
from devtools.visits import visit_for


@pytest.fixture(scope="module")
def visit(live_server):
    """The callback requests of a real visit, as Chromium sent them."""
    return record_visit(live_server)


def test_the_recorded_visit_covers_the_slow_steps(visit):
    names = [step["name"] for step in visit]
    assert names[0] == "page load"
    assert {"find a region", "add to comparison", "tab change", "priorities", "filter"} <= set(names)
    body = json.loads(visit[names.index("add to comparison")]["requests"][0]["body"])
    assert any(isinstance(item, list) for item in body["inputs"])  # the pattern-matching button's input


def test_a_visitor_swaps_in_regions_of_its_own(visit):
    swapped = visit_for(visit, list(RECORDED_REGIONS), ["DE11", "FR10"])
    text = json.dumps(swapped)
    assert RECORDED_REGIONS[0] not in text and RECORDED_REGIONS[1] not in text
    assert "DE11" in text and "FR10" in text


def test_two_instances_behind_nginx_give_identical_answers(visit):
    if not Path(nginx_binary()).exists():
        pytest.fail("nginx is required: scripts/install-nginx.sh")
    a, b, proxy = free_port(), free_port(), free_port()
    with gunicorn_server(a, workers=1), gunicorn_server(b, workers=1), \
            nginx_proxy(proxy, [a, b]):
        direct = alternation_check([f"http://127.0.0.1:{a}", f"http://127.0.0.1:{b}"], visit)
        through_proxy = alternation_check([f"http://127.0.0.1:{proxy}"] * 2, visit)
        health = [requests.get(f"http://127.0.0.1:{proxy}/healthz", timeout=5).json()["dataset"]["version"]
                  for _ in range(4)]
        headers = requests.get(f"http://127.0.0.1:{proxy}/", timeout=10).headers
    requests_in_visit = sum(len(step["requests"]) for step in visit)
    assert direct == {"requests": requests_in_visit, "identical": requests_in_visit, "differing": [], "errors": 0}
    assert through_proxy["identical"] == requests_in_visit and through_proxy["errors"] == 0
    assert len(set(health)) == 1  # every replica serves the same dataset version
    assert headers["Server"] == "nginx" and "Content-Security-Policy" in headers
