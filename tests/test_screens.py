"""Every screen, in real headless Chromium: no sideways overflow on any tab, the map's share of the
viewport, legible type on a projector. Screenshots for a person to look at are written to
`screenshots/screens/` (gitignored)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from devtools.browser import start_browser
from tests.browser_helpers import wait

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "screens"
# name -> (width, height, query added to every URL, minimum map share of width, of height)
SCREENS = {
    "laptop": (1440, 900, "", 0.55, 0.70),
    "projector": (1920, 1080, "&present=1", 0.65, 0.0),
    "tablet-landscape": (1024, 768, "", 0.0, 0.0),
    "tablet-portrait": (768, 1024, "", 0.0, 0.0),
    "phone": (390, 844, "", 0.90, 0.0),
}
TABS = ("region", "compare", "peers", "specialisation")
VIEW = "/?region=PL21&compare=PL21,CZ01,DE21&tab={tab}"

MEASURE = """
const map = document.querySelector('#map');
const r = map ? map.getBoundingClientRect() : {width: 0, height: 0};
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        innerHeight: window.innerHeight, mapWidth: r.width, mapHeight: r.height};
"""
SMALL_TEXT = """
const minimum = arguments[0];
const small = [];
document.querySelectorAll('.js-plotly-plot text').forEach(t => {
  if (!t.textContent.trim() || t.getBoundingClientRect().width === 0) { return; }
  const size = parseFloat(getComputedStyle(t).fontSize);
  if (size < minimum) { small.push(t.textContent.trim().slice(0, 30) + ' (' + size + 'px)'); }
});
return small;
"""


@pytest.fixture(scope="module")
def screen_browser():
    driver = start_browser(1440, 900)
    yield driver
    driver.quit()


def show(driver, url: str, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700})
    driver.get(url)
    wait(driver, lambda d: len(d.find_elements("css selector", "#map .choroplethlocation")) > 150)
    time.sleep(0.8)  # let the panel's callbacks and the last repaint finish


@pytest.mark.parametrize("screen", SCREENS)
def test_no_overflow_on_any_tab_and_the_map_comes_first(live_server, screen_browser, screen):
    width, height, extra, min_width_share, min_height_share = SCREENS[screen]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for tab in TABS:
        show(screen_browser, live_server + VIEW.format(tab=tab) + extra, width, height)
        m = screen_browser.execute_script(MEASURE)
        screen_browser.save_screenshot(str(SCREENSHOTS / f"{screen}-{tab}.png"))
        # against the screen's own size: a phone's layout viewport widens to fit content that overflows
        if m["scrollWidth"] > width:
            problems.append(f"{tab}: page {m['scrollWidth']} px wide on a {width} px screen")
        if m["mapWidth"] < min_width_share * width:
            problems.append(f"{tab}: map {m['mapWidth']:.0f} px wide, under {min_width_share:.0%} of {width}")
        if m["mapHeight"] < min_height_share * height:
            problems.append(f"{tab}: map {m['mapHeight']:.0f} px high, under {min_height_share:.0%} of {height}")
    assert not problems, "\n".join(problems)


def test_presenter_text_in_map_and_charts_is_at_least_18px(live_server, screen_browser):
    width, height, extra, *_ = SCREENS["projector"]
    problems = []
    for tab in ("region", "compare", "peers"):
        show(screen_browser, live_server + VIEW.format(tab=tab) + extra, width, height)
        small = screen_browser.execute_script(SMALL_TEXT, 18)
        if small:
            problems.append(f"{tab}: {len(small)} texts under 18 px, e.g. {small[:4]}")
    assert not problems, "\n".join(problems)


def test_presenter_steps_keep_the_header_height_and_show_what_their_title_promises(live_server, screen_browser):
    tour = json.loads((Path(__file__).resolve().parent.parent / "data" / "tours" / "forum.json").read_text())
    width, height, *_ = SCREENS["projector"]
    heights, problems = set(), []
    for number, step in enumerate(tour["steps"], start=1):
        show(screen_browser, live_server + "/" + step["search"], width, height)
        heights.add(round(screen_browser.execute_script(
            "return document.querySelector('.site-header').getBoundingClientRect().height")))
        panel = screen_browser.execute_script("return document.getElementById('region-panel').innerText")
        title = step["title"].lower()
        if "strategy" in title and "Smart specialisation strategy" not in panel:
            problems.append(f"step {number} promises a strategy; the panel shows none")
        if "peers" in title and "Peers and partners" not in panel:
            problems.append(f"step {number} promises peers; the panel shows none")
        if number == 6:
            screen_browser.save_screenshot(str(SCREENSHOTS / "projector-tour-step-6.png"))
    assert len(heights) == 1, f"the header's height changes between steps: {sorted(heights)}"
    assert not problems, "\n".join(problems)
