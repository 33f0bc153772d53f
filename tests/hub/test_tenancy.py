"""Every staff URL of organisation A: works for A's admin, 403 for A's staff without the
role, 404 for a member of organisation B (the same answer as "does not exist")."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse

from hub.models import Membership
from talent.models import Vacancy
from tests.documents import PDF_BYTES
from tests.factories import (
    ApplicationFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    VacancyFactory,
)

# name: (method, needs a role beyond staff). Path arguments are filled from `objects_of_a`
# by their names (see `_url`): a URL taking a new kind of object adds it there.
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

# What a POST to a URL sends, where the default ({"role": "admin"}) is not what it takes.
POST_DATA = {
    "pipeline:application_move": {"move-to_stage": "screening"},
    "pipeline:application_criteria": {"criteria-meets": "yes"},
    "pipeline:application_note_add": {"note-text": "Strong caring background"},
    # Nobody is booked on A's event yet: saving marks nothing, says so and goes back to it.
    "campaign_events:attendance": {},
    # A is home: its approval states the person's right to return.
    "secondments:agreement_approve": {"right_to_return": "yes"},
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
    colleague = MembershipFactory(organisation=org_a, role=Membership.Role.STAFF)
    invitation = InvitationFactory(organisation=org_a, invited_by=admin_a)
    # Awaiting approval, so that every vacancy action (approval included) applies to it.
    vacancy = VacancyFactory(
        organisation=org_a, status=Vacancy.Status.AWAITING_APPROVAL, published_at=None
    )
    application = ApplicationFactory(vacancy=vacancy, cv_filename="cv.pdf")
    application.cv.save("cvs/tenancy.pdf", ContentFile(PDF_BYTES), save=True)
    return {
        "membership_id": colleague.pk,
        "invitation_id": invitation.pk,
        "vacancy_id": vacancy.pk,
        "application_id": application.pk,
        **_interview_objects_of_a(vacancy),
        "template_kind": "rejection",
        "kind": "identity",
        **_portability_objects_of_a(org_a, admin_a, colleague.user),
        **_deployment_objects_of_a(org_a),
        **_request_objects_of_a(org_a),
        **_campaign_objects_of_a(org_a, admin_a),
        **_mobility_objects_of_a(org_a, admin_a),
        "export_id": _ready_export_of_a(org_a, admin_a).pk,
    }


def _ready_export_of_a(org_a, admin_a):
    """A report export of A's, built and ready to download."""
    from hub.export_services import report_export_request

    return report_export_request(
        organisation=org_a,
        actor=admin_a,
        table_keys=["organisation.tth_by_stage"],
        format="csv",
    )


def _mobility_objects_of_a(org_a, admin_a):
    """A hosts a draft secondment opportunity with an interest released by another
    partner; one of A's staff is interested in that partner's open opportunity; A is home
    to a proposed agreement (approvals go to admins and named approvers); A leads a
    rotation scheme; a candidate is in the talent pool."""
    from talent.models import SecondmentApprover, SecondmentInterest, SecondmentOpportunity
    from tests.talent.mobility_builders import (
        make_agreement,
        make_interest,
        make_opportunity,
        make_participant,
        make_pool_profile,
        make_scheme,
    )

    other = OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch-mobility")
    hosted = make_opportunity(org_a, status=SecondmentOpportunity.Status.DRAFT)
    theirs = make_opportunity(other)
    received = make_interest(hosted, other, status=SecondmentInterest.Status.RELEASED)
    own_staff_interest = make_interest(theirs, org_a)
    approver = SecondmentApprover.objects.create(
        organisation=org_a, user=MembershipFactory(organisation=org_a).user, named_by=admin_a
    )
    scheme = make_scheme(org_a, [(org_a, "Ward 5", 16), (other, "District nursing", 16)])
    return {
        "opportunity_id": hosted.pk,
        "open_opportunity_id": theirs.pk,
        "interest_id": own_staff_interest.pk,
        "received_interest_id": received.pk,
        "agreement_id": make_agreement(org_a, other).pk,
        "approver_id": approver.pk,
        "scheme_id": scheme.pk,
        "participant_id": make_participant(scheme).pk,
        "profile_id": make_pool_profile().pk,
    }


def _campaign_objects_of_a(org_a, admin_a):
    """A leads a campaign with a resident's journey, an event, a tracking link and an
    import of paper sheets it is checking."""
    from campaigns.models import ResidentImport
    from tests.campaigns.builders import make_campaign, make_engagement, make_event

    campaign = make_campaign(org_a)
    resident_import = ResidentImport.objects.create(
        campaign=campaign,
        organisation=org_a,
        uploaded_by=admin_a,
        filename="sheets.csv",
        consent_wording="You may contact me about jobs.",
    )
    return {
        "campaign_id": campaign.pk,
        "engagement_id": make_engagement(campaign).pk,
        "event_id": make_event(campaign).pk,
        "link_id": campaign.links.get().pk,
        "import_id": resident_import.pk,
    }


def _deployment_objects_of_a(org_a):
    """A hosts a planned deployment of a nurse from another signatory, whose checks A
    can state it accepts."""
    from tests.portability.builders import make_deployment, sign

    home = OrganisationFactory(name="Leeds Community Healthcare", slug="lch")
    sign(home)
    deployment = make_deployment(home=home, host=org_a)
    return {"deployment_id": deployment.pk, "provider_slug": home.slug}


def _request_objects_of_a(org_a):
    """A (a signatory, see above) asks for staff in an active mobilisation and has an
    offer from another signatory, which asks for staff too; A offered someone for that."""
    from tests.portability.builders import make_offer, make_request, mobilise, sign

    other = OrganisationFactory(name="Leeds and York Partnership", slug="lyp")
    sign(other)
    own_request = make_request(mobilise(org_a))
    other_request = make_request(mobilise(other))
    return {
        "staff_request_id": own_request.pk,
        "received_offer_id": make_offer(own_request, other).pk,
        "request_id": other_request.pk,
        "offer_id": make_offer(other_request, org_a).pk,
    }


def _portability_objects_of_a(org_a, admin_a, colleague):
    """A is a signatory of the framework (lead: its admin, deputy: a colleague) and has
    raised a mobilisation, waiting for activation. Portability objects of A go here."""
    import datetime

    from portability.models import Mobilisation, Signatory
    from tests.portability.builders import version_1

    version = version_1()
    Signatory.objects.create(organisation=org_a, version=version, lead=admin_a, deputy=colleague)
    today = datetime.date.today()
    mobilisation = Mobilisation.objects.create(
        organisation=org_a,
        service="Ward 12",
        reason="Winter pressures",
        urgency=Mobilisation.Urgency.HIGH,
        starts_on=today,
        expected_end_on=today + datetime.timedelta(days=14),
    )
    return {"mobilisation_id": mobilisation.pk}


def _interview_objects_of_a(vacancy):
    """An interview time, a trial shift and a request for it on A's vacancy, tomorrow."""
    from django.utils import timezone

    from talent.models import InterviewSlot, TrialShiftRequest, TrialShiftSlot
    from tests.factories import UserFactory

    starts_at = timezone.now() + timezone.timedelta(days=1)
    place = {"starts_at": starts_at, "ends_at": starts_at + timezone.timedelta(hours=1)}
    slot = InterviewSlot.objects.create(vacancy=vacancy, location="Room 1", **place)
    trial_slot = TrialShiftSlot.objects.create(vacancy=vacancy, location="Ward 5", **place)
    trial_request = TrialShiftRequest.objects.create(slot=trial_slot, candidate=UserFactory())
    return {
        "slot_id": slot.pk,
        "trial_slot_id": trial_slot.pk,
        "trial_request_id": trial_request.pk,
    }


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
    data = POST_DATA.get(name, {"role": "admin"}) if method == "post" else None
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
