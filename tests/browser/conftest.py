"""Browser journeys: Playwright drives the system's Chromium against Django's live server,
and every page a journey loads must be checked by axe-core with no violations."""

import json
import os
import re
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 812}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now; fail with each violation spelled out."""
    page.wait_for_load_state("load")
    # Evaluated through the DevTools protocol, which the page's Content Security Policy
    # does not govern: a <script> tag with the source inline would be refused.
    page.evaluate(f"() => {{ {AXE_JS.read_text()}\n}}")
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", AXE_RULES
    )
    problems = [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
    assert not problems, f"axe found on {page.url}:\n{json.dumps(problems, indent=2)}"
    page.checked_urls.add(page.url)


def click_through(page, locator) -> None:
    """Click something that loads a new page, wait for it, and check it with axe."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


@pytest.fixture(autouse=True)
def _production_cookies(settings):
    """The __Host- cookies of production need Secure, which Chromium honours on
    http://localhost as it would over HTTPS (tests/conftest.py turns Secure off)."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True


@pytest.fixture
def open_page(browser, live_server):
    """`open_page(phone=False)`: a fresh browser context (a separate person), whose every
    loaded page must have passed `assert_accessible` by the end of the test, and in which
    the Content Security Policy refused nothing."""
    contexts = []

    def make(phone: bool = False):
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE if phone else {"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.loaded_urls, page.checked_urls = [], set()
        page.on("load", lambda loaded: page.loaded_urls.append(loaded.url))
        page.csp_refusals = []

        def note_csp_refusal(message):
            if "Content Security Policy" in message.text:
                page.csp_refusals.append(f"{page.url}: {message.text}")

        page.on("console", note_csp_refusal)
        contexts.append((context, page))
        return page

    yield make
    unchecked, refusals = [], []
    for context, page in contexts:
        unchecked += [url for url in page.loaded_urls if url not in page.checked_urls]
        refusals += page.csp_refusals
        context.close()
    assert not unchecked, f"pages loaded but never checked with axe: {unchecked}"
    assert not refusals, "the Content Security Policy refused:\n" + "\n".join(refusals)


# A code typed this close to the end of its period may reach the server in the next one,
# which refuses it (no tolerance): a person would wait for the next code, and so do we.
TOTP_MARGIN_SECONDS = 3


def totp_code(secret: str) -> str:
    """The code an authenticator app would show for this secret, with a few seconds of
    its period left for the sign-in to reach the server."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < TOTP_MARGIN_SECONDS:
        time.sleep(left + 0.1)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def sign_in_with_two_factor(page, user, password: str) -> None:
    """Sign in as partner staff: email and password, then the authenticator's code.
    `user.totp_secret` is kept by `UserFactory(totp=True)`."""
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    click_through(page, page.get_by_role("button", name="Sign in"))
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(user.totp_secret))
    click_through(
        page, page.get_by_role("button", name=re.compile("Sign in|Verify|Continue", re.I))
    )
