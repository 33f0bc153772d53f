"""Retention of campaign residents: personal data of residents without consent goes once
its period is over, and every report figure stays the same, checked across the apps with
both nightly retention jobs run (campaigns may use talent; the funnel counts applications)."""

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db.models import Count

from campaigns import tasks
from campaigns.models import ContactConsent, Engagement, Resident
from campaigns.selectors.funnel import funnel_for_campaigns
from campaigns.services.retention import (
    ANONYMISED_RESIDENT_NAME,
    AUDIT_ACTION,
    residents_anonymise,
)
from hub.models import AuditEvent
from hub.report_tables import ORGANISATION, REGISTRY
from talent.services.retention import applications_anonymise
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_neighbourhood,
    make_resident,
)
from tests.talent.retention_builders import (
    NOW,
    TODAY,
    make_application_scene,
    talent_report_figures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    """Time stands still, so figures measured against `now` compare exactly."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene(org_a, admin_a):
    """The applications of tests/talent/retention_builders.py, and campaign residents
    with and without consent, one of whom applied (an application due for retention)."""
    scene = make_application_scene(org_a)
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
        application=scene["rejected"],
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
        **scene,
        "campaign": campaign,
        "lapsed": lapsed,
        "withdrew": withdrew,
        "consenting": consenting,
        "recent": recent,
    }


def _report_figures(organisation, campaign) -> dict:
    """What the dashboards show, as the report selectors compute it."""
    return {
        **talent_report_figures(organisation),
        "funnel": funnel_for_campaigns([campaign.pk]),
        "residents_by_neighbourhood": list(
            Resident.objects.values("neighbourhood_id")
            .annotate(n=Count("pk"))
            .order_by("neighbourhood_id")
        ),
        # Every report table the dashboards, exports and monthly report show.
        "tables": {
            key: table.build(organisation if table.scope == ORGANISATION else None)
            for key, table in REGISTRY.items()
        },
    }


def test_residents_without_consent_are_anonymised_after_their_period(scene):
    count = residents_anonymise(today=TODAY)

    assert count == 2  # never consented, and consent withdrawn
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
    residents_anonymise(today=TODAY)

    assert Resident.objects.get(pk=scene["consenting"].pk).name == "Still Consenting"
    recent = Resident.objects.get(pk=scene["recent"].pk)
    assert (recent.name, recent.email, recent.anonymised_at) == (
        "Recent Booker",
        "recent@example.org",
        None,
    )


def test_report_figures_are_the_same_after_both_retention_jobs(scene, org_a):
    before = _report_figures(org_a, scene["campaign"])
    assert before["funnel"][scene["campaign"].pk].applied == 1
    # Applications from Armley (decile 1) are counted there, anonymised or not.
    by_decile = {row[0]: row[1] for row in before["tables"]["city.hires_by_imd_decile"].rows}
    assert by_decile["1 (most deprived)"] not in (0, "0")
    assert before["mobility"]["invitations"]["total"]["applied"] == 1

    # In the order beat runs them (02:30, then 02:40).
    assert applications_anonymise(today=TODAY) == 3
    assert residents_anonymise(today=TODAY) == 2

    assert _report_figures(org_a, scene["campaign"]) == before


def test_each_run_is_audited_and_a_second_run_changes_nothing(scene, settings):
    first = tasks.anonymise_residents_without_consent.delay().get()
    residents = list(Resident.objects.order_by("pk").values())
    journeys = list(Engagement.objects.order_by("pk").values())

    second = residents_anonymise(today=TODAY)

    assert (first, second) == (2, 0)
    assert list(Resident.objects.order_by("pk").values()) == residents
    assert list(Engagement.objects.order_by("pk").values()) == journeys
    events = list(AuditEvent.objects.filter(action=AUDIT_ACTION).order_by("created_at", "pk"))
    assert [event.data["residents"] for event in events] == [2, 0]
    assert {event.data["resident_months"] for event in events} == {
        settings.RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS
    }


def test_the_period_comes_from_settings(scene, settings):
    settings.RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS = 24

    assert residents_anonymise(today=TODAY) == 0
    assert not Resident.objects.filter(anonymised_at__isnull=False).exists()
