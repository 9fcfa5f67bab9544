"""NUTS 2021 regions: names and levels from the classification, web-light GeoJSON per level."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
from shapely.geometry import mapping, shape

from s3map.data.errors import BuildError

EU_COUNTRIES = (
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
# Outermost regions the mirror's EPSG:4326 files leave out (shared/data/nuts/SOURCE.md).
OUTERMOST_WITHOUT_GEOMETRY = ("ES70", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5")
# 2 decimals of a degree is about 1 km: enough at 1:20M, and rounding keeps shared borders shared.
WEB_DECIMALS = 2


def read_features(path: Path, level: int, registered_crs: str = "") -> list[dict]:
    """A main NUTS file's features in lon/lat; a file in another CRS is reprojected, one that looks
    projected without saying so is refused."""
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
    return features_in_lonlat(collection, features, path, coordinate_system(collection, path, registered_crs))


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


# The outermost regions come from Nuts2json's per-territory inset files (shared/data/nuts/SOURCE.md):
# projected UTM metres, one folder per territory, registered in sources.toml as nuts_inset_<folder>_<level>.
INSET_SOURCE = re.compile(r"^nuts_inset_(?P<folder>[a-z]{2})_(?P<level>[1-3])$")
LONLAT = "EPSG:4326"
# Upstream rounds its EPSG:4326 files to 3 decimals (about 100 m); reprojected insets are rounded alike.
UPSTREAM_DECIMALS = 3


@dataclass(frozen=True)
class OutermostTerritory:
    folder: str  # upstream inset folder, e.g. pub/v2/2021/GP/32620/...
    code: str  # its own NUTS 2 region; anything else drawn in the inset is a clipped neighbour
    name: str


OUTERMOST_TERRITORIES = (
    OutermostTerritory("IC", "ES70", "Canarias"),
    OutermostTerritory("GP", "FRY1", "Guadeloupe"),
    OutermostTerritory("MQ", "FRY2", "Martinique"),
    OutermostTerritory("GF", "FRY3", "Guyane"),
    OutermostTerritory("RE", "FRY4", "La Réunion"),
    OutermostTerritory("YT", "FRY5", "Mayotte"),
)


def file_label(path: Path) -> str:
    """How errors name a file: inset files all share names (nutsrg_2.json), so with their folders."""
    return "/".join(path.parts[-4:]) if "insets-upstream" in path.parts else path.name


def _read_collection(path: Path) -> tuple[dict, list[dict]]:
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise BuildError(file_label(path), f"not a GeoJSON FeatureCollection ({exc})") from exc
    if not isinstance(features, list) or not features:
        raise BuildError(file_label(path), "no 'features' list")
    return collection, features


def _declared_in_file(collection: dict, path: Path) -> str | None:
    """The legacy GeoJSON `crs` member ({"type": "name", "properties": {"name": ...}}), if any."""
    member = collection.get("crs")
    if member is None:
        return None
    name = (member.get("properties") or {}).get("name") if isinstance(member, dict) else None
    if not isinstance(name, str):
        raise BuildError(file_label(path), f"unreadable 'crs' member {member!r}")
    return name


def _crs(text: str, path: Path, where: str) -> pyproj.CRS:
    try:
        return pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError as exc:
        raise BuildError(file_label(path), f"unknown coordinate reference system {text!r} ({where})") from exc


def coordinate_system(collection: dict, path: Path, registered: str = "", required: bool = False) -> pyproj.CRS | None:
    """The file's CRS: its own `crs` member, else sources.toml's `crs`; both given must agree.

    None when neither says anything and none is required: RFC 7946 GeoJSON is then lon/lat.
    """
    in_file = _declared_in_file(collection, path)
    crs_file = _crs(in_file, path, "the file's crs member") if in_file else None
    crs_registered = _crs(registered, path, "crs in sources.toml") if registered else None
    if crs_file and crs_registered and not crs_file.equals(crs_registered, ignore_axis_order=True):
        raise BuildError(file_label(path), f"the file declares {in_file} but sources.toml says {registered}")
    crs = crs_file or crs_registered
    if crs is None and required:
        raise BuildError(file_label(path), "projected inset file without a coordinate reference system: the file "
                                    "declares none and its sources.toml entry has no `crs` (e.g. crs = \"EPSG:32620\")")
    return crs


def _rings(geometry: dict) -> list:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def _first_point_off_lonlat(features: list[dict]) -> tuple[str, float, float] | None:
    for feature in features:
        for ring in _rings(feature["geometry"]):
            for x, y in ring:
                if not (-180 <= x <= 180 and -90 <= y <= 90):
                    return feature["properties"].get("id"), x, y
    return None


def _check_polygons(features: list[dict], path: Path) -> None:
    for index, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") or {}
        code = (feature.get("properties") or {}).get("id")
        if not isinstance(code, str):
            raise BuildError(file_label(path), f"feature without an id ({code!r})", row=index)
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BuildError(file_label(path), f"{code}: geometry type {geometry.get('type')!r}", row=index)


def _round_coordinates(value, decimals: int):
    if isinstance(value[0], (int, float)):
        return [round(float(value[0]), decimals), round(float(value[1]), decimals)]
    return [_round_coordinates(part, decimals) for part in value]


def features_in_lonlat(collection: dict, features: list[dict], path: Path, crs: pyproj.CRS | None) -> list[dict]:
    """Features in EPSG:4326 lon/lat: reprojected (geopandas/pyproj) when the file is in another CRS.

    Vertex order is kept, so rings keep upstream's winding; coordinates are rounded as upstream rounds.
    """
    if crs is None or crs.equals(LONLAT, ignore_axis_order=True):
        off = _first_point_off_lonlat(features)
        if off is not None:
            code, x, y = off
            state = "no coordinate reference system is declared" if crs is None else f"the declared CRS is {crs.to_string()}"
            raise BuildError(file_label(path), f"{code}: coordinates ({x}, {y}) look projected (metres, not longitude/"
                                        f"latitude), but {state}; give the file's CRS as `crs` in sources.toml")
        return features
    frame = gpd.GeoDataFrame(geometry=[shape(f["geometry"]) for f in features], crs=crs).to_crs(LONLAT)
    out = []
    for feature, geometry in zip(features, frame.geometry):
        if geometry is None or geometry.is_empty or not all(math.isfinite(v) for v in geometry.bounds):
            raise BuildError(file_label(path), f"{feature['properties'].get('id')}: cannot be reprojected from {crs.to_string()}")
        mapped = mapping(geometry)
        out.append({"type": "Feature", "properties": dict(feature["properties"]),
                    "geometry": {"type": mapped["type"],
                                 "coordinates": _round_coordinates(mapped["coordinates"], UPSTREAM_DECIMALS)}})
    off = _first_point_off_lonlat(out)
    if off is not None:
        raise BuildError(file_label(path), f"{off[0]}: reprojection from {crs.to_string()} gives ({off[1]}, {off[2]}), "
                                    "not longitude/latitude; is the declared CRS right?")
    return out


def read_projected(path: Path, registered_crs: str) -> list[dict]:
    """An inset file's features in lon/lat. Its CRS must be known: from the file or sources.toml."""
    collection, features = _read_collection(path)
    _check_polygons(features, path)
    crs = coordinate_system(collection, path, registered_crs, required=True)
    return features_in_lonlat(collection, features, path, crs)


def _parts(geometry: dict) -> list[list]:
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def outermost_features(files: dict[tuple[str, int], tuple[Path, str]]) -> tuple[dict[int, list[dict]], list[dict]]:
    """The outermost regions at levels 1-3 in lon/lat, each from its own territory's inset only.

    `files` maps (upstream folder, level) to (path, registered CRS). An inset also draws clipped
    neighbours (the north of Martinique in the Guadeloupe inset, Madeira's Selvagens in the Canarias
    one): only the territory's own regions are kept. A level-1 region spanning several territories
    (FRY: all five French ones) is put together from the parts inside each territory's NUTS 2 region.
    Returns the features by level and, per territory, what was kept and what was dropped.
    """
    by_level: dict[int, list[dict]] = {1: [], 2: [], 3: []}
    level1_parts: dict[str, dict] = {}
    report = []
    for territory in OUTERMOST_TERRITORIES:
        read = {}
        for level in (1, 2, 3):
            if (territory.folder, level) not in files:
                raise BuildError("sources.toml", f"no inset file for {territory.name} ({territory.folder}) at NUTS {level}: "
                                                 f"add nuts_inset_{territory.folder.lower()}_{level}")
            path, registered = files[(territory.folder, level)]
            read[level] = (path, read_projected(path, registered))
        path2, level2 = read[2]
        own = [f for f in level2 if f["properties"]["id"] == territory.code]
        if len(own) != 1:
            raise BuildError(file_label(path2), f"{territory.name}: expected one feature {territory.code}, found {len(own)}")
        own_shape = shape(own[0]["geometry"])
        path3, level3 = read[3]
        own3 = [f for f in level3 if f["properties"]["id"].startswith(territory.code)]
        if not own3:
            raise BuildError(file_label(path3), f"{territory.name}: no NUTS 3 region under {territory.code}")
        path1, level1 = read[1]
        parent = territory.code[:3]
        parents = [f for f in level1 if f["properties"]["id"] == parent]
        if len(parents) != 1:
            raise BuildError(file_label(path1), f"{territory.name}: expected one feature {parent}, found {len(parents)}")
        inside = [part for part in _parts(parents[0]["geometry"])
                  if shape({"type": "Polygon", "coordinates": part}).intersection(own_shape).area
                  > 0.5 * shape({"type": "Polygon", "coordinates": part}).area]
        if not inside:
            raise BuildError(file_label(path1), f"{territory.name}: no part of {parent} lies in {territory.code}")
        entry = level1_parts.setdefault(parent, {"na": parents[0]["properties"].get("na"), "parts": []})
        entry["parts"].extend(inside)
        by_level[2].append(own[0])
        by_level[3].extend(own3)
        kept = {territory.code, *(f["properties"]["id"] for f in own3)}
        dropped = sorted({f["properties"]["id"] for _, features in read.values() for f in features}
                         - kept - {parent})
        report.append({"territory": territory.name, "folder": territory.folder, "code": territory.code,
                       "crs": files[(territory.folder, 2)][1], "kept": sorted(kept | {parent}),
                       "dropped_neighbours": dropped,
                       f"{parent}_parts_kept": f"{len(inside)} of {len(_parts(parents[0]['geometry']))}"})
    for code, entry in level1_parts.items():
        parts = entry["parts"]
        geometry = {"type": "Polygon", "coordinates": parts[0]} if len(parts) == 1 else \
            {"type": "MultiPolygon", "coordinates": parts}
        by_level[1].append({"type": "Feature", "properties": {"id": code, "na": entry["na"]}, "geometry": geometry})
    return by_level, report


# ---- The map's composite layout: the outermost regions in labelled frames beside Europe ----------
# The web map draws the whole EU in one frame with plotly's conic equal-area projection (standard
# parallels 43° and 62°, central meridian 10° E, on a sphere, as d3 does). Regions far outside that
# frame are drawn in small frames in the Atlantic west of Ireland and Iberia, as Eurostat's regional
# yearbook maps do: each territory in its own local equal-area projection, enlarged to fit its frame,
# then placed so that the map's projection draws it there. The web GeoJSON thus carries display
# positions for these regions (and for the matching parts of FR, ES, PT and their NUTS 1 regions);
# every region keeps its id, name and all levels, so colour, hover, click and filters work as for any
# other region. Positions below are metres in the map's projection plane.
DISPLAY_PROJECTION = "+proj=aea +lat_1=43 +lat_2=62 +lat_0=0 +lon_0=10 +R=6371007.181 +units=m +no_defs"
DISPLAY_CENTRAL_MERIDIAN = 10.0
# One column between the map's left edge at the Europe view and the coasts of Ireland and Portugal.
FRAME_WIDTH, FRAME_HEIGHT, FRAME_GAP = 680_000.0, 390_000.0, 12_000.0
FRAME_LEFT, FRAME_TOP = -2_395_000.0, 6_700_000.0
FRAME_LABEL_SHARE = 0.38  # the left of each frame holds its label; the territory fills the rest
FRAME_FILL = 0.86


@dataclass(frozen=True)
class InsetFrame:
    code: str  # the NUTS 2 region the frame shows
    label: str


INSET_FRAMES = (
    InsetFrame("PT20", "Açores"), InsetFrame("PT30", "Madeira"), InsetFrame("ES70", "Canarias"),
    InsetFrame("FRY1", "Guadeloupe"), InsetFrame("FRY2", "Martinique"), InsetFrame("FRY3", "Guyane"),
    InsetFrame("FRY4", "La Réunion"), InsetFrame("FRY5", "Mayotte"),
)


def _polygon_parts(geometry: dict) -> list[list]:
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def _from_parts(parts: list[list]) -> dict:
    return {"type": "Polygon", "coordinates": parts[0]} if len(parts) == 1 else {"type": "MultiPolygon", "coordinates": parts}


def with_outermost_parts(country: dict, regions: list[dict]) -> dict:
    """A level-0 feature whose upstream polygon leaves out its outermost regions, with their parts added."""
    parts = list(_polygon_parts(country["geometry"]))
    for region in regions:
        parts.extend(_polygon_parts(region["geometry"]))
    return {**country, "geometry": _from_parts(parts)}


def frame_box(index: int) -> tuple[float, float, float, float]:
    """(x_min, y_min, x_max, y_max) of the index-th frame in the map's projection plane."""
    top = FRAME_TOP - index * (FRAME_HEIGHT + FRAME_GAP)
    return FRAME_LEFT, top - FRAME_HEIGHT, FRAME_LEFT + FRAME_WIDTH, top


class CompositeLayout:
    """Moves each framed territory's polygon parts into its frame (vertex by vertex, order kept)."""

    def __init__(self, level2: dict[str, dict]):
        self._to_lonlat = pyproj.Transformer.from_crs(DISPLAY_PROJECTION, LONLAT, always_xy=True)
        self.frames = []
        for index, frame in enumerate(INSET_FRAMES):
            if frame.code not in level2:
                raise BuildError("inset frames", f"{frame.label}: no geometry for {frame.code}")
            region = shape(level2[frame.code]["geometry"])
            lon_min, lat_min, lon_max, lat_max = region.bounds
            local = pyproj.Transformer.from_crs(
                LONLAT, f"+proj=laea +lat_0={(lat_min + lat_max) / 2} +lon_0={(lon_min + lon_max) / 2} "
                        "+R=6371007.181 +units=m +no_defs", always_xy=True)
            xs, ys = local.transform([lon_min, lon_max, (lon_min + lon_max) / 2, (lon_min + lon_max) / 2],
                                     [(lat_min + lat_max) / 2] * 2 + [lat_min, lat_max])
            width, height = xs[1] - xs[0], ys[3] - ys[2]
            x0, y0, x1, y1 = frame_box(index)
            room_left = x0 + (x1 - x0) * FRAME_LABEL_SHARE
            factor = FRAME_FILL * min((x1 - room_left) / width, (y1 - y0) / height)
            centre = ((room_left + x1) / 2, (y0 + y1) / 2)
            grown = region.buffer(0.02)
            self.frames.append({"frame": frame, "region": grown, "bounds": grown.bounds, "local": local,
                                "factor": factor, "centre": centre, "box": (x0, y0, x1, y1)})

    def _frame_of(self, part: list) -> dict | None:
        x, y = part[0][0]
        candidates = [f for f in self.frames if f["bounds"][0] <= x <= f["bounds"][2] and f["bounds"][1] <= y <= f["bounds"][3]]
        if not candidates:  # most parts: a bounding-box test on one vertex is enough
            return None
        point = shape({"type": "Polygon", "coordinates": part}).representative_point()
        return next((f for f in candidates if f["region"].contains(point)), None)

    def _move(self, ring: list, placed: dict) -> list:
        lons, lats = zip(*ring)
        xs, ys = placed["local"].transform(lons, lats)
        cx, cy = placed["centre"]
        out_lon, out_lat = self._to_lonlat.transform([cx + x * placed["factor"] for x in xs],
                                                     [cy + y * placed["factor"] for y in ys])
        return [[lon, lat] for lon, lat in zip(out_lon, out_lat)]

    def place(self, feature: dict) -> dict:
        """The feature with every part lying in a framed territory moved into that frame."""
        parts, moved = [], False
        for part in _polygon_parts(feature["geometry"]):
            placed = self._frame_of(part)
            if placed is None:
                parts.append(part)
            else:
                parts.append([self._move(ring, placed) for ring in part])
                moved = True
        return {**feature, "geometry": _from_parts(parts)} if moved else feature


def frame_outlines(points_per_edge: int = 8) -> list[dict]:
    """Each frame's outline (lon/lat, dense enough to draw straight), label point and centre.

    From the layout constants alone, so the map can draw the frames without reading the build.
    """
    to_lonlat = pyproj.Transformer.from_crs(DISPLAY_PROJECTION, LONLAT, always_xy=True)
    out = []
    for index, frame in enumerate(INSET_FRAMES):
        x0, y0, x1, y1 = frame_box(index)
        steps = [i / points_per_edge for i in range(points_per_edge)]
        xs = [x0 + (x1 - x0) * s for s in steps] + [x1] * points_per_edge + \
             [x1 - (x1 - x0) * s for s in steps] + [x0] * points_per_edge + [x0]
        ys = [y1] * points_per_edge + [y1 - (y1 - y0) * s for s in steps] + \
             [y0] * points_per_edge + [y0 + (y1 - y0) * s for s in steps] + [y1]
        lons, lats = to_lonlat.transform(xs, ys)
        label = to_lonlat.transform(x0 + (x1 - x0) * 0.03, y1 - (y1 - y0) * 0.08)
        centre = to_lonlat.transform((x0 + x1) / 2, (y0 + y1) / 2)
        out.append({"code": frame.code, "label": frame.label,
                    "outline": [[round(a, 4), round(b, 4)] for a, b in zip(lons, lats)],
                    "label_at": [round(label[0], 4), round(label[1], 4)],
                    "centre": [round(centre[0], 3), round(centre[1], 3)]})
    return out
