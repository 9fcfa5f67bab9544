"""Comparison, peers, partners and specialisation: as functions and in the browser."""

import csv
import io
import time

from selenium.webdriver.common.by import By
from browser_helpers import severe_console_entries, wait

from s3map.analysis.peers import similar_regions
from s3map.callbacks.controller import respond
from s3map.ui import ids
from s3map.ui.benchmark import compare_csv


def render_for(search, shown, dataset):
    return respond(search, None, None, shown, dataset)


def test_compare_csv_is_the_table_with_sources(dataset):
    text = compare_csv(dataset, ["PL21", "ES30"])
    lines = text.splitlines()
    assert lines[0].startswith("# S3 Observatory") and "EuroGeographics" in lines[1]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[2:]))))
    assert len(rows) == 2 * len(dataset.indicators)
    row = next(r for r in rows if r["region"] == "PL21" and r["indicator"] == "gdp_pps_hab_eu")
    assert row["value"] == "69.0" and row["year"] == "2023" and row["source_url"].startswith("https://")
    assert all(r["source"] for r in rows)


def test_peers_tab_shows_peers_partners_and_method(dataset):
    panel = render_for("?region=PL21&tab=peers&peers=5", {}, dataset)["panel"]
    text = str(panel)
    peers = similar_regions(dataset, "PL21", 5)
    assert all(code in text for code in peers.index)
    assert "Navarro et al. 2014" in text and "Possible partners" in text


def test_specialisation_tab_says_where_data_are_missing(dataset):
    panel = render_for("?region=PL21&tab=specialisation", {}, dataset)["panel"]
    text = str(panel)
    assert "Only manufacturing divisions" in text and "not a manufacturing division" in text
    assert "builds on a strength" in text  # PL21 metals: LQ 1.62


def test_benchmarking_in_the_browser(live_server, browser, dataset, downloads):
    browser.get(live_server + "/?indicator=gdp_pps_hab_eu&region=PL21")
    wait(browser, lambda d: d.find_element(By.ID, ids.PANEL_TITLE).text == "Małopolskie")
    browser.find_element(By.XPATH, "//button[normalize-space()='Add to comparison']").click()
    wait(browser, lambda d: "compare=PL21" in d.current_url)

    browser.find_element(By.XPATH, "//a[normalize-space()='Peers & partners']").click()
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, f"#{ids.PEER_TABLE} tbody tr")) == 10)
    partners = browser.find_elements(By.CSS_SELECTOR, f"#{ids.PARTNER_TABLE} tbody tr")
    assert len(partners) == 10 and "nace:" in partners[0].text + partners[1].text + partners[2].text

    browser.find_element(By.XPATH, "//button[normalize-space()='Compare with these peers']").click()
    wait(browser, lambda d: "tab=compare" in d.current_url)
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, f"#{ids.COMPARE_TABLE} thead th")) == 11)
    compared = browser.current_url.split("compare=")[1].split("&")[0].split(",")
    assert compared[0] == "PL21" and len(compared) == 10
    assert len(browser.find_elements(By.CSS_SELECTOR, ".right .js-plotly-plot")) == 2  # over time, profile

    browser.find_element(By.XPATH, "//button[normalize-space()='Download CSV (with sources)']").click()
    target = downloads / "s3map-comparison.csv"
    deadline = time.time() + 15
    while not target.exists() and time.time() < deadline:
        time.sleep(0.2)
    lines = [line for line in target.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    values = [r for r in rows if r["record"] == "value"]  # every year of every indicator (issue 14)
    assert {r["region"] for r in values} == set(compared)
    assert len(values) == len(dataset.values[dataset.values["region"].isin(compared)])
    assert any(r["record"] == "priority" and r["region"] == "PL21" for r in rows)

    browser.find_element(By.XPATH, "//a[normalize-space()='Specialisation']").click()
    wait(browser, lambda d: d.find_elements(By.ID, ids.SPEC_TABLE))
    assert "LQ" in browser.find_element(By.ID, ids.SPEC_TABLE).text
    assert severe_console_entries(browser) == []


def test_a_land_or_country_selection_is_analysed_through_its_nuts2_region(dataset):
    assert dataset.nuts2_of("DE8") == "DE80" and dataset.nuts2_of("LU") == "LU00" and dataset.nuts2_of("PL213") == "PL21"
    assert dataset.nuts2_of("DE2") is None  # Bayern has seven NUTS 2 regions
    panel = render_for("?region=DE8&tab=peers", {}, dataset)["panel"]
    assert "Peers and partners of Mecklenburg-Vorpommern" in str(panel)
    panel = render_for("?region=DE2&tab=specialisation", {}, dataset)["panel"]
    text = str(panel)
    assert "spans 7 NUTS 2 regions" in text and "region=DE21" in text and "tab=specialisation" in text


def _chart_fonts(panel) -> list:
    found = []

    def walk(node):
        figure = getattr(node, "figure", None)
        if figure is not None:
            found.append(figure.layout.font.size)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)
    for node in panel:
        walk(node)
    return found


def test_cached_analysis_tabs_follow_presenter_mode_and_the_charts_indicator(dataset):
    # A tab cached for the laptop view must not be served to the projector (type size), nor a chart
    # built for one indicator to a view that chose another.
    base = "?region=PL21&compare=PL21,CZ06&tab=compare"
    laptop = _chart_fonts(render_for(base, {}, dataset)["panel"])
    projector = _chart_fonts(render_for(base + "&present=1", {}, dataset)["panel"])
    assert laptop and projector and max(laptop) < 18 <= min(projector)
    gerd = str(render_for(base + "&chart=gerd_pc_gdp", {}, dataset)["panel"])
    assert "over time" in gerd and gerd != str(render_for(base + "&chart=unemployment_rate", {}, dataset)["panel"])
    peers = _chart_fonts(render_for("?region=PL21&tab=peers&present=1", {}, dataset)["panel"])
    assert peers and min(peers) >= 18
