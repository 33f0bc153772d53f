"""Records of organisation A, one of each kind a staff URL names, for the tests that
request every URL against them: tests/hub/test_tenancy.py and
tests/hub/test_access_matrix.py. `objects_of_a` returns them by the name of the path
argument that takes them (`vacancy_id`, `campaign_id`...); a URL taking a new kind of
object adds it here."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from hub.models import Membership
from talent.models import Vacancy
from tests.documents import PDF_BYTES
from tests.factories import (
    ApplicationFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
)

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
DEFAULT_POST_DATA = {"role": "admin"}


def objects_of_a(org_a, admin_a, *, candidate=None):
    """One of each of A's records, by path argument name. `candidate`, when given, is
    the person who applied to A's vacancy and asked for its trial shift (a new person
    otherwise), so that their own pages name A's records too."""
    colleague = MembershipFactory(organisation=org_a, role=Membership.Role.STAFF)
    invitation = InvitationFactory(organisation=org_a, invited_by=admin_a)
    # Awaiting approval, so that every vacancy action (approval included) applies to it.
    vacancy = VacancyFactory(
        organisation=org_a, status=Vacancy.Status.AWAITING_APPROVAL, published_at=None
    )
    candidate = candidate or UserFactory()
    application = ApplicationFactory(vacancy=vacancy, candidate=candidate, cv_filename="cv.pdf")
    application.cv.save("cvs/tenancy.pdf", ContentFile(PDF_BYTES), save=True)
    return {
        "membership_id": colleague.pk,
        "invitation_id": invitation.pk,
        "vacancy_id": vacancy.pk,
        "application_id": application.pk,
        **_interview_objects_of_a(vacancy, candidate),
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


def _interview_objects_of_a(vacancy, candidate):
    """An interview time, a trial shift and the candidate's request for it on A's
    vacancy, tomorrow."""
    from talent.models import InterviewSlot, TrialShiftRequest, TrialShiftSlot

    starts_at = timezone.now() + timezone.timedelta(days=1)
    place = {"starts_at": starts_at, "ends_at": starts_at + timezone.timedelta(hours=1)}
    slot = InterviewSlot.objects.create(vacancy=vacancy, location="Room 1", **place)
    trial_slot = TrialShiftSlot.objects.create(vacancy=vacancy, location="Ward 5", **place)
    trial_request = TrialShiftRequest.objects.create(slot=trial_slot, candidate=candidate)
    return {
        "slot_id": slot.pk,
        "trial_slot_id": trial_slot.pk,
        "trial_request_id": trial_request.pk,
    }
