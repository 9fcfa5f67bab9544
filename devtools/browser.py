"""Headless Chromium for tests, screenshots and the benchmark (Debian chromium + chromium-driver)."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage")


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError("Chromium not found: install the Debian packages chromium and chromium-driver")


def start_browser(width: int = 1600, height: int = 1000, download_dir: str | None = None) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = chromium_binary()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='s3map-chromium-')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    if download_dir:
        options.add_experimental_option("prefs", {"download.default_directory": download_dir,
                                                  "download.prompt_for_download": False})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def screenshot(url: str, path: str, width: int = 1600, height: int = 1000, wait_css: str = ".choroplethlocation",
               settle: float = 1.0) -> None:
    driver = start_browser(width, height)
    try:
        driver.get(url)
        WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, wait_css)) > 50)
        time.sleep(settle)
        driver.save_screenshot(path)
    finally:
        driver.quit()


if __name__ == "__main__":
    screenshot(sys.argv[1], sys.argv[2], *(int(v) for v in sys.argv[3:5]))
