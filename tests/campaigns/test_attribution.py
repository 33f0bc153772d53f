"""Attribution: an application that follows a campaign's link or code joins the
candidate's journey in that campaign (found by account, then by email, else recorded), and
a hire sets the journey's outcome."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ContactConsent, Engagement, Resident, TrackingLink
from campaigns.selectors.funnel import campaign_funnel
from campaigns.services.attribution import application_attribute
from hub.models import AuditEvent
from talent.models import Application
from talent.services import applications as application_services
from talent.signals import application_hired
from tests.campaigns.builders import (
    make_campaign,
    make_engagement,
    make_neighbourhood,
    make_resident,
)
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory

Outcome = Engagement.Outcome


@pytest.fixture
def armley(db):
    return make_neighbourhood("Armley", sectors=("LS12 2", "LS12 3"))


@pytest.fixture
def campaign(org_a, armley):
    return make_campaign(org_a, neighbourhoods=[armley], code="ARMLEY-LIBRARY")


@pytest.fixture
def vacancy(org_a, campaign):
    vacancy = VacancyFactory(organisation=org_a, title="Mental health support worker")
    campaign.vacancies.add(vacancy)
    return vacancy


def _apply_url(vacancy):
    return reverse("candidate:apply", kwargs={"pk": vacancy.pk})


def _application_form(**overrides):
    data = {
        "action": "submit",
        "full_name": "Amira Patel",
        "phone": "07700 900982",
        "address": "1 Town Street\nArmley",
        "postcode": "ls12 3ab",
        "right_to_work": "yes",
        "supporting_statement": "I cared for my grandmother for three years.",
        "reasonable_adjustments": "",
        "source": "campaign",
    }
    data.update(overrides)
    return data


def _submit(vacancy, candidate, *, code, **details):
    """Send an application through talent's own service, as the apply page does."""
    application = application_services.application_start(
        vacancy=vacancy, candidate=candidate, campaign_code=code
    )
    return application_services.application_submit(
        application=application,
        actor=candidate,
        details={
            "full_name": "Amira Patel",
            "phone": "07700 900982",
            "postcode": "LS12 3AB",
            "right_to_work": "yes",
            "supporting_statement": "I cared for my grandmother.",
            **details,
        },
        campaign_code=code,
    )


# --- Through the pages ---------------------------------------------------------------------


def test_following_the_link_then_applying_records_a_new_resident_and_links_the_application(
    client_as, campaign, vacancy, armley
):
    candidate = UserFactory(email="amira@example.org", name="Amira Patel")
    client = client_as(candidate)
    # A poster's QR code, typed in lower case.
    response = client.get(reverse("campaign_public:link", kwargs={"code": "armley-library"}))
    assert response.status_code == 302

    response = client.post(_apply_url(vacancy), _application_form())
    assert response.status_code == 302
    application = Application.objects.get(candidate=candidate)
    assert application.campaign_code == "ARMLEY-LIBRARY"

    journey = Engagement.objects.select_related("resident").get(campaign=campaign)
    assert journey.application == application
    assert journey.applied_on == timezone.localdate()
    assert journey.engaged_on == timezone.localdate()
    assert journey.channel == Engagement.Channel.ONLINE
    assert journey.tracking_link == TrackingLink.objects.get(code="ARMLEY-LIBRARY")
    assert journey.organisation is None
    resident = journey.resident
    assert (resident.name, resident.postcode, resident.neighbourhood) == (
        "Amira Patel",
        "LS12 3AB",
        armley,
    )
    assert resident.user == candidate
    # Applying is not consenting to campaign emails: no contact details are kept.
    assert (resident.email, resident.phone) == ("", "")
    assert not ContactConsent.objects.filter(resident=resident).exists()
    counts = campaign_funnel(campaign)
    assert (counts.engaged, counts.applied) == (1, 1)
    assert AuditEvent.objects.filter(action="campaign.application_attributed").exists()


def test_applying_without_the_link_attributes_nothing(client_as, campaign, vacancy):
    candidate = UserFactory()
    client_as(candidate).post(_apply_url(vacancy), _application_form())
    assert Application.objects.get(candidate=candidate).campaign_code == ""
    assert not Engagement.objects.exists()


def test_saving_a_draft_attributes_nothing_until_it_is_sent(client_as, campaign, vacancy):
    candidate = UserFactory()
    client = client_as(candidate)
    client.get(reverse("campaign_public:link", kwargs={"code": "ARMLEY-LIBRARY"}))
    client.post(_apply_url(vacancy), _application_form(action="save"))
    assert Application.objects.get(candidate=candidate).is_draft
    assert not Engagement.objects.exists()

    client.post(_apply_url(vacancy), _application_form())
    assert Engagement.objects.get(campaign=campaign).application.candidate == candidate


# --- Finding the resident ------------------------------------------------------------------


def test_a_resident_met_in_the_community_is_found_by_email_whatever_its_case(
    org_a, campaign, vacancy
):
    met = make_engagement(campaign, make_resident(name="Amira P", email="Amira.Patel@Example.org"))
    candidate = UserFactory(email="amira.patel@example.org")
    application = _submit(vacancy, candidate, code="ARMLEY-LIBRARY")

    journey = Engagement.objects.get(campaign=campaign)
    assert journey.pk == met.pk
    assert journey.application == application
    assert journey.applied_on == timezone.localdate()
    assert journey.channel == Engagement.Channel.FACE_TO_FACE
    assert journey.resident.user == candidate
    assert Resident.objects.count() == 1


def test_a_resident_is_found_by_their_account_before_their_email(org_a, campaign, vacancy):
    candidate = UserFactory(email="new.address@example.org")
    by_account = make_engagement(campaign, make_resident(email="old.address@example.org"))
    Resident.objects.filter(pk=by_account.resident_id).update(user=candidate)
    make_engagement(campaign, make_resident(email="new.address@example.org"))

    application = _submit(vacancy, candidate, code="ARMLEY-LIBRARY")
    by_account.refresh_from_db()
    assert by_account.application == application


def test_the_same_person_in_another_campaign_is_not_this_campaigns_resident(
    org_a, campaign, vacancy
):
    other = make_campaign(org_a)
    elsewhere = make_engagement(other, make_resident(email="amira@example.org"))
    candidate = UserFactory(email="amira@example.org")

    _submit(vacancy, candidate, code="ARMLEY-LIBRARY")
    journey = Engagement.objects.get(campaign=campaign)
    assert journey.resident_id != elsewhere.resident_id
    elsewhere.refresh_from_db()
    assert elsewhere.application is None


def test_a_second_application_through_the_campaign_keeps_one_journey_and_the_first_application(
    org_a, campaign, vacancy
):
    candidate = UserFactory()
    first = _submit(vacancy, candidate, code="ARMLEY-LIBRARY")
    second_vacancy = VacancyFactory(organisation=org_a)
    _submit(second_vacancy, candidate, code="armley-library")

    journey = Engagement.objects.get(campaign=campaign)
    assert journey.application == first
    assert Resident.objects.count() == 1
    assert campaign_funnel(campaign).applied == 1


def test_an_application_with_a_code_no_link_has_is_not_attributed(org_a, campaign, vacancy):
    _submit(vacancy, UserFactory(), code="NOT-A-CODE")
    assert not Engagement.objects.exists()


def test_a_draft_is_never_attributed(org_a, campaign, vacancy):
    draft = ApplicationFactory(stage="draft", vacancy=vacancy, campaign_code="ARMLEY-LIBRARY")
    assert application_attribute(application=draft) is None
    assert not Engagement.objects.exists()


# --- Hires ------------------------------------------------------------------------------------


def _hire(application, start_date):
    Application.objects.filter(pk=application.pk).update(stage=Application.Stage.HIRED)
    application.refresh_from_db()
    application_hired.send(sender=Application, application=application, start_date=start_date)


def test_a_hire_records_the_outcome_started_a_job_from_the_start_date(org_a, campaign, vacancy):
    application = _submit(vacancy, UserFactory(), code="ARMLEY-LIBRARY")
    starts = timezone.localdate() + datetime.timedelta(days=14)
    _hire(application, starts)

    journey = Engagement.objects.get(campaign=campaign)
    assert (journey.outcome, journey.outcome_on) == (Outcome.STARTED_JOB, starts)
    counts = campaign_funnel(campaign)
    assert (counts.outcomes, counts.started_job) == (1, 1)

    # A changed start date follows.
    later = starts + datetime.timedelta(days=7)
    _hire(application, later)
    journey.refresh_from_db()
    assert journey.outcome_on == later


def test_a_hire_wins_over_employability_support_recorded_earlier(org_a, campaign, vacancy):
    application = _submit(vacancy, UserFactory(), code="ARMLEY-LIBRARY")
    Engagement.objects.filter(campaign=campaign).update(
        outcome=Outcome.EMPLOYABILITY_SUPPORT, outcome_on=datetime.date(2025, 1, 6)
    )
    starts = timezone.localdate() + datetime.timedelta(days=3)
    _hire(application, starts)

    journey = Engagement.objects.get(campaign=campaign)
    assert (journey.outcome, journey.outcome_on) == (Outcome.STARTED_JOB, starts)
    audit = AuditEvent.objects.get(action="campaign.outcome_hired")
    assert audit.data["previous_outcome"] == Outcome.EMPLOYABILITY_SUPPORT


def test_a_hire_of_a_later_application_takes_the_journeys_place(org_a, campaign, vacancy):
    candidate = UserFactory()
    first = _submit(vacancy, candidate, code="ARMLEY-LIBRARY")
    second = _submit(VacancyFactory(organisation=org_a), candidate, code="ARMLEY-LIBRARY")
    starts = timezone.localdate() + datetime.timedelta(days=10)
    _hire(second, starts)

    journey = Engagement.objects.get(campaign=campaign)
    assert journey.application == second
    assert journey.application != first
    assert (journey.outcome, journey.outcome_on) == (Outcome.STARTED_JOB, starts)


def test_a_job_already_recorded_and_not_left_stands_against_another_hire(org_a, campaign, vacancy):
    candidate = UserFactory()
    first = _submit(vacancy, candidate, code="ARMLEY-LIBRARY")
    _hire(first, datetime.date(2025, 3, 1))
    second = _submit(VacancyFactory(organisation=org_a), candidate, code="ARMLEY-LIBRARY")
    _hire(second, datetime.date(2025, 6, 1))

    journey = Engagement.objects.get(campaign=campaign)
    assert (journey.application, journey.outcome_on) == (first, datetime.date(2025, 3, 1))


def test_a_hire_from_no_campaign_changes_no_journey(org_a, campaign, vacancy):
    resident = make_resident(email="someone@example.org")
    journey = make_engagement(campaign, resident)
    application = ApplicationFactory(vacancy=vacancy, candidate__email="someone@example.org")
    _hire(application, datetime.date(2025, 3, 1))
    journey.refresh_from_db()
    assert journey.outcome == ""
