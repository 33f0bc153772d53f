"""hub.input_guard: a NUL character anywhere a request carries text (the address, the query
string, a form field or its name, a cookie) is answered 400 before any view or session
lookup sees it; anything else passes, uploaded files included, whatever bytes they hold."""

import pytest
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from hub.input_guard import NUL, RefuseNulMiddleware
from talent.models import SavedSearch
from tests.factories import SavedSearchFactory
from tests.fuzz.harness import encode, fuzz_settings, path_segment, row_counts
from tests.fuzz.strategies import awkward_text, with_nul

GUARD = "hub.input_guard.RefuseNulMiddleware"

guard = RefuseNulMiddleware(lambda request: HttpResponse("passed"))
factory = RequestFactory()
text = st.one_of(awkward_text, with_nul)


def _passes(request) -> bool:
    try:
        guard(request)
    except BadRequest:
        return False
    return True


@fuzz_settings(60)
@given(segment=text, key=text, value=text, field=text, cookie=text)
def test_a_request_is_refused_exactly_when_it_holds_a_nul(segment, key, value, field, cookie):
    query = encode({key: value})
    get = factory.get(f"/c/{path_segment(segment)}/?{query}")
    assert _passes(get) == (NUL not in segment + key + value)

    form = factory.post(
        "/events/", encode({"name": field}), content_type="application/x-www-form-urlencoded"
    )
    assert _passes(form) == (NUL not in field)

    with_cookie = factory.get("/")
    with_cookie.COOKIES["sessionid"] = cookie
    assert _passes(with_cookie) == (NUL not in cookie)


def test_an_uploaded_file_may_hold_nul_bytes():
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.7\x00\x00\x01binary", "application/pdf")
    request = factory.post("/jobs/1/apply/", {"full_name": "Amira Khan", "cv": upload})
    assert _passes(request)


def test_a_session_cookie_with_an_escaped_nul_is_refused():
    request = factory.get("/", HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert not _passes(request)


@pytest.mark.django_db
def test_a_nul_gets_the_400_page_and_changes_nothing(client):
    saved_search = SavedSearchFactory()
    before = row_counts(SavedSearch)
    session_cookie = f'{settings.SESSION_COOKIE_NAME}="{"k" * 32}\\000"'

    link = client.get("/c/ARMLEY%00/")
    unsubscribe = client.post(f"/jobs/alerts/unsubscribe/{saved_search.unsubscribe_token}%00/")
    search = client.get("/jobs/?q=nurse%00")
    home = client.get("/", HTTP_COOKIE=session_cookie)

    for response in (link, unsubscribe, search, home):
        assert response.status_code == 400
        assert b"Sorry, we could not read that request" in response.content
    saved_search.refresh_from_db()
    assert saved_search.active
    assert row_counts(SavedSearch) == before


def test_the_guard_runs_before_the_session_is_read():
    middleware = list(settings.MIDDLEWARE)
    assert GUARD in middleware, f"add {GUARD!r} to MIDDLEWARE in config/settings.py"
    assert middleware.index(GUARD) < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
