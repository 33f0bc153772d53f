"""The load test's simulated people (docs/reliability.md, "Load"): residents browsing the
public pages on their phones, candidates signed in to follow their applications, and HR
staff signed in with two-factor authentication working on their vacancies.

loadtest/run.py starts gunicorn and runs this headless; it passes, in the file named by
LOADTEST_PLAN, the paths to visit and the staff accounts with their TOTP secrets. Each
simulated person speaks through a TLS-terminating proxy (X-Forwarded-Proto, and an
X-Forwarded-For address of their own, which allauth's per-address rate limits trust with
TRUSTED_PROXY_COUNT=1), so the portal runs with its production settings."""

import base64
import hashlib
import hmac
import http.cookiejar
import itertools
import json
import os
import random
import re
import struct
import time
from urllib.parse import urlsplit

from locust import HttpUser, between, task

with open(os.environ["LOADTEST_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)

KEYWORDS = ["care", "nurse", "support worker", "admin", "apprentice", "healthcare assistant"]
FILTERS = [
    "",
    "&pattern=part_time",
    "&band=3&band=4",
    "&contract=bank",
    "&entry_level=on",
    "&district=LS12",
    "&sort=closing",
]
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPLICATION_LINK = re.compile(r'href="(/me/applications/[0-9a-f-]{36}/)"')
STAFF_ACCOUNTS = itertools.cycle(PLAN["staff"])
ADDRESSES = itertools.count(1)


# A code is accepted only in its own 30 seconds, checked when the request is handled: on a
# busy server a code sent with a few seconds left can expire in the queue, as it would for
# a person. Like a person watching their app's countdown, wait for a fresh code instead.
CODE_SECONDS_LEFT = 15


def totp_code(secret: str, period: int = 30) -> str:
    """The current six-digit code of a base32 secret (RFC 6238, as allauth checks it),
    with at least CODE_SECONDS_LEFT seconds of its period left."""
    if period - time.time() % period < CODE_SECONDS_LEFT:
        time.sleep(period - time.time() % period)
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // period), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _sent_to_accounts(asked: str, landed: str) -> bool:
    landed_path = urlsplit(landed).path
    return landed_path != urlsplit(asked).path and landed_path.startswith("/accounts/")


# Locust stands in for the proxy, which receives HTTPS and passes plain HTTP on: its cookie
# jars must send the portal's Secure cookies over plain HTTP. (requests copies the session's
# jar into a fresh one for every request, so a policy on the session's jar would be lost.)
http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda policy, cookie, request: True


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 5)  # reading a page before the next tap
    signs_in = False

    def on_start(self):
        address = next(ADDRESSES)
        host = urlsplit(self.host).netloc
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{address // 65536 % 256}.{address // 256 % 256}"
                f".{address % 256}",
                # Django checks a POST's Origin against the host over HTTPS.
                "Origin": f"https://{host}",
                "Referer": f"https://{host}/",
            }
        )

    def page(self, path: str, name: str) -> str:
        """GET a page; it fails unless it answers 200 (after redirects), and for someone who
        signs in if they were sent to the sign-in pages instead."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif self.signs_in and _sent_to_accounts(path, response.url):
                response.failure(f"sent to {response.url}")
            return response.text

    def post_form(self, path: str, data: dict, *, name: str, form_page: str, ends: str) -> str:
        """POST a form with the CSRF token from its page; it fails unless the answer, after
        redirects, is a 200 at a path starting with `ends`. Returns that path."""
        token = CSRF_TOKEN.search(form_page)
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", **data}
        with self.client.post(path, data, name=name, catch_response=True) as response:
            landed = urlsplit(response.url or "").path
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not landed.startswith(ends):
                response.failure(f"ended at {landed}, not {ends}")
            return landed

    def sign_in(self, email: str, *, name: str, ends: str) -> str:
        """Sign in with the password; returns the path it ended at."""
        form = self.page("/accounts/login/", f"{name}: form")
        landed = self.post_form(
            "/accounts/login/",
            {"login": email, "password": PLAN["password"]},
            name=f"{name}: password",
            form_page=form,
            ends=ends,
        )
        return landed


class Resident(Person):
    """Someone on the public pages: job search, vacancies, events, career pathways."""

    weight = 7

    @task(6)
    def search_jobs(self):
        query = random.choice(KEYWORDS).replace(" ", "+")
        self.page(f"/jobs/?q={query}{random.choice(FILTERS)}", "job search")

    @task(2)
    def browse_jobs(self):
        self.page("/jobs/", "job search (no filter)")

    @task(6)
    def read_vacancy(self):
        self.page(random.choice(PLAN["vacancies"]), "vacancy page")

    @task(2)
    def events(self):
        self.page("/events/", "events")

    @task(2)
    def read_event(self):
        if PLAN["events"]:
            self.page(random.choice(PLAN["events"]), "event page")

    @task(1)
    def careers(self):
        self.page("/careers/", "careers")

    @task(2)
    def read_pathway(self):
        self.page(random.choice(PLAN["pathways"]), "career pathway")

    @task(1)
    def home(self):
        self.page("/", "home")


class Candidate(Person):
    """A candidate who signs in to follow their applications, and now and then signs out
    and in again."""

    weight = 2
    signs_in = True

    def on_start(self):
        super().on_start()
        self.sign_in(PLAN["candidate"], name="candidate sign-in", ends="/dashboard/")

    @task(5)
    def my_applications(self):
        listing = self.page("/me/applications/", "my applications")
        links = APPLICATION_LINK.findall(listing)
        if links:
            self.page(random.choice(links), "my application")

    @task(3)
    def search_jobs(self):
        self.page(f"/jobs/?q={random.choice(KEYWORDS).replace(' ', '+')}", "job search")

    @task(1)
    def sign_out_and_in(self):
        form = self.page("/accounts/logout/", "sign out: form")
        self.post_form("/accounts/logout/", {}, name="sign out", form_page=form, ends="/")
        self.sign_in(PLAN["candidate"], name="candidate sign-in", ends="/dashboard/")


class Staff(Person):
    """HR staff of Leeds Teaching Hospitals: password, then a two-factor code, then their
    dashboard, vacancies and a vacancy's pipeline."""

    weight = 1
    signs_in = True

    def on_start(self):
        super().on_start()
        self.account = next(STAFF_ACCOUNTS)
        self.sign_in_with_code()

    def sign_in_with_code(self) -> None:
        self.signed_in = False
        code_path = self.sign_in(
            self.account["email"], name="staff sign-in", ends="/accounts/2fa/authenticate/"
        )
        if code_path != "/accounts/2fa/authenticate/":
            return
        form = self.page(code_path, "staff sign-in: code form")
        landed = self.post_form(
            code_path,
            {"code": totp_code(self.account["totp_secret"])},
            name="staff sign-in: code",
            form_page=form,
            ends=PLAN["staff_pages"]["dashboard"],
        )
        self.signed_in = landed == PLAN["staff_pages"]["dashboard"]

    def staff_page(self, path: str, name: str) -> None:
        """A page of their work; if signing in failed (counted), they try again instead."""
        if self.signed_in:
            self.page(path, name)
        else:
            self.sign_in_with_code()

    @task(2)
    def dashboard(self):
        self.staff_page("/dashboard/", "staff dashboard")

    @task(3)
    def vacancy_list(self):
        self.staff_page(PLAN["staff_pages"]["vacancy_list"], "staff vacancy list")

    @task(4)
    def pipeline(self):
        self.staff_page(PLAN["staff_pages"]["pipeline"], "staff pipeline")
