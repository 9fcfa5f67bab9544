"""Build the app's dataset from upstream files, atomically.

Everything is written into a fresh folder beside the current dataset; only when every step has
passed is the `data/build` link switched to it (one rename). A failed build leaves the previous
dataset as it was.

Versions on disk: the newest, the previous one, and any version a running process holds (a
shared lock on its `.in-use` file, taken by the app at start and inherited by gunicorn's workers).
Those are never removed, so a server keeps serving its geometry whatever builds happen meanwhile.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import brotli
import pandas as pd

from s3map import config
from s3map.data import harmonise, indicators, nuts
from s3map.data.errors import BuildError
from s3map.data.sources import Source, SourceError, fetch, load_manifest, provenance_table

FORMAT_VERSION = "1"
PACKAGE_DIR = Path(__file__).parent


def _fingerprint(sources: dict[str, Source], extra_files: list[Path]) -> str:
    """Inputs and build code: when none changed, a second build has nothing to do."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    # S3 statuses are computed against the reference year: a new year (or S3MAP_AS_OF) rebuilds.
    digest.update(f"s3-as-of-year={config.as_of().year}".encode())
    for source in sorted(sources.values(), key=lambda s: s.id):
        digest.update(f"{source.id}={source.sha256}".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")) + sorted(extra_files):
        if path.is_file() and path.suffix in {".py", ".toml", ".csv", ".json", ".md"} and "__pycache__" not in path.parts:
            digest.update(str(path.name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _curated_files() -> list[Path]:
    folder = config.curated_dir()
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def build_geometry(paths: dict[str, Path], out: Path, sources: dict[str, Source]) -> tuple[pd.DataFrame, dict]:
    """Web GeoJSON per level (content-hashed names, so browsers may cache them forever) + regions.

    The outermost regions the main files lack come from Nuts2json's projected inset files,
    reprojected to lon/lat here (nuts.outermost_features).
    """
    geo_dir = out / "geo"
    geo_dir.mkdir(parents=True)
    classification = nuts.read_classification(paths["nuts_classification"])
    inset_files = {}
    for key, source in sources.items():
        match = nuts.INSET_SOURCE.match(key)
        if match:
            inset_files[(match["folder"].upper(), int(match["level"]))] = (paths[key], source.crs)
    extra, outermost_report = nuts.outermost_features(inset_files)
    labels = pd.concat([nuts.read_label_points(paths[f"nuts_pt_{level}"]) for level in range(3)])
    names = dict(zip(labels["code"], labels["name"]))
    centres = labels.set_index("code")[["lon", "lat"]]
    by_level = {}
    for level in range(4):
        features = nuts.read_features(paths[f"nuts_rg_{level}"], level, sources[f"nuts_rg_{level}"].crs)
        present = {f["properties"]["id"] for f in features}
        by_level[level] = features + [f for f in extra.get(level, []) if f["properties"]["id"] not in present]
    # Upstream's FR and ES polygons leave out their outermost regions: add them, so a country-level
    # colour (a national strategy) covers them too.
    outermost_level1 = {f["properties"]["id"]: f for f in extra.get(1, [])}
    by_level[0] = [nuts.with_outermost_parts(f, [r for code, r in outermost_level1.items()
                                                 if code[:2] == f["properties"]["id"]]) for f in by_level[0]]
    layout = nuts.CompositeLayout({f["properties"]["id"]: f for f in by_level[2]})
    files, counts, with_geometry = {}, {}, set()
    for level, features in by_level.items():
        for feature in features:
            names.setdefault(feature["properties"]["id"], feature["properties"].get("na"))
        collection = nuts.web_feature_collection([layout.place(f) for f in features])
        text = json.dumps(collection, separators=(",", ":"))
        name = f"nuts{level}.{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"
        (geo_dir / name).write_text(text, encoding="utf-8")
        write_precompressed(geo_dir / name)
        files[str(level)] = name
        counts[str(level)] = len(collection["features"])
        with_geometry |= {f["id"] for f in collection["features"]}

    eu_2021 = classification.dropna(subset=["code_2021"])
    eu_2021 = eu_2021[~eu_2021["code_2021"].str.endswith("Z")]  # extra-regio: no territory to draw
    codes = set(eu_2021["code_2021"]) | with_geometry
    label_2021 = {code: label for code, label in zip(eu_2021["code_2021"], eu_2021["label"]) if isinstance(label, str)}
    rows = []
    for code in sorted(codes):
        country = code[:2]
        rows.append({
            "code": code, "level": len(code) - 2, "country": country,
            "name": names.get(code) or label_2021.get(code) or code,
            "name_native": label_2021.get(code) or "",  # the NUTS label in its own script (Αττική, Югозападен)
            "nuts1": code[:3] if len(code) >= 3 else None,
            "nuts2": code[:4] if len(code) >= 4 else None,
            "eu": country in nuts.EU_COUNTRIES,
            "has_geometry": code in with_geometry,
            "outermost_without_geometry": code.startswith(nuts.OUTERMOST_WITHOUT_GEOMETRY) and code not in with_geometry,
            "lon": centres["lon"].get(code), "lat": centres["lat"].get(code),
        })
    regions = pd.DataFrame(rows)
    (geo_dir / "index.json").write_text(json.dumps(files, indent=1), encoding="utf-8")
    return regions, {"features_per_level": counts, "files": files, "outermost": outermost_report}


# Geometry files never change under their content-hashed names, so they are compressed once, at the
# highest settings (the app serves these as they are; per-request compression runs at brotli 4).
PRECOMPRESSED = {"br": ".br", "gzip": ".gz"}


def write_precompressed(path: Path) -> None:
    data = path.read_bytes()
    path.with_name(path.name + PRECOMPRESSED["br"]).write_bytes(brotli.compress(data, quality=11))
    path.with_name(path.name + PRECOMPRESSED["gzip"]).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def build_indicators(paths: dict[str, Path], regions: pd.DataFrame, sources: dict[str, Source], out: Path) -> dict:
    known = set(regions["code"])
    tidy, reference, log = [], [], []
    for indicator in indicators.INDICATORS:
        path = paths[indicator.source]
        raw = indicators.read_indicator(path, indicator)
        kept, ref, changes = harmonise.harmonise(raw, known, path.name, indicator.id)
        kept = kept.assign(indicator=indicator.id, unit=indicator.unit,
                           source=sources[indicator.source].publisher)
        tidy.append(kept)
        reference.append(ref.assign(indicator=indicator.id))
        log.extend(changes)
    values = pd.concat(tidy, ignore_index=True)
    values = values.merge(regions[["code", "level"]], left_on="region", right_on="code").drop(columns=["code", "row"])
    values = values[["region", "level", "indicator", "year", "value", "unit", "flag", "source", "note"]]
    values = values.sort_values(["indicator", "region", "year"]).reset_index(drop=True)
    values.to_parquet(out / "indicators.parquet", index=False)
    eu = pd.concat(reference, ignore_index=True)[["indicator", "year", "value"]]
    eu.to_parquet(out / "eu_reference.parquet", index=False)
    pd.DataFrame(log, columns=["indicator", "file", "code", "action", "to", "rows", "reason"]).to_csv(
        out / "code_changes.csv", index=False)

    groups = indicators.ris_performance_groups(paths["ris_2023"])
    unknown = groups[~groups["region"].isin(known)]
    if not unknown.empty:
        raise BuildError(paths["ris_2023"].name, f"unknown region code {unknown.iloc[0]['region']!r}",
                         row=int(unknown.iloc[0]["row"]))
    groups.drop(columns="row").to_parquet(out / "ris_groups.parquet", index=False)

    meta = [{"id": i.id, "label": i.label, "unit": i.unit, "source_id": i.source,
             "source": sources[i.source].publisher, "source_title": sources[i.source].title,
             "source_url": sources[i.source].url, "licence": sources[i.source].licence,
             "higher_is_better": i.higher_is_better, "decimals": i.decimals, "description": i.description}
            for i in indicators.INDICATORS]
    (out / "indicators.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    return {"log": log}


def _switch(link: Path, target: Path) -> None:
    """Point `link` at `target` in one rename; a real folder from an older layout is moved aside."""
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    temporary = link.with_name(link.name + ".switch")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(os.path.relpath(target, link.parent))
    os.replace(temporary, link)


LEASE_FILE = ".in-use"
BUILD_LOCK = ".lock"
_held_versions: list[int] = []  # open lease files: the lock lives as long as this process (and its forks)


def hold_version(folder: Path) -> None:
    """Mark a dataset version as in use by this process, so no build removes it while it runs."""
    folder = Path(folder)
    if folder.parent.name.endswith(".versions") and folder.is_dir():
        descriptor = os.open(folder / LEASE_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        _held_versions.append(descriptor)


def version_in_use(folder: Path) -> bool:
    """True when some running process holds this version (its shared lock blocks ours)."""
    lease = folder / LEASE_FILE
    if not lease.is_file():
        return False
    with open(lease, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def _clean_old_builds(builds: Path, keep: set[Path]) -> list[str]:
    """Remove versions that are neither kept nor held by a running process; return what was kept for that."""
    held = []
    for folder in builds.iterdir():
        if folder in keep or not folder.is_dir():
            continue
        if version_in_use(folder):
            held.append(folder.name)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return held


def verify_inputs(sources: dict[str, Source], mirror: Path | None) -> int:
    """Check every local upstream copy against its checksum (a dataset that is up to date may still
    sit on a mirror file corrupted since); return how many were checked. Raises SourceError."""
    mirror = config.mirror_dir() if mirror is None else mirror
    checked = 0
    for source in sources.values():
        local = [folder / source.mirror_path for folder in (mirror, config.raw_dir()) if folder is not None]
        if any(path.is_file() for path in local):
            fetch(source, mirror=mirror)  # verifies; a corrupt download-cache copy is fetched again
            checked += 1
    return checked


class BuildLock:
    """One build at a time per dataset folder (a second one is told, not queued)."""

    def __init__(self, builds: Path):
        builds.mkdir(parents=True, exist_ok=True)
        self.path = builds.with_name(builds.name.removesuffix(".versions") + BUILD_LOCK)  # data/build.lock
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise BuildError(str(self.path), "another build is running; try again when it has finished")
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def build(force: bool = False, mirror: Path | None = None, log=print) -> Path:
    """Build the dataset into config.data_dir(); return its path. Raises BuildError/SourceError."""
    started = time.perf_counter()
    link = config.data_dir()
    sources = load_manifest()
    fingerprint = _fingerprint(sources, _curated_files())
    current = link / "fingerprint"
    if not force and current.is_file() and current.read_text().strip() == fingerprint:
        checked = verify_inputs(sources, mirror)
        log(f"dataset up to date: {link} ({checked} upstream files verified against their checksums)")
        return link

    builds = link.parent / (link.name + ".versions")
    with BuildLock(builds):
        return _build_new_version(link, builds, sources, fingerprint, mirror, started, log)


def _build_new_version(link: Path, builds: Path, sources: dict[str, Source], fingerprint: str,
                       mirror: Path | None, started: float, log) -> Path:
    for leftover in builds.glob("*.partial"):  # from a build killed outright (SIGKILL, power cut)
        shutil.rmtree(leftover, ignore_errors=True)
    paths = {key: fetch(source, mirror=mirror) for key, source in sources.items()}
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    staging = builds / f"{stamp}.partial"
    try:
        staging.mkdir()
        regions, geometry = build_geometry(paths, staging, sources)
        regions.to_parquet(staging / "regions.parquet", index=False)
        build_indicators(paths, regions, sources, staging)
        from s3map.data import structure
        known = set(regions["code"])
        structure.read_rci(paths["rci_2022"], known).to_parquet(staging / "rci.parquet", index=False)
        structure.read_manufacturing(paths["manufacturing_employment"], known).to_parquet(
            staging / "manufacturing.parquet", index=False)
        from s3map.data import strategies  # late import: strategies needs the regions just built
        built = strategies.build_strategies(regions, paths, staging)
        if built["register_superseded"]:
            log("strategies_without_list.csv: now with a current priority list, no longer shown as unlisted: "
                + ", ".join(built["register_superseded"]))
        log(f"S3 strategy statuses as of {built['as_of']} (set S3MAP_AS_OF=YYYY-MM-DD to fix the date)")
        provenance = provenance_table(sources)
        (staging / "provenance.json").write_text(json.dumps(provenance, indent=1, ensure_ascii=False), encoding="utf-8")
        (staging / "build.json").write_text(json.dumps({
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 2),
            "geometry": geometry,
        }, indent=1), encoding="utf-8")
        (staging / "fingerprint").write_text(fingerprint)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final = builds / stamp
    # The previous build stays (a quick way back); older ones go unless a running server holds them.
    previous = link.resolve() if link.is_symlink() else None
    os.replace(staging, final)
    _switch(link, final)
    held = _clean_old_builds(builds, {final, previous})
    kept = f"; kept {len(held)} older version(s) still in use by a running server" if held else ""
    log(f"dataset built in {time.perf_counter() - started:.1f} s: {link}{kept}")
    return link


__all__ = ["build", "hold_version", "version_in_use", "BuildError", "SourceError"]
