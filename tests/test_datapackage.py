"""Bulk downloads: the Frictionless Data Package validates, cites publishers, explains flags; Parquet matches it."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import flask
import pandas as pd
import pytest
from csv_checks import formula_cells
from frictionless import validate

from s3map.api import mount_api
from s3map.data.csv_safe import neutralise as neutralise_formula
from s3map.data.csv_safe import neutralise_frame as formula_safe
from s3map.data.export import EUROSTAT_FLAGS, download_path


@pytest.fixture(scope="module")
def client(dataset):
    host = flask.Flask("host")
    mount_api(host)
    return host.test_client()


@pytest.fixture(scope="module")
def package(client, tmp_path_factory):
    response = client.get("/api/v1/downloads/datapackage.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    folder = tmp_path_factory.mktemp("package")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        archive.extractall(folder)
    return folder / "s3map-datapackage"


def test_frictionless_validate_passes(package):
    report = validate(package / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_every_resource_has_a_table_schema_licence_and_source(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert {"regions", "indicators", "indicator_metadata", "flags", "strategies", "priorities", "priority_codes",
            "taxonomy", "partnerships", "rci_2022", "manufacturing_employment"} <= names
    for resource in descriptor["resources"]:
        assert resource["schema"]["fields"], resource["name"]
        assert resource["licenses"] and all(lic.get("title") for lic in resource["licenses"]), resource["name"]
        assert resource["sources"] and all(s.get("title") for s in resource["sources"]), resource["name"]


def test_sources_cite_the_publisher_and_name_the_mirror_only_as_where_it_was_read(package, dataset):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    indicators = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    paths = {s["path"] for s in indicators["sources"]}
    assert "https://ec.europa.eu/eurostat/databrowser/view/nama_10r_2gdp/default/table" in paths
    assert not any("githubusercontent" in p for p in paths)  # the copy is not the source
    assert all(s["description"].startswith("read from ") for s in indicators["sources"])
    meta = pd.read_csv(package / "data" / "indicator_metadata.csv").set_index("indicator")
    assert meta.loc["gerd_pc_gdp", "dataset"] == "tgs00042" and meta.loc["gerd_pc_gdp", "publisher"] == "Eurostat"
    assert meta.loc["gerd_pc_gdp", "read_from"] == dataset.indicators["gerd_pc_gdp"].source_url
    assert meta.loc["rii", "publisher_url"].startswith("https://research-and-innovation.ec.europa.eu/")


def test_every_flag_letter_in_the_values_is_explained(package, dataset):
    flags = pd.read_csv(package / "data" / "flags.csv", keep_default_na=False)
    explained = set(flags["flag"])
    used = {letter for flag in dataset.values["flag"].dropna() for letter in flag}
    assert used and used <= explained
    assert flags.set_index("flag").loc["b", "meaning"] == "break in time series"
    assert (flags["source"] == "https://ec.europa.eu/eurostat/web/main/data/database").all()


def test_indicator_values_round_trip_exactly(package, dataset):
    values = pd.read_csv(package / "data" / "indicators.csv", keep_default_na=False, na_values=[""])
    assert len(values) == len(dataset.values)
    mine = values[(values["region"] == "PL21") & (values["indicator"] == "gdp_pps_hab")].set_index("year")["value"]
    theirs = dataset.values[(dataset.values["region"] == "PL21") & (dataset.values["indicator"] == "gdp_pps_hab")]
    assert mine.to_dict() == {int(y): float(v) for y, v in zip(theirs["year"], theirs["value"])}


def test_parquet_zip_has_the_same_tables_and_rows(client, package):
    response = client.get("/api/v1/downloads/parquet.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = {n.rsplit("/", 1)[-1] for n in archive.namelist()}
        for csv_path in (package / "data").glob("*.csv"):
            assert f"{csv_path.stem}.parquet" in names
            table = pd.read_parquet(io.BytesIO(archive.read(f"s3map-parquet/{csv_path.stem}.parquet")))
            with csv_path.open(encoding="utf-8") as handle:
                assert len(table) == sum(1 for _ in csv.reader(handle)) - 1, csv_path.stem
        assert "s3map-parquet/metadata.json" in archive.namelist()


def test_downloads_are_written_once_per_dataset(dataset, client):
    first = download_path(dataset, "datapackage.zip")
    stamp = first.stat().st_mtime_ns
    client.get("/api/v1/downloads/datapackage.zip")
    assert download_path(dataset, "datapackage.zip") == first and first.stat().st_mtime_ns == stamp
    assert first.parent == dataset.folder / "downloads"


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("Life sciences", "Life sciences"), ("", ""),
    (-1.5, -1.5), (None, None),
])
def test_formula_cells_are_neutralised(cell, expected):
    assert neutralise_formula(cell) == expected


def test_formula_safe_keeps_numbers_and_neutralises_text():
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Hydrogen"], "value": [-3.5, 2.0]})
    safe = formula_safe(frame)
    assert safe["name"].tolist() == ["'=cmd|' /C calc'!A0", "Hydrogen"]
    assert safe["value"].tolist() == [-3.5, 2.0]


def test_no_text_cell_in_the_package_starts_a_formula(package):
    for path in (package / "data").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            assert formula_cells(cell for row in reader for cell in row) == [], path.name


def test_flags_cover_eurostats_list():
    assert set("bcdefnprsuz") <= set(EUROSTAT_FLAGS)
