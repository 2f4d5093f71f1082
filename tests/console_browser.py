"""The console in a real browser: Debian's headless Chromium driven by Playwright, and staff signing in.

A test that needs the browser skips, saying why, when the system Chromium is not installed (`.ci/run`
installs it: `apt-get install chromium`); Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest

import live_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def chromium():
    """A headless system Chromium, closed afterwards; skip the test when there is none."""
    if CHROMIUM is None:
        pytest.skip("no system Chromium (apt-get install chromium); .ci/run installs it")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page, url: str) -> None:
    """Sign the page in to the console at `url` as bank staff, with the live server's admin token."""
    page.goto(f"{url}/console/sign-in")
    page.fill("#token", live_server.ADMIN_TOKEN)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
