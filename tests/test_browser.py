"""The real page in headless Chromium: loads, draws every region, reacts to a click, no console errors."""

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from s3map.ui import ids

TRACE_PATHS = """
const trace = Array.from(document.querySelectorAll('#map g.trace.choropleth'))
  .find(t => t.__data__ && t.__data__[0] && t.__data__[0].trace.index === arguments[0]);
return trace ? Array.from(trace.querySelectorAll('path.choroplethlocation')) : [];
"""


def count_paths(driver, trace_index):
    """Regions drawn by one trace (0 outside the EU, 1 no data, 2 values), read from the SVG."""
    return len(driver.execute_script(TRACE_PATHS, trace_index))


def find_region(driver, code):
    paths = driver.execute_script(TRACE_PATHS, 2) + driver.execute_script(TRACE_PATHS, 1)
    return next((p for p in paths if driver.execute_script("return arguments[0].__data__.loc", p) == code), None)


def severe_console_entries(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_map_loads_click_shows_panel_no_console_errors(live_server, browser, dataset):
    browser.get(live_server + "/?indicator=gerd_pc_gdp&year=2021")
    expected = len(dataset.map_values("gerd_pc_gdp", 2021))  # EU NUTS 2 regions with geometry
    WebDriverWait(browser, 30).until(lambda d: count_paths(d, 1) + count_paths(d, 2) == expected)
    with_data = int(dataset.map_values("gerd_pc_gdp", 2021)["value"].notna().sum())
    assert count_paths(browser, 2) == with_data
    assert count_paths(browser, 0) == len(dataset.context_countries)

    region = find_region(browser, "ES30")
    assert region is not None
    ActionChains(browser).move_to_element(region).click().perform()
    WebDriverWait(browser, 15).until(
        lambda d: d.find_element(By.ID, ids.PANEL_TITLE).text == "Comunidad de Madrid")
    table = browser.find_element(By.ID, ids.INDICATOR_TABLE).text
    assert "R&D expenditure (GERD)" in table and "% of GDP" in table
    assert "region=ES30" in browser.current_url
    time.sleep(0.5)
    assert severe_console_entries(browser) == []


def test_offline_no_request_leaves_the_machine(live_server, browser):
    browser.get(live_server + "/")
    WebDriverWait(browser, 30).until(lambda d: count_paths(d, 2) > 100)
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [url for url in urls if not url.startswith(live_server)]
    assert outside == []


def test_bad_url_shows_a_notice_and_the_default_view(live_server, browser):
    browser.get(live_server + "/?indicator=nonsense&region=%3Cb%3E")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, ids.NOTICE).is_displayed())
    notice = browser.find_element(By.ID, ids.NOTICE).text
    assert "unknown indicator" in notice and "unknown region code" in notice
    WebDriverWait(browser, 20).until(lambda d: count_paths(d, 2) > 100)
    assert severe_console_entries(browser) == []
