"""A campaign's residents and their journeys: the list with each person's furthest
stage, recording each step (with dates that can be right), withdrawing consent, and the
audit of every look at a journey."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ContactConsent, Engagement
from campaigns.services.journeys import journey_record_applied
from hub.models import AuditEvent
from talent.models import Application
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_neighbourhood,
    make_resident,
)
from tests.factories import ApplicationFactory

TODAY = timezone.localdate


def _days_ago(days):
    return TODAY() - datetime.timedelta(days=days)


@pytest.fixture
def armley(db):
    return make_neighbourhood("Armley", sectors=("LS12 3",))


@pytest.fixture
def campaign(org_a, armley):
    return make_campaign(org_a, neighbourhoods=[armley])


def _url(name, campaign, **kwargs):
    return reverse(
        f"campaigns:{name}",
        kwargs={"org_slug": campaign.lead_organisation.slug, "campaign_id": campaign.pk, **kwargs},
    )


def _journey(campaign, engagement):
    return _url("journey", campaign, engagement_id=engagement.pk)


def _engaged(campaign, name, *, days_ago=30, **fields):
    resident = make_resident(
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        postcode=fields.pop("postcode", ""),
    )
    if "neighbourhood" in fields:
        resident.neighbourhood = fields.pop("neighbourhood")
        resident.save()
    return make_engagement(campaign, resident, engaged_on=_days_ago(days_ago), **fields)


# --- The list -------------------------------------------------------------------------------


@pytest.fixture
def one_at_each_stage(campaign, armley):
    """Five residents, each at a different furthest stage."""
    engaged = _engaged(campaign, "Edna Engaged", neighbourhood=armley, postcode="LS12 3AB")
    attended = _engaged(campaign, "Arthur Attended")
    make_booking(make_event(campaign), attended.resident, attended=True)
    referred = _engaged(campaign, "Rita Referred", referred_for_support_on=_days_ago(5))
    applied = _engaged(campaign, "Alan Applied", applied_on=_days_ago(3))
    hired = ApplicationFactory(stage=Application.Stage.HIRED)
    outcome = _engaged(campaign, "Olive Outcome", application=hired, applied_on=_days_ago(2))
    return {
        "engaged": engaged,
        "attended": attended,
        "referred": referred,
        "applied": applied,
        "outcome": outcome,
    }


def test_the_list_shows_each_residents_furthest_stage(
    client_as, staff_a, campaign, one_at_each_stage
):
    response = client_as(staff_a).get(_url("resident_list", campaign))
    rows = response.text.split('<tbody class="nhsuk-table__body">', 1)[1].split("</tr>")
    stages = {}
    for row in rows[:-1]:
        name = next(e.resident.name for e in one_at_each_stage.values() if e.resident.name in row)
        stages[name] = row.split("Furthest stage </span>", 1)[1].split("</strong>", 1)[0]
    assert stages["Edna Engaged"].endswith(">Engaged")
    assert stages["Arthur Attended"].endswith(">Attended an event")
    assert stages["Rita Referred"].endswith(">Referred")
    assert stages["Alan Applied"].endswith(">Applied")
    assert stages["Olive Outcome"].endswith(">Outcome")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "attended"}, {"Arthur Attended"}),
        ({"stage": "outcome"}, {"Olive Outcome"}),
        ({"neighbourhood": "armley"}, {"Edna Engaged"}),
        ({"q": "rita"}, {"Rita Referred"}),
        ({"q": "alan@example"}, {"Alan Applied"}),
        ({"q": "ls123ab"}, {"Edna Engaged"}),
        ({"q": "nobody"}, set()),
        # Nonsense filters are ignored, not refused.
        (
            {"stage": "astronaut"},
            {"Edna Engaged", "Arthur Attended", "Rita Referred", "Alan Applied", "Olive Outcome"},
        ),
    ],
)
def test_the_list_is_searched_and_filtered(
    client_as, staff_a, campaign, one_at_each_stage, params, expected
):
    response = client_as(staff_a).get(_url("resident_list", campaign), params)
    assert response.status_code == 200
    shown = {
        e.resident.name for e in one_at_each_stage.values() if e.resident.name in response.text
    }
    assert shown == expected


def test_the_list_is_paginated(client_as, staff_a, campaign):
    for n in range(51):
        make_engagement(campaign, make_resident(name=f"Person {n:02d}"))
    client = client_as(staff_a)
    first = client.get(_url("resident_list", campaign), {"stage": "engaged"})
    assert "Residents found (51)" in first.text
    assert first.text.count("Furthest stage </span>") == 50
    assert "?stage=engaged&amp;page=2" in first.text
    second = client.get(_url("resident_list", campaign), {"stage": "engaged", "page": 2})
    assert second.text.count("Furthest stage </span>") == 1


def test_the_list_runs_a_fixed_number_of_queries(
    client_as, staff_a, campaign, armley, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            engagement = make_engagement(campaign, make_resident(neighbourhood=armley))
            make_booking(make_event(campaign), engagement.resident, attended=True)

    add(2)
    client = client_as(staff_a)
    url = _url("resident_list", campaign)
    params = {"neighbourhood": "armley", "q": "Resident"}
    client.get(url, params)
    with django_assert_max_num_queries(10) as few:
        client.get(url, params)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    assert "Residents found (22)" in response.text


# --- The journey page -----------------------------------------------------------------------


def test_every_look_at_a_journey_is_in_the_audit_log(client_as, org_a, staff_a, campaign):
    engagement = _engaged(campaign, "Vera Viewed")
    client = client_as(staff_a)
    client.get(_journey(campaign, engagement))
    client.get(_journey(campaign, engagement))

    views = AuditEvent.objects.filter(action="resident.viewed")
    assert views.count() == 2
    view = views.first()
    assert (view.actor, view.organisation) == (staff_a, org_a)
    assert view.object_id == str(engagement.resident_id)


def test_the_journey_shows_consent_bookings_and_the_linked_application(
    client_as, org_a, staff_a, campaign
):
    engagement = _engaged(campaign, "Jade Journey")
    webinar = make_event(campaign, title="Employment webinar")
    make_booking(webinar, engagement.resident, attended=True)
    other_campaign = make_campaign(org_a)
    make_booking(make_event(other_campaign, title="Another campaign's visit"), engagement.resident)
    application = ApplicationFactory(stage=Application.Stage.INTERVIEW)
    engagement.application, engagement.applied_on = application, _days_ago(1)
    engagement.save()

    response = client_as(staff_a).get(_journey(campaign, engagement))
    text = response.text
    consent = engagement.resident.consents.get()
    assert consent.wording in text
    assert "Employment webinar" in text
    assert "Another campaign&#x27;s visit" not in text
    assert application.vacancy.title in text
    assert "Interview" in text
    assert 'name="applied-applied_on"' not in text  # linked: nothing to record by hand
    assert response["Cache-Control"].startswith("max-age=0")


def _post(client, campaign, engagement, step, **fields):
    data = {"step": step} | {f"{step}-{name}": value for name, value in fields.items()}
    return client.post(_journey(campaign, engagement), data)


def test_a_referral_for_support_is_recorded_and_audited(client_as, staff_a, campaign):
    engagement = _engaged(campaign, "Sam Support")
    when = _days_ago(2)
    response = _post(
        client_as(staff_a),
        campaign,
        engagement,
        "support",
        referred_for_support_on=when.isoformat(),
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.referred_for_support_on == when
    audit = AuditEvent.objects.get(action="resident.referred_for_support")
    assert audit.data == {"referred_for_support_on": when.isoformat()}


@pytest.mark.parametrize(
    ("days_ago", "error"),
    [
        (-1, "The date must be today or in the past"),
        (31, "The date must be on or after the day they were engaged"),
    ],
)
def test_a_step_cannot_be_dated_in_the_future_or_before_they_were_engaged(
    client_as, staff_a, campaign, days_ago, error
):
    engagement = _engaged(campaign, "Dora Dates", days_ago=30)
    response = _post(
        client_as(staff_a),
        campaign,
        engagement,
        "support",
        referred_for_support_on=_days_ago(days_ago).isoformat(),
    )
    assert response.status_code == 200
    assert error in response.text
    engagement.refresh_from_db()
    assert engagement.referred_for_support_on is None
    assert not AuditEvent.objects.filter(action="resident.referred_for_support").exists()


def test_a_programme_referral_needs_both_the_programme_and_the_date(client_as, staff_a, campaign):
    engagement = _engaged(campaign, "Pat Programme")
    client = client_as(staff_a)
    response = _post(client, campaign, engagement, "programme", programme="care_academy")
    assert "Enter the date they were referred" in response.text
    response = _post(
        client, campaign, engagement, "programme", programme_referred_on=_days_ago(1).isoformat()
    )
    assert "Choose the programme they were referred to" in response.text
    engagement.refresh_from_db()
    assert engagement.programme == ""

    _post(
        client,
        campaign,
        engagement,
        "programme",
        programme="care_academy",
        programme_referred_on=_days_ago(1).isoformat(),
    )
    engagement.refresh_from_db()
    assert (engagement.programme, engagement.programme_referred_on) == (
        "care_academy",
        _days_ago(1),
    )


def test_an_application_made_elsewhere_is_recorded_and_can_be_cleared(client_as, staff_a, campaign):
    engagement = _engaged(campaign, "Elsie Elsewhere")
    client = client_as(staff_a)
    _post(client, campaign, engagement, "applied", applied_on=_days_ago(4).isoformat())
    engagement.refresh_from_db()
    assert engagement.applied_on == _days_ago(4)
    _post(client, campaign, engagement, "applied", applied_on="")
    engagement.refresh_from_db()
    assert engagement.applied_on is None


def test_an_application_date_cannot_be_set_by_hand_when_one_is_linked(org_a, staff_a, campaign):
    engagement = _engaged(campaign, "Linda Linked")
    engagement.application, engagement.applied_on = ApplicationFactory(), _days_ago(3)
    engagement.save()
    with pytest.raises(ValidationError, match="linked to this journey"):
        journey_record_applied(
            engagement=engagement, applied_on=_days_ago(1), actor=staff_a, organisation=org_a
        )
    engagement.refresh_from_db()
    assert engagement.applied_on == _days_ago(3)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"outcome": "started_job"}, "Enter the date the job, training or support began"),
        ({"outcome_on": 5}, "Choose the outcome"),
        (
            {"outcome": "started_training", "outcome_on": 5, "left_on": 1},
            "Only record a leaving date for someone who started a job",
        ),
        (
            {"outcome": "started_job", "outcome_on": 5, "left_on": 6},
            "The date they left must be after the day they started",
        ),
        ({"outcome": "started_job", "outcome_on": 5, "left_on": -2}, "today or in the past"),
    ],
)
def test_an_outcome_is_refused_when_its_dates_cannot_be_right(
    client_as, staff_a, campaign, fields, error
):
    engagement = _engaged(campaign, "Owen Outcome")
    data = {
        name: _days_ago(value).isoformat() if isinstance(value, int) else value
        for name, value in fields.items()
    }
    response = _post(client_as(staff_a), campaign, engagement, "outcome", **data)
    assert response.status_code == 200
    assert error in response.text
    engagement.refresh_from_db()
    assert (engagement.outcome, engagement.outcome_on, engagement.left_on) == ("", None, None)


def test_a_job_started_and_left_is_recorded_for_retention(client_as, staff_a, campaign):
    engagement = _engaged(campaign, "Jo Job", days_ago=200)
    _post(
        client_as(staff_a),
        campaign,
        engagement,
        "outcome",
        outcome="started_job",
        outcome_on=_days_ago(150).isoformat(),
        left_on=_days_ago(20).isoformat(),
    )
    engagement.refresh_from_db()
    assert engagement.outcome == Engagement.Outcome.STARTED_JOB
    assert (engagement.outcome_on, engagement.left_on) == (_days_ago(150), _days_ago(20))
    assert AuditEvent.objects.filter(action="resident.outcome_recorded").exists()


def test_notes_are_saved_but_not_copied_into_the_audit_log(client_as, staff_a, campaign):
    engagement = _engaged(campaign, "Nina Notes")
    _post(client_as(staff_a), campaign, engagement, "notes", notes="Prefers evening calls")
    engagement.refresh_from_db()
    assert engagement.notes == "Prefers evening calls"
    audit = AuditEvent.objects.get(action="resident.notes_changed")
    assert "Prefers" not in str(audit.data)


# --- Withdrawing consent --------------------------------------------------------------------


def test_staff_withdraw_consent_after_confirming(client_as, org_a, staff_a, campaign):
    engagement = _engaged(campaign, "Wendy Withdraws")
    elsewhere = make_engagement(
        make_campaign(org_a), make_resident(email=engagement.resident.email)
    )
    url = _url("consent_withdraw", campaign, engagement_id=engagement.pk)
    client = client_as(staff_a)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "every other campaign" in confirm.text
    assert ContactConsent.objects.filter(withdrawn_at=None).count() == 2

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == _journey(campaign, engagement)
    assert "consent to be contacted was withdrawn" in response.text
    assert not ContactConsent.objects.filter(withdrawn_at=None).exists()
    assert elsewhere.resident.consents.get().withdrawn_at is not None
    assert AuditEvent.objects.filter(action="resident.consent_withdrawn").count() == 1
    assert "They have not agreed to be contacted" in response.text


def test_withdrawing_when_there_is_no_consent_changes_nothing(client_as, staff_a, campaign):
    resident = make_resident(name="Nora None", consent=False)
    engagement = make_engagement(campaign, resident)
    url = _url("consent_withdraw", campaign, engagement_id=engagement.pk)
    client = client_as(staff_a)
    assert "They have no consent to withdraw" in client.get(url).text
    response = client.post(url, follow=True)
    assert "had no consent to withdraw" in response.text
    assert not AuditEvent.objects.filter(action="resident.consent_withdrawn").exists()
