"""Mobility reports against figures counted by hand from generated records: secondments
active and completed per organisation as home and as host, the talent pool's size, and
invitations from the pool then applications then hires, for one organisation and for the
city (hub admins only)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.models import Membership
from talent.models import PoolInvitation, SecondmentAgreement, TalentPoolProfile
from talent.selectors.mobility_reports import city_report, organisation_report
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
)
from tests.talent.mobility_builders import make_agreement, make_pool_profile

Status = SecondmentAgreement.Status
AFTER_REJECTION = TalentPoolProfile.Joined.AFTER_REJECTION
SECONDMENT_KEYS = ("out_active", "out_completed", "in_active", "in_completed")


@pytest.fixture
def org_c(db):
    return OrganisationFactory(name="Leeds Community Healthcare", slug="lch")


@pytest.fixture
def records(org_a, org_b, org_c):
    """Secondments: A to B active twice and proposed once, A to C completed, B to A
    active, C to A completed twice, B to C cancelled, and a fourth partner home to one
    approved by itself only (none of the last three count).

    The pool: three in it (two joined after a rejection), two who left (one had joined
    after a rejection), one who never consented.

    Invitations: A invited p1 to A1 (applied, hired), p2 to A1 (applied), p3 to A2 (a
    draft only) and p1 to A2 (nothing); B invited p2 to B1 (applied, rejected); p3
    applied to B1 uninvited."""
    for home, host, status, times in (
        (org_a, org_b, Status.ACTIVE, 2),
        (org_a, org_b, Status.PROPOSED, 1),
        (org_a, org_c, Status.COMPLETED, 1),
        (org_b, org_a, Status.ACTIVE, 1),
        (org_c, org_a, Status.COMPLETED, 2),
        (org_b, org_c, Status.CANCELLED, 1),
        (OrganisationFactory(name="Forum Central"), org_a, Status.HOME_APPROVED, 1),
    ):
        for _ in range(times):
            make_agreement(home, host, status=status)

    p1 = make_pool_profile()
    p2 = make_pool_profile(joined=AFTER_REJECTION)
    p3 = make_pool_profile(joined=AFTER_REJECTION)
    make_pool_profile(consent_withdrawn_at=timezone.now())
    make_pool_profile(joined=AFTER_REJECTION, consent_withdrawn_at=timezone.now())
    make_pool_profile(in_pool=False)

    a1 = VacancyFactory(organisation=org_a, title="Bank healthcare assistant")
    a2 = VacancyFactory(organisation=org_a, title="Porter")
    b1 = VacancyFactory(organisation=org_b, title="Care worker")
    for profile, vacancy, organisation in (
        (p1, a1, org_a),
        (p2, a1, org_a),
        (p3, a2, org_a),
        (p1, a2, org_a),
        (p2, b1, org_b),
    ):
        PoolInvitation.objects.create(profile=profile, vacancy=vacancy, organisation=organisation)
    for profile, vacancy, stage in (
        (p1, a1, "hired"),
        (p2, a1, "screening"),
        (p3, a2, "draft"),
        (p2, b1, "rejected"),
        (p3, b1, "submitted"),
    ):
        ApplicationFactory(vacancy=vacancy, candidate=profile.user, stage=stage)


def _secondments(row) -> tuple:
    return tuple(row[key] for key in SECONDMENT_KEYS)


def _funnel(row) -> tuple:
    return (row["sent"], row["applied"], row["applied_rate"], row["hired"], row["hired_rate"])


POOL = {"in_pool": 3, "after_rejection": 3, "left": 2}


def test_an_organisations_secondments_as_home_and_as_host(records, org_a, org_b, org_c):
    assert [_secondments(row) for row in organisation_report(org_a)["secondments"]] == [
        (2, 1, 1, 2)
    ]
    assert [_secondments(row) for row in organisation_report(org_b)["secondments"]] == [
        (1, 0, 2, 0)
    ]
    assert [_secondments(row) for row in organisation_report(org_c)["secondments"]] == [
        (0, 2, 0, 1)
    ]


def test_an_organisations_invitations_then_applications_then_hires(records, org_a, org_b):
    invitations = organisation_report(org_a)["invitations"]
    assert _funnel(invitations["total"]) == (4, 2, 50, 1, 50)
    assert [(row["label"], *_funnel(row)) for row in invitations["by_vacancy"]] == [
        ("Bank healthcare assistant", 2, 2, 100, 1, 50),
        ("Porter", 2, 0, 0, 0, None),
    ]
    assert _funnel(organisation_report(org_b)["invitations"]["total"]) == (1, 1, 100, 0, 0)


def test_the_pool_is_counted_in_it_after_a_rejection_and_left(records, org_a):
    assert organisation_report(org_a)["pool"] == POOL
    assert city_report()["pool"] == POOL


def test_the_city_report_counts_every_organisations_figures(records):
    report = city_report()
    secondments = report["secondments"]
    assert secondments["total"] == {"active": 3, "completed": 3}
    assert [(row["name"], *_secondments(row)) for row in secondments["by_organisation"]] == [
        ("Leeds City Council", 1, 0, 2, 0),
        ("Leeds Community Healthcare", 0, 2, 0, 1),
        ("Leeds Teaching Hospitals NHS Trust", 2, 1, 1, 2),
    ]
    invitations = report["invitations"]
    assert _funnel(invitations["total"]) == (5, 3, 60, 1, 33)
    assert [(row["label"], *_funnel(row)) for row in invitations["by_organisation"]] == [
        ("Leeds City Council", 1, 1, 100, 0, 0),
        ("Leeds Teaching Hospitals NHS Trust", 4, 2, 50, 1, 50),
    ]


def test_with_nothing_recorded_the_reports_say_so(client_as, org_a, staff_a):
    url = reverse("mobility_reports:reports", kwargs={"org_slug": org_a.slug})
    page = client_as(staff_a).get(url)
    assert "No invitations sent yet" in page.text
    assert _funnel(page.context["report"]["invitations"]["total"]) == (0, 0, None, 0, None)


# --- The pages ------------------------------------------------------------------------------


def test_the_organisation_page_shows_its_figures_in_captioned_tables(
    records, client_as, org_a, staff_a, django_assert_max_num_queries
):
    url = reverse("mobility_reports:reports", kwargs={"org_slug": org_a.slug})
    client = client_as(staff_a)
    client.get(url)  # the first visit records the acting organisation in the session
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert "Secondments of Leeds Teaching Hospitals NHS Trust</caption>" in page.text
    assert "Invitations from the pool by vacancy, Leeds Teaching Hospitals NHS Trust" in (page.text)
    assert "2 (50% of those invited)" in page.text


def test_outreach_workers_do_not_see_the_reports(client_as, org_a):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    url = reverse("mobility_reports:reports", kwargs={"org_slug": org_a.slug})
    assert client_as(outreach).get(url).status_code == 403


def test_hub_admins_see_the_city_report(records, client_as, django_assert_max_num_queries):
    hub_admin = UserFactory(is_staff=True, totp=True)
    client = client_as(hub_admin)
    client.get(reverse("mobility_hub:reports"))  # the first visit writes the session
    with django_assert_max_num_queries(10):
        page = client.get(reverse("mobility_hub:reports"))
    assert page.status_code == 200
    assert "Secondments per organisation, as home and as host</caption>" in page.text
    assert "Invitations from the pool per organisation</caption>" in page.text


def test_the_city_report_is_not_found_for_anyone_else_and_asks_strangers_to_sign_in(
    client, client_as, admin_a
):
    url = reverse("mobility_hub:reports")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client_as(admin_a).get(url).status_code == 404
