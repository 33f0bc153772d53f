"""Every staff URL of organisation A: works for A's admin, 403 for A's staff without the
role, 404 for a member of organisation B (the same answer as "does not exist")."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from hub.models import Membership
from talent.models import Vacancy
from tests.access_objects import DEFAULT_POST_DATA, POST_DATA
from tests.access_objects import objects_of_a as build_objects_of_a

# name: (method, needs a role beyond staff). Path arguments are filled from
# tests/access_objects.py by their names (see `_url`): a URL taking a new kind of object
# adds it there.
STAFF_URLS = {
    "hub:organisation_dashboard": ("get", False),
    "hub:organisation_reports": ("get", False),
    "hub:organisation_profile": ("get", True),
    "hub:members": ("get", True),
    "hub:member_change_role": ("post", True),
    "hub:member_remove": ("post", True),
    "hub:invitation_revoke": ("post", True),
    "hub:exports": ("get", False),
    "hub:export_detail": ("get", False),
    "hub:export_status": ("get", False),
    "hub:export_download": ("get", False),
    "hub:audit_log": ("get", True),
    "vacancies:vacancy_list": ("get", False),
    "vacancies:vacancy_create": ("get", False),
    "vacancies:vacancy_detail": ("get", False),
    "vacancies:vacancy_edit": ("get", False),
    "vacancies:vacancy_publish": ("post", False),
    "vacancies:vacancy_approve": ("post", True),
    "vacancies:vacancy_return_to_draft": ("get", True),
    "vacancies:vacancy_close": ("get", False),
    "vacancies:vacancy_mark_filled": ("get", False),
    "vacancies:vacancy_duplicate": ("post", False),
    "vacancies:vacancy_applications": ("get", False),
    "vacancies:application_detail": ("get", False),
    "vacancies:application_cv": ("get", False),
    "pipeline:vacancy_pipeline": ("get", False),
    "pipeline:vacancy_pipeline_csv": ("get", False),
    "pipeline:application_move": ("post", False),
    "pipeline:application_criteria": ("post", False),
    "pipeline:application_note_add": ("post", False),
    "pipeline:email_templates": ("get", False),
    "pipeline:email_template_edit": ("get", True),
    "pipeline:email_template_reset": ("post", True),
    "offers:offer_conditional": ("get", False),
    "offers:checks_start": ("post", False),
    "offers:check_record": ("get", False),
    "offers:offer_unconditional": ("get", False),
    "offers:application_hire": ("get", False),
    "offers:time_to_hire": ("get", False),
    "offers:hiring_targets": ("get", True),
    "interviews:slots": ("get", False),
    "interviews:slot_create": ("get", False),
    "interviews:slot_create_day": ("get", False),
    "interviews:slot_detail": ("get", False),
    "interviews:slot_delete": ("get", False),
    "interviews:book": ("get", False),
    "interviews:booking_cancel": ("post", False),
    "interviews:trial_slots": ("get", False),
    "interviews:trial_slot_create": ("get", False),
    "interviews:trial_slot_delete": ("get", False),
    "interviews:trial_requests": ("get", False),
    "interviews:trial_request": ("get", False),
    "interviews:trial_request_confirm": ("post", False),
    "interviews:trial_request_decline": ("get", False),
    "framework:overview": ("get", False),
    "framework:sign": ("get", True),
    "framework:contacts": ("get", True),
    "framework:withdraw": ("get", True),
    "mobilisations:list": ("get", False),
    "mobilisations:create": ("get", False),
    "mobilisations:detail": ("get", False),
    "mobilisations:activate": ("post", True),
    "mobilisations:stand_down": ("get", True),
    "deployments:deployment_list": ("get", False),
    "deployments:deployment_detail": ("get", False),
    "deployments:deployment_checks": ("get", False),
    "deployments:deployment_start": ("get", False),
    "deployments:deployment_return": ("get", False),
    "deployments:check_acceptance": ("get", False),
    "deployments:check_acceptance_edit": ("get", True),
    "requests:board": ("get", False),
    "requests:request_create": ("get", False),
    "requests:hosted_request": ("get", False),
    "requests:request_cancel": ("get", False),
    "requests:offer_accept": ("post", False),
    "requests:offer_decline": ("get", False),
    "requests:offer_create": ("get", False),
    "requests:offers": ("get", False),
    "requests:offer_withdraw": ("post", False),
    "portability_reports:reports": ("get", False),
    "campaigns:campaign_list": ("get", False),
    "campaigns:campaign_create": ("get", False),
    "campaigns:campaign_detail": ("get", False),
    "campaigns:campaign_edit": ("get", False),
    "campaigns:capture": ("get", False),
    "campaigns:resident_list": ("get", False),
    "campaigns:journey": ("get", False),
    "campaigns:consent_withdraw": ("get", False),
    "campaigns:import_upload": ("get", False),
    "campaigns:import_review": ("get", False),
    "campaign_events:event_create": ("get", False),
    "campaign_events:event_detail": ("get", False),
    "campaign_events:event_edit": ("get", False),
    "campaign_events:event_cancel": ("get", False),
    "campaign_events:attendance": ("post", False),
    "campaign_reports:link_list": ("get", False),
    "campaign_reports:link_qr": ("get", False),
    "campaign_reports:funnel": ("get", False),
    "campaign_reports:compare": ("get", False),
    "secondments:overview": ("get", False),
    "secondments:opportunity_list": ("get", False),
    "secondments:opportunity_create": ("get", False),
    "secondments:opportunity_detail": ("get", False),
    "secondments:opportunity_edit": ("get", False),
    "secondments:opportunity_publish": ("post", False),
    "secondments:opportunity_close": ("post", False),
    "secondments:interest_express": ("get", False),
    "secondments:interest_release": ("get", True),
    "secondments:interest_select": ("post", False),
    "secondments:interest_decline": ("get", False),
    "secondments:agreement_detail": ("get", False),
    "secondments:agreement_approve": ("post", True),
    "secondments:agreement_activate": ("post", False),
    "secondments:agreement_extend": ("get", False),
    "secondments:agreement_end_early": ("get", False),
    "secondments:agreement_complete": ("post", False),
    "secondments:agreement_cancel": ("get", False),
    "secondments:approvers": ("get", True),
    "secondments:approver_remove": ("post", True),
    "rotations:scheme_list": ("get", False),
    "rotations:scheme_create": ("get", False),
    "rotations:scheme_detail": ("get", False),
    "rotations:scheme_edit": ("get", False),
    "rotations:placements": ("get", False),
    "rotations:participant_add": ("get", False),
    "rotations:participant_edit": ("get", False),
    "pool:search": ("get", False),
    "pool:profile": ("get", False),
    "pool:invite": ("get", False),
    "mobility_reports:reports": ("get", False),
}

# URLs that name one of A's vacancies or applications.
OBJECT_URLS = sorted(
    name
    for name in STAFF_URLS
    if name.startswith("vacancies:")
    and name not in {"vacancies:vacancy_list", "vacancies:vacancy_create"}
)


def test_every_organisation_url_is_in_the_tenancy_table():
    assert set(_patterns()) == set(STAFF_URLS)


@pytest.fixture
def objects_of_a(org_a, admin_a):
    return build_objects_of_a(org_a, admin_a)


def _url(name, org, objects):
    """The URL of `name` for organisation `org`, each path argument filled from A's
    objects by its name (`pk` is a vacancy's)."""
    pattern = _patterns()[name]
    kwargs = {"org_slug": org.slug}
    for argument in pattern:
        if argument != "org_slug":
            kwargs[argument] = objects["vacancy_id" if argument == "pk" else argument]
    return reverse(name, kwargs=kwargs)


def _patterns():
    """{url name: its path arguments}, for every organisation URL."""
    found = {}

    def walk(patterns, namespace, inherited):
        for pattern in patterns:
            arguments = inherited | set(pattern.pattern.converters)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, arguments)
            elif "org_slug" in arguments:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = arguments

    walk(get_resolver().url_patterns, None, set())
    return found


def _request(client, method, url, name=None):
    data = POST_DATA.get(name, DEFAULT_POST_DATA) if method == "post" else None
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("name", sorted(STAFF_URLS))
def test_member_of_another_organisation_gets_404(name, client_as, org_a, member_b, objects_of_a):
    method, _ = STAFF_URLS[name]
    response = _request(client_as(member_b), method, _url(name, org_a, objects_of_a), name)
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(STAFF_URLS))
def test_staff_without_the_role_gets_403_where_the_role_is_needed(
    name, client_as, org_a, staff_a, objects_of_a
):
    method, needs_admin = STAFF_URLS[name]
    response = _request(client_as(staff_a), method, _url(name, org_a, objects_of_a), name)
    if needs_admin:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize("name", sorted(STAFF_URLS))
def test_admin_of_the_organisation_is_let_in(name, client_as, org_a, admin_a, objects_of_a):
    method, _ = STAFF_URLS[name]
    response = _request(client_as(admin_a), method, _url(name, org_a, objects_of_a), name)
    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize(
    "name", ["hub:member_change_role", "hub:member_remove", "hub:invitation_revoke"]
)
def test_objects_of_a_cannot_be_reached_through_organisation_b(
    name, client_as, org_b, member_b, objects_of_a
):
    """B's admin puts A's membership or invitation id into B's own URL: 404, nothing changes."""
    response = _request(client_as(member_b), "post", _url(name, org_b, objects_of_a))
    assert response.status_code == 404
    membership = Membership.objects.get(pk=objects_of_a["membership_id"])
    assert membership.role == Membership.Role.STAFF


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_vacancies_and_applications_of_a_cannot_be_reached_through_organisation_b(
    name, client_as, org_b, member_b, objects_of_a
):
    """B's admin puts A's vacancy or application id into B's own URL: 404, nothing changes."""
    method, _ = STAFF_URLS[name]
    response = _request(client_as(member_b), method, _url(name, org_b, objects_of_a), name)
    assert response.status_code == 404
    vacancy = Vacancy.objects.get(pk=objects_of_a["vacancy_id"])
    assert vacancy.status == Vacancy.Status.AWAITING_APPROVAL
    assert Vacancy.objects.count() == 1


@pytest.mark.parametrize("name", sorted(STAFF_URLS))
def test_anonymous_visitors_are_sent_to_sign_in(name, client, org_a, objects_of_a):
    method, _ = STAFF_URLS[name]
    response = _request(client, method, _url(name, org_a, objects_of_a), name)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
