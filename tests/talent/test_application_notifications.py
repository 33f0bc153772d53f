"""Who hears about an application: the candidate on submission, and the vacancy's contact
straight away or in a daily digest, with no personal data beyond the applicant's name."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from talent.models import Application
from talent.services import applications as services
from talent.tasks import send_application_digests
from tests.factories import (
    ApplicationFactory,
    ScreeningQuestionFactory,
    UserFactory,
    VacancyFactory,
)

DETAILS = {
    "full_name": "Amira Patel",
    "phone": "07700 900982",
    "address": "1 Town Street",
    "postcode": "LS12 3AB",
    "right_to_work": "yes",
    "supporting_statement": "I cared for my grandmother for three years.",
    "reasonable_adjustments": "Step-free access, please",
}


def _submit(vacancy, candidate, capture):
    with capture(execute=True):
        application = services.application_start(vacancy=vacancy, candidate=candidate)
        answers = {question.pk: "Secret answer" for question in vacancy.questions.all()}
        return services.application_submit(
            application=application, actor=candidate, details=DETAILS, answers=answers
        )


def _hr_path(application):
    return reverse(
        "vacancies:application_detail",
        kwargs={
            "org_slug": application.vacancy.organisation.slug,
            "application_id": application.pk,
        },
    )


@pytest.fixture
def vacancy(org_a, staff_a):
    vacancy = VacancyFactory(
        organisation=org_a, title="Ward Clerk", contact=staff_a, application_alerts="immediately"
    )
    ScreeningQuestionFactory(vacancy=vacancy)
    return vacancy


def test_the_candidate_hears_that_their_application_arrived(
    vacancy, candidate, org_a, django_capture_on_commit_callbacks
):
    application = _submit(vacancy, candidate, django_capture_on_commit_callbacks)
    to_candidate = [email for email in mail.outbox if email.to == [candidate.email]]
    assert len(to_candidate) == 1
    email = to_candidate[0]
    assert email.subject == f"We have your application for Ward Clerk at {org_a.name}"
    assert f"{settings.SITE_URL}{application.get_absolute_url()}" in email.body
    assert "Amira Patel" in email.body


def test_the_contact_hears_at_once_with_only_the_applicants_name(
    vacancy, candidate, staff_a, django_capture_on_commit_callbacks
):
    application = _submit(vacancy, candidate, django_capture_on_commit_callbacks)
    to_contact = [email for email in mail.outbox if email.to == [staff_a.email]]
    assert len(to_contact) == 1
    email = to_contact[0]
    assert email.subject == "New application for Ward Clerk"
    html = email.alternatives[0][0]
    for text in (email.body, html):
        assert "Amira Patel" in text
        assert f"{settings.SITE_URL}{_hr_path(application)}" in text
        for private in (
            candidate.email,
            "07700 900982",
            "LS12 3AB",
            "Town Street",
            "grandmother",
            "Secret answer",
            "Step-free",
        ):
            assert private not in text
    application.refresh_from_db()
    assert application.contact_notified_at is not None


def test_under_anonymised_shortlisting_the_contact_gets_a_reference_not_a_name(
    vacancy, candidate, staff_a, django_capture_on_commit_callbacks
):
    vacancy.anonymised_shortlisting = True
    vacancy.save()
    application = _submit(vacancy, candidate, django_capture_on_commit_callbacks)
    (email,) = [email for email in mail.outbox if email.to == [staff_a.email]]
    assert "Amira Patel" not in email.body
    assert f"Applicant {application.pk.hex[:8].upper()}" in email.body


def test_a_draft_notifies_nobody(vacancy, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.application_start(vacancy=vacancy, candidate=candidate)
        services.application_save(application=draft, actor=candidate, details=DETAILS)
    assert mail.outbox == []


@pytest.mark.parametrize("alerts", ["daily", "none"])
def test_a_contact_who_chose_a_digest_or_no_emails_is_not_emailed_at_once(
    vacancy, candidate, staff_a, alerts, django_capture_on_commit_callbacks
):
    vacancy.application_alerts = alerts
    vacancy.save()
    application = _submit(vacancy, candidate, django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [[candidate.email]]
    application.refresh_from_db()
    assert application.contact_notified_at is None


def test_a_contact_who_left_the_organisation_hears_nothing(
    vacancy, candidate, staff_a, django_capture_on_commit_callbacks
):
    staff_a.memberships.all().delete()
    _submit(vacancy, candidate, django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [[candidate.email]]


# --- Daily digests ----------------------------------------------------------------------


@pytest.fixture
def digest_vacancies(org_a, staff_a):
    return [
        VacancyFactory(organisation=org_a, title=title, contact=staff_a, application_alerts="daily")
        for title in ("Ward Clerk", "Porter")
    ]


def test_the_digest_lists_each_contacts_new_applications_once(
    digest_vacancies, staff_a, admin_a, org_a, django_capture_on_commit_callbacks
):
    clerk, porter = digest_vacancies
    first = ApplicationFactory(vacancy=clerk, full_name="Amira Patel")
    second = ApplicationFactory(vacancy=porter, full_name="Ben Jones")
    ApplicationFactory(vacancy=porter, stage="draft", full_name="Not Sent")
    ApplicationFactory(vacancy=porter, stage="withdrawn", full_name="Changed Mind")
    ApplicationFactory(vacancy=porter, full_name="Already Told", contact_notified_at=timezone.now())
    other_contact_vacancy = VacancyFactory(
        organisation=org_a, contact=admin_a, application_alerts="daily"
    )
    ApplicationFactory(vacancy=other_contact_vacancy, full_name="Cara Smith")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_digests_send() == 2

    by_recipient = {email.to[0]: email for email in mail.outbox}
    assert set(by_recipient) == {staff_a.email, admin_a.email}
    digest = by_recipient[staff_a.email]
    assert digest.subject == "2 new applications on Workforce Hub"
    for text in (digest.body, digest.alternatives[0][0]):
        assert "Amira Patel" in text and "Ben Jones" in text
        assert "Ward Clerk" in text and "Porter" in text
        assert f"{settings.SITE_URL}{_hr_path(first)}" in text
        assert f"{settings.SITE_URL}{_hr_path(second)}" in text
        assert "Not Sent" not in text and "Changed Mind" not in text
        assert "Already Told" not in text and "Cara Smith" not in text
        assert first.email not in text and first.phone not in text
    assert "Cara Smith" in by_recipient[admin_a.email].body

    first.refresh_from_db()
    assert first.contact_notified_at is not None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_digests_send() == 0
    assert mail.outbox == []


def test_the_next_digest_has_only_the_applications_since(
    digest_vacancies, staff_a, django_capture_on_commit_callbacks
):
    clerk, _ = digest_vacancies
    ApplicationFactory(vacancy=clerk, full_name="Amira Patel")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_digests_send()
    ApplicationFactory(vacancy=clerk, full_name="Ben Jones")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_digests_send(now=timezone.now() + timezone.timedelta(days=1))
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "1 new application on Workforce Hub"
    assert "Ben Jones" in mail.outbox[1].body
    assert "Amira Patel" not in mail.outbox[1].body


def test_vacancies_with_immediate_emails_are_not_in_the_digest(
    vacancy, staff_a, django_capture_on_commit_callbacks
):
    ApplicationFactory(vacancy=vacancy)  # made directly: never emailed at once
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_digests_send() == 0


def test_the_digest_skips_a_contact_who_left_the_organisation(
    digest_vacancies, staff_a, django_capture_on_commit_callbacks
):
    ApplicationFactory(vacancy=digest_vacancies[0])
    staff_a.memberships.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_digests_send() == 0
    assert mail.outbox == []


def test_the_task_sends_the_digests(digest_vacancies, django_capture_on_commit_callbacks):
    ApplicationFactory(vacancy=digest_vacancies[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_application_digests.delay().get() == 1
    assert len(mail.outbox) == 1
    assert Application.objects.filter(contact_notified_at__isnull=True).count() == 0


def test_an_application_from_a_candidate_without_a_name_still_reads_well(
    vacancy, staff_a, django_capture_on_commit_callbacks
):
    person = UserFactory(name="")
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_start(vacancy=vacancy, candidate=person)
        services.application_submit(
            application=application,
            actor=person,
            details={**DETAILS, "full_name": "Dev Kumar"},
            answers={q.pk: "Yes" for q in vacancy.questions.all()},
        )
    assert any("Dev Kumar" in email.body for email in mail.outbox if email.to == [staff_a.email])
