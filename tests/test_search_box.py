"""The region search box in real Chromium: common names found, did-you-mean, typing after a choice."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from devtools.browser import start_browser
from s3map.ui import ids
from tests.browser_helpers import wait

VISIBLE_OPTIONS = "return [...document.querySelectorAll('[role=option]')].map(o => o.innerText.trim());"


@pytest.fixture(scope="module")
def page(live_server):
    driver = start_browser(1440, 900)
    driver.get(live_server + "/?indicator=gdp_pps_hab_eu")
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#map .choroplethlocation")) > 150)
    yield driver
    driver.quit()


def type_in_search(driver, text):
    """Click the box and type, as a person would: the caret must be in the search input already."""
    driver.find_element(By.ID, ids.REGION_SEARCH).click()
    try:
        active = wait(driver, lambda d: (lambda a: a if a.tag_name == "input" else None)(d.switch_to.active_element), 3)
    except Exception:  # noqa: BLE001  (reported below, with what has the focus instead)
        active = driver.switch_to.active_element
    assert active.tag_name == "input", "clicking the search box does not put the caret in its input"
    active.send_keys(Keys.CONTROL, "a")
    active.send_keys(text)


def options_for(driver, text, expect):
    type_in_search(driver, text)
    return wait(driver, lambda d: (lambda o: o if o and expect(o) else None)(d.execute_script(VISIBLE_OPTIONS)), 10)


@pytest.mark.parametrize("typed, code", [
    ("Bavaria", "DE2"), ("Lombardy", "ITC4"), ("Andalusia", "ES61"), ("Euskadi", "ES21"), ("Basque", "ES21"),
    ("Île-de-France", "FR1"), ("Nord-Pas-de-Calais", "FRE1"), ("Brittany", "FRH0"), ("Flanders", "BE2"),
    ("Silesia", "PL22"),
])
def test_common_names_are_offered_first(page, typed, code):
    # The server's ranking replaces the box's own first filtering as soon as it arrives.
    options = options_for(page, typed, lambda o: f"({code})" in o[0])
    assert f"({code})" in options[0], options[:3]
    page.switch_to.active_element.send_keys(Keys.ESCAPE)  # close the list, choose nothing
    time.sleep(0.3)


def test_a_typo_gets_a_did_you_mean_that_can_be_chosen(page):
    options = options_for(page, "Bavarai", lambda o: any("Did you mean" in x for x in o))
    assert options[0].startswith("Did you mean Bavaria?")
    page.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait(page, lambda d: "region=DE2" in d.current_url)


def test_typing_works_again_right_after_a_choice(page):
    options_for(page, "Lombardy", lambda o: "(ITC4)" in " ".join(o))
    page.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait(page, lambda d: "region=ITC4" in d.current_url)
    options = options_for(page, "Tuscany", lambda o: "(ITI1)" in " ".join(o))  # no second click needed
    assert "(ITI1)" in options[0]
    page.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait(page, lambda d: "region=ITI1" in d.current_url)
