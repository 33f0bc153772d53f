"""Shared fixtures: the three personas of every view test (an admin of organisation A, a
staff member of A without the admin role, a member of organisation B), Celery run eagerly
unless a test starts a real worker, and settings fit for an HTTP test server."""

import shutil
import tempfile
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test.signals import setting_changed
from django.utils.functional import empty

from config.celery_app import app as celery_app
from hub import uploads
from portability.models import FrameworkVersion
from talent.models import StaffGroup
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def pytest_configure(config):
    # Tasks run in-process at enqueue; tests/integration starts a real worker instead.
    celery_app.conf.task_always_eager = True
    # The live server speaks plain HTTP, and collectstatic has not run.
    django_settings.SESSION_COOKIE_SECURE = False
    django_settings.CSRF_COOKIE_SECURE = False
    django_settings.SECURE_SSL_REDIRECT = False
    # Factories hash a password per person; the production hasher is slow on purpose.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The audit log refuses TRUNCATE (hub migration 0004) unless the session allows it:
    # flushing the database after tests that commit must empty it too.
    options = django_settings.DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c hub.audit_log_truncate=allow".strip()
    # Uploaded files go to a temporary folder, not the developer's var/.
    files = Path(tempfile.mkdtemp(prefix="workforce-hub-tests-"))
    config.add_cleanup(lambda: shutil.rmtree(files, ignore_errors=True))
    django_settings.MEDIA_ROOT = files / "media"
    django_settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": files / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": files / "private", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Models were imported before this hook: forget storages set up from the old settings.
    setting_changed.send(
        sender=None, setting="STORAGES", value=django_settings.STORAGES, enter=True
    )
    uploads.private_storage()._wrapped = empty


@pytest.fixture(autouse=True)
def _database_baseline(request):
    """Every test that touches the database starts with an empty cache (allauth's rate
    limits, used TOTP codes) and the reference data migrations add (staff groups, the
    framework's first version), which transactional tests wipe when they flush tables."""
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_database:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        cache.clear()
        if not StaffGroup.objects.exists():
            import_module("talent.migrations.0002_staff_groups").add_staff_groups(apps, None)
        if not FrameworkVersion.objects.exists():
            import_module("portability.migrations.0002_framework_terms").publish_version_1(
                apps, None
            )


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Leeds City Council", slug="council")


@pytest.fixture
def admin_a(org_a):
    return MembershipFactory(organisation=org_a, role="admin").user


@pytest.fixture
def staff_a(org_a):
    return MembershipFactory(organisation=org_a, role="staff").user


@pytest.fixture
def member_b(org_b):
    return MembershipFactory(organisation=org_b, role="admin").user


@pytest.fixture
def candidate(db):
    return UserFactory()


@pytest.fixture
def client_as(client):
    """`client_as(user)`: the test client signed in as that person."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
