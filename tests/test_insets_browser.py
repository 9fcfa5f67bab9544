"""The outermost regions in their frames and the kraje at their level, in the real page (Chromium)."""

import json

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from shapely.geometry import shape

from browser_helpers import severe_console_entries, wait
from s3map.figures.insets import frames
from s3map.figures.map import T_OWN3, T_P0, T_VALUES
from s3map.ui import ids

# Page coordinates of a lon/lat point as the map draws it (plotly picks hover and click targets
# by geometry, not from the SVG element under the pointer).
PAGE_POINT = """
const gd = document.querySelector('#map .js-plotly-plot');
const [x, y] = gd._fullLayout.geo._subplot.projection([arguments[0], arguments[1]]);
const box = gd.getBoundingClientRect(), size = gd._fullLayout._size;
return {x: box.left + size.l + x, y: box.top + size.t + y};
"""

# The page box of one region's path in one trace.
PATH_BOX = """
const trace = Array.from(document.querySelectorAll('#map g.trace.choropleth'))
  .find(t => t.__data__ && t.__data__[0] && t.__data__[0].trace.index === arguments[0]);
const path = trace && Array.from(trace.querySelectorAll('path.choroplethlocation')).find(p => p.__data__.loc === arguments[1]);
if (!path) { return null; }
const r = path.getBoundingClientRect();
return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
"""

HOVER_TEXT = "return Array.from(document.querySelectorAll('#map .hovertext')).map(e => e.textContent).join(' ')"

TRACE_LOCATIONS = """
const trace = Array.from(document.querySelectorAll('#map g.trace.choropleth'))
  .find(t => t.__data__ && t.__data__[0] && t.__data__[0].trace.index === arguments[0]);
return trace ? Array.from(trace.querySelectorAll('path.choroplethlocation')).map(p => p.__data__.loc) : [];
"""


def inside_point(dataset, level: str, code: str) -> tuple[float, float]:
    """A lon/lat point well inside a region's largest part, as the served GeoJSON draws it."""
    collection = json.loads((dataset.folder / "geo" / dataset.geo_files[level]).read_text())
    geometry = shape(next(f["geometry"] for f in collection["features"] if f["id"] == code))
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    point = largest.representative_point()
    return point.x, point.y


def pointer_to(driver, x: float, y: float, click: bool = False) -> None:
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(round(x)), int(round(y)))
    if click:
        actions.pointer_action.click()
    actions.perform()


def test_click_guadeloupe_in_its_frame_opens_its_panel(live_server, browser, dataset):
    browser.get(live_server + "/?indicator=unemployment_rate")
    wait(browser, lambda d: "FRY1" in d.execute_script(TRACE_LOCATIONS, T_VALUES))
    lon, lat = inside_point(dataset, "2", "FRY1")
    spot = browser.execute_script(PAGE_POINT, lon, lat)
    # Guadeloupe is drawn there, by the indicator's trace, inside the Guadeloupe frame.
    drawn = browser.execute_script(PATH_BOX, T_VALUES, "FRY1")
    assert drawn["left"] <= spot["x"] <= drawn["right"] and drawn["top"] <= spot["y"] <= drawn["bottom"]
    frame = next(f for f in frames() if f["label"] == "Guadeloupe")
    corners = [browser.execute_script(PAGE_POINT, x, y) for x, y in frame["outline"]]
    # Within a pixel: Saint-Martin, Guadeloupe's northernmost part, is drawn against the frame's top edge.
    assert min(c["x"] for c in corners) - 1 < drawn["left"] and drawn["right"] < max(c["x"] for c in corners) + 1
    assert min(c["y"] for c in corners) - 1 < drawn["top"] and drawn["bottom"] < max(c["y"] for c in corners) + 1
    labels = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#map g.scattergeo text")]
    assert {"Guadeloupe", "Canarias", "Mayotte", "Açores"} <= set(labels)

    pointer_to(browser, spot["x"], spot["y"])
    wait(browser, lambda d: "Guadeloupe (FRY1)" in d.execute_script(HOVER_TEXT))
    pointer_to(browser, spot["x"], spot["y"], click=True)
    wait(browser, lambda d: d.find_element(By.ID, ids.PANEL_TITLE).text == "Guadeloupe")
    assert "region=FRY1" in browser.current_url
    table = browser.find_element(By.ID, ids.INDICATOR_TABLE).text
    assert "Unemployment rate" in table
    assert severe_console_entries(browser) == []


def test_zoom_button_shows_a_frame_and_filters_apply_inside_it(live_server, browser, dataset):
    browser.get(live_server + "/?indicator=unemployment_rate&country=ES")
    button = wait(browser, lambda d: d.find_element(By.XPATH, "//button[normalize-space()='Canarias']"))
    ActionChains(browser).move_to_element(button).click().perform()
    lon, lat = next(f["centre"] for f in frames() if f["label"] == "Canarias")
    wait(browser, lambda d: f"view={lon},{lat}," in d.current_url)
    # Spain is the filter: Canarias keeps its colour, Guadeloupe (FR) is drawn as outside the filter.
    wait(browser, lambda d: "ES70" in d.execute_script(TRACE_LOCATIONS, T_VALUES)
         and "FRY1" not in d.execute_script(TRACE_LOCATIONS, T_VALUES))


def test_hovering_a_kraj_on_a_priority_map_shows_its_own_strategy(live_server, browser, dataset):
    """The Czech national strategy matches 'digital', the South Moravian one does not: Brno shows its own."""
    browser.get(live_server + "/?mode=priorities&q=digital")
    wait(browser, lambda d: "CZ064" in d.execute_script(TRACE_LOCATIONS, T_OWN3)
         and "CZ" in d.execute_script(TRACE_LOCATIONS, T_P0))
    lon, lat = inside_point(dataset, "3", "CZ064")
    spot = browser.execute_script(PAGE_POINT, lon, lat)
    pointer_to(browser, spot["x"], spot["y"])
    hover = wait(browser, lambda d: d.execute_script(HOVER_TEXT) or None)
    assert "CZ064" in hover and "South Moravian Region" in hover and "no matching priority" in hover
    pointer_to(browser, spot["x"], spot["y"], click=True)
    wait(browser, lambda d: "region=CZ064" in d.current_url)
    wait(browser, lambda d: "South Moravian" in d.find_element(By.ID, ids.PANEL).text)
