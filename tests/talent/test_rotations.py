"""Rotation schemes: where each participant is now and next (the date arithmetic), the
placements and their rules, participants, lead-only changes, what host partners see,
tenancy and query counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent, Membership
from talent.models import RotationParticipant, RotationPlacement, RotationScheme
from talent.selectors.rotations import Where, participant_timetable, scheme_timetable, where_now
from talent.services.rotations import (
    PlacementPlan,
    rotation_participant_update,
    rotation_placements_save,
)
from tests.factories import MembershipFactory, OrganisationFactory
from tests.talent.mobility_builders import make_participant, make_scheme

Status = RotationParticipant.Status
MONDAY = datetime.date(2026, 1, 5)


def _days(n):
    return datetime.timedelta(days=n)


def _weeks(n):
    return datetime.timedelta(weeks=n)


# --- Who is where: the arithmetic, without the database ------------------------------------


def _placements(*weeks):
    """Unsaved placements 1, 2, 3... lasting these weeks."""
    return [
        RotationPlacement(position=n, service=f"Placement {n}", weeks=w)
        for n, w in enumerate(weeks, start=1)
    ]


def _person(starts_on=MONDAY, first_position=1, status=Status.ON_SCHEME, left_on=None):
    return RotationParticipant(
        name="Priya Shah",
        starts_on=starts_on,
        first_position=first_position,
        status=status,
        left_on=left_on,
    )


def _services(stint):
    return stint.placement.service if stint else None


def test_before_they_start_a_participant_has_not_started_and_goes_to_their_first_placement():
    placements = _placements(16, 16, 8)
    where = where_now(_person(first_position=2), placements, today=MONDAY - _days(1))
    assert where.state == Where.NOT_STARTED
    assert where.now is None
    assert _services(where.next) == "Placement 2"
    assert where.next.starts_on == MONDAY


def test_from_their_first_day_they_are_at_their_first_placement_until_its_last_day():
    placements = _placements(16, 16, 8)
    where = where_now(_person(), placements, today=MONDAY)
    assert where.state == Where.ON_PLACEMENT
    assert _services(where.now) == "Placement 1"
    assert where.now.ends_on == MONDAY + _weeks(16) - _days(1)
    assert _services(where.next) == "Placement 2"
    assert where.next.starts_on == MONDAY + _weeks(16)


def test_they_stay_on_the_last_day_of_a_placement_and_move_the_day_after():
    placements = _placements(16, 16, 8)
    last_day = MONDAY + _weeks(16) - _days(1)
    assert _services(where_now(_person(), placements, today=last_day).now) == "Placement 1"
    moved = where_now(_person(), placements, today=last_day + _days(1))
    assert _services(moved.now) == "Placement 2"
    assert _services(moved.next) == "Placement 3"


def test_starting_part_way_round_they_wrap_back_to_the_first_placement():
    placements = _placements(16, 16, 8)
    person = _person(first_position=3)
    # Placement 3 lasts 8 weeks; then placement 1, then placement 2.
    at_third = where_now(person, placements, today=MONDAY + _weeks(7))
    assert (_services(at_third.now), _services(at_third.next)) == ("Placement 3", "Placement 1")
    assert at_third.next.starts_on == MONDAY + _weeks(8)
    at_first = where_now(person, placements, today=MONDAY + _weeks(8))
    assert (_services(at_first.now), _services(at_first.next)) == ("Placement 1", "Placement 2")
    assert at_first.next.starts_on == MONDAY + _weeks(24)


def test_at_their_last_placement_nothing_is_next_and_they_finish_on_its_last_day():
    placements = _placements(16, 16, 8)
    # Placement 2 for 16 weeks, 3 for 8, then 1 for 16: the last from week 24 to 40.
    where = where_now(_person(first_position=2), placements, today=MONDAY + _weeks(30))
    assert _services(where.now) == "Placement 1"
    assert where.next is None
    assert where.finishes_on == MONDAY + _weeks(40) - _days(1)


def test_after_their_last_placement_they_have_completed_the_scheme():
    placements = _placements(16, 16, 8)
    finished = MONDAY + _weeks(40) - _days(1)
    assert where_now(_person(), placements, today=finished).state == Where.ON_PLACEMENT
    after = where_now(_person(), placements, today=finished + _days(1))
    assert after.state == Where.COMPLETED
    assert (after.now, after.next, after.finishes_on) == (None, None, finished)


def test_someone_marked_as_completed_early_is_nowhere_on_the_timetable():
    where = where_now(
        _person(status=Status.COMPLETED), _placements(16, 16), today=MONDAY + _weeks(3)
    )
    assert (where.state, where.now, where.next) == (Where.COMPLETED, None, None)


def test_someone_who_left_the_scheme_is_nowhere_on_the_timetable():
    person = _person(status=Status.LEFT, left_on=MONDAY + _weeks(2))
    where = where_now(person, _placements(16, 16), today=MONDAY + _weeks(3))
    assert (where.state, where.now, where.next) == (Where.LEFT, None, None)


def test_a_first_position_no_placement_has_any_more_starts_them_at_the_first():
    stints = participant_timetable(_placements(4, 6), starts_on=MONDAY, first_position=7)
    assert [stint.placement.position for stint in stints] == [1, 2]


def test_placements_are_taken_in_the_order_of_their_positions_not_as_given():
    placements = list(reversed(_placements(4, 6, 8)))
    stints = participant_timetable(placements, starts_on=MONDAY, first_position=2)
    assert [(s.placement.position, s.starts_on) for s in stints] == [
        (2, MONDAY),
        (3, MONDAY + _weeks(6)),
        (1, MONDAY + _weeks(14)),
    ]


# --- The scheme's timetable -----------------------------------------------------------------


@pytest.fixture
def lch(db):
    return OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")


@pytest.fixture
def scheme(org_a, lch):
    return make_scheme(
        org_a,
        [(org_a, "Acute medical unit", 16), (lch, "Neighbourhood team", 16), (org_a, "Ward 5", 8)],
    )


def test_each_placement_shows_who_is_there_now_and_who_comes_next(
    scheme, django_assert_num_queries
):
    today = MONDAY + _weeks(20)
    make_participant(scheme, name="Amira Hussain", starts_on=MONDAY)  # at 2, then 3
    make_participant(scheme, name="Tom Fletcher", starts_on=MONDAY, first_position=2)  # at 3
    make_participant(scheme, name="Grace Okafor", starts_on=today + _days(10))  # starts at 1
    make_participant(scheme, name="Old Hand", starts_on=MONDAY - _weeks(60))  # completed

    with django_assert_num_queries(2):  # the placements and the participants
        timetable = scheme_timetable(scheme, today=today)

    rows = {row.placement.service: row for row in timetable.by_placement}
    names = {s: [p.name for p, _ in rows[s].now] for s in rows}
    assert names == {
        "Acute medical unit": [],
        "Neighbourhood team": ["Amira Hussain"],
        "Ward 5": ["Tom Fletcher"],
    }
    coming = {s: [(p.name, stint.starts_on) for p, stint in rows[s].coming] for s in rows}
    assert coming == {
        "Acute medical unit": [  # soonest first
            ("Grace Okafor", today + _days(10)),
            ("Tom Fletcher", MONDAY + _weeks(24)),
        ],
        "Neighbourhood team": [],
        "Ward 5": [("Amira Hussain", MONDAY + _weeks(32))],
    }
    states = {row.participant.name: row.where.state for row in timetable.participants}
    assert states["Old Hand"] == Where.COMPLETED


# --- Placements ----------------------------------------------------------------------------


def _plans(scheme, *rows):
    """PlacementPlans from (existing position or None, organisation, service, weeks)."""
    existing = {p.position: p for p in scheme.placements.all()}
    return [
        PlacementPlan(organisation=org, service=service, weeks=weeks, existing=existing.get(pos))
        for pos, org, service, weeks in rows
    ]


def _saved(scheme):
    return list(scheme.placements.order_by("position").values_list("position", "service", "weeks"))


@pytest.mark.parametrize("weeks", [0, 105])
def test_a_placement_lasts_between_one_week_and_two_years(scheme, org_a, admin_a, weeks):
    with pytest.raises(ValidationError, match="between 1 and 104 weeks"):
        rotation_placements_save(
            scheme=scheme, plans=_plans(scheme, (None, org_a, "Ward 9", weeks)), actor=admin_a
        )
    assert len(_saved(scheme)) == 3


def test_a_scheme_keeps_at_least_one_placement(scheme, admin_a):
    with pytest.raises(ValidationError, match="at least one placement"):
        rotation_placements_save(scheme=scheme, plans=[], actor=admin_a)
    assert len(_saved(scheme)) == 3


def test_a_placement_cannot_be_at_an_organisation_no_longer_active(scheme, admin_a):
    gone = OrganisationFactory(name="Closed Practice", active=False)
    with pytest.raises(ValidationError, match="Closed Practice is no longer an active partner"):
        rotation_placements_save(
            scheme=scheme, plans=_plans(scheme, (None, gone, "Practice nursing", 8)), actor=admin_a
        )


def test_reordering_placements_keeps_participants_starting_at_the_same_placement(
    scheme, org_a, lch, admin_a
):
    at_ward_5 = make_participant(scheme, name="Tom Fletcher", first_position=3)
    at_amu = make_participant(scheme, name="Amira Hussain", first_position=1)
    rotation_placements_save(
        scheme=scheme,
        plans=_plans(
            scheme,
            (3, org_a, "Ward 5", 8),
            (2, lch, "Neighbourhood team", 16),
            (1, org_a, "Acute medical unit", 16),
        ),
        actor=admin_a,
    )
    assert _saved(scheme) == [
        (1, "Ward 5", 8),
        (2, "Neighbourhood team", 16),
        (3, "Acute medical unit", 16),
    ]
    at_ward_5.refresh_from_db()
    at_amu.refresh_from_db()
    assert (at_ward_5.first_position, at_amu.first_position) == (1, 3)
    assert AuditEvent.objects.filter(action="rotation.placements_changed").count() == 1


def test_a_placement_someone_on_the_scheme_starts_at_cannot_be_removed(scheme, org_a, lch, admin_a):
    make_participant(scheme, name="Tom Fletcher", first_position=3)
    left = make_participant(scheme, name="Left Early", starts_on=MONDAY, first_position=2)
    left.status, left.left_on = Status.LEFT, MONDAY + _weeks(1)
    left.save()
    with pytest.raises(ValidationError, match="Tom Fletcher starts at Ward 5") as refused:
        rotation_placements_save(
            scheme=scheme,
            plans=_plans(scheme, (1, org_a, "Acute medical unit", 16)),
            actor=admin_a,
        )
    assert "Left Early" not in str(refused.value)
    assert len(_saved(scheme)) == 3


# --- Participants --------------------------------------------------------------------------


def _change(participant, actor, **changes):
    fields = {
        "name": participant.name,
        "email": participant.email,
        "employer": participant.employer,
        "starts_on": participant.starts_on,
        "first_position": participant.first_position,
        "status": participant.status,
        "left_on": participant.left_on,
    }
    return rotation_participant_update(participant=participant, actor=actor, **(fields | changes))


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        (None, "Enter the date they left"),
        (MONDAY - _days(1), "on or after their start date"),
        (timezone.localdate() + _days(1), "today or in the past"),
    ],
)
def test_someone_who_left_needs_a_date_after_their_start_and_not_in_the_future(
    scheme, admin_a, left_on, message
):
    participant = make_participant(scheme, starts_on=MONDAY)
    with pytest.raises(ValidationError, match=message):
        _change(participant, admin_a, status=Status.LEFT, left_on=left_on)
    participant.refresh_from_db()
    assert participant.status == Status.ON_SCHEME


def test_back_on_the_scheme_the_date_they_left_is_forgotten(scheme, admin_a):
    participant = make_participant(scheme, starts_on=MONDAY)
    _change(participant, admin_a, status=Status.LEFT, left_on=MONDAY + _weeks(1))
    _change(participant, admin_a, status=Status.ON_SCHEME, left_on=MONDAY + _weeks(1))
    participant.refresh_from_db()
    assert (participant.status, participant.left_on) == (Status.ON_SCHEME, None)


def test_a_participant_starts_at_one_of_the_schemes_placements(scheme, admin_a):
    participant = make_participant(scheme)
    with pytest.raises(ValidationError, match="Choose their first placement"):
        _change(participant, admin_a, first_position=4)


# --- Pages ---------------------------------------------------------------------------------


def _url(name, org, **kwargs):
    return reverse(f"rotations:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def lch_staff(lch):
    return MembershipFactory(organisation=lch, role=Membership.Role.STAFF).user


def test_staff_create_a_scheme_and_are_taken_to_its_placements(client_as, org_a, staff_a):
    response = client_as(staff_a).post(
        _url("scheme_create", org_a),
        {"name": " Preceptorship   rotation ", "description": "A year for new nurses."},
    )
    scheme = RotationScheme.objects.get()
    assert (scheme.name, scheme.lead) == ("Preceptorship rotation", org_a)
    assert response.url == _url("placements", org_a, scheme_id=scheme.pk)
    assert AuditEvent.objects.filter(action="rotation.scheme_created", actor=staff_a).exists()


def test_a_scheme_needs_a_name(client_as, org_a, staff_a):
    response = client_as(staff_a).post(_url("scheme_create", org_a), {"name": "  "})
    assert response.status_code == 200
    assert "Enter the scheme&#x27;s name" in response.text
    assert not RotationScheme.objects.exists()


def _placement_rows(rows, *, initial=0):
    """The placements formset's POST data for rows of (placement id or "", organisation,
    service, weeks, order, remove)."""
    data = {
        "placements-TOTAL_FORMS": str(len(rows)),
        "placements-INITIAL_FORMS": str(initial),
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "30",
    }
    for n, (placement, organisation, service, weeks, order, remove) in enumerate(rows):
        data |= {
            f"placements-{n}-placement": placement,
            f"placements-{n}-organisation": organisation,
            f"placements-{n}-service": service,
            f"placements-{n}-weeks": weeks,
            f"placements-{n}-order": order,
        }
        if remove:
            data[f"placements-{n}-remove"] = "on"
    return data


def test_the_lead_adds_removes_and_reorders_placements_in_one_save(
    client_as, org_a, lch, staff_a, scheme
):
    amu, team, ward = scheme.placements.order_by("position")
    gp = OrganisationFactory(name="Armley Moor Medical Practice")
    data = _placement_rows(
        [
            (amu.pk, org_a.pk, "Acute medical unit", "16", "2", False),
            (team.pk, lch.pk, "Neighbourhood team", "12", "1", False),
            (ward.pk, org_a.pk, "Ward 5", "8", "3", True),
            ("", gp.pk, "Practice nursing", "8", "", False),
            ("", "", "", "", "", False),  # a blank row is left out
        ],
        initial=3,
    )
    response = client_as(staff_a).post(_url("placements", org_a, scheme_id=scheme.pk), data)
    assert response.status_code == 302
    assert _saved(scheme) == [
        (1, "Neighbourhood team", 12),
        (2, "Acute medical unit", 16),
        (3, "Practice nursing", 8),
    ]


def test_a_placement_row_with_too_many_weeks_is_shown_with_its_error(
    client_as, org_a, staff_a, scheme
):
    data = _placement_rows([("", org_a.pk, "Ward 9", "105", "", False)])
    response = client_as(staff_a).post(_url("placements", org_a, scheme_id=scheme.pk), data)
    assert response.status_code == 200
    assert "Placement 1: A placement must last 104 weeks or fewer" in response.text
    assert len(_saved(scheme)) == 3


def test_removing_every_placement_is_refused_with_a_message(client_as, org_a, staff_a, scheme):
    rows = [(p.pk, p.organisation_id, p.service, p.weeks, p.position, True) for p in
            scheme.placements.all()]  # fmt: skip
    response = client_as(staff_a).post(
        _url("placements", org_a, scheme_id=scheme.pk), _placement_rows(rows, initial=3)
    )
    assert "Add at least one placement" in response.text
    assert len(_saved(scheme)) == 3


def test_a_refusal_of_the_service_shows_on_the_placements_page(client_as, org_a, staff_a, scheme):
    make_participant(scheme, name="Tom Fletcher", first_position=3)
    rows = [(p.pk, p.organisation_id, p.service, p.weeks, p.position, p.position == 3) for p in
            scheme.placements.all()]  # fmt: skip
    response = client_as(staff_a).post(
        _url("placements", org_a, scheme_id=scheme.pk), _placement_rows(rows, initial=3)
    )
    assert response.status_code == 200
    assert "Tom Fletcher starts at Ward 5" in response.text
    assert len(_saved(scheme)) == 3


def test_the_lead_adds_a_participant_who_then_shows_where_they_are(
    client_as, org_a, staff_a, scheme
):
    client = client_as(staff_a)
    response = client.post(
        _url("participant_add", org_a, scheme_id=scheme.pk),
        {
            "name": "Amira Hussain",
            "email": "amira.hussain@nhs.example",
            "employer": org_a.pk,
            "starts_on": "2026-01-05",
            "first_position": "2",
            "status": Status.ON_SCHEME,
        },
    )
    assert response.status_code == 302
    participant = RotationParticipant.objects.get()
    assert (participant.first_position, participant.starts_on) == (2, MONDAY)
    assert AuditEvent.objects.filter(action="rotation.participant_added").exists()
    assert "Amira Hussain" in client.get(_url("scheme_detail", org_a, scheme_id=scheme.pk)).text


def test_marking_a_participant_as_left_without_a_date_is_refused(client_as, org_a, staff_a, scheme):
    participant = make_participant(scheme, starts_on=MONDAY)
    response = client_as(staff_a).post(
        _url("participant_edit", org_a, scheme_id=scheme.pk, participant_id=participant.pk),
        {
            "name": participant.name,
            "employer": org_a.pk,
            "starts_on": "2026-01-05",
            "first_position": "1",
            "status": Status.LEFT,
        },
    )
    assert response.status_code == 200
    assert "Enter the date they left the scheme" in response.text
    participant.refresh_from_db()
    assert participant.status == Status.ON_SCHEME


def test_the_scheme_list_shows_schemes_led_and_hosted_but_no_others(
    client_as, org_a, lch, lch_staff, scheme
):
    elsewhere = OrganisationFactory(name="Leeds and York Partnership")
    make_scheme(lch, [(lch, "District nursing", 12)], name="Community rotation")
    make_scheme(elsewhere, [(elsewhere, "Crisis team", 12)], name="Mental health rotation")
    response = client_as(lch_staff).get(_url("scheme_list", lch))
    assert "Community rotation" in response.text
    assert "Preceptorship rotation" in response.text  # A leads it; LCH hosts a placement
    assert "Mental health rotation" not in response.text


def test_a_host_partner_sees_who_is_where_without_emails_or_ways_to_change_it(
    client_as, org_a, lch, lch_staff, scheme
):
    participant = make_participant(scheme, name="Amira Hussain")
    participant.email = "amira.hussain@nhs.example"
    participant.save()
    response = client_as(lch_staff).get(_url("scheme_detail", lch, scheme_id=scheme.pk))
    assert response.status_code == 200
    assert "Amira Hussain" in response.text
    assert "amira.hussain@nhs.example" not in response.text
    assert "Add a participant" not in response.text
    assert _url("placements", lch, scheme_id=scheme.pk) not in response.text


@pytest.mark.parametrize(
    "name", ["scheme_edit", "placements", "participant_add", "participant_edit"]
)
def test_a_host_partner_cannot_change_the_scheme(client_as, lch, lch_staff, scheme, name):
    kwargs = {"scheme_id": scheme.pk}
    if name == "participant_edit":
        kwargs["participant_id"] = make_participant(scheme).pk
    client = client_as(lch_staff)
    assert client.get(_url(name, lch, **kwargs)).status_code == 403
    assert client.post(_url(name, lch, **kwargs), {"name": "Taken over"}).status_code == 403
    scheme.refresh_from_db()
    assert scheme.name == "Preceptorship rotation"


def test_an_organisation_with_no_part_in_a_scheme_cannot_see_it(client_as, org_b, member_b, scheme):
    response = client_as(member_b).get(_url("scheme_detail", org_b, scheme_id=scheme.pk))
    assert response.status_code == 404


def test_outreach_workers_cannot_reach_rotation_schemes(client_as, org_a, scheme):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(outreach).get(_url("scheme_list", org_a)).status_code == 403


def test_the_scheme_page_runs_the_same_queries_however_many_participants(
    client_as, org_a, staff_a, scheme, django_assert_max_num_queries
):
    client = client_as(staff_a)
    url = _url("scheme_detail", org_a, scheme_id=scheme.pk)
    make_participant(scheme, name="First")
    client.get(url)  # the session and the acting organisation settle
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(8):
        make_participant(scheme, name=f"Participant {n}", first_position=n % 3 + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Participant 7" in response.text


def test_the_scheme_list_runs_the_same_queries_however_many_schemes(
    client_as, org_a, lch, staff_a, scheme, django_assert_max_num_queries
):
    client = client_as(staff_a)
    url = _url("scheme_list", org_a)
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for n in range(5):
        make_participant(make_scheme(org_a, [(lch, "Team", 4)], name=f"Scheme {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Scheme 4" in response.text
