"""The live page end to end: the real server, driven in headless Chromium by Playwright.

Skipped (with the reason) where no Chromium or no classroom extra is installed; ``.ci/run``
installs both and sets ``ASTANA_SIM_REQUIRE_BROWSER=1``, which turns the skip into a failure so
that CI cannot pass without running it. ``ASTANA_SIM_SCREENSHOT=PATH`` keeps the screenshot
there (how docs/img/demo.png is made).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

BROWSERS = ("chromium-headless-shell", "chromium")
LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:")
HARMLESS = ("data:", "blob:", "about:")


def _browser() -> str | None:
    given = os.environ.get("ASTANA_SIM_CHROMIUM")
    if given:
        return given
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _why_not() -> str | None:
    try:
        import panel  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        return (
            f"the classroom extra or playwright is not installed ({exc.name}): "
            "pip install -e '.[test,classroom]'"
        )
    if _browser() is None:
        return "no Chromium: apt-get install chromium-headless-shell (or set ASTANA_SIM_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def server():
    reason = _why_not()
    if reason is not None:
        if os.environ.get("ASTANA_SIM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test must run here: {reason}")
        pytest.skip(reason)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started = time.monotonic()
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "serving the live page" in line:
                break
            if time.monotonic() - started > 60:
                break
        if process.poll() is not None or not any("serving" in line for line in lines):
            pytest.fail("the server did not start:\n" + "".join(lines))
        yield f"http://127.0.0.1:{port}/", port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _text(page, css: str) -> str:
    return page.locator(css).first.inner_text()


def test_a_class_changes_the_rule_steps_plays_a_delegation_and_downloads(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, port = server
    outside: list[str] = []

    def watch(request) -> None:
        address = request.url
        local = address.startswith(tuple(prefix + str(port) for prefix in LOCAL))
        if not local and not address.startswith(HARMLESS):
            outside.append(address)

    expect.set_options(timeout=20_000)  # a loaded 2-core machine: Playwright's 5 s is tight
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=_browser())
        page = browser.new_page(viewport={"width": 1600, "height": 1250}, accept_downloads=True)
        page.on("request", watch)
        page.goto(url)
        expect(page.locator(".demo-played-count")).to_have_text("0 of 18 rounds played")

        page.locator(".demo-rule select").select_option("compromise")
        page.locator(".demo-apply button").click()
        expect(page.locator(".demo-message").get_by_text("Applied")).to_be_visible()
        expect(page.locator(".demo-status code")).to_have_text("compromise")

        page.locator(".demo-step button").click()
        expect(page.locator(".demo-played-count")).to_have_text("1 of 18 rounds played")
        first_title = _text(page, ".demo-round-title")
        first_table = _text(page, ".demo-timeline table")
        page.locator(".demo-step button").click()
        expect(page.locator(".demo-played-count")).to_have_text("2 of 18 rounds played")
        expect(page.locator(".demo-round-title")).not_to_have_text(first_title)
        expect(page.locator(".demo-timeline table")).not_to_have_text(first_table)
        assert _text(page, ".demo-timeline table").count("model:") == 2

        page.locator(".demo-played select").select_option(label="High Negotiations Committee")
        question = page.locator(".demo-question p").first  # inside the pane's shadow root
        expect(question).to_contain_text(re.compile("not invited|come or stay away"))
        for _ in range(18):
            if "come or stay away" in question.inner_text():
                break
            count = _text(page, ".demo-played-count")
            page.locator(".demo-step button").click()
            expect(page.locator(".demo-played-count")).not_to_have_text(count)
            expect(question).to_contain_text(re.compile("not invited|come or stay away"))
        expect(page.locator(".demo-stay button")).to_be_visible()
        count = _text(page, ".demo-played-count")
        page.locator(".demo-stay button").click()
        expect(page.locator(".demo-played-count")).not_to_have_text(count)
        expect(page.locator(".demo-why")).to_contain_text("High Negotiations Committee")
        expect(page.locator(".demo-narrative").first).to_contain_text("stayed away")

        with page.expect_download() as download:
            page.locator(".demo-download button, .demo-download a").first.click()
        archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert any(name.endswith("/rounds.csv") for name in archive.namelist())

        shot = tmp_path / "demo.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    keep = os.environ.get("ASTANA_SIM_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
    assert shot.stat().st_size > 10_000
    assert outside == [], f"the page asked for something outside 127.0.0.1: {outside}"
