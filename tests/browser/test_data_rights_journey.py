"""A candidate downloads their data, then erases their account and cannot sign in again.
Every page is checked with axe."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from hub.models import User
from hub.uploads import private_storage
from talent.models import Application
from tests.browser.conftest import assert_accessible, click_through
from tests.documents import PDF_BYTES
from tests.factories import PASSWORD, ApplicationFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_downloads_their_data_then_erases_their_account(open_page):
    trust = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
    candidate = UserFactory(email="amira@example.org", name="Amira Patel")
    application = ApplicationFactory(vacancy__organisation=trust, candidate=candidate)
    application.cv.name = private_storage().save("cvs/cv.pdf", ContentFile(PDF_BYTES))
    application.cv_filename = "Amira Patel CV.pdf"
    application.save(update_fields=["cv", "cv_filename"])

    page = open_page(phone=True)
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(candidate.email)
    page.get_by_label("Password").fill(PASSWORD)
    click_through(page, page.get_by_role("button", name="Sign in"))

    # Downloading asks for the password again first, then says what the file holds.
    click_through(page, page.get_by_role("link", name="Download your data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password").fill(PASSWORD)
    click_through(page, page.get_by_role("button", name="Confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data").click()
    download = download_info.value
    assert download.suggested_filename.startswith("workforce-hub-data-")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "amira@example.org"
    [sent] = data["applications"]
    assert archive.read(sent["cv_file"]) == PDF_BYTES

    # Erasing: a wrong confirmation is a form error, then the right one erases.
    click_through(page, page.get_by_role("link", name="erase your account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase your account")
    page.get_by_label("To confirm, type the email address of your account").fill("amira@typo.org")
    click_through(page, page.get_by_role("button", name="Erase my account"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The email address does not match your account"
    )
    assert User.objects.filter(email="amira@example.org").exists()
    page.get_by_label("To confirm, type the email address of your account").fill(
        "amira@example.org"
    )
    click_through(page, page.get_by_role("button", name="Erase my account"))
    expect(page.get_by_text("Your account has been erased")).to_be_visible()
    assert not User.objects.filter(email="amira@example.org").exists()
    assert Application.objects.get(pk=application.pk).anonymised_at is not None

    # The account is gone: signing in again fails.
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill("amira@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    click_through(page, page.get_by_role("button", name="Sign in"))
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
