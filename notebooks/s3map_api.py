"""Read the S3 Observatory API from a notebook.

Set S3MAP_API to a running app's API (e.g. http://127.0.0.1:8050/api/v1) to read it over HTTP;
without it the API is run in-process from this checkout on the built dataset (data/build), the
same code answering the same requests.
"""

from __future__ import annotations

import io
import json
import os
import sys
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

BASE = os.environ.get("S3MAP_API", "").rstrip("/")
REPOSITORY = Path(__file__).resolve().parent.parent
_client = None


def _in_process():
    global _client
    if _client is None:
        sys.path.insert(0, str(REPOSITORY))
        from s3map.api import create_api_app
        _client = create_api_app().test_client()
    return _client


def _fetch(path: str, params: dict) -> tuple[int, bytes]:
    params = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items() if v is not None}
    if BASE:
        url = BASE + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
    response = _in_process().get("/api/v1" + path, query_string=params)
    return response.status_code, response.get_data()


def get(path: str, **params):
    """One request: the JSON body, or an error carrying the API's problem document."""
    status, body = _fetch(path, params)
    if status >= 400:
        raise RuntimeError(f"{path}: {status} {body.decode('utf-8', 'replace')}")
    return json.loads(body)


def get_all(path: str, **params) -> list[dict]:
    """Every item of a paged list (1,000 a request)."""
    items, offset = [], 0
    while True:
        page = get(path, **params, limit=1000, offset=offset)
        items += page["items"]
        if page["next"] is None:
            return items
        offset += page["limit"]


def download(name: str, folder: Path) -> Path:
    """Fetch and unzip a bulk download (datapackage.zip or parquet.zip); returns the unzipped folder."""
    status, body = _fetch(f"/downloads/{name}", {})
    if status >= 400:
        raise RuntimeError(body.decode("utf-8", "replace"))
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        archive.extractall(folder)
        return Path(folder) / archive.namelist()[0].split("/")[0]
