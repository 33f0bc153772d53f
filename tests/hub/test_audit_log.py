"""The audit log (issue 9): every staff view of a person's record and every status change
is written down, the database refuses to change or delete what is written, and an
organisation's admins read their organisation's events (hub admins read everyone's)."""

import datetime

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Resident
from hub import services
from hub.models import AuditEvent, Membership, User
from portability.models import StaffOffer
from talent.models import Application, RotationParticipant
from tests.access_objects import objects_of_a as build_objects_of_a
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def hub_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, totp=True)


def _event(organisation, *, actor=None, action="vacancy.published", summary="Did it", **fields):
    return AuditEvent.objects.create(
        organisation=organisation, actor=actor, action=action, summary=summary, **fields
    )


def _local(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Coverage: staff views of a person's record ----------------------------------------------

# Each staff page showing a person's record (or a list of people), its path arguments by
# the record of tests/access_objects.py that fills them, and the event one GET writes.
RECORD_PAGES = [
    ("vacancies:application_detail", {"application_id": "application_id"}, "application.viewed"),
    ("vacancies:application_cv", {"application_id": "application_id"}, "application.cv_downloaded"),
    ("vacancies:vacancy_applications", {"pk": "vacancy_id"}, "application.list_viewed"),
    ("pipeline:vacancy_pipeline", {"pk": "vacancy_id"}, "application.list_viewed"),
    ("pipeline:vacancy_pipeline_csv", {"pk": "vacancy_id"}, "application.exported"),
    ("interviews:slot_detail", {"slot_id": "slot_id"}, "interview_slot.bookings_viewed"),
    ("interviews:book", {"application_id": "application_id"}, "interview.viewed"),
    ("interviews:trial_requests", {}, "trial_shift.list_viewed"),
    ("interviews:trial_request", {"trial_request_id": "trial_request_id"}, "trial_shift.viewed"),
    ("offers:offer_conditional", {"application_id": "application_id"}, "offer.viewed"),
    (
        "offers:check_record",
        {"application_id": "application_id", "kind": "kind"},
        "offer.viewed",
    ),
    ("offers:offer_unconditional", {"application_id": "application_id"}, "offer.viewed"),
    ("offers:application_hire", {"application_id": "application_id"}, "offer.viewed"),
    ("pool:profile", {"profile_id": "profile_id"}, "talent_pool.profile_viewed"),
    (
        "secondments:agreement_detail",
        {"agreement_id": "agreement_id"},
        "secondment_agreement.viewed",
    ),
    ("secondments:interest_release", {"interest_id": "interest_id"}, "secondment_interest.viewed"),
    (
        "rotations:participant_edit",
        {"scheme_id": "scheme_id", "participant_id": "participant_id"},
        "rotation.participant_viewed",
    ),
    ("deployments:deployment_detail", {"deployment_id": "deployment_id"}, "deployment.viewed"),
    ("deployments:deployment_checks", {"deployment_id": "deployment_id"}, "deployment.viewed"),
    ("deployments:deployment_start", {"deployment_id": "deployment_id"}, "deployment.viewed"),
    ("deployments:deployment_return", {"deployment_id": "deployment_id"}, "deployment.viewed"),
    ("campaigns:resident_list", {"campaign_id": "campaign_id"}, "resident.list_viewed"),
    (
        "campaigns:journey",
        {"campaign_id": "campaign_id", "engagement_id": "engagement_id"},
        "resident.viewed",
    ),
    ("campaign_events:event_detail", {"event_id": "event_id"}, "event.bookings_viewed"),
]


@pytest.fixture
def objects_of_a(org_a, admin_a):
    return build_objects_of_a(org_a, admin_a)


def _people_named_in_the_database() -> set[str]:
    """Every name and email address of a person the records hold."""
    people = set()
    for model, fields in (
        (User, ("name", "email")),
        (Application, ("full_name", "email")),
        (Resident, ("name", "email")),
        (RotationParticipant, ("name", "email")),
        (StaffOffer, ("staff_name", "staff_email")),
    ):
        for row in model.objects.values_list(*fields):
            people.update(value for value in row if value)
    return people


@pytest.mark.parametrize(
    "name, arguments, action", RECORD_PAGES, ids=[page[0] for page in RECORD_PAGES]
)
def test_each_staff_view_of_a_persons_record_writes_one_event_for_the_acting_organisation(
    name, arguments, action, client_as, org_a, admin_a, objects_of_a
):
    kwargs = {"org_slug": org_a.slug} | {
        argument: objects_of_a[key] for argument, key in arguments.items()
    }
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client_as(admin_a).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    written = AuditEvent.objects.exclude(pk__in=before)
    assert [(event.action, event.organisation, event.actor) for event in written] == [
        (action, org_a, admin_a)
    ]
    summary = written.get().summary
    assert not [person for person in _people_named_in_the_database() if person in summary]


def test_a_view_names_the_record_it_showed(client_as, org_a, admin_a, objects_of_a):
    url = reverse(
        "deployments:deployment_detail",
        kwargs={"org_slug": org_a.slug, "deployment_id": objects_of_a["deployment_id"]},
    )
    client_as(admin_a).get(url)
    event = AuditEvent.objects.get(action="deployment.viewed")
    assert (event.object_type, event.object_id) == (
        "portability.deployment",
        str(objects_of_a["deployment_id"]),
    )
    assert event.data == {"page": "detail"}


# --- Summaries carry no personal data -----------------------------------------------------


def test_summaries_of_membership_and_invitation_changes_name_no_one(org_a, admin_a):
    person = UserFactory(name="Grace Hopper", email="grace@example.org")
    membership = services.membership_create(
        organisation=org_a, user=person, role=Membership.Role.STAFF, actor=admin_a
    )
    services.membership_change_role(
        membership=membership, role=Membership.Role.OUTREACH, actor=admin_a
    )
    services.membership_remove(membership=membership, actor=admin_a)
    invitation = services.invitation_create(
        organisation=org_a, email="ada@example.org", role="staff", invited_by=admin_a
    )
    services.invitation_revoke(invitation=invitation, actor=admin_a)
    summaries = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    for personal in ("Grace", "grace@example.org", "ada@example.org", admin_a.email):
        assert personal not in summaries
    assert AuditEvent.objects.get(action="membership.removed").data == {"user_id": person.pk}


# --- Append-only --------------------------------------------------------------------------


def _refused(statement):
    """Run `statement` in a savepoint and expect the database to refuse it."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def _sql(*statements):
    def run():
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(org_a, admin_a):
    event = _event(org_a, actor=admin_a, summary="original")

    def edit():
        event.summary = "rewritten"
        event.save()

    _refused(edit)
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="x.y"))
    _refused(event.delete)
    _refused(AuditEvent.objects.all().delete)
    event.refresh_from_db()
    assert (event.summary, event.action) == ("original", "vacancy.published")


def test_an_event_cannot_be_changed_deleted_or_truncated_in_sql(org_a, admin_a):
    event = _event(org_a, actor=admin_a, summary="original")
    _refused(_sql(f"UPDATE hub_auditevent SET summary = 'rewritten' WHERE id = {event.pk}"))
    _refused(_sql(f"UPDATE hub_auditevent SET created_at = now() WHERE id = {event.pk}"))
    _refused(_sql(f"DELETE FROM hub_auditevent WHERE id = {event.pk}"))
    # The test suite's connections may truncate (to flush between tests); others may not,
    # not even by cascading from the people and organisations the events name.
    # (Foreign keys checked at commit would block TRUNCATE in the test's transaction.)
    no_truncating = ("SET CONSTRAINTS ALL IMMEDIATE", "SET LOCAL hub.audit_log_truncate = 'no'")
    _refused(_sql(*no_truncating, "TRUNCATE hub_auditevent"))
    _refused(_sql(*no_truncating, "TRUNCATE hub_user CASCADE"))
    assert AuditEvent.objects.get().summary == "original"


def test_unlinking_is_the_only_change_allowed_and_only_to_null(org_a, org_b, admin_a, member_b):
    event = _event(org_a, actor=admin_a)
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(actor=member_b))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(organisation=org_b))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(actor=None, summary="rewritten"))
    AuditEvent.objects.filter(pk=event.pk).update(actor=None)
    event.refresh_from_db()
    assert event.actor is None and event.summary == "Did it"


def test_deleting_a_person_or_an_organisation_keeps_their_events_unlinked(db):
    person = UserFactory()
    organisation = OrganisationFactory()
    event = _event(organisation, actor=person, summary="Viewed an application")
    person.delete()
    organisation.delete()
    event.refresh_from_db()
    assert (event.actor, event.organisation, event.summary) == (None, None, "Viewed an application")


def test_the_admin_offers_no_way_to_add_change_or_delete_events(hub_admin):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/hub/auditevent/")
    request.user = hub_admin
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


# --- The organisation's audit log ------------------------------------------------------------


def _log(organisation, **params):
    return reverse("hub:audit_log", kwargs={"org_slug": organisation.slug}), params


def test_an_admin_reads_their_organisations_events_newest_first_and_no_one_elses(
    client_as, org_a, org_b, admin_a, staff_a
):
    today = timezone.localdate()
    _event(org_a, actor=staff_a, summary="Older of A", created_at=_local(today, 9))
    _event(org_a, actor=staff_a, summary="Newer of A", created_at=_local(today, 10))
    _event(org_b, summary="Secret of B")
    _event(None, summary="Nobody's")
    url, _ = _log(org_a)
    response = client_as(admin_a).get(url)
    assert response.status_code == 200
    assert [event.summary for event in response.context["page"]] == ["Newer of A", "Older of A"]
    text = response.text
    assert "Secret of B" not in text and "Nobody's" not in text
    assert text.index("Newer of A") < text.index("Older of A")


def test_staff_without_the_capability_get_403_and_other_organisations_404(
    client_as, client, org_a, staff_a, member_b
):
    url, _ = _log(org_a)
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(staff_a).get(url).status_code == 403
    assert client_as(outreach).get(url).status_code == 403
    assert client_as(member_b).get(url).status_code == 404
    assert client_as(UserFactory()).get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_reading_the_audit_log_is_not_itself_audited(client_as, org_a, admin_a):
    _event(org_a, actor=admin_a)
    url, _ = _log(org_a)
    client_as(admin_a).get(url)
    assert AuditEvent.objects.count() == 1


def test_events_filter_by_kind_person_and_dates(client_as, org_a, admin_a, staff_a):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    _event(org_a, actor=staff_a, action="application.viewed", summary="View by staff")
    _event(org_a, actor=admin_a, action="application.moved", summary="Move by admin")
    _event(org_a, actor=admin_a, action="vacancy.closed", summary="Close by admin")
    _event(
        org_a,
        actor=admin_a,
        action="deployment.viewed",
        summary="Yesterday's view",
        created_at=_local(yesterday, 23),
    )
    client = client_as(admin_a)
    url, _ = _log(org_a)

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        assert not response.context["filters"].errors
        return {event.summary for event in response.context["page"]}

    assert shown(kind="views") == {"View by staff", "Yesterday's view"}
    assert shown(kind="applications") == {"View by staff", "Move by admin"}
    assert shown(person=staff_a.pk) == {"View by staff"}
    assert shown(kind="applications", person=admin_a.pk) == {"Move by admin"}
    assert shown(date_from=yesterday.isoformat(), date_to=yesterday.isoformat()) == {
        "Yesterday's view"
    }
    assert "Yesterday's view" not in shown(date_from=today.strftime("%d/%m/%Y"))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2026-13-45"}, "Enter a real start date, like 27/03/2026"),
        ({"date_to": "yesterday"}, "Enter a real end date, like 27/03/2026"),
        (
            {"date_from": "2026-03-02", "date_to": "2026-03-01"},
            "The end date must be the same as or after the start date",
        ),
        ({"kind": "nonsense"}, "Choose a kind of event from the list"),
        ({"person": "not-a-number"}, "Choose a person from the list"),
        ({"page": "last-but-one"}, None),
    ],
)
def test_bad_filters_are_form_errors_never_a_server_error(
    params, message, client_as, org_a, admin_a
):
    _event(org_a, actor=admin_a, summary="Still listed")
    url, _ = _log(org_a)
    response = client_as(admin_a).get(url, params)
    assert response.status_code == 200
    if message:
        assert message in response.text
        assert response.text.count(message) >= 2  # in the error summary and by the field


def test_a_person_from_another_organisation_cannot_be_chosen(
    client_as, org_a, org_b, admin_a, member_b
):
    _event(org_a, actor=member_b, summary="By an outsider, somehow")
    url, _ = _log(org_a)
    response = client_as(admin_a).get(url, {"person": member_b.pk})
    assert "Choose a person from the list" in response.text
    assert member_b.email not in response.context["filters"]["person"].as_widget()


def test_the_log_is_paginated_and_the_pages_keep_the_filters(client_as, org_a, admin_a):
    AuditEvent.objects.bulk_create(
        AuditEvent(organisation=org_a, actor=admin_a, action="vacancy.closed", summary=f"E{n}")
        for n in range(51)
    )
    url, _ = _log(org_a)
    response = client_as(admin_a).get(url, {"kind": "vacancies"})
    assert len(response.context["page"].object_list) == 50
    assert response.context["next_url"] == "?kind=vacancies&page=2"
    second = client_as(admin_a).get(url + response.context["next_url"])
    assert len(second.context["page"].object_list) == 1


def test_the_log_runs_a_fixed_number_of_queries(
    client_as, org_a, admin_a, staff_a, django_assert_max_num_queries
):
    def add(how_many):
        AuditEvent.objects.bulk_create(
            AuditEvent(organisation=org_a, actor=actor, action="application.viewed", summary="V")
            for _ in range(how_many)
            for actor in (admin_a, staff_a, MembershipFactory(organisation=org_a).user)
        )

    client = client_as(admin_a)
    url, _ = _log(org_a)
    add(1)
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url, {"kind": "views", "person": staff_a.pk})
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"kind": "views", "person": staff_a.pk})
    assert len(response.context["page"].object_list) == 16


def test_the_organisation_dashboard_links_to_the_log_for_admins_only(
    client_as, org_a, admin_a, staff_a
):
    dashboard = reverse("hub:organisation_dashboard", kwargs={"org_slug": org_a.slug})
    url, _ = _log(org_a)
    assert url in client_as(admin_a).get(dashboard).text
    assert url not in client_as(staff_a).get(dashboard).text


# --- The hub admins' audit log -----------------------------------------------------------------


def test_hub_admins_read_every_event_and_filter_by_organisation_and_email(
    client_as, org_a, org_b, admin_a, member_b, hub_admin
):
    _event(org_a, actor=admin_a, summary="Of A")
    _event(org_b, actor=member_b, summary="Of B")
    _event(None, summary="Of the portal")
    client = client_as(hub_admin)
    url = reverse("hub:city_audit_log")

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {event.summary for event in response.context["page"]}

    assert shown() == {"Of A", "Of B", "Of the portal"}
    assert shown(organisation=org_b.slug) == {"Of B"}
    assert shown(email=admin_a.email.upper()) == {"Of A"}
    response = client.get(url, {"organisation": "nowhere"})
    assert "Choose an organisation from the list" in response.text


def test_the_hub_admins_log_does_not_exist_for_anyone_else(
    client_as, client, admin_a, staff_a, member_b
):
    url = reverse("hub:city_audit_log")
    for person in (admin_a, staff_a, member_b, UserFactory()):
        assert client_as(person).get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_hub_admins_log_runs_a_fixed_number_of_queries(
    client_as, org_a, org_b, admin_a, hub_admin, django_assert_max_num_queries
):
    def add(how_many):
        AuditEvent.objects.bulk_create(
            AuditEvent(
                organisation=organisation, actor=admin_a, action="vacancy.closed", summary="C"
            )
            for _ in range(how_many)
            for organisation in (org_a, org_b, OrganisationFactory())
        )

    client = client_as(hub_admin)
    url = reverse("hub:city_audit_log")
    add(1)
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url, {"organisation": org_a.slug})
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"organisation": org_a.slug})
    assert len(response.context["page"].object_list) == 16
