"""The nightly retention job: personal data of unsuccessful applicants and of residents
without consent goes once its period is over, and every report figure stays the same."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone

from campaigns.models import ContactConsent, Engagement, Resident
from campaigns.selectors.funnel import funnel_for_campaigns
from hub import tasks
from hub.models import AuditEvent
from hub.retention import ANONYMISED_RESIDENT_NAME, retention_apply
from hub.uploads import private_storage
from talent.models import (
    Application,
    ApplicationAnswer,
    ApplicationNote,
    EqualityMonitoring,
    PoolInvitation,
    StageChange,
)
from talent.selectors import mobility_reports
from talent.selectors.time_to_hire import organisation_time_to_hire
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_neighbourhood,
    make_resident,
)
from tests.factories import ApplicationFactory, ScreeningQuestionFactory, VacancyFactory
from tests.talent.mobility_builders import make_pool_profile

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 2, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen():
    """Time stands still, so figures measured against `now` compare exactly."""
    with time_machine.travel(NOW, tick=False):
        yield


def _application(vacancy, stage, *, cv=True, **fields):
    application = ApplicationFactory(
        vacancy=vacancy,
        stage=stage,
        address="1 Town Street, Leeds",
        reasonable_adjustments="A quiet room",
        source="campaign",
        campaign_code="CAMP1",
        fair_route="care_leaver",
        rejection_reason="others_stronger" if stage == "rejected" else "",
        submitted_at=timezone.now() - relativedelta(months=9),
        **fields,
    )
    if cv:
        name = private_storage().save("cvs/cv.pdf", ContentFile(b"%PDF-1.4 a CV"))
        application.cv.name = name
        application.cv_filename = "My CV.pdf"
        application.save(update_fields=["cv", "cv_filename"])
    when = application.submitted_at
    for from_stage, to_stage in (
        ("", "submitted"),
        ("submitted", "screening"),
        ("screening", stage),
    ):
        StageChange.objects.create(
            application=application, from_stage=from_stage, to_stage=to_stage, created_at=when
        )
        when += datetime.timedelta(days=4)
    for question in vacancy.questions.all():
        ApplicationAnswer.objects.create(
            application=application, question=question, answer="I cared for my gran"
        )
    ApplicationNote.objects.create(application=application, text="Sounded nervous on the phone")
    EqualityMonitoring.objects.create(application=application, age_band="20_29", sex="female")
    return application


@pytest.fixture
def scene(org_a, admin_a):
    """Vacancies that closed 8 months ago (due) and 3 months ago (not yet), their
    applications at every ending, and campaign residents with and without consent."""
    old_vacancy = VacancyFactory(
        organisation=org_a, status="closed", closing_date=TODAY - relativedelta(months=8)
    )
    ScreeningQuestionFactory(vacancy=old_vacancy)
    recent_vacancy = VacancyFactory(
        organisation=org_a, status="closed", closing_date=TODAY - relativedelta(months=3)
    )
    rejected = _application(old_vacancy, "rejected")
    withdrawn = _application(old_vacancy, "withdrawn", cv=False)
    hired = _application(old_vacancy, "hired")
    invited = _application(old_vacancy, "rejected", cv=False)
    PoolInvitation.objects.create(
        profile=make_pool_profile(invited.candidate), vacancy=old_vacancy, organisation=org_a
    )
    not_yet_due = _application(recent_vacancy, "rejected")

    campaign = make_campaign(org_a)
    armley = make_neighbourhood()
    long_ago = NOW - relativedelta(months=14)
    lapsed = make_resident(
        name="Lapsed Person", email="lapsed@example.org", consent=False, neighbourhood=armley
    )
    lapsed.phone, lapsed.postcode = "07700 900123", "LS12 3AB"
    lapsed.save()
    make_engagement(
        campaign,
        lapsed,
        engaged_on=long_ago.date(),
        application=rejected,
        applied_on=long_ago.date(),
        notes="Lives with her mum on Town Street",
    )
    withdrew = make_resident(name="Withdrew Consent", email="withdrew@example.org")
    ContactConsent.objects.filter(resident=withdrew).update(withdrawn_at=long_ago)
    make_engagement(campaign, withdrew, engaged_on=long_ago.date())
    consenting = make_resident(name="Still Consenting", email="yes@example.org")
    make_engagement(campaign, consenting, engaged_on=long_ago.date())
    recent = make_resident(name="Recent Booker", email="recent@example.org", consent=False)
    make_engagement(campaign, recent, engaged_on=long_ago.date())
    make_booking(make_event(campaign, days_ahead=-20), recent, attended=True)
    # Every record's own dates are as old as the journey, bar the recent booking.
    Resident.objects.update(updated_at=long_ago)
    Engagement.objects.update(updated_at=long_ago)
    return {
        "rejected": rejected,
        "withdrawn": withdrawn,
        "hired": hired,
        "invited": invited,
        "not_yet_due": not_yet_due,
        "campaign": campaign,
        "lapsed": lapsed,
        "withdrew": withdrew,
        "consenting": consenting,
        "recent": recent,
    }


def _report_figures(organisation, campaign) -> dict:
    """What the dashboards show, as the report selectors compute it."""
    return {
        "by_stage_and_source": list(
            Application.objects.values(
                "vacancy_id", "stage", "source", "campaign_code", "fair_route"
            )
            .annotate(n=Count("pk"))
            .order_by("vacancy_id", "stage", "source")
        ),
        "rejection_reasons": list(
            Application.objects.values("rejection_reason")
            .annotate(n=Count("pk"))
            .order_by("rejection_reason")
        ),
        "monitoring": list(
            EqualityMonitoring.objects.values("application__stage", "age_band", "sex")
            .annotate(n=Count("pk"))
            .order_by("application__stage", "age_band")
        ),
        # Less the targets, an unsaved defaults object that only equals itself.
        "time_to_hire": {
            key: value
            for key, value in organisation_time_to_hire(organisation).items()
            if key != "targets"
        },
        "mobility": mobility_reports.city_report(),
        "funnel": funnel_for_campaigns([campaign.pk]),
        "residents_by_neighbourhood": list(
            Resident.objects.values("neighbourhood_id")
            .annotate(n=Count("pk"))
            .order_by("neighbourhood_id")
        ),
    }


def test_unsuccessful_applications_past_their_period_lose_personal_data(
    scene, django_capture_on_commit_callbacks
):
    rejected = scene["rejected"]
    cv_name = rejected.cv.name
    assert private_storage().exists(cv_name)

    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_apply(today=TODAY)

    assert counts["applications"] == 3  # rejected, withdrawn and the pool-invited one
    rejected.refresh_from_db()
    for field in (
        "full_name",
        "email",
        "phone",
        "address",
        "postcode",
        "supporting_statement",
        "cv",
        "cv_filename",
        "reasonable_adjustments",
        "duplicate_key",
    ):
        assert not getattr(rejected, field), field
    assert rejected.candidate is None
    assert rejected.anonymised_at == NOW
    assert not private_storage().exists(cv_name)
    assert not ApplicationAnswer.objects.filter(application=rejected).exists()
    assert not ApplicationNote.objects.filter(application=rejected).exists()
    # What reports count is kept.
    assert (rejected.stage, rejected.source, rejected.campaign_code, rejected.fair_route) == (
        "rejected",
        "campaign",
        "CAMP1",
        "care_leaver",
    )
    assert rejected.rejection_reason == "others_stronger"
    assert rejected.history.count() == 3
    assert EqualityMonitoring.objects.filter(application=rejected).exists()
    scene["withdrawn"].refresh_from_db()
    assert scene["withdrawn"].full_name == "" and scene["withdrawn"].anonymised_at == NOW


def test_a_pool_invited_applicant_keeps_only_the_link_the_invitation_report_counts(scene):
    invited = scene["invited"]
    candidate = invited.candidate

    retention_apply(today=TODAY)

    invited.refresh_from_db()
    assert invited.full_name == "" and invited.phone == ""
    assert invited.candidate == candidate


def test_applications_not_yet_due_or_successful_are_untouched(scene):
    before = {
        key: Application.objects.values().get(pk=scene[key].pk) for key in ("hired", "not_yet_due")
    }

    retention_apply(today=TODAY)

    for key, row in before.items():
        assert Application.objects.values().get(pk=scene[key].pk) == row, key
    assert private_storage().exists(scene["not_yet_due"].cv.name)
    assert ApplicationNote.objects.filter(application=scene["not_yet_due"]).exists()


def test_residents_without_consent_are_anonymised_after_their_period(scene):
    counts = retention_apply(today=TODAY)

    assert counts["residents"] == 2  # never consented, and consent withdrawn
    for key in ("lapsed", "withdrew"):
        resident = Resident.objects.get(pk=scene[key].pk)
        assert resident.name == ANONYMISED_RESIDENT_NAME
        assert (resident.email, resident.phone, resident.postcode) == ("", "", "")
        assert resident.user is None and resident.anonymised_at == NOW
    lapsed = Resident.objects.get(pk=scene["lapsed"].pk)
    assert lapsed.neighbourhood is not None
    journey = Engagement.objects.get(resident=lapsed)
    assert journey.notes == "" and journey.application_id == scene["rejected"].pk


def test_residents_with_consent_or_recent_engagement_are_untouched(scene):
    retention_apply(today=TODAY)

    assert Resident.objects.get(pk=scene["consenting"].pk).name == "Still Consenting"
    recent = Resident.objects.get(pk=scene["recent"].pk)
    assert (recent.name, recent.email, recent.anonymised_at) == (
        "Recent Booker",
        "recent@example.org",
        None,
    )


def test_report_figures_are_the_same_after_retention(scene, org_a):
    before = _report_figures(org_a, scene["campaign"])
    assert before["funnel"][scene["campaign"].pk].applied == 1
    assert before["mobility"]["invitations"]["total"]["applied"] == 1

    retention_apply(today=TODAY)

    assert _report_figures(org_a, scene["campaign"]) == before


def test_each_run_is_audited_and_a_second_run_changes_nothing(scene):
    first = tasks.apply_retention.delay().get()
    rows = list(Application.objects.order_by("pk").values())
    residents = list(Resident.objects.order_by("pk").values())

    second = retention_apply(today=TODAY)

    assert first == {"applications": 3, "residents": 2}
    assert second == {"applications": 0, "residents": 0}
    assert list(Application.objects.order_by("pk").values()) == rows
    assert list(Resident.objects.order_by("pk").values()) == residents
    events = list(
        AuditEvent.objects.filter(action="retention.applied").order_by("created_at", "pk")
    )
    assert [event.data["applications"] for event in events] == [3, 0]
    assert [event.data["residents"] for event in events] == [2, 0]


def test_the_periods_come_from_settings(scene, settings):
    settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS = 2
    settings.RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS = 24

    counts = retention_apply(today=TODAY)

    assert counts == {"applications": 4, "residents": 0}
    scene["not_yet_due"].refresh_from_db()
    assert scene["not_yet_due"].anonymised_at == NOW
