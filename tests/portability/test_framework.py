"""The framework page: the current terms, signing (with a lead and a deputy), changing
the contacts, withdrawing, and the history that stays; the admin's publishing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent, Membership
from portability.models import FrameworkVersion, Signatory
from portability.selectors.framework import current_signatories, current_version, is_signatory
from portability.services.framework import (
    framework_contacts_update,
    framework_sign,
    framework_version_publish,
    framework_withdraw,
)
from tests.factories import MembershipFactory, UserFactory
from tests.portability.builders import version_1


@pytest.fixture
def version(db):
    return version_1()


@pytest.fixture
def deputy_a(org_a):
    return MembershipFactory(organisation=org_a, role=Membership.Role.STAFF).user


def _sign(org, admin, deputy, version):
    return framework_sign(organisation=org, version=version, lead=admin, deputy=deputy, actor=admin)


def _url(name, org):
    return reverse(f"framework:{name}", kwargs={"org_slug": org.slug})


def test_version_1_of_the_terms_is_published_by_the_migration(version):
    assert FrameworkVersion.objects.count() == 1
    assert current_version() == version
    assert version.published_at is not None
    assert "home organisation stays the employer" in version.terms
    assert "Right to return" in version.terms
    assert not version.raiser_may_activate


def test_the_newest_published_version_is_the_current_one(version):
    FrameworkVersion.objects.create(number=3, terms="Draft", published_at=None)
    newer = FrameworkVersion.objects.create(number=2, terms="New", published_at=timezone.now())
    assert current_version() == newer


def test_an_admin_signs_with_a_lead_and_a_deputy(org_a, admin_a, deputy_a, version):
    signatory = _sign(org_a, admin_a, deputy_a, version)
    assert is_signatory(org_a)
    assert signatory.lead == admin_a and signatory.deputy == deputy_a
    assert signatory.signed_by == admin_a
    assert list(current_signatories()) == [signatory]
    event = AuditEvent.objects.get(action="portability.framework_signed")
    assert event.organisation == org_a and event.actor == admin_a


def test_signing_twice_is_refused(org_a, admin_a, deputy_a, version):
    _sign(org_a, admin_a, deputy_a, version)
    with pytest.raises(ValidationError, match="already signed"):
        _sign(org_a, admin_a, deputy_a, version)
    assert Signatory.objects.filter(organisation=org_a).count() == 1


def test_staff_without_the_admin_role_cannot_sign(org_a, admin_a, staff_a, version):
    with pytest.raises(PermissionDenied):
        framework_sign(
            organisation=org_a, version=version, lead=admin_a, deputy=staff_a, actor=staff_a
        )
    assert not is_signatory(org_a)


def test_lead_and_deputy_must_be_two_members_of_the_organisation(
    org_a, admin_a, deputy_a, member_b, version
):
    with pytest.raises(ValidationError, match="different person"):
        _sign(org_a, admin_a, admin_a, version)
    with pytest.raises(ValidationError, match="members"):
        _sign(org_a, admin_a, member_b, version)
    assert not is_signatory(org_a)


def test_an_unpublished_version_cannot_be_signed(org_a, admin_a, deputy_a):
    draft = FrameworkVersion.objects.create(number=9, terms="Draft")
    with pytest.raises(ValidationError, match="not been published"):
        _sign(org_a, admin_a, deputy_a, draft)


def test_withdrawing_keeps_the_history_and_the_organisation_can_sign_again(
    org_a, admin_a, deputy_a, version
):
    first = _sign(org_a, admin_a, deputy_a, version)
    framework_withdraw(organisation=org_a, reason="Merging services", actor=admin_a)
    assert not is_signatory(org_a)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdrawal_reason == "Merging services"

    second = _sign(org_a, admin_a, deputy_a, version)
    assert second.pk != first.pk
    assert is_signatory(org_a)
    assert Signatory.objects.filter(organisation=org_a).count() == 2


def test_withdrawing_when_not_signed_is_refused(org_a, admin_a):
    with pytest.raises(ValidationError, match="not signed"):
        framework_withdraw(organisation=org_a, reason="No longer", actor=admin_a)


def test_withdrawing_needs_a_reason(org_a, admin_a, deputy_a, version):
    _sign(org_a, admin_a, deputy_a, version)
    with pytest.raises(ValidationError):
        framework_withdraw(organisation=org_a, reason="  ", actor=admin_a)
    assert is_signatory(org_a)


def test_contacts_change_is_audited(org_a, admin_a, deputy_a, staff_a, version):
    _sign(org_a, admin_a, deputy_a, version)
    signatory = framework_contacts_update(
        organisation=org_a, lead=staff_a, deputy=admin_a, actor=admin_a
    )
    assert (signatory.lead, signatory.deputy) == (staff_a, admin_a)
    assert AuditEvent.objects.filter(action="portability.framework_contacts_changed").exists()


# Pages


def test_non_signatory_sees_the_terms_and_a_call_to_sign(client_as, org_a, admin_a, version):
    response = client_as(admin_a).get(_url("overview", org_a))
    assert response.status_code == 200
    content = response.content.decode()
    assert "has not signed the framework" in content
    assert "Sign the framework" in content
    assert "Staff Portability Framework, version 1" in content


def test_staff_see_the_framework_page_but_no_sign_button(client_as, org_a, staff_a, version):
    response = client_as(staff_a).get(_url("overview", org_a))
    assert response.status_code == 200
    assert "An admin of your organisation can sign it" in response.content.decode()
    assert client_as(staff_a).get(_url("sign", org_a)).status_code == 403


def test_admin_signs_through_the_page(client_as, org_a, admin_a, deputy_a, version):
    members = {m.user_id: m.pk for m in Membership.objects.filter(organisation=org_a)}
    response = client_as(admin_a).post(
        _url("sign", org_a),
        {"lead": members[admin_a.pk], "deputy": members[deputy_a.pk], "accept": "on"},
    )
    assert response.status_code == 302
    signatory = Signatory.objects.current().get(organisation=org_a)
    assert (signatory.lead, signatory.deputy, signatory.version) == (admin_a, deputy_a, version)
    page = client_as(admin_a).get(_url("overview", org_a)).content.decode()
    assert "Your organisation is a signatory" in page
    assert deputy_a.email in page


def test_signing_without_accepting_the_terms_shows_errors(
    client_as, org_a, admin_a, deputy_a, version
):
    members = {m.user_id: m.pk for m in Membership.objects.filter(organisation=org_a)}
    response = client_as(admin_a).post(
        _url("sign", org_a), {"lead": members[admin_a.pk], "deputy": members[admin_a.pk]}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Confirm that you accept the terms for your organisation" in content
    assert "Choose a different person as deputy" in content
    assert "nhsuk-error-summary" in content
    assert not is_signatory(org_a)


def test_someone_from_another_organisation_cannot_be_named_lead(
    client_as, org_a, admin_a, deputy_a, member_b, version
):
    outsider = Membership.objects.get(user=member_b)
    ours = Membership.objects.get(user=deputy_a)
    response = client_as(admin_a).post(
        _url("sign", org_a), {"lead": outsider.pk, "deputy": ours.pk, "accept": "on"}
    )
    assert response.status_code == 200
    assert "Choose a lead from your organisation" in response.content.decode()
    assert not is_signatory(org_a)


def test_the_sign_page_of_a_signatory_says_it_already_signed(
    client_as, org_a, admin_a, deputy_a, version
):
    _sign(org_a, admin_a, deputy_a, version)
    response = client_as(admin_a).get(_url("sign", org_a))
    assert "already signed version 1" in response.content.decode()
    client_as(admin_a).post(_url("sign", org_a), {"accept": "on"})
    assert Signatory.objects.filter(organisation=org_a).count() == 1


def test_withdrawal_through_the_page_needs_reason_and_confirmation(
    client_as, org_a, admin_a, deputy_a, version
):
    _sign(org_a, admin_a, deputy_a, version)
    client = client_as(admin_a)
    response = client.post(_url("withdraw", org_a), {"reason": "Service closing"})
    assert "Confirm that your organisation is withdrawing" in response.content.decode()
    assert is_signatory(org_a)

    response = client.post(_url("withdraw", org_a), {"reason": "Service closing", "confirm": "on"})
    assert response.status_code == 302
    assert not is_signatory(org_a)
    page = client.get(_url("overview", org_a)).content.decode()
    assert "Service closing" in page  # the history remains
    assert "Sign the framework" in page


def test_withdraw_and_contacts_pages_of_a_non_signatory_are_a_clear_page(
    client_as, org_a, admin_a, version
):
    for name in ("withdraw", "contacts"):
        response = client_as(admin_a).get(_url(name, org_a))
        assert response.status_code == 403
        assert "has not signed the Staff Portability Framework" in response.content.decode()


def test_contacts_page_changes_lead_and_deputy(client_as, org_a, admin_a, deputy_a, version):
    _sign(org_a, admin_a, deputy_a, version)
    new_lead = MembershipFactory(organisation=org_a, role=Membership.Role.STAFF)
    ours = Membership.objects.get(user=admin_a)
    response = client_as(admin_a).post(
        _url("contacts", org_a), {"lead": new_lead.pk, "deputy": ours.pk}
    )
    assert response.status_code == 302
    signatory = Signatory.objects.current().get(organisation=org_a)
    assert (signatory.lead, signatory.deputy) == (new_lead.user, admin_a)


def test_framework_page_runs_a_fixed_number_of_queries(
    client_as, org_a, admin_a, deputy_a, version, django_assert_max_num_queries
):
    _sign(org_a, admin_a, deputy_a, version)
    for _ in range(3):
        framework_withdraw(organisation=org_a, reason="Pause", actor=admin_a)
        _sign(org_a, admin_a, deputy_a, version)
    client = client_as(admin_a)
    client.get(_url("overview", org_a))
    with django_assert_max_num_queries(8):
        response = client.get(_url("overview", org_a))
    assert response.content.decode().count("Pause") == 3


# The Django admin


@pytest.fixture
def hub_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, totp=True)


def test_hub_admin_publishes_a_version_and_its_text_is_then_read_only(client_as, hub_admin):
    draft = FrameworkVersion.objects.create(number=2, terms="Version two", raiser_may_activate=True)
    client = client_as(hub_admin)
    response = client.post(
        reverse("admin:portability_frameworkversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert current_version() == draft
    assert AuditEvent.objects.filter(action="portability.framework_version_published").exists()
    page = client.get(reverse("admin:portability_frameworkversion_change", args=[draft.pk]))
    assert 'name="terms"' not in page.content.decode()


def test_only_hub_admins_publish(org_a, admin_a):
    draft = FrameworkVersion.objects.create(number=2, terms="Version two")
    with pytest.raises(PermissionDenied):
        framework_version_publish(version=draft, actor=admin_a)


@pytest.mark.parametrize(
    "model",
    [
        "frameworkversion",
        "signatory",
        "mobilisation",
        "staffrequest",
        "staffoffer",
        "deployment",
        "predeploymentchecks",
        "checkacceptance",
    ],
)
def test_every_portability_model_has_an_admin_list(client_as, hub_admin, model):
    response = client_as(hub_admin).get(reverse(f"admin:portability_{model}_changelist"))
    assert response.status_code == 200
