"""The web chat in headless Chromium (Debian's, driven by Playwright): the page on the server, and
the one-tag widget on a page served from another local port. A screenshot goes to
logs/webchat.png (docs/webchat.png in the README is one of these)."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot import settings
from runner.servers import free_port
from tests.conftest import EMBED_PORT

pytestmark = pytest.mark.server
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SECONDS = 30_000  # Playwright waits in milliseconds


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (make test installs the Debian package)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 720, "height": 900})
    page = context.new_page()
    page.set_default_timeout(SECONDS)
    yield page
    context.close()


def ask(page, text: str) -> None:
    """Type into the labelled input and press Enter, as a keyboard user would."""
    box = page.get_by_label("Your message")
    box.focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def bot_says(page, text: str):
    return page.locator(".sb-bot", has_text=text).last


def test_the_page_answers_runs_a_routine_with_its_timer_and_survives_a_reload(server, page):
    page.goto(f"{server.url}/webhooks/webchat/")
    page.get_by_text("Connected").wait_for()
    assert page.get_by_role("button", name="Send").is_visible()

    ask(page, "how do i do the cat cow")
    bot_says(page, "Cat-Cow").wait_for()

    page.get_by_role("button", name="Start the daily routine").wait_for(state="detached")
    ask(page, "start the daily routine")
    timer = page.get_by_role("group", name="Routine timer")
    timer.wait_for()
    assert "Stretch 1 of 5: Child's Pose" in timer.inner_text()
    bot_says(page, "Hold for 60 seconds.").wait_for()  # a cue the user never asked for
    # The cue and the timer's new step arrive as two messages: wait for the hold (3 s at the test
    # time scale) to be on the timer before reading it.
    page.wait_for_function(
        "() => parseFloat(document.querySelector('[data-left]').dataset.left) > 1.5"
    )
    first = float(timer.get_attribute("data-left"))
    page.wait_for_timeout(700)
    assert float(timer.get_attribute("data-left")) < first  # the hold counts down on screen
    bot_says(page, "Halfway.").wait_for()

    timer.get_by_role("button", name="Pause").click()
    bot_says(page, "Paused.").wait_for()
    page.get_by_text("(paused)").wait_for()
    assert timer.get_by_role("button", name="Resume").is_visible()
    shot = settings.LOG_DIR / "webchat.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    page.reload()
    page.get_by_text("Connected").wait_for()
    assert bot_says(page, "Cat-Cow").is_visible()  # the conversation is still on the page
    bot_says(page, "Welcome back!").wait_for()  # and the server knows it: same session_id
    timer.get_by_role("button", name="Stop").click()
    bot_says(page, "Routine stopped.").wait_for()
    timer.wait_for(state="hidden")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(tmp_path):
    """Serve a directory on a local port: another site, as far as the browser is concerned."""
    servers = []

    def serve(html: str, port: int) -> str:
        folder = tmp_path / str(port)
        folder.mkdir()
        (folder / "index.html").write_text(html)
        httpd = ThreadingHTTPServer(("127.0.0.1", port), partial(_Quiet, directory=str(folder)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{port}/"

    yield serve
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def snippet_page(server) -> str:
    return (
        "<!doctype html><html lang='en'><head><title>A site</title></head><body><h1>A site</h1>"
        f'<script src="{server.url}/webhooks/webchat/widget.js"></script></body></html>'
    )


def test_one_script_tag_embeds_the_chat_in_another_site(server, page, site):
    page.goto(site(snippet_page(server), EMBED_PORT))
    page.get_by_role("button", name="Chat with Stretchbot").click()
    page.get_by_text("Connected").wait_for()
    ask(page, "what muscles does thread the needle work")
    bot_says(page, "Thread the Needle works").wait_for()


def test_a_site_that_is_not_allowed_cannot_talk_to_the_bot(server, page, site):
    page.goto(site(snippet_page(server), free_port()))
    page.get_by_role("button", name="Chat with Stretchbot").click()
    page.get_by_text("Can't reach Stretchbot").wait_for()
