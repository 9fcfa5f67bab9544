"""NUTS 2021 regions: names and levels from the classification, web-light GeoJSON per level."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError

EU_COUNTRIES = (
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
# Outermost regions the mirror's EPSG:4326 files leave out (shared/data/nuts/SOURCE.md).
OUTERMOST_WITHOUT_GEOMETRY = ("ES70", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5")
# 2 decimals of a degree is about 1 km: enough at 1:20M, and rounding keeps shared borders shared.
WEB_DECIMALS = 2


def read_features(path: Path, level: int) -> list[dict]:
    name = path.name
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuildError(name, f"not valid GeoJSON ({exc})") from exc
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise BuildError(name, "no 'features' list")
    seen: set[str] = set()
    for index, feature in enumerate(features, start=1):
        code = (feature.get("properties") or {}).get("id")
        geometry = feature.get("geometry") or {}
        if not isinstance(code, str) or len(code) != level + 2:
            raise BuildError(name, f"feature id {code!r} is not a NUTS {level} code", row=index)
        if code in seen:
            raise BuildError(name, f"duplicate region {code}", row=index)
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BuildError(name, f"{code}: geometry type {geometry.get('type')!r}", row=index)
        seen.add(code)
    return features


def _round_ring(ring: list, decimals: int) -> list:
    out: list = []
    for x, y in ring:
        point = [round(x, decimals), round(y, decimals)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def web_geometry(geometry: dict, decimals: int = WEB_DECIMALS) -> dict | None:
    """Round coordinates and drop rings that collapse; None if nothing is left."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [_round_ring(ring, decimals) for ring in polygon]
        if len(rings[0]) < 4:
            continue
        kept.append([rings[0]] + [ring for ring in rings[1:] if len(ring) >= 4])
    if not kept:
        return None
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def web_feature_collection(features: list[dict]) -> dict:
    """Id and name only: values travel separately, so the file never changes with the data."""
    out = []
    for feature in features:
        geometry = web_geometry(feature["geometry"])
        if geometry is not None:
            props = feature["properties"]
            out.append({"type": "Feature", "id": props["id"],
                        "properties": {"id": props["id"], "na": props.get("na") or props["id"]},
                        "geometry": geometry})
    return {"type": "FeatureCollection", "features": out}


def read_label_points(path: Path) -> pd.DataFrame:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for feature in data["features"]:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        rows.append({"code": props["id"], "name": props["na"], "lon": lon, "lat": lat})
    return pd.DataFrame(rows)


def read_classification(path: Path) -> pd.DataFrame:
    """NUTS 2021 and NUTS 2024 codes (EU-27) from the Eurostat workbook, with their change notes.

    Columns: code_2021, code_2024, level, label, change. Extra-regio codes (…Z, …ZZ, …ZZZ) included.
    """
    sheet = pd.read_excel(path, sheet_name="NUTS2021- NUTS2024", dtype=str, engine="calamine")
    labels = [c for c in sheet.columns if str(c).startswith("NUTS level ") and "\n" in str(c)]
    out = pd.DataFrame({
        "code_2021": sheet["Code 2021"].str.strip(),
        "code_2024": sheet["Code 2024"].str.strip(),
        "change": sheet["Change"],
    })
    out["level"] = out["code_2021"].fillna(out["code_2024"]).str.len() - 2
    label = pd.Series(pd.NA, index=sheet.index, dtype="string")
    for level, column in enumerate(labels, start=1):
        label = label.where(out["level"] != level, sheet[column])
    out["label"] = label
    return out.dropna(subset=["code_2021", "code_2024"], how="all").reset_index(drop=True)


INSET_FOLDERS = ("nuts/2021/insets",)  # under the mirror, and data/nuts/insets in the project


def inset_files(mirror: Path | None, project_root: Path) -> list[Path]:
    """Optional boundary files for regions the main files lack (outermost regions), when present."""
    folders = [mirror / folder for folder in INSET_FOLDERS] if mirror else []
    folders.append(project_root / "data" / "nuts" / "insets")
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.json"))


def read_inset(path: Path, known: set[str]) -> list[dict]:
    """Features of an inset file: GeoJSON in EPSG:4326 lon/lat, `id` a NUTS 2021 code of any level."""
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise BuildError(path.name, f"not a GeoJSON FeatureCollection ({exc})") from exc
    for index, feature in enumerate(features, start=1):
        code = (feature.get("properties") or {}).get("id")
        if code not in known:
            raise BuildError(path.name, f"feature id {code!r} is not a NUTS 2021 code", row=index)
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BuildError(path.name, f"{code}: geometry type {geometry.get('type')!r}", row=index)
        rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [r for p in geometry["coordinates"] for r in p]
        if any(not (-180 <= x <= 180 and -90 <= y <= 90) for ring in rings for x, y in ring):
            raise BuildError(path.name, f"{code}: coordinates are not longitude/latitude (EPSG:4326); "
                                        "reproject the inset first", row=index)
    return features
