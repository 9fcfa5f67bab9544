"""The /api/v1 JSON API: behaviour on real data, problem documents, and schemathesis against its OpenAPI document."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import struct
import urllib.request

import flask
import pandas as pd
import pytest
import schemathesis
from browser_helpers import wait
from csv_checks import formula_cells
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from selenium.webdriver.common.by import By

from s3map.analysis.partners import partner_regions
from s3map.analysis.peers import similar_regions
from s3map.api import mount_api
from s3map.api.routes import PREFIX
from s3map.export_view import map_update_for
from s3map.state import parse
from s3map.ui import ids


@pytest.fixture(scope="module")
def client(dataset):
    """The API mounted as app_factory mounts it, in-process. (Not a second Dash app: the first Dash app
    set up in a process takes Dash's global callbacks, and the browser tests' live server needs them.)"""
    return _host_with_api().test_client()


def _host_with_api():
    """A Flask server with the API mounted exactly as app_factory mounts it on the Dash server (the schema
    must exist when tests are collected, before the dataset fixture runs; the routes read data lazily)."""
    host = flask.Flask("host")
    mount_api(host)
    return host


# A schema-valid request may still name a region the ranking cannot use (a country of several NUTS 2
# regions): the API answers 422 with a problem document, as documented; not a rejected valid request.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422"]}}})
schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", _host_with_api(), config=CONFIG)


@pytest.mark.slow
@pytest.mark.usefixtures("dataset")
@schema.parametrize()
@settings(max_examples=int(os.environ.get("S3MAP_API_EXAMPLES", "25")), deadline=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_its_schema_and_never_fails_on_the_server(case):
    # positive and negative cases: no 5xx, status, content type, headers and body as documented.
    # identity: the in-process WSGI client does not undo the compression a real HTTP client would
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


def test_openapi_document_is_3_1_and_describes_every_route(client):
    spec = client.get(f"{PREFIX}/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    paths = set(spec["paths"])
    for path in ("/regions", "/regions/{code}", "/regions/{code}/series", "/regions/{code}/strategies",
                 "/regions/{code}/peers", "/regions/{code}/partners", "/indicators", "/indicators/{indicator}",
                 "/indicators/{indicator}/values", "/flags", "/strategies", "/priorities", "/strategies/{strategy_id}",
                 "/downloads/{name}"):
        assert PREFIX + path in paths
    problem = spec["paths"][f"{PREFIX}/regions/{{code}}"]["get"]["responses"]["404"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_region_has_names_level_parent_and_children(client, dataset):
    body = client.get(f"{PREFIX}/regions/PL21").get_json()
    assert body["name"] == dataset.region_name("PL21")
    assert (body["level"], body["parent"], body["country"]) == (2, "PL2", "PL")
    assert body["children"] and all(c.startswith("PL21") and len(c) == 5 for c in body["children"])


def test_region_list_is_paged_with_a_next_link(client, dataset):
    first = client.get(f"{PREFIX}/regions?level=2&country=PL&limit=5").get_json()
    expected = sorted(dataset.regions.loc[(dataset.regions["level"] == 2) & (dataset.regions["country"] == "PL"),
                                          "code"])
    assert first["total"] == len(expected) and [r["code"] for r in first["items"]] == expected[:5]
    second = client.get(first["next"]).get_json()
    assert [r["code"] for r in second["items"]] == expected[5:10]


def test_values_carry_unit_flag_and_publisher_source(client, dataset):
    body = client.get(f"{PREFIX}/indicators/unemployment_rate/values?year=2020&level=2&limit=1000").get_json()
    rows = dataset.values[(dataset.values["indicator"] == "unemployment_rate") & (dataset.values["year"] == 2020)
                          & (dataset.values["level"] == 2)]
    assert body["total"] == len(rows)
    flagged = [v for v in body["items"] if v["flag"]]
    assert flagged, "unemployment 2020 has flagged values in the data"
    one = flagged[0]
    source_row = rows[rows["region"] == one["region"]].iloc[0]
    assert one["value"] == pytest.approx(float(source_row["value"])) and one["flag"] == source_row["flag"]
    assert one["unit"] == dataset.indicators["unemployment_rate"].unit
    assert one["source"] == "Eurostat, tgs00010"
    assert one["source_url"] == "https://ec.europa.eu/eurostat/databrowser/view/tgs00010/default/table"


def test_series_of_a_region_is_its_own_values_by_year(client, dataset):
    body = client.get(f"{PREFIX}/regions/PL21/series?indicator=gdp_pps_hab_eu&limit=1000").get_json()
    rows = dataset.values[(dataset.values["indicator"] == "gdp_pps_hab_eu") & (dataset.values["region"] == "PL21")]
    assert [v["year"] for v in body["items"]] == sorted(rows["year"].tolist())


def test_strategy_lists_priorities_with_coding_method(client, dataset):
    strategy_id = dataset.in_force["strategy_id"].iloc[0]
    body = client.get(f"{PREFIX}/strategies/{strategy_id}").get_json()
    assert body["status"] == "in_force"
    assert len(body["priorities"]) == len(dataset.priorities_of(strategy_id))
    methods = {c["method"] for p in body["priorities"] for c in p["codes"]}
    assert methods <= {"reviewed", "curated", "coder"} and methods


@pytest.mark.parametrize("query, codes, keyword", [("q=hydrogen", (), "hydrogen"), ("code=nace:C20", ("nace:C20",), ""),
                                                   ("code=nace:C&q=battery", ("nace:C",), "battery")])
def test_priority_search_finds_what_the_maps_priority_mode_colours(client, dataset, query, codes, keyword):
    matches = dataset.priority_matches(codes, keyword).drop_duplicates("strategy_id")
    body = client.get(f"{PREFIX}/priorities?{query}&limit=1000").get_json()
    if codes and keyword:  # the API narrows by both; the map colours either
        assert body["total"] <= matches["matches"].sum()
    else:
        assert body["total"] == matches["matches"].sum() > 0
        assert {i["strategy_id"] for i in body["items"]} == set(matches["strategy_id"])
    assert all(i["status"] == "in_force" and i["codes"] is not None for i in body["items"])


def test_region_strategies_include_national_and_regional(client):
    body = client.get(f"{PREFIX}/regions/PL21/strategies?status=in_force").get_json()
    levels = {s["level"] for s in body["items"]}
    assert {"national", "regional"} <= levels


def test_peers_and_partners_match_the_analysis_functions(client, dataset):
    peers = client.get(f"{PREFIX}/regions/PL21/peers?count=5&exclude_own_country=true").get_json()
    expected = similar_regions(dataset, "PL21", 5, True)
    assert [p["code"] for p in peers["items"]] == list(expected.index)
    assert not any(p["code"].startswith("PL") for p in peers["items"])
    partners = client.get(f"{PREFIX}/regions/PL21/partners?count=3").get_json()
    assert [p["strategy_id"] for p in partners["items"]] == partner_regions(dataset, "PL21", 3)["strategy_id"].tolist()


@pytest.mark.parametrize("url, status", [
    ("/regions?limit=5000", 400), ("/regions?limit=abc", 400), ("/regions?offset=-1", 400),
    ("/regions/pl21", 400), ("/regions/ZZ99", 404), ("/indicators/nope", 404),
    ("/indicators/gerd_pc_gdp/values?year=1700", 400), ("/strategies?status=maybe", 400),
    ("/strategies/XX-0000-0000", 404), ("/regions/PL/peers", 422), ("/no/such/route", 404),
    ("/downloads/secrets.zip", 400),
])
def test_bad_input_is_a_problem_document_never_a_server_error(client, url, status):
    response = client.get(PREFIX + url)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["instance"] == PREFIX + url.split("?")[0]


def test_post_is_refused_with_a_problem_document(client):
    response = client.post(f"{PREFIX}/regions")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"


def test_docs_page_is_offline_and_lists_the_operations(client):
    html = client.get(f"{PREFIX}/docs").get_data(as_text=True)
    assert "/api/v1/regions/{code}/peers" in html and "application/problem+json" in html
    assert "<script" not in html and "https://cdn" not in html
    swagger = client.get(f"{PREFIX}/swagger").get_data(as_text=True)
    assert "swagger/js/swagger-ui-bundle.js" in swagger and "//unpkg" not in swagger and "cdn" not in swagger
    asset = client.get(f"{PREFIX}/swagger/js/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.get_data()) > 100_000


def test_every_example_on_the_docs_page_answers(client):
    page = client.get(f"{PREFIX}/docs").get_data(as_text=True)
    examples = [html.unescape(u) for u in re.findall(r'Example: <a href="([^"]+)"', page)]
    assert len(examples) >= 13
    for url in examples:
        assert client.get(url).status_code == 200, url


def test_the_dash_app_and_the_api_share_one_server(live_server):
    with urllib.request.urlopen(live_server + "/") as page:
        assert page.status == 200 and "S3 Observatory" in page.read().decode("utf-8")
    with urllib.request.urlopen(live_server + f"{PREFIX}/regions/PL21") as response:
        assert response.headers["Content-Type"] == "application/json"


# ---- exports of a view (/api/v1/exports/*) -------------------------------------------------------

def read_export(text: str):
    header = [line for line in text.splitlines() if line.startswith("#")]
    return header, pd.read_csv(io.StringIO(text), comment=None, skiprows=len(header), keep_default_na=False,
                               na_values=[""])


def test_map_csv_is_every_region_on_the_map_with_what_the_map_shows(client, dataset):
    response = client.get(f"{PREFIX}/exports/map.csv?indicator=gerd_pc_gdp&year=2021&category=less&classes=quantile")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, table = read_export(response.get_data(as_text=True))
    shown = dataset.map_values("gerd_pc_gdp", 2021)
    keep = set(dataset.filter_regions(category=("less",)))
    assert sorted(table["region"]) == sorted(shown["code"])  # every NUTS 2 region drawn
    assert any("cohesion category less developed" in line for line in header)
    assert any(line.startswith("# Colours: 5 classes") for line in header)
    inside = table[table["region"].isin(keep)].set_index("region")
    expected = shown.set_index("code")["value"].reindex(inside.index)
    assert inside["value"].fillna(-1).tolist() == pytest.approx(expected.astype(float).fillna(-1).tolist())
    assert table.loc[~table["region"].isin(keep), "value"].isna().all()
    assert set(table.loc[~table["region"].isin(keep), "class"]) == {"not in the filter"}
    with_value = inside[inside["value"].notna()]
    assert with_value["class"].str.match(r"^[1-5]: ").all() and with_value["class"].nunique() == 5
    assert (table["unit"] == "% of GDP").all() and (table["year"] == 2021).all()
    assert (table["source"] == "Eurostat, tgs00042").all()


def test_priority_map_csv_counts_the_regions_the_map_colours(client, dataset):
    search = "?mode=priorities&q=hydrogen"
    _, table = read_export(client.get(f"{PREFIX}/exports/map.csv{search}").get_data(as_text=True))
    summary = map_update_for(parse(search, dataset)[0], dataset)["summary"]
    assert (table["matching_priorities"].fillna(0) > 0).sum() == summary["matched"]
    assert len(table) == summary["total"]
    assert table["priorities"].fillna("").str.contains("ydrogen").any()


def test_comparison_csv_has_full_series_and_in_force_priorities(client, dataset):
    text = client.get(f"{PREFIX}/exports/comparison.csv?compare=PL21,DE21&tab=compare").get_data(as_text=True)
    header, table = read_export(text)
    values = table[table["record"] == "value"]
    for region in ("PL21", "DE21"):
        expected = dataset.values[dataset.values["region"] == region]
        assert len(values[values["region"] == region]) == len(expected)
        strategies = dataset.strategies_for(region)
        in_force = strategies[strategies["in_force"]]["strategy_id"]
        count = sum(len(dataset.priorities_of(s)) for s in in_force)
        assert table[(table["record"] == "priority") & (table["region"] == region)].shape[0] == count
    assert (table[table["record"] == "priority"]["region"] == "PL21").sum() > 0
    if not (table[table["record"] == "priority"]["region"] == "DE21").any():
        assert any(line.startswith("# Oberbayern (DE21): no priority list in force") for line in header)
    gdp = values[(values["region"] == "PL21") & (values["indicator"] == "gdp_pps_hab_eu")]
    assert gdp["year"].min() <= 2005 and gdp["year"].max() >= 2020  # the whole series, not the latest year


def test_exported_csv_cells_cannot_start_a_formula(client):
    text = client.get(f"{PREFIX}/exports/map.csv?mode=priorities&q=energy").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows if row and not row[0].startswith("#") for cell in row]
    assert cells and formula_cells(cells) == []


def test_comparison_without_regions_is_a_problem(client):
    response = client.get(f"{PREFIX}/exports/comparison.csv?indicator=gerd_pc_gdp")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


@pytest.mark.slow
def test_map_png_and_svg_have_title_legend_and_attribution(client):
    png = client.get(f"{PREFIX}/exports/map.png?indicator=gerd_pc_gdp&year=2021&classes=quantile")
    assert png.status_code == 200 and png.mimetype == "image/png"
    data = png.get_data()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1600, 1000)
    svg = client.get(f"{PREFIX}/exports/map.svg?indicator=gerd_pc_gdp&year=2021&classes=quantile")
    text = svg.get_data(as_text=True)
    assert svg.mimetype == "image/svg+xml" and text.lstrip().startswith("<svg")
    for expected in ("R&amp;D expenditure (GERD), 2021", "© EuroGeographics", "Eurostat, tgs00042", "No data",
                     "Outside the EU", "% of GDP"):
        assert expected in text, expected


def test_the_page_links_to_exports_of_exactly_this_view(live_server, browser):
    search = "?indicator=gerd_pc_gdp&year=2021&category=less"
    browser.get(live_server + "/" + search)
    wait(browser, lambda d: d.find_element(By.ID, ids.EXPORT_MAP_CSV).get_attribute("href").endswith(search))
    summary = browser.find_element(By.ID, ids.FILTER_SUMMARY).text  # "... 78 of 241 regions shown, 70 with data."
    shown, with_data = map(int, re.search(r"(\d+) of \d+ regions shown, (\d+) with data", summary).groups())
    for component_id, suffix in ((ids.EXPORT_MAP_PNG, "/api/v1/exports/map.png"),
                                 (ids.EXPORT_MAP_SVG, "/api/v1/exports/map.svg")):
        assert browser.find_element(By.ID, component_id).get_attribute("href").endswith(suffix + search)
    with urllib.request.urlopen(browser.find_element(By.ID, ids.EXPORT_MAP_CSV).get_attribute("href")) as response:
        _, table = read_export(response.read().decode("utf-8"))
    assert (table["class"] != "not in the filter").sum() == shown and table["value"].notna().sum() == with_data
    for component_id, path in ((ids.DOWNLOAD_DATAPACKAGE, "/api/v1/downloads/datapackage.zip"),
                               (ids.DOWNLOAD_PARQUET, "/api/v1/downloads/parquet.zip"), (ids.API_DOCS, "/api/v1/docs")):
        assert browser.find_element(By.ID, component_id).get_attribute("href") == live_server + path
