"""The /api/v1 JSON API: behaviour on real data, problem documents, and schemathesis against its OpenAPI document."""

from __future__ import annotations

import flask
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from s3map.api import mount_api
from s3map.api.routes import PREFIX


@pytest.fixture(scope="module")
def server(dataset):
    """The app's own Flask server (Dash + the mounted API), driven in-process."""
    from s3map.app_factory import create_app
    return create_app(dataset).server


@pytest.fixture(scope="module")
def client(server):
    return server.test_client()


def _host_with_api():
    """A Flask server with the API mounted exactly as app_factory mounts it on the Dash server (the schema
    must exist when tests are collected, before the dataset fixture runs; the routes read data lazily)."""
    host = flask.Flask("host")
    mount_api(host)
    return host


schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", _host_with_api())


@pytest.mark.usefixtures("dataset")
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
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
                 "/indicators/{indicator}/values", "/flags", "/strategies", "/strategies/{strategy_id}",
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
    assert methods <= {"curated", "coder"} and methods


def test_region_strategies_include_national_and_regional(client):
    body = client.get(f"{PREFIX}/regions/PL21/strategies?status=in_force").get_json()
    levels = {s["level"] for s in body["items"]}
    assert {"national", "regional"} <= levels


def test_peers_and_partners_match_the_analysis_functions(client, dataset):
    from s3map.analysis.partners import partner_regions
    from s3map.analysis.peers import similar_regions
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


def test_the_dash_app_is_still_served_beside_the_api(client):
    assert client.get("/").status_code == 200
