"""The real page in headless Chromium: draws every region, reacts to clicks, keys, URLs and history."""

import json
import time
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from browser_helpers import severe_console_entries, wait

from s3map.figures.map import T_BASE, T_CONTEXT, T_FILTERED, T_VALUES
from s3map.ui import ids

TRACE_PATHS = """
const trace = Array.from(document.querySelectorAll('#map g.trace.choropleth'))
  .find(t => t.__data__ && t.__data__[0] && t.__data__[0].trace.index === arguments[0]);
return trace ? Array.from(trace.querySelectorAll('path.choroplethlocation')) : [];
"""


def count_paths(driver, trace_index):
    """Regions drawn by one trace, read from the SVG."""
    return len(driver.execute_script(TRACE_PATHS, trace_index))


def drawn_codes(driver, trace_index):
    return set(driver.execute_script(
        "return arguments[0].map(p => p.__data__.loc)", driver.execute_script(TRACE_PATHS, trace_index)))


def find_region(driver, code):
    paths = driver.execute_script(TRACE_PATHS, T_VALUES) + driver.execute_script(TRACE_PATHS, T_BASE)
    return next((p for p in paths if driver.execute_script("return arguments[0].__data__.loc", p) == code), None)


def click_region(driver, code, attempts=5):
    """Click a region's path; Plotly may redraw between finding and clicking, so find it again then."""
    for _ in range(attempts):
        try:
            ActionChains(driver).move_to_element(find_region(driver, code)).click().perform()
            return
        except StaleElementReferenceException:
            time.sleep(0.3)
    raise AssertionError(f"could not click {code}")


def test_map_loads_click_shows_panel_no_console_errors(live_server, browser, dataset):
    browser.get(live_server + "/?indicator=gerd_pc_gdp&year=2021")
    frame = dataset.map_values("gerd_pc_gdp", 2021)
    wait(browser, lambda d: count_paths(d, T_BASE) + count_paths(d, T_VALUES) == len(frame))
    assert count_paths(browser, T_VALUES) == int(frame["value"].notna().sum())
    assert count_paths(browser, T_CONTEXT) == len(dataset.context_countries)

    click_region(browser, "ES30")
    wait(browser, lambda d: d.find_element(By.ID, ids.PANEL_TITLE).text == "Comunidad de Madrid")
    table = browser.find_element(By.ID, ids.INDICATOR_TABLE).text
    assert "R&D expenditure (GERD)" in table and "% of GDP" in table
    assert "region=ES30" in browser.current_url
    time.sleep(0.5)
    assert severe_console_entries(browser) == []


def test_offline_no_request_leaves_the_machine(live_server, browser):
    browser.get(live_server + "/")
    wait(browser, lambda d: count_paths(d, T_VALUES) > 100)
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in urls if not url.startswith(live_server)] == []


def test_bad_url_shows_a_notice_and_the_default_view(live_server, browser):
    browser.get(live_server + "/?indicator=nonsense&region=%3Cb%3E")
    wait(browser, lambda d: d.find_element(By.ID, ids.NOTICE).is_displayed())
    notice = browser.find_element(By.ID, ids.NOTICE).text
    assert "unknown indicator" in notice and "unknown region code" in notice
    wait(browser, lambda d: count_paths(d, T_VALUES) > 100)
    assert severe_console_entries(browser) == []


def test_url_round_trip_and_history(live_server, browser, dataset):
    shared = "/?mode=priorities&indicator=gerd_pc_gdp&q=hydrogen&country=ES,DE&region=ES21"
    browser.get(live_server + shared)
    wait(browser, lambda d: d.find_element(By.ID, ids.PANEL_TITLE).text == "País Vasco")
    assert browser.find_element(By.CSS_SELECTOR, f"#{ids.MODE} input[value='priorities']").is_selected()
    assert browser.find_element(By.ID, ids.KEYWORD).get_attribute("value") == "hydrogen"
    assert "España (ES)" in browser.find_element(By.ID, ids.COUNTRY).text  # first of the two chosen
    assert "country ES, DE" in browser.find_element(By.ID, ids.FILTER_SUMMARY).text
    wait(browser, lambda d: count_paths(d, T_FILTERED) > 100)  # regions outside ES and DE
    assert all(code[:2] not in ("ES", "DE") for code in drawn_codes(browser, T_FILTERED))

    browser.find_element(By.CSS_SELECTOR, f"#{ids.MODE} input[value='indicator']").click()
    wait(browser, lambda d: "mode=priorities" not in d.current_url)
    wait(browser, lambda d: count_paths(d, T_VALUES) > 0)
    assert drawn_codes(browser, T_VALUES) <= {c for c in dataset.nuts2_eu_drawn if c[:2] in ("ES", "DE")}

    browser.back()
    wait(browser, lambda d: "mode=priorities" in d.current_url)
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, f"#{ids.MODE} input[value='priorities']").is_selected())
    wait(browser, lambda d: count_paths(d, T_VALUES) == 0 and count_paths(d, T_FILTERED) > 100)
    browser.forward()
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, f"#{ids.MODE} input[value='indicator']").is_selected())
    assert severe_console_entries(browser) == []


def test_filter_combination_in_the_browser(live_server, browser, dataset):
    browser.get(live_server + "/?indicator=gdp_pps_hab_eu&country=PL,CZ&ris=Moderate")
    expected = set(dataset.filter_regions(("PL", "CZ"), ("Moderate",), (), None)) & set(dataset.nuts2_eu_drawn)
    wait(browser, lambda d: drawn_codes(d, T_VALUES) | drawn_codes(d, T_BASE) == expected)
    summary = browser.find_element(By.ID, ids.FILTER_SUMMARY).text
    assert "country PL, CZ" in summary and "RIS Moderate" in summary and f"{len(expected)} of" in summary
    browser.find_element(By.ID, ids.CLEAR_FILTERS).click()
    wait(browser, lambda d: "country=" not in d.current_url and count_paths(d, T_FILTERED) == 0)
    assert severe_console_entries(browser) == []


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()
    time.sleep(0.15)


def tab_to(driver, element_id=None, role=None, limit=40):
    """Press Tab until the focused element is the one wanted; keyboard only, like a user."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        active = driver.switch_to.active_element
        if (element_id and active.get_attribute("id") == element_id) or (role and active.get_attribute("role") == role):
            return active
    raise AssertionError(f"could not reach {element_id or role} with the Tab key")


FOCUSED_OPTION = "const o = document.activeElement.closest('[role=option]'); return o ? o.innerText : null;"


def choose_by_keyboard(driver, element_id, text, option=None):
    """Open a dropdown with Enter, type to search if it offers a search box, arrow to the option, Enter."""
    tab_to(driver, element_id)
    press(driver, Keys.ENTER)
    if "search" in (driver.switch_to.active_element.get_attribute("class") or ""):
        press(driver, text)
        time.sleep(0.3)
    for _ in range(20):
        press(driver, Keys.ARROW_DOWN)
        if (option or text).lower() in (driver.execute_script(FOCUSED_OPTION) or "").lower():
            break
    else:
        raise AssertionError(f"option {option or text!r} not reached with the arrow keys")
    press(driver, Keys.ENTER)


def test_main_controls_by_keyboard(live_server, browser):
    browser.get(live_server + "/?indicator=gdp_pps_hab_eu")
    wait(browser, lambda d: count_paths(d, T_VALUES) > 100)
    choose_by_keyboard(browser, ids.REGION_SEARCH, "Malopolskie", option="(PL21)")  # typed without the diacritic
    wait(browser, lambda d: d.find_element(By.ID, ids.PANEL_TITLE).text == "Małopolskie")

    choose_by_keyboard(browser, ids.INDICATOR, "Unemployment rate")
    wait(browser, lambda d: "indicator=unemployment_rate" in d.current_url)

    tab_to(browser, role="slider")
    press(browser, Keys.ARROW_LEFT)
    wait(browser, lambda d: "year=" in d.current_url)
    assert browser.find_element(By.ID, ids.YEAR_LABEL).text == browser.current_url.split("year=")[1][:4]

    tab_to(browser, "_dbcprivate_radioitems_classes_input_quantile")
    press(browser, Keys.SPACE)
    wait(browser, lambda d: "classes=quantile" in d.current_url)
    assert severe_console_entries(browser) == []


def test_presenter_tour_steps_with_page_down(live_server, browser):
    tour = json.loads((Path(__file__).resolve().parent.parent / "data" / "tours" / "forum.json").read_text())
    browser.get(live_server + "/" + tour["steps"][0]["search"])
    wait(browser, lambda d: count_paths(d, T_VALUES) > 100)
    assert "present" in browser.find_element(By.ID, ids.APP).get_attribute("class")
    time.sleep(0.5)  # the tour file loads after the page
    press(browser, Keys.PAGE_DOWN)
    wait(browser, lambda d: "indicator=gerd_pc_gdp" in d.current_url and "classes=quantile" in d.current_url)
    assert browser.find_element(By.ID, "tour-step").text.startswith("2/")
    press(browser, Keys.PAGE_UP)
    wait(browser, lambda d: "indicator=gdp_pps_hab_eu" in d.current_url)
    assert severe_console_entries(browser) == []
