"""Settings read from the environment, with defaults that work from a fresh clone."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def mirror_dir() -> Path | None:
    """The offline mirror of upstream files (`S3MAP_MIRROR`, else ../shared/data if present)."""
    configured = os.environ.get("S3MAP_MIRROR")
    if configured:
        path = Path(configured)
        return path if path.is_dir() else None
    default = PROJECT_ROOT.parent / "shared" / "data"
    return default if default.is_dir() else None


def data_dir() -> Path:
    """Where the built dataset lives (`S3MAP_DATA`, default data/build)."""
    return Path(os.environ.get("S3MAP_DATA", PROJECT_ROOT / "data" / "build"))


def raw_dir() -> Path:
    """Download cache for upstream files when no mirror has them."""
    return Path(os.environ.get("S3MAP_RAW", PROJECT_ROOT / "data" / "raw"))


def curated_dir() -> Path:
    """The project's own hand-curated S3 tables (committed; `S3MAP_CURATED` points elsewhere, e.g. a scratch copy)."""
    return Path(os.environ.get("S3MAP_CURATED", PROJECT_ROOT / "data" / "s3"))


def as_of() -> date:
    """The reference date S3 strategy statuses are computed against (`S3MAP_AS_OF=YYYY-MM-DD`, default today).

    Setting it makes builds and tests reproducible: a list whose horizon ended is 'expired' only
    from the year after its end year on."""
    configured = os.environ.get("S3MAP_AS_OF", "").strip()
    if not configured:
        return date.today()
    try:
        return date.fromisoformat(configured)
    except ValueError as exc:
        raise ValueError(f"S3MAP_AS_OF={configured!r} is not a date written YYYY-MM-DD") from exc


DEBUG = os.environ.get("S3MAP_DEBUG", "") == "1"
HOST = os.environ.get("S3MAP_HOST", "127.0.0.1")
PORT = int(os.environ.get("S3MAP_PORT", "8050"))

# ---- serving (gunicorn, headers, limits) --------------------------------------------------------


def workers() -> int:
    """gunicorn worker processes (`S3MAP_WORKERS`, default CPUs + 1, at most 8).

    Callbacks are CPU work and each process keeps its own caches of derived views, so more processes
    than cores only split the caches; threads (S3MAP_THREADS) carry the concurrency."""
    configured = os.environ.get("S3MAP_WORKERS", "").strip()
    if configured:
        return max(1, int(configured))
    return min(8, (os.cpu_count() or 1) + 1)


def frame_ancestors() -> list[str]:
    """Sites allowed to embed the app in a frame (`S3MAP_FRAME_ANCESTORS`, space-separated origins,
    e.g. "https://forum.example.eu"); by default only the app itself."""
    return os.environ.get("S3MAP_FRAME_ANCESTORS", "").split()


# Callback POSTs are a few kilobytes; anything far larger is refused with 413 before it is read.
MAX_REQUEST_BYTES = int(os.environ.get("S3MAP_MAX_REQUEST_BYTES", str(1 << 20)))


def threads() -> int:
    """Threads per gunicorn worker (`S3MAP_THREADS`, default 4)."""
    return max(1, int(os.environ.get("S3MAP_THREADS", "4")))


ACCESS_LOG = os.environ.get("S3MAP_ACCESS_LOG", "") == "1"
WARM_VIEWS = os.environ.get("S3MAP_WARM", "1") != "0"
# Answers to identical requests kept in memory per process (s3map/response_cache.py); 0 turns it off.
RESPONSE_CACHE_BYTES = int(float(os.environ.get("S3MAP_RESPONSE_CACHE_MB", "64")) * (1 << 20))
