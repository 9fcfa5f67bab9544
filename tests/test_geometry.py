"""Geometry: the outermost regions from Nuts2json's projected inset files, CRS checks, full coverage,
and how the GeoJSON travels (compressed for brotli and gzip clients alike)."""

import brotli
import gzip
import json
import urllib.request
from dataclasses import replace

import pandas as pd
import pytest
import pyproj
from shapely.geometry import box, shape

from devtools.bench import geometry_wire_bytes
from s3map.data import build as build_module
from s3map.data import nuts
from s3map.data.errors import BuildError
from s3map.data.sources import fetch, load_manifest
from s3map.data.stats import dataset_stats

# Where each territory lies (lon_min, lat_min, lon_max, lat_max), generous by a few tenths of a degree.
TERRITORY_BOXES = {
    "ES70": (-18.5, 27.4, -13.2, 29.5), "FRY1": (-63.3, 15.7, -61.0, 18.3), "FRY2": (-61.4, 14.2, -60.6, 15.0),
    "FRY3": (-54.8, 1.9, -51.4, 6.0), "FRY4": (55.0, -21.6, 56.0, -20.7), "FRY5": (44.9, -13.2, 45.4, -12.5),
}


def _inset_files(mirror) -> dict:
    files = {}
    for key, source in load_manifest().items():
        match = nuts.INSET_SOURCE.match(key)
        if match:
            files[(match["folder"].upper(), int(match["level"]))] = (fetch(source, mirror=mirror), source.crs)
    return files


def _vertex_count(geometry: dict) -> int:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return sum(len(ring) for polygon in polygons for ring in polygon)


def _signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def test_every_inset_file_is_registered_with_provenance_and_crs():
    insets = {key: s for key, s in load_manifest().items() if nuts.INSET_SOURCE.match(key)}
    assert len(insets) == 18  # six territories, NUTS 1-3
    for key, source in insets.items():
        assert source.url.startswith("https://raw.githubusercontent.com/eurostat/Nuts2json/"), key
        assert source.url.endswith("/pub/v2/2021/" + source.mirror_path.removeprefix("nuts/2021/insets-upstream/")), key
        assert len(source.url.split("/")[5]) == 40, key  # a full commit, not a branch
        assert source.crs.startswith("EPSG:326") or source.crs.startswith("EPSG:327"), key
        assert f"/{source.crs.removeprefix('EPSG:')}/" in source.mirror_path, key
        assert len(source.sha256) == 64 and source.licence and source.publisher, key


def test_outermost_regions_are_reprojected_to_where_they_lie(mirror):
    files = _inset_files(mirror)
    by_level, report = nuts.outermost_features(files)
    codes = {level: sorted(f["properties"]["id"] for f in features) for level, features in by_level.items()}
    assert codes[1] == ["ES7", "FRY"]
    assert codes[2] == ["ES70", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5"]
    assert codes[3] == ["ES703", "ES704", "ES705", "ES706", "ES707", "ES708", "ES709",
                        "FRY10", "FRY20", "FRY30", "FRY40", "FRY50"]
    level2 = {f["properties"]["id"]: f for f in by_level[2]}
    for code, (lon_min, lat_min, lon_max, lat_max) in TERRITORY_BOXES.items():
        x0, y0, x1, y1 = shape(level2[code]["geometry"]).bounds
        assert lon_min <= x0 < x1 <= lon_max and lat_min <= y0 < y1 <= lat_max, (code, (x0, y0, x1, y1))
    assert level2["FRY4"]["properties"]["na"] == "La Réunion"
    # Reprojection moves vertices, never adds or drops one; rings keep upstream's clockwise winding.
    upstream_fry4 = json.loads(files[("RE", 2)][0].read_text())["features"][0]["geometry"]
    assert _vertex_count(level2["FRY4"]["geometry"]) == _vertex_count(upstream_fry4)
    assert _signed_area(level2["FRY4"]["geometry"]["coordinates"][0]) < 0
    # Rounded as upstream rounds its lon/lat files: 3 decimals.
    assert all(round(x, 3) == x and round(y, 3) == y for x, y in level2["FRY5"]["geometry"]["coordinates"][0])


def test_clipped_neighbours_are_dropped(mirror):
    by_level, report = nuts.outermost_features(_inset_files(mirror))
    dropped = {entry["folder"]: entry["dropped_neighbours"] for entry in report}
    assert dropped["GP"] == ["FRY2", "FRY20"]  # the north of Martinique, cut at the Guadeloupe frame
    assert dropped["IC"] == ["PT3", "PT30", "PT300"]  # Madeira's Selvagens in the Canarias frame
    # Martinique comes from its own inset only: all of it, not the clipped piece.
    fry2 = [f for f in by_level[2] if f["properties"]["id"] == "FRY2"]
    assert len(fry2) == 1 and shape(fry2[0]["geometry"]).bounds[1] < 14.5  # reaches the south of the island
    # FRY (all five French territories) is put together from each inset's own part.
    fry = next(f for f in by_level[1] if f["properties"]["id"] == "FRY")
    parts = [shape({"type": "Polygon", "coordinates": part}) for part in fry["geometry"]["coordinates"]]
    assert len(parts) == 7  # Guadeloupe 3 (incl. Saint-Martin), Martinique, Guyane, Réunion, Mayotte
    inside = {code: sum(shape(level2["geometry"]).contains(part.representative_point()) for part in parts)
              for level2 in by_level[2] if (code := level2["properties"]["id"]).startswith("FRY")}
    assert inside == {"FRY1": 3, "FRY2": 1, "FRY3": 1, "FRY4": 1, "FRY5": 1}


def test_projected_inset_without_a_crs_is_refused_naming_the_file(mirror):
    files = _inset_files(mirror)
    path, _ = files[("GP", 2)]
    with pytest.raises(BuildError, match=r"GP/32620/20M/nutsrg_2.json: projected inset file without a coordinate "
                                         r"reference system"):
        nuts.outermost_features({**files, ("GP", 2): (path, "")})


def test_build_stops_when_sources_toml_loses_an_inset_crs(tmp_path, monkeypatch):
    """The whole build, as run by the command line: clear error, and no dataset switched."""
    manifest = load_manifest()
    manifest["nuts_inset_re_3"] = replace(manifest["nuts_inset_re_3"], crs="")
    monkeypatch.setattr(build_module, "load_manifest", lambda: manifest)
    monkeypatch.setenv("S3MAP_DATA", str(tmp_path / "build"))
    with pytest.raises(BuildError, match=r"RE/32740/20M/nutsrg_3.json: projected inset file without a coordinate"):
        build_module.build(force=True, log=lambda *_: None)
    assert not (tmp_path / "build").exists()


def test_projected_coordinates_without_a_crs_are_refused(tmp_path, mirror):
    """A main-level file in metres with no CRS anywhere (RFC 7946 would read it as lon/lat)."""
    upstream = json.loads(_inset_files(mirror)[("GF", 2)][0].read_text())
    path = tmp_path / "nutsrg_2.json"
    path.write_text(json.dumps(upstream))
    with pytest.raises(BuildError, match=r"nutsrg_2.json: FRY3: coordinates \(.*\) look projected .* no coordinate "
                                         r"reference system is declared"):
        nuts.read_features(path, 2)
    # Declared as lon/lat, the same metres are refused just the same.
    with pytest.raises(BuildError, match=r"look projected .* the declared CRS is EPSG:4326"):
        nuts.read_features(path, 2, "EPSG:4326")


def test_crs_declared_in_the_file_is_used_and_must_agree_with_sources_toml(tmp_path, mirror):
    source_path, registered = _inset_files(mirror)[("YT", 2)]
    collection = json.loads(source_path.read_text())
    collection["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32738"}}
    path = tmp_path / "insets-upstream" / "YT" / "32738" / "20M" / "nutsrg_2.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(collection))
    from_file = nuts.read_projected(path, "")
    assert from_file == nuts.read_projected(source_path, registered)
    with pytest.raises(BuildError, match=r"YT/32738/20M/nutsrg_2.json: the file declares .*32738 but sources.toml says EPSG:32740"):
        nuts.read_projected(path, "EPSG:32740")
    with pytest.raises(BuildError, match=r"unknown coordinate reference system 'EPSG:99999'"):
        nuts.read_projected(source_path, "EPSG:99999")


def test_every_eu_region_has_geometry_at_levels_0_to_3(dataset):
    stats = dataset_stats(dataset.folder)
    assert stats["geometry"]["regions_without_geometry"] == []
    assert stats["geometry"]["features_per_level"] == {"0": 37, "1": 125, "2": 334, "3": 1514}
    regions = pd.read_parquet(dataset.folder / "regions.parquet")
    eu = regions[regions["eu"]]
    assert eu.groupby("level").size().to_dict() == {0: 27, 1: 92, 2: 242, 3: 1166}
    assert eu["has_geometry"].all()
    assert not eu["outermost_without_geometry"].any()
    drawn = {}
    for level, name in dataset.geo_files.items():
        drawn[level] = {f["id"]: f for f in json.loads((dataset.folder / "geo" / name).read_text())["features"]}
    assert {"ES70", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5"} <= set(drawn["2"])
    assert {"ES703", "ES709", "FRY10", "FRY50", "BE329", "ITG2F", "SK032", "SK041", "SK042"} <= set(drawn["3"])
    assert {"ES7", "FRY"} <= set(drawn["1"])
    # No provenance entry outside sources.toml: every geometry input is a registered upstream file.
    provenance = json.loads((dataset.folder / "provenance.json").read_text())
    assert all(not entry["id"].startswith("inset:") for entry in provenance)
    assert sum(entry["id"].startswith("nuts_inset_") for entry in provenance) == 18


def _get(url: str, encoding: str):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, response.read()


def test_geometry_is_compressed_for_brotli_and_for_gzip_clients(live_server, dataset):
    name = dataset.geo_files["3"]
    plain_headers, plain = _get(f"{live_server}/geo/{name}", "identity")
    assert plain_headers.get("Content-Encoding") is None
    assert plain == (dataset.folder / "geo" / name).read_bytes()
    br_headers, br_body = _get(f"{live_server}/geo/{name}", "br")
    gz_headers, gz_body = _get(f"{live_server}/geo/{name}", "gzip")
    assert br_headers["Content-Encoding"] == "br" and brotli.decompress(br_body) == plain
    assert gz_headers["Content-Encoding"] == "gzip" and gzip.decompress(gz_body) == plain
    for headers in (plain_headers, br_headers, gz_headers):
        assert "Accept-Encoding" in headers["Vary"] and "immutable" in headers["Cache-Control"]
    assert len(br_body) < len(plain) / 4 and len(gz_body) < len(plain) / 3
    # A browser asking for both gets brotli; "br;q=0" is honoured.
    assert _get(f"{live_server}/geo/{name}", "gzip, deflate, br")[0]["Content-Encoding"] == "br"
    assert _get(f"{live_server}/geo/{name}", "br;q=0, gzip")[0]["Content-Encoding"] == "gzip"


def test_other_streamed_files_are_gzip_compressed_too(live_server):
    """Dash's scripts are served as files (streamed responses), as the GeoJSON was before."""
    page = urllib.request.urlopen(live_server + "/", timeout=30).read().decode()
    script = next(part.split('"')[0] for part in page.split('src="')[1:] if "dash_renderer" in part.split('"')[0])
    headers, body = _get(live_server + script, "gzip")
    assert headers["Content-Encoding"] == "gzip" and len(gzip.decompress(body)) > 3 * len(body)


def test_first_load_geometry_bytes_on_the_wire(live_server, dataset):
    measured = geometry_wire_bytes(live_server, dataset.geo_files)
    total = sum((dataset.folder / "geo" / name).stat().st_size for name in dataset.geo_files.values())
    assert measured["files"] == 4
    assert measured["identity"] == {"bytes": total, "content_encoding": ["identity"]}
    assert measured["br"]["content_encoding"] == ["br"] and measured["gzip"]["content_encoding"] == ["gzip"]
    assert 0 < measured["br"]["bytes"] < measured["gzip"]["bytes"] < total / 3


def _display_plane():
    return pyproj.Transformer.from_crs("EPSG:4326", nuts.DISPLAY_PROJECTION, always_xy=True)


def _parts_in_plane(geometry: dict, transformer) -> list:
    parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [shape({"type": "Polygon", "coordinates": [list(zip(*transformer.transform(*zip(*ring)))) for ring in part]})
            for part in parts]


def test_framed_territories_are_drawn_inside_their_labelled_frames(dataset):
    """The web GeoJSON places each outermost region (all levels) inside its frame beside Europe."""
    plane = _display_plane()
    frames = nuts.frame_outlines()
    assert [f["label"] for f in frames] == ["Açores", "Madeira", "Canarias", "Guadeloupe", "Martinique", "Guyane",
                                            "La Réunion", "Mayotte"]
    boxes = {f["code"]: box(*nuts.frame_box(i)) for i, f in enumerate(frames)}
    drawn = {level: {f["id"]: f for f in json.loads((dataset.folder / "geo" / name).read_text())["features"]}
             for level, name in dataset.geo_files.items()}
    for code, frame in boxes.items():
        for level, feature_code in ((2, code), (1, code[:3]), (3, None)):
            features = [drawn[str(level)][feature_code]] if feature_code else \
                [f for c, f in drawn["3"].items() if c.startswith(code)]
            assert features, (code, level)
            for feature in features:
                parts = _parts_in_plane(feature["geometry"], plane)
                if level == 1 and code[:3] in ("FRY", "PT2", "PT3", "ES7"):
                    parts = [p for p in parts if p.intersects(frame)]  # FRY spans five frames
                assert parts and all(frame.buffer(1000).contains(p) for p in parts), (code, level)
    # The countries carry their outermost parts in the frames too: FR in five, ES in one, PT in two.
    for country, codes in (("FR", ["FRY1", "FRY2", "FRY3", "FRY4", "FRY5"]), ("ES", ["ES70"]), ("PT", ["PT20", "PT30"])):
        parts = _parts_in_plane(drawn["0"][country]["geometry"], plane)
        for code in codes:
            assert any(boxes[code].contains(p) for p in parts), (country, code)
    # Frames do not overlap each other or any region left in place.
    europe = [p for f in drawn["2"].values() if not any(f["id"].startswith(c) for c in boxes)
              for p in _parts_in_plane(f["geometry"], plane)]
    all_frames = list(boxes.values())
    assert not any(a.intersects(b) for i, a in enumerate(all_frames) for b in all_frames[i + 1:])
    assert not any(frame.intersects(part) for frame in all_frames for part in europe)


def test_regions_outside_the_frames_keep_their_upstream_shape(dataset, mirror):
    """Only the framed territories move: Ireland's IE04 is upstream's polygon, rounded for the web."""
    source = load_manifest()["nuts_rg_2"]
    upstream = next(f for f in json.loads(fetch(source, mirror=mirror).read_text())["features"]
                    if f["properties"]["id"] == "IE04")
    drawn = next(f for f in json.loads((dataset.folder / "geo" / dataset.geo_files["2"]).read_text())["features"]
                 if f["id"] == "IE04")
    assert drawn["geometry"] == nuts.web_geometry(upstream["geometry"])
