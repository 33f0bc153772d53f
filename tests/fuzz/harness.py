"""What every fuzz test needs: the active hypothesis profile, a savepoint per example,
requests encoded as a hostile client sends them, row counts and the shared assertions."""

import os
from contextlib import contextmanager
from urllib.parse import quote

from django.db import transaction
from django.test import Client
from hypothesis import event, settings

from tests.fuzz.strategies import NUL

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def fuzz_settings(examples: int) -> settings:
    """`examples` examples under the everyday "fuzz" profile, scaled up by the profile
    HYPOTHESIS_PROFILE names (tests/fuzz/conftest.py)."""
    profile = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))
    scale = profile.max_examples / settings.get_profile("fuzz").max_examples
    return settings(profile, max_examples=max(1, round(examples * scale)))


class _RollBack(Exception):
    """Leaves the savepoint of one example."""


@contextmanager
def rolled_back():
    """Run one example in a savepoint rolled back after it, so every example starts from
    the same rows, sessions and rate-limit counters (the cache is in the database)."""
    try:
        with transaction.atomic():
            yield
            raise _RollBack
    except _RollBack:
        pass


def new_client(user=None) -> Client:
    """A client of its own for one example, signed in as `user` when given."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def encode(params: dict) -> str:
    """A query string or form body as a tool may send it: a list is a repeated key, and a
    lone surrogate goes as its raw bytes, which are not UTF-8 (the server reads them as
    U+FFFD)."""
    pairs = []
    for key, value in params.items():
        for one in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append(f"{path_segment(key)}={path_segment(str(one))}")
    return "&".join(pairs)


def path_segment(value: str) -> str:
    """`value` as one percent-encoded segment of an address."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def get(client, path: str, params: dict | None = None, **headers):
    query = encode(params or {})
    return client.get(f"{path}?{query}" if query else path, headers=headers)


def post(client, path: str, data: dict, **headers):
    """POST as a browser's form does, with a CSRF token field (the test client does not
    check it; without any field, CSRF protection would refuse the request first)."""
    body = encode({"csrfmiddlewaretoken": "fuzz", **data})
    return client.post(path, body, content_type=FORM_CONTENT_TYPE, headers=headers)


def holds_nul(value) -> bool:
    """Whether a value, or any key or value inside it, holds a NUL character."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(one) for key, one in value.items())
    if isinstance(value, (list, tuple)):
        return any(holds_nul(one) for one in value)
    return False


def row_counts(*models) -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in models}


def shows_form_error(response) -> bool:
    return b"nhsuk-error-summary" in response.content or b"nhsuk-error-message" in response.content


def assert_no_server_error(response):
    assert response.status_code < 500, f"{response.status_code} for {response.request}"


def assert_answered(response, sent, *, ok=(200,)):
    """The page's own answer (one of `ok`), or 400 when what was sent held a NUL, which
    hub.input_guard refuses before any view sees it."""
    assert_no_server_error(response)
    if response.status_code == 400:
        assert holds_nul(sent), "400 without a NUL"
    else:
        assert response.status_code in ok, response.status_code


def assert_refused(response):
    """Bad input: the form again with its errors, or 400 for a NUL character, which
    hub.input_guard refuses before any form sees it."""
    assert_no_server_error(response)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert shows_form_error(response), "bad input accepted without a form error"


def submit(client, path: str, submission, models, *, accepted=(302,)) -> bool:
    """POST a `strategies.Submission` and check the property every form shares: never a
    server error; refused (with the form's errors, and no row added or removed) when it
    must be; otherwise refused the same way or answered with one of `accepted`. Returns
    whether it was accepted."""
    before = row_counts(*models)
    response = post(client, path, submission.data)
    assert_no_server_error(response)
    if submission.must_be_refused or response.status_code not in accepted:
        event(f"refused ({response.status_code})")
        assert_refused(response)
        assert row_counts(*models) == before, "refused input changed the database"
        return False
    event(f"accepted ({response.status_code})")
    return True
