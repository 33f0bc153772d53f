import pytest
from django.contrib import admin
from django.urls import reverse

from hub.models import AuditEvent, OutboundEmail
from talent.models import ApplicationAnswer, CandidateProfile, StageChange
from tests.factories import (
    ApplicationFactory,
    InvitationFactory,
    MembershipFactory,
    SavedSearchFactory,
    ScreeningQuestionFactory,
    UserFactory,
)


@pytest.fixture
def hub_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, totp=True)


@pytest.fixture
def one_of_everything(admin_a):
    InvitationFactory(invited_by=admin_a)
    AuditEvent.objects.create(actor=admin_a, action="test.done", summary="Did a test")
    OutboundEmail.objects.create(kind="t", to="a@example.org", subject="S", body_text="B")
    question = ScreeningQuestionFactory()
    application = ApplicationFactory(vacancy=question.vacancy)
    ApplicationAnswer.objects.create(application=application, question=question, answer="Yes")
    StageChange.objects.create(application=application, to_stage="submitted")
    CandidateProfile.objects.create(user=application.candidate, postcode="LS12 3AB")
    SavedSearchFactory(user=application.candidate)


def _registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", _registered_models(), ids=lambda m: m._meta.label)
def test_hub_admin_sees_every_model_list_with_search_and_filters(
    model, client_as, hub_admin, one_of_everything
):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client_as(hub_admin).get(url, {"q": "a"})
    assert response.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client_as(hub_admin).get(change).status_code == 200


def test_the_audit_log_cannot_be_changed_in_the_admin(client_as, hub_admin, admin_a):
    event = AuditEvent.objects.create(actor=admin_a, action="x", summary="original")
    client = client_as(hub_admin)
    url = reverse("admin:hub_auditevent_change", args=[event.pk])
    client.post(url, {"summary": "rewritten"})
    assert client.post(reverse("admin:hub_auditevent_delete", args=[event.pk])).status_code == 403
    event.refresh_from_db()
    assert event.summary == "original"


def test_applications_are_read_only_in_the_admin(client_as, hub_admin):
    application = ApplicationFactory(full_name="Ada Applicant")
    client = client_as(hub_admin)
    url = reverse("admin:talent_application_change", args=[application.pk])
    response = client.get(url)
    assert "Ada Applicant" in response.text
    assert 'name="full_name"' not in response.text
    client.post(url, {"full_name": "Changed", "stage": "hired"})
    application.refresh_from_db()
    assert (application.full_name, application.stage) == ("Ada Applicant", "submitted")


def test_equality_monitoring_is_not_in_the_admin():
    assert not any(model._meta.model_name == "equalitymonitoring" for model in admin.site._registry)


def test_partner_staff_cannot_open_the_django_admin(client_as, staff_a):
    response = client_as(staff_a).get("/admin/")
    assert response.status_code == 302


def test_admin_lists_run_a_fixed_number_of_queries(
    client_as, hub_admin, org_a, django_assert_max_num_queries
):
    client = client_as(hub_admin)
    url = reverse("admin:hub_membership_changelist")
    MembershipFactory.create_batch(2, organisation=org_a)
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    MembershipFactory.create_batch(30, organisation=org_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
