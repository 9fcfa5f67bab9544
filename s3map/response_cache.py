"""Answers to identical requests served from memory: the page's layout and callback answers.

Every view's state is in the request (the callbacks keep no session and read no cookie), and a
process serves one dataset version, so the same request body always gets the same answer. Many
visitors send the same ones: everybody opening the page runs the same first callbacks, and a room
following a presenter's link asks for the same views at once. A WSGI wrapper, so the answer is kept
as sent, already compressed: the key holds the path, the body and the Accept-Encoding header.

Bounded by bytes (S3MAP_RESPONSE_CACHE_MB per process, 0 turns it off); least recently used out first.
Only 200 answers without cookies are kept; anything else (400 for a bad input, 413, 5xx) is not.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict

CACHED_POSTS = ("/_dash-update-component",)
CACHED_GETS = ("/_dash-layout", "/_dash-dependencies")


class ResponseCache:
    def __init__(self, app, max_bytes: int, max_body: int):
        self.app = app
        self.max_bytes = max_bytes
        self.max_body = max_body  # larger bodies are left to the app (it answers 413)
        self._entries: OrderedDict[bytes, tuple[str, list, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
        if entry is not None:
            status, headers, body = entry
            start_response(status, list(headers))
            return [body]
        with self._lock:
            self.misses += 1
        return self._answer_and_keep(key, environ, start_response)

    def _key(self, environ) -> bytes | None:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
        encoding = environ.get("HTTP_ACCEPT_ENCODING", "").encode()
        if method == "GET" and path in CACHED_GETS and not environ.get("QUERY_STRING"):
            return hashlib.sha256(b"GET\0" + path.encode() + b"\0" + encoding).digest()
        if method != "POST" or path not in CACHED_POSTS:
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            return None
        if not 0 < length <= self.max_body:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # the app reads the same bytes
        environ["CONTENT_LENGTH"] = str(len(body))
        return hashlib.sha256(b"POST\0" + path.encode() + b"\0" + encoding + b"\0" + body).digest()

    def _answer_and_keep(self, key: bytes, environ, start_response):
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        if self._keepable(seen, body):
            self._keep(key, (seen["status"], list(seen["headers"]), body))
        return [body]

    def _keepable(self, seen: dict, body: bytes) -> bool:
        if not seen.get("status", "").startswith("200"):
            return False
        names = {name.lower() for name, _ in seen["headers"]}
        return "set-cookie" not in names and len(body) <= self.max_bytes // 8

    def _keep(self, key: bytes, entry: tuple) -> None:
        size = len(entry[2]) + 512  # headers and bookkeeping
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._size += size
            while self._size > self.max_bytes and self._entries:
                _, (_, _, old) = self._entries.popitem(last=False)
                self._size -= len(old) + 512

    def stats(self) -> dict:
        with self._lock:
            return {"entries": len(self._entries), "bytes": self._size, "hits": self.hits, "misses": self.misses}


def install(server, max_bytes: int, max_body: int) -> ResponseCache | None:
    """Wrap the Flask server's WSGI app (none when max_bytes is 0); returns the cache for /healthz and tests."""
    if max_bytes <= 0:
        return None
    cache = ResponseCache(server.wsgi_app, max_bytes, max_body)
    server.wsgi_app = cache
    server.extensions["s3map_response_cache"] = cache
    return cache
