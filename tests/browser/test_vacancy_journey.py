import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from hub.models import AuditEvent, Membership
from talent.models import ApplicationAnswer, Vacancy
from tests.browser.conftest import (
    assert_accessible,
    click_through,
    sign_in_with_two_factor,
)
from tests.documents import PDF_BYTES
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    ScreeningQuestionFactory,
    VacancyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_staff_create_and_publish_a_vacancy_that_then_appears_in_the_search(open_page):
    organisation = OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")
    hr = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user

    page = open_page()
    sign_in_with_two_factor(page, hr, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text(organisation.name)

    page.goto("/manage/lch/vacancies/")
    assert_accessible(page)
    expect(page.get_by_text("No vacancies yet")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Create a vacancy"))

    # Saving an empty form says what is missing and creates nothing.
    click_through(page, page.get_by_role("button", name="Save as draft"))
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter a job title")).to_be_visible()
    assert not Vacancy.objects.exists()

    page.get_by_label("Job title").fill("Podiatry assistant")
    page.get_by_label("Your reference").fill("LCH-POD-1")
    page.get_by_label("Staff group").select_option(label="Allied health professionals")
    page.get_by_label("Permanent").check()
    page.get_by_label("Agenda for Change band").select_option(label="Band 3")
    page.get_by_label("Minimum salary in pounds").fill("24,937")
    page.get_by_label("Maximum salary in pounds").fill("26598")
    page.get_by_label("Hours per week").fill("30")
    page.get_by_label("Part time").check()
    page.get_by_label("Flexible working").check()
    page.get_by_label("Site or place of work").fill("Reginald Centre")
    page.get_by_label("Postcode").fill("ls7 3ex")
    closing = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Closing date").fill(closing.isoformat())
    page.get_by_label("No experience needed").check()
    page.get_by_label("Summary").fill("Help podiatrists care for people's feet in clinics.")
    page.get_by_label("Job description").fill("You will prepare clinics and support patients.")
    page.get_by_label("Screening questions").fill("Why does foot health matter?")
    click_through(page, page.get_by_role("button", name="Save as draft"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Podiatry assistant")
    expect(page.get_by_text("was saved as a draft")).to_be_visible()
    expect(page.get_by_text("Preview: what candidates see")).to_be_visible()
    vacancy = Vacancy.objects.get()
    assert (vacancy.status, vacancy.postcode) == (Vacancy.Status.DRAFT, "LS7 3EX")

    click_through(page, page.get_by_role("button", name="Publish", exact=True))
    expect(page.get_by_text("Podiatry assistant is published")).to_be_visible()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert AuditEvent.objects.filter(action="vacancy.published", actor=hr).exists()

    # The close confirmation explains itself; backing out leaves the vacancy live.
    click_through(page, page.get_by_role("button", name="Close early"))
    click_through(page, page.get_by_role("link", name="No, keep it open"))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED

    candidate = open_page(phone=True)
    candidate.goto("/jobs/?q=podiatry")
    assert_accessible(candidate)
    expect(candidate.get_by_role("link", name=re.compile("Podiatry assistant"))).to_be_visible()


def test_an_admin_approves_one_vacancy_returns_another_and_reads_an_application(open_page):
    organisation = OrganisationFactory(
        name="Leeds City Council", slug="council", vacancies_need_approval=True
    )
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    author = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user
    waiting = VacancyFactory(
        organisation=organisation,
        title="Reablement care worker",
        status=Vacancy.Status.AWAITING_APPROVAL,
        created_by=author,
        published_at=None,
    )
    second = VacancyFactory(
        organisation=organisation,
        title="Day centre assistant",
        status=Vacancy.Status.AWAITING_APPROVAL,
        created_by=author,
        published_at=None,
    )
    live = VacancyFactory(organisation=organisation, title="Social worker")
    question = ScreeningQuestionFactory(vacancy=live, text="Why social work?")
    application = ApplicationFactory(
        vacancy=live, full_name="Jordan Lee", cv_filename="Jordan Lee CV.pdf"
    )
    application.cv.save("cvs/browser.pdf", ContentFile(PDF_BYTES), save=True)
    ApplicationAnswer.objects.create(
        application=application, question=question, answer="To help families."
    )

    page = open_page(phone=True)
    sign_in_with_two_factor(page, admin, PASSWORD)
    page.goto("/manage/council/vacancies/?status=awaiting_approval")
    assert_accessible(page)
    click_through(page, page.get_by_role("link", name="Reablement care worker", exact=True))
    expect(page.get_by_text("waiting for your approval")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Approve and publish"))
    expect(page.get_by_text("is approved and published")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == Vacancy.Status.PUBLISHED

    page.goto(f"/manage/council/vacancies/{second.pk}/")
    assert_accessible(page)
    click_through(page, page.get_by_role("button", name="Return to draft"))
    click_through(page, page.get_by_role("button", name="Return to draft"))
    expect(
        page.get_by_role("link", name="Enter the reason for returning the vacancy")
    ).to_be_visible()
    page.get_by_label("Why are you returning the vacancy?").fill("Add the hourly rate, please.")
    click_through(page, page.get_by_role("button", name="Return to draft"))
    expect(page.get_by_text("was returned to draft")).to_be_visible()
    second.refresh_from_db()
    assert second.status == Vacancy.Status.DRAFT

    page.goto(f"/manage/council/vacancies/{live.pk}/applications/")
    assert_accessible(page)
    click_through(page, page.get_by_role("link", name="Jordan Lee", exact=True))
    expect(page.get_by_text("To help families.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the CV")).click()
    assert download.value.suggested_filename == "Jordan-Lee-CV.pdf"
    assert AuditEvent.objects.filter(action="application.viewed", actor=admin).count() == 1
    assert AuditEvent.objects.filter(action="application.cv_downloaded", actor=admin).count() == 1
