"""Identical requests answered from memory (s3map/response_cache.py): the same bytes as the app's own
answer, only 200s kept, bounded by bytes, keyed by path, body and accepted encoding."""

from __future__ import annotations

import io
import json

import requests

from s3map.response_cache import ResponseCache


class CountingApp:
    """A WSGI app that answers with its call number, so a kept answer is told from a fresh one."""

    def __init__(self, status="200 OK", headers=(("Content-Type", "application/json"),), size=10):
        self.calls, self.status, self.headers, self.size = 0, status, list(headers), size
        self.bodies: list[bytes] = []

    def __call__(self, environ, start_response):
        self.calls += 1
        self.bodies.append(environ["wsgi.input"].read())
        start_response(self.status, self.headers)
        return [str(self.calls).encode().ljust(self.size, b" ")]


def call(app, body: bytes = b'{"a": 1}', method="POST", path="/_dash-update-component", encoding="gzip, br",
         query=""):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body), "HTTP_ACCEPT_ENCODING": encoding}
    seen = {}
    out = b"".join(app(environ, lambda status, headers, exc_info=None: seen.update(status=status)))
    return seen["status"], out


def test_a_repeated_request_is_answered_from_memory_and_the_app_reads_the_same_body():
    inner = CountingApp()
    cache = ResponseCache(inner, max_bytes=1 << 20, max_body=1000)
    first, second = call(cache), call(cache)
    assert first == second == ("200 OK", b"1".ljust(10))
    assert inner.calls == 1 and inner.bodies == [b'{"a": 1}']
    assert cache.stats()["hits"] == 1 and cache.stats()["misses"] == 1
    # Another body, another accepted encoding, or another path is another answer.
    assert call(cache, body=b'{"a": 2}')[1].strip() == b"2"
    assert call(cache, encoding="gzip")[1].strip() == b"3"
    assert call(cache, method="GET", path="/_dash-layout", body=b"")[1].strip() == b"4"
    assert call(cache, method="GET", path="/_dash-layout", body=b"")[1].strip() == b"4"
    # Not kept: other paths, queries, bodies over the limit (the app answers those itself).
    for kwargs in ({"path": "/api/v1/regions"}, {"method": "GET", "path": "/_dash-layout", "body": b"", "query": "x=1"},
                   {"body": b"x" * 1001}):
        before = inner.calls
        call(cache, **kwargs)
        call(cache, **kwargs)
        assert inner.calls == before + 2, kwargs


def test_errors_and_cookies_are_never_kept():
    for inner in (CountingApp(status="400 BAD REQUEST"), CountingApp(status="500 INTERNAL SERVER ERROR"),
                  CountingApp(headers=[("Content-Type", "application/json"), ("Set-Cookie", "a=b")])):
        cache = ResponseCache(inner, max_bytes=1 << 20, max_body=1000)
        call(cache)
        call(cache)
        assert inner.calls == 2 and cache.stats()["entries"] == 0


def test_the_least_recently_used_answers_go_first_when_the_bytes_run_out():
    inner = CountingApp(size=100)
    cache = ResponseCache(inner, max_bytes=4 * 612, max_body=1000)  # four answers with their bookkeeping
    for i in range(4):
        call(cache, body=str(i).encode())
    call(cache, body=b"0")  # 0 is now the most recently used
    call(cache, body=b"4")  # a fifth: 1 goes
    assert cache.stats()["entries"] == 4 and cache.stats()["bytes"] <= 4 * 612
    calls = inner.calls
    call(cache, body=b"0")
    assert inner.calls == calls
    call(cache, body=b"1")
    assert inner.calls == calls + 1


def _view_request(live_server, search) -> dict:
    """The view callback's request as the page sends it on opening an address: every input and state,
    only the URL's with a value."""
    callbacks = requests.get(live_server + "/_dash-dependencies", timeout=30).json()
    main = next(c for c in callbacks if "url.search" in c["output"])
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in main["output"].strip(".").split("...")]

    def entry(item):  # a pattern (ALL) is a list of the matching components: none on a fresh page
        return [] if item["id"].startswith("{") else {"id": item["id"], "property": item["property"]}

    inputs = [entry(i) for i in main["inputs"]]
    for item in inputs:
        if item == {"id": "url", "property": "search"}:
            item["value"] = search
    return {"output": main["output"], "outputs": outputs, "changedPropIds": ["url.search"], "inputs": inputs,
            "state": [entry(i) for i in main["state"]]}


def test_the_live_app_answers_a_repeated_view_with_the_same_bytes_and_keeps_no_error(live_server):
    def stats():
        return requests.get(live_server + "/healthz", timeout=30).json()["response_cache"]

    body = json.dumps(_view_request(live_server, "?region=PL21&indicator=gerd_pc_gdp&year=2019"))
    headers = {"Content-Type": "application/json", "Accept-Encoding": "br"}
    before = stats()
    first = requests.post(live_server + "/_dash-update-component", data=body, headers=headers, timeout=30)
    second = requests.post(live_server + "/_dash-update-component", data=body, headers=headers, timeout=30)
    assert first.status_code == second.status_code == 200
    assert first.headers["Content-Encoding"] == "br" and first.content == second.content
    assert "PL21" in first.json()["response"]["region-search"]["value"] and "Content-Security-Policy" in second.headers
    after = stats()
    assert after["hits"] >= before["hits"] + 1
    # A wrong-typed input is answered 400 every time, and never kept.
    bad = json.dumps(_view_request(live_server, 123))
    statuses = [requests.post(live_server + "/_dash-update-component", data=bad, headers=headers, timeout=30).status_code
                for _ in range(2)]
    assert statuses == [400, 400] and stats()["entries"] == after["entries"]
