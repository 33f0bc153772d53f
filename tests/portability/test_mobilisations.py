"""Mobilisations: signatories raise them; a hub admin activates or declines them (or the
raising organisation, when the framework allows); every signatory's lead and deputy hear
of an activation, once each; they are stood down at the end. Non-signatories and
withdrawn signatories see nothing of them."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent, Membership
from portability.models import FrameworkVersion, Mobilisation
from portability.services.framework import framework_sign, framework_withdraw
from portability.services.mobilisations import (
    mobilisation_activate,
    mobilisation_decline,
    mobilisation_raise,
    mobilisation_stand_down,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.portability.builders import version_1

Status = Mobilisation.Status


@pytest.fixture
def version(db):
    return version_1()


def _sign(org, admin, version=None):
    deputy = MembershipFactory(organisation=org, role=Membership.Role.STAFF).user
    return framework_sign(
        organisation=org,
        version=version or version_1(),
        lead=admin,
        deputy=deputy,
        actor=admin,
    )


@pytest.fixture
def signed_a(org_a, admin_a, version):
    return _sign(org_a, admin_a)


@pytest.fixture
def signed_b(org_b, member_b, version):
    return _sign(org_b, member_b)


@pytest.fixture
def hub_admin(db):
    return UserFactory(is_staff=True, totp=True)


def _raise(org, actor, **changes):
    today = timezone.localdate()
    fields = {
        "service": "Ward 12, acute medicine",
        "reason": "Norovirus outbreak: a third of nurses off sick",
        "urgency": Mobilisation.Urgency.CRITICAL,
        "starts_on": today,
        "expected_end_on": today + datetime.timedelta(days=14),
        **changes,
    }
    return mobilisation_raise(organisation=org, actor=actor, **fields)


def _org_url(name, org, mobilisation=None):
    kwargs = {"org_slug": org.slug}
    if mobilisation is not None:
        kwargs["mobilisation_id"] = mobilisation.pk
    return reverse(f"mobilisations:{name}", kwargs=kwargs)


def _hub_url(name, mobilisation=None):
    kwargs = {"mobilisation_id": mobilisation.pk} if mobilisation is not None else {}
    return reverse(f"portability_hub:{name}", kwargs=kwargs)


# Raising


def test_a_signatory_raises_a_mobilisation(org_a, staff_a, signed_a):
    mobilisation = _raise(org_a, staff_a)
    assert mobilisation.status == Status.RAISED
    assert mobilisation.raised_by == staff_a
    assert AuditEvent.objects.filter(
        action="portability.mobilisation_raised", organisation=org_a
    ).exists()


def test_a_non_signatory_cannot_raise_one(org_a, admin_a, version):
    with pytest.raises(ValidationError, match="Only signatories"):
        _raise(org_a, admin_a)
    assert not Mobilisation.objects.exists()


def test_a_withdrawn_signatory_cannot_raise_one(org_a, admin_a, signed_a):
    framework_withdraw(organisation=org_a, reason="Leaving", actor=admin_a)
    with pytest.raises(ValidationError, match="Only signatories"):
        _raise(org_a, admin_a)


def test_raising_through_the_page(client_as, org_a, staff_a, signed_a):
    start = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as(staff_a).post(
        _org_url("create", org_a),
        {
            "service": "District nursing, east",
            "reason": "Staff sickness",
            "urgency": "high",
            "starts_on": start.isoformat(),
            "expected_end_on": (start + datetime.timedelta(days=7)).isoformat(),
        },
    )
    mobilisation = Mobilisation.objects.get()
    assert response.status_code == 302
    assert response.url == _org_url("detail", org_a, mobilisation)
    assert mobilisation.service == "District nursing, east"


def test_raising_with_an_end_before_the_start_or_a_past_start_shows_clear_errors(
    client_as, org_a, staff_a, signed_a
):
    today = timezone.localdate()
    client = client_as(staff_a)
    response = client.post(
        _org_url("create", org_a),
        {
            "service": "Ward 5",
            "reason": "Outbreak",
            "urgency": "critical",
            "starts_on": (today + datetime.timedelta(days=5)).isoformat(),
            "expected_end_on": (today + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The expected end date must be the same as or after the start" in (
        response.content.decode()
    )
    response = client.post(
        _org_url("create", org_a),
        {
            "service": "Ward 5",
            "reason": "Outbreak",
            "urgency": "critical",
            "starts_on": (today - datetime.timedelta(days=1)).isoformat(),
            "expected_end_on": today.isoformat(),
        },
    )
    assert "The start date must be today or in the future" in response.content.decode()
    response = client.post(_org_url("create", org_a), {"starts_on": "31/02/2026"})
    content = response.content.decode()
    assert "Enter the service that needs staff" in content
    assert "Enter a real start date" in content
    assert "Select how urgent it is" in content
    assert not Mobilisation.objects.exists()


def test_the_service_refuses_an_end_before_the_start(org_a, admin_a, signed_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        _raise(org_a, admin_a, expected_end_on=today - datetime.timedelta(days=1))


# Who sees what


@pytest.mark.parametrize("name", ["list", "create"])
def test_a_non_signatory_gets_a_clear_page_not_an_error(client_as, org_a, admin_a, version, name):
    response = client_as(admin_a).get(_org_url(name, org_a))
    assert response.status_code == 403
    content = response.content.decode()
    assert "has not signed the Staff Portability Framework" in content
    assert "Sign the framework" in content


def test_a_withdrawn_signatory_sees_no_mobilisations_even_its_own(
    client_as, org_a, admin_a, org_b, member_b, signed_a, signed_b, hub_admin
):
    own = _raise(org_a, admin_a)
    other = _raise(org_b, member_b)
    mobilisation_activate(mobilisation=other, actor=hub_admin)
    framework_withdraw(organisation=org_a, reason="Leaving", actor=admin_a)
    client = client_as(admin_a)
    for url in (
        _org_url("list", org_a),
        _org_url("detail", org_a, own),
        _org_url("detail", org_a, other),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert other.service not in response.content.decode()
    # Its history stays on the framework page.
    page = client.get(reverse("framework:overview", kwargs={"org_slug": org_a.slug}))
    assert "Leaving" in page.content.decode()


def test_every_signatory_sees_active_mobilisations_but_not_raised_ones(
    client_as, org_a, admin_a, org_b, member_b, signed_a, signed_b, hub_admin
):
    waiting = _raise(org_b, member_b, service="Waiting service")
    active = _raise(org_b, member_b, service="Active service")
    mobilisation_activate(mobilisation=active, actor=hub_admin)
    client = client_as(admin_a)
    content = client.get(_org_url("list", org_a)).content.decode()
    assert "Active service" in content
    assert "Waiting service" not in content
    assert client.get(_org_url("detail", org_a, active)).status_code == 200
    assert client.get(_org_url("detail", org_a, waiting)).status_code == 404


def test_the_raising_organisation_sees_its_own_at_every_status(client_as, org_a, staff_a, signed_a):
    mobilisation = _raise(org_a, staff_a, service="Our own ward")
    client = client_as(staff_a)
    assert "Our own ward" in client.get(_org_url("list", org_a)).content.decode()
    response = client.get(_org_url("detail", org_a, mobilisation))
    assert response.status_code == 200
    assert "A hub admin will activate it" in response.content.decode()


def test_list_page_runs_a_fixed_number_of_queries(
    client_as,
    org_a,
    admin_a,
    signed_a,
    hub_admin,
    version,
    django_assert_max_num_queries,
):
    for n in range(4):
        org = OrganisationFactory()
        admin = MembershipFactory(organisation=org, role=Membership.Role.ADMIN).user
        _sign(org, admin)
        mobilisation_activate(
            mobilisation=_raise(org, admin, service=f"Other {n}"), actor=hub_admin
        )
        _raise(org_a, admin_a, service=f"Own {n}")
    client = client_as(admin_a)
    client.get(_org_url("list", org_a))
    with django_assert_max_num_queries(9):
        response = client.get(_org_url("list", org_a))
    content = response.content.decode()
    assert all(f"Other {n}" in content and f"Own {n}" in content for n in range(4))


# Activation


def test_activation_emails_every_lead_and_deputy_exactly_once(
    org_a,
    admin_a,
    org_b,
    member_b,
    signed_a,
    signed_b,
    hub_admin,
    version,
    django_capture_on_commit_callbacks,
):
    # A third signatory, and an organisation that withdrew: it hears nothing.
    org_c = OrganisationFactory()
    signed_c = _sign(org_c, MembershipFactory(organisation=org_c, role="admin").user)
    org_d = OrganisationFactory()
    admin_d = MembershipFactory(organisation=org_d, role="admin").user
    withdrawn = _sign(org_d, admin_d)
    framework_withdraw(organisation=org_d, reason="Left", actor=admin_d)
    mobilisation = _raise(org_a, admin_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)

    expected = sorted(
        person.email
        for signatory in (signed_a, signed_b, signed_c)
        for person in (signatory.lead, signatory.deputy)
    )
    assert sorted(message.to[0] for message in mail.outbox) == expected
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert withdrawn.lead.email not in expected and withdrawn.deputy.email not in expected
    message = next(m for m in mail.outbox if m.to == [member_b.email])
    assert "Ward 12, acute medicine" in message.subject
    assert "framework lead for Leeds City Council" in message.body
    detail = reverse(
        "mobilisations:detail", kwargs={"org_slug": org_b.slug, "mobilisation_id": mobilisation.pk}
    )
    assert detail in message.body


def test_no_email_leaves_before_the_activation_commits(
    org_a, admin_a, signed_a, hub_admin, django_capture_on_commit_callbacks
):
    mobilisation = _raise(org_a, admin_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    assert mail.outbox == []
    assert len(callbacks) == 2


def test_activating_twice_is_refused_and_sends_nothing_more(
    org_a, admin_a, signed_a, hub_admin, django_capture_on_commit_callbacks
):
    mobilisation = _raise(org_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    sent = len(mail.outbox)
    with pytest.raises(ValidationError, match="cannot be activated"):
        mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    assert len(mail.outbox) == sent


def test_only_a_hub_admin_activates_under_version_1(org_a, admin_a, signed_a, hub_admin):
    mobilisation = _raise(org_a, admin_a)
    with pytest.raises(PermissionDenied):
        mobilisation_activate(mobilisation=mobilisation, actor=admin_a)
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.RAISED
    mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.ACTIVE
    assert mobilisation.activated_by == hub_admin
    assert AuditEvent.objects.filter(action="portability.mobilisation_activated").exists()


def test_the_raising_admin_cannot_activate_from_the_page_under_version_1(
    client_as, org_a, admin_a, signed_a
):
    mobilisation = _raise(org_a, admin_a)
    client = client_as(admin_a)
    detail = client.get(_org_url("detail", org_a, mobilisation)).content.decode()
    assert "Activate and tell every signatory" not in detail
    response = client.post(_org_url("activate", org_a, mobilisation), follow=True)
    assert "A hub admin activates mobilisations" in response.content.decode()
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.RAISED


def test_the_raising_admin_activates_when_the_version_allows(
    client_as, org_a, admin_a, staff_a, signed_a, django_capture_on_commit_callbacks
):
    FrameworkVersion.objects.create(
        number=2, terms="Raisers activate", raiser_may_activate=True, published_at=timezone.now()
    )
    mobilisation = _raise(org_a, admin_a)
    # Staff without the admin role may not.
    assert client_as(staff_a).post(_org_url("activate", org_a, mobilisation)).status_code == 403
    client = client_as(admin_a)
    assert "Activate and tell every signatory" in (
        client.get(_org_url("detail", org_a, mobilisation)).content.decode()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_org_url("activate", org_a, mobilisation))
    assert response.status_code == 302
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.ACTIVE
    assert len(mail.outbox) == 2


def test_another_signatory_cannot_activate_someone_elses_mobilisation(
    org_a, admin_a, org_b, member_b, signed_a, signed_b
):
    FrameworkVersion.objects.create(
        number=2, terms="Raisers activate", raiser_may_activate=True, published_at=timezone.now()
    )
    mobilisation = _raise(org_a, admin_a)
    with pytest.raises(PermissionDenied):
        mobilisation_activate(mobilisation=mobilisation, actor=member_b)


# The hub admins' page


def test_hub_page_is_for_hub_admins_only(client, client_as, admin_a, signed_a):
    url = _hub_url("mobilisations")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client_as(admin_a).get(url).status_code == 404


def test_non_hub_admins_cannot_activate_or_decline_from_the_hub_page(
    client_as, org_a, admin_a, signed_a
):
    mobilisation = _raise(org_a, admin_a)
    client = client_as(admin_a)
    assert client.post(_hub_url("mobilisation_activate", mobilisation)).status_code == 404
    assert (
        client.post(_hub_url("mobilisation_decline", mobilisation), {"note": "No"}).status_code
        == 404
    )
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.RAISED


def test_hub_admin_activates_from_the_hub_page(
    client_as, org_a, admin_a, signed_a, hub_admin, django_capture_on_commit_callbacks
):
    mobilisation = _raise(org_a, admin_a)
    client = client_as(hub_admin)
    assert mobilisation.service in client.get(_hub_url("mobilisations")).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_hub_url("mobilisation_activate", mobilisation))
    assert response.status_code == 302
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.ACTIVE
    assert len(mail.outbox) == 2


def test_hub_admin_declines_with_a_note(client_as, org_a, admin_a, signed_a, hub_admin):
    mobilisation = _raise(org_a, admin_a)
    client = client_as(hub_admin)
    response = client.post(_hub_url("mobilisation_decline", mobilisation), {"note": ""})
    assert "Enter why the mobilisation is not being activated" in response.content.decode()
    response = client.post(
        _hub_url("mobilisation_decline", mobilisation), {"note": "Mutual aid already agreed"}
    )
    assert response.status_code == 302
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.DECLINED
    assert mobilisation.status_note == "Mutual aid already agreed"
    with pytest.raises(ValidationError):
        mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    page = client_as(admin_a).get(_org_url("detail", org_a, mobilisation)).content.decode()
    assert "Mutual aid already agreed" in page


def test_only_a_raised_mobilisation_can_be_declined(org_a, admin_a, signed_a, hub_admin):
    mobilisation = _raise(org_a, admin_a)
    mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    with pytest.raises(ValidationError, match="cannot be declined"):
        mobilisation_decline(mobilisation=mobilisation, actor=hub_admin, note="Too late")
    with pytest.raises(PermissionDenied):
        mobilisation_decline(mobilisation=_raise(org_a, admin_a), actor=admin_a, note="No")


def test_hub_list_runs_a_fixed_number_of_queries(
    client_as, org_a, admin_a, signed_a, hub_admin, django_assert_max_num_queries
):
    for n in range(5):
        _raise(org_a, admin_a, service=f"Service {n}")
    client = client_as(hub_admin)
    client.get(_hub_url("mobilisations"))
    with django_assert_max_num_queries(8):
        response = client.get(_hub_url("mobilisations"))
    assert response.content.decode().count("Service ") >= 5


# Standing down


def test_the_raising_admin_stands_it_down_with_a_note(
    client_as, org_a, admin_a, staff_a, signed_a, hub_admin
):
    mobilisation = _raise(org_a, admin_a)
    mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    url = _org_url("stand_down", org_a, mobilisation)
    assert client_as(staff_a).get(url).status_code == 403
    client = client_as(admin_a)
    response = client.post(url, {"note": ""})
    assert "Enter why the mobilisation is being stood down" in response.content.decode()
    response = client.post(url, {"note": "Outbreak over"})
    assert response.status_code == 302
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.STOOD_DOWN
    assert mobilisation.stood_down_by == admin_a
    assert AuditEvent.objects.filter(action="portability.mobilisation_stood_down").exists()


def test_hub_admin_stands_one_down(client_as, org_a, admin_a, signed_a, hub_admin):
    mobilisation = _raise(org_a, admin_a)
    mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    response = client_as(hub_admin).post(
        _hub_url("mobilisation_stand_down", mobilisation), {"note": "Need has passed"}
    )
    assert response.status_code == 302
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.STOOD_DOWN


def test_another_organisation_cannot_stand_it_down(
    client_as, org_a, admin_a, org_b, member_b, signed_a, signed_b, hub_admin
):
    mobilisation = _raise(org_a, admin_a)
    mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    with pytest.raises(PermissionDenied):
        mobilisation_stand_down(mobilisation=mobilisation, actor=member_b, note="Not ours")
    response = client_as(member_b).post(
        _org_url("stand_down", org_b, mobilisation), {"note": "Not ours"}
    )
    assert response.status_code == 403
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.ACTIVE


def test_a_stood_down_mobilisation_cannot_be_stood_down_or_activated_again(
    org_a, admin_a, signed_a, hub_admin
):
    mobilisation = _raise(org_a, admin_a)
    mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    mobilisation_stand_down(mobilisation=mobilisation, actor=hub_admin, note="Done")
    with pytest.raises(ValidationError, match="cannot be stood down"):
        mobilisation_stand_down(mobilisation=mobilisation, actor=hub_admin, note="Again")
    with pytest.raises(ValidationError, match="cannot be activated"):
        mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)


def test_a_mobilisation_of_an_organisation_that_withdrew_cannot_be_activated(
    org_a, admin_a, signed_a, hub_admin
):
    mobilisation = _raise(org_a, admin_a)
    framework_withdraw(organisation=org_a, reason="Leaving", actor=admin_a)
    with pytest.raises(ValidationError, match="no longer a signatory"):
        mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    mobilisation.refresh_from_db()
    assert mobilisation.status == Status.RAISED
    assert mail.outbox == []
