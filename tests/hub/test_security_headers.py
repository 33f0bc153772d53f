"""Headers, cookies and settings (issue 9, OWASP ASVS 5 level 2): the Content Security
Policy and the other security headers, __Host- cookies, `Cache-Control: no-store` on
every page with personal data, ?next= kept on the site, tampered form fields refused,
and `check --deploy` silent under production settings. docs/security.md maps each claim
to its test. The in-process tests read the settings `make test` runs with: DEBUG off, so
HTTPS on (tests/conftest.py only turns the cookies' Secure flag off for the live server)."""

import datetime
import json
import os
import re
import secrets
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import events as event_services
from hub import services as hub_services
from hub.models import Membership
from talent.models import RotationPlacement, SecondmentOpportunity
from tests.campaigns.builders import make_campaign, make_event, make_neighbourhood
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, VacancyFactory
from tests.talent.mobility_builders import make_scheme, nursing

BASE_DIR = Path(django_settings.BASE_DIR)


# --- Content Security Policy ----------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize(
    "path, signed_in",
    [("/", False), ("/accounts/login/", False), ("/dashboard/", True), ("/no-such-page/", False)],
)
def test_every_page_sends_a_policy_that_allows_no_inline_script(
    client_as, client, candidate, path, signed_in
):
    response = (client_as(candidate) if signed_in else client).get(path)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe" not in response.headers["Content-Security-Policy"]


# Inline code the policy would refuse. Email templates are left out: mail programs, not the
# portal's pages, show them, and inline styles are how email is styled.
INLINE_CODE = {
    "a <script> without src": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I
    ),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_style_or_event_handlers():
    templates = BASE_DIR / "templates"
    found = [
        f"{path.relative_to(templates)}: {what}"
        for path in templates.rglob("*.html")
        if "emails" not in path.relative_to(templates).parts
        for what, pattern in INLINE_CODE.items()
        if pattern.search(path.read_text())
    ]
    assert not found, found


class _InlineCodeFinder(HTMLParser):
    """Collects what a rendered page holds that the policy would refuse."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        data_only = attributes.get("type") == "application/ld+json"
        if tag == "script" and "src" not in attributes and not data_only:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}=javascript:")


def test_pages_built_partly_in_python_have_no_inline_script_or_style(
    client_as, client, org_a, admin_a
):
    """Markup made outside templates (a job's JSON-LD, the report charts) included."""
    vacancy = VacancyFactory(organisation=org_a)
    pages = [
        (client, "/"),
        (client, reverse("jobs:search")),
        (client, reverse("jobs:detail", kwargs={"pk": vacancy.pk, "slug": vacancy.slug})),
        (client_as(admin_a), reverse("hub:organisation_dashboard", args=[org_a.slug])),
        (client_as(admin_a), reverse("hub:organisation_reports", args=[org_a.slug])),
    ]
    for page_client, url in pages:
        response = page_client.get(url)
        assert response.status_code == 200, url
        finder = _InlineCodeFinder()
        finder.feed(response.content.decode())
        assert not finder.found, (url, finder.found)


# --- The other headers ----------------------------------------------------------------------


def test_every_page_sends_hsts_for_a_year_and_the_other_security_headers(client, db):
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(
        part.strip().split("=", 1) for part in response.headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert permissions[feature] == "()", feature


# --- Cookies --------------------------------------------------------------------------------


def test_signing_in_sets_only_host_prefixed_secure_http_only_cookies(client, candidate, settings):
    # Production's Secure flag, which tests/conftest.py turns off for the live server.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    login_page = client.get(reverse("account_login"))
    signed_in = client.post(
        reverse("account_login"), {"login": candidate.email, "password": PASSWORD}
    )
    assert signed_in.url == reverse("hub:dashboard")
    cookies = {**login_page.cookies, **signed_in.cookies}
    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid"}  # no messages cookie
    for name, cookie in cookies.items():
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["path"] == "/", name
        assert not cookie["domain"], name
        assert cookie["samesite"] == "Lax", name


# --- Cache-Control: no-store ----------------------------------------------------------------


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def test_every_response_to_someone_signed_in_is_no_store(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a)
    client = client_as(staff_a)
    for url in [
        "/",
        reverse("jobs:search"),
        reverse("jobs:detail", kwargs={"pk": vacancy.pk, "slug": vacancy.slug}),
        reverse("hub:dashboard"),
        reverse("hub:organisation_dashboard", args=[org_a.slug]),
        reverse("vacancies:vacancy_list", args=[org_a.slug]),
        reverse("pipeline:vacancy_pipeline_csv", args=[org_a.slug, vacancy.pk]),
        "/no-such-page/",
    ]:
        assert _no_store(client.get(url)), url


@pytest.fixture
def booking(org_a, django_capture_on_commit_callbacks):
    event = make_event(make_campaign(org_a), title="Community-centre drop-in")
    with django_capture_on_commit_callbacks(execute=True):
        return event_services.event_sign_up(
            event=event, name="Ada Lovelace", email="ada@example.org", consent=True
        ).booking


def test_pages_with_personal_data_are_no_store_for_visitors_too(
    client, org_a, admin_a, booking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hub_services.invitation_create(
            organisation=org_a, email="new.colleague@example.org", role="staff", invited_by=admin_a
        )
    invitation_token = re.search(r"/invitations/([\w-]+)/", mail.outbox[-1].body).group(1)
    for url in [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("hub:invitation_accept", kwargs={"token": invitation_token}),
        reverse("campaign_public:booking", kwargs={"token": event_services.booking_token(booking)}),
        reverse(
            "campaign_public:contact_preferences",
            kwargs={"token": event_services.contact_token(booking.resident)},
        ),
        "/no-such-page/",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert _no_store(response), url
    # What a visitor posts is never kept either, even to a public page's address.
    assert _no_store(client.post(reverse("jobs:search")))


def test_public_pages_may_be_cached_for_visitors(client, org_a, booking):
    vacancy = VacancyFactory(organisation=org_a)
    for url in [
        "/",
        reverse("jobs:search"),
        reverse("jobs:detail", kwargs={"pk": vacancy.pk, "slug": vacancy.slug}),
        reverse("pathways:pathway_list"),
        reverse("campaign_public:event_list"),
        reverse("campaign_public:event", kwargs={"event_id": booking.event_id}),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _no_store(response), url


def test_static_files_keep_their_caching_even_for_someone_signed_in(client_as, staff_a, settings):
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    response = client_as(staff_a).get("/static/css/portal.css")
    assert response.status_code == 200
    assert not _no_store(response)


# --- ?next= stays on the site ---------------------------------------------------------------

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_in_never_sends_people_off_the_site(client, candidate, next_url):
    response = client.post(
        reverse("account_login"),
        {"login": candidate.email, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == reverse("hub:dashboard")


def test_signing_in_follows_a_next_page_on_the_site(client, candidate):
    url = reverse("candidate:applications")
    response = client.post(
        f"{reverse('account_login')}?next={url}", {"login": candidate.email, "password": PASSWORD}
    )
    assert response.url == url


def _totp_code(user) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(user.totp_secret, counter))


def test_the_two_factor_step_never_sends_people_off_the_site(client, staff_a):
    response = client.post(
        reverse("account_login"),
        {"login": staff_a.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(staff_a)})
    assert response.status_code == 302
    assert response.url.startswith("/") and "evil.example" not in response.url


@pytest.mark.parametrize("next_url", OFF_SITE[:3])
def test_signing_out_never_sends_people_off_the_site(client_as, candidate, next_url):
    response = client_as(candidate).post(reverse("account_logout"), {"next": next_url})
    assert response.status_code == 302
    assert response.url == "/"


# --- Tampered form fields -------------------------------------------------------------------
# Every choice of another organisation's object is checked against the acting organisation
# on the server. Covered elsewhere: the acting organisation (tests/hub/test_members.py),
# a vacancy's contact (tests/talent/test_vacancy_management.py), a bulk move's applicants
# (tests/talent/test_pipeline_views.py), a pool invitation's vacancy
# (tests/talent/test_pool_invitations.py), a secondment approver
# (tests/talent/test_secondment_views.py), a framework lead (tests/portability/
# test_framework.py) and a tracking link's event (tests/campaigns/test_links.py).


def test_a_secondment_contact_from_another_organisation_is_refused(
    client_as, org_a, staff_a, member_b
):
    today = timezone.localdate()
    response = client_as(staff_a).post(
        reverse("secondments:opportunity_create", args=[org_a.slug]),
        {
            "title": "Clinical nurse specialist",
            "staff_group": nursing().pk,
            "band": "7",
            "description": "Help lead the frailty virtual ward.",
            "starts_on": (today + datetime.timedelta(days=60)).isoformat(),
            "duration_months": "12",
            "closing_date": (today + datetime.timedelta(days=21)).isoformat(),
            "open_to": "all",
            "arrangement": "secondment",
            "contact": member_b.pk,
        },
    )
    assert response.status_code == 200
    assert "Choose a contact from the list" in response.text
    assert not SecondmentOpportunity.objects.exists()


def test_a_placement_of_another_organisations_scheme_cannot_be_changed_through_ours(
    client_as, org_a, org_b, staff_a
):
    ours = make_scheme(org_a, [(org_a, "Acute medical unit", 16)])
    theirs = make_scheme(org_b, [(org_b, "Discharge lounge", 12)])
    their_placement = theirs.placements.get()
    response = client_as(staff_a).post(
        reverse("rotations:placements", args=[org_a.slug, ours.pk]),
        {
            "placements-TOTAL_FORMS": "1",
            "placements-INITIAL_FORMS": "1",
            "placements-MIN_NUM_FORMS": "0",
            "placements-MAX_NUM_FORMS": "30",
            "placements-0-placement": their_placement.pk,
            "placements-0-organisation": org_a.pk,
            "placements-0-service": "Taken over",
            "placements-0-weeks": "4",
            "placements-0-order": "1",
        },
    )
    assert response.status_code == 200
    assert "A placement was changed by someone else" in response.text
    their_placement.refresh_from_db()
    assert (their_placement.scheme, their_placement.service) == (theirs, "Discharge lounge")
    assert list(
        RotationPlacement.objects.filter(scheme=ours).values_list("service", flat=True)
    ) == ["Acute medical unit"]


def test_a_campaign_cannot_link_a_vacancy_of_an_organisation_outside_it(client_as, org_a, staff_a):
    outsider_vacancy = VacancyFactory(organisation=OrganisationFactory())
    today = timezone.localdate()
    response = client_as(staff_a).post(
        reverse("campaigns:campaign_create", args=[org_a.slug]),
        {
            "name": "Armley and New Wortley",
            "neighbourhoods": [make_neighbourhood().pk],
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
            "vacancies": [outsider_vacancy.pk],
        },
    )
    assert response.status_code == 200
    assert "Choose vacancies from the list" in response.text
    assert not Campaign.objects.exists()


def test_another_organisations_member_cannot_be_changed_or_removed_through_ours(
    client_as, org_a, admin_a, org_b
):
    theirs = MembershipFactory(organisation=org_b, role=Membership.Role.STAFF)
    client = client_as(admin_a)
    role = client.post(
        reverse("hub:member_change_role", args=[org_a.slug, theirs.pk]), {"role": "admin"}
    )
    remove = client.post(reverse("hub:member_remove", args=[org_a.slug, theirs.pk]))
    assert (role.status_code, remove.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.role == Membership.Role.STAFF


# --- manage.py check --deploy under production settings -------------------------------------

# Variables a developer's shell or the test run may set that production leaves unset
# (tests/browser/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright).
DEVELOPMENT_VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
}


def _production_environment(**changes) -> dict[str, str]:
    """What config/settings.py reads in production (docker-compose.yml): DEBUG unset, a
    long random SECRET_KEY, ALLOWED_HOSTS set; the database and Redis of this test run."""
    environment = {k: v for k, v in os.environ.items() if k not in DEVELOPMENT_VARIABLES}
    environment |= {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "hub.example"}
    return environment | changes


def _manage(*args, **environment_changes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_production_environment(**environment_changes),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_report_a_production_setting_switched_off():
    """The check above is not silent by accident: turning the HTTPS redirect off is seen."""
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", SECURE_SSL_REDIRECT="0")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


SETTINGS_SCRIPT = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in %r}))
"""
SETTINGS_READ = [
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
]


def _settings_under(**environment_changes) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_SCRIPT % SETTINGS_READ],
        cwd=BASE_DIR,
        env=_production_environment(
            DJANGO_SETTINGS_MODULE="config.settings", **environment_changes
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_uses_host_cookies_hsts_for_a_year_and_redirects_to_https():
    assert _settings_under() == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
    }


def test_development_over_plain_http_keeps_cookies_a_browser_accepts():
    """`make run` (DEBUG on, so HTTPS off): __Host- cookies need Secure, so no prefix."""
    assert _settings_under(DEBUG="1") == {
        "SESSION_COOKIE_NAME": "sessionid",
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_NAME": "csrftoken",
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_SSL_REDIRECT": False,
    }


def test_hsts_shorter_than_a_year_is_refused_at_start_up():
    result = _manage("check", SECURE_HSTS_SECONDS="3600")
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be at least a year" in result.stderr


def test_the_container_health_check_over_plain_http_is_not_redirected(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    # Answered (503 here: no Celery worker runs in this test), not sent to https://.
    assert client.get(reverse("hub:health")).status_code in (200, 503)
