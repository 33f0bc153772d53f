"""Mobility records for tests: secondment opportunities, interests and agreements,
rotation schemes, talent pool profiles. Built directly; the services are what tests
exercise, not what sets the scene."""

import datetime

from django.utils import timezone

from talent.models import (
    Arrangement,
    RotationParticipant,
    RotationPlacement,
    RotationScheme,
    SecondmentAgreement,
    SecondmentInterest,
    SecondmentOpportunity,
    StaffGroup,
    TalentPoolProfile,
)
from tests.factories import MembershipFactory, UserFactory

POOL_CONSENT = "Every partner of Workforce Hub may see this profile and invite me to apply."


def nursing():
    return StaffGroup.objects.get(slug="nursing-and-midwifery")


def make_opportunity(host, *, status=SecondmentOpportunity.Status.OPEN, open_to=None, **fields):
    """An opportunity at `host`: open to every partner, or to the organisations in
    `open_to` only."""
    today = timezone.localdate()
    opportunity = SecondmentOpportunity.objects.create(
        host=host,
        title=fields.pop("title", "Clinical Nurse Specialist"),
        staff_group=fields.pop("staff_group", None) or nursing(),
        band=fields.pop("band", "6"),
        description=fields.pop("description", "Leading the frailty virtual ward."),
        starts_on=fields.pop("starts_on", today + datetime.timedelta(days=60)),
        duration_months=fields.pop("duration_months", 6),
        closing_date=fields.pop("closing_date", today + datetime.timedelta(days=21)),
        arrangement=fields.pop("arrangement", Arrangement.SECONDMENT),
        open_to_all=open_to is None,
        status=status,
        published_at=timezone.now() if status != SecondmentOpportunity.Status.DRAFT else None,
        **fields,
    )
    if open_to:
        opportunity.eligible_organisations.set(open_to)
    return opportunity


def make_interest(opportunity, home, *, person=None, status=SecondmentInterest.Status.EXPRESSED):
    person = person or MembershipFactory(organisation=home).user
    return SecondmentInterest.objects.create(
        opportunity=opportunity,
        person=person,
        home=home,
        statement="I lead discharge planning on an older people's ward.",
        status=status,
    )


def make_agreement(
    home, host, *, person=None, status=SecondmentAgreement.Status.PROPOSED, **fields
):
    """An agreement in `status`; approvals are stamped as that status implies."""
    today = timezone.localdate()
    now = timezone.now()
    Status = SecondmentAgreement.Status
    approved_home = status not in (Status.PROPOSED, Status.CANCELLED)
    approved_host = status in (Status.HOST_APPROVED, Status.ACTIVE, Status.COMPLETED)
    return SecondmentAgreement.objects.create(
        home=home,
        host=host,
        person=person or MembershipFactory(organisation=home).user,
        role_title=fields.pop("role_title", "Clinical Nurse Specialist"),
        starts_on=fields.pop("starts_on", today + datetime.timedelta(days=30)),
        ends_on=fields.pop("ends_on", today + datetime.timedelta(days=210)),
        arrangement=fields.pop("arrangement", Arrangement.SECONDMENT),
        status=status,
        home_approved_at=now if approved_home else None,
        host_approved_at=now if approved_host else None,
        activated_at=now if status in (Status.ACTIVE, Status.COMPLETED) else None,
        **fields,
    )


def make_scheme(lead, placements, *, name="Preceptorship rotation"):
    """A scheme led by `lead` with placements [(organisation, service, weeks), ...]."""
    scheme = RotationScheme.objects.create(lead=lead, name=name, staff_group=nursing())
    for position, (organisation, service, weeks) in enumerate(placements, start=1):
        RotationPlacement.objects.create(
            scheme=scheme,
            position=position,
            organisation=organisation,
            service=service,
            weeks=weeks,
        )
    return scheme


def make_participant(scheme, *, starts_on=None, first_position=1, name="Priya Shah", employer=None):
    return RotationParticipant.objects.create(
        scheme=scheme,
        name=name,
        employer=employer or scheme.lead,
        starts_on=starts_on or timezone.localdate(),
        first_position=first_position,
    )


def make_pool_profile(user=None, *, in_pool=True, **fields):
    profile = TalentPoolProfile.objects.create(
        user=user or UserFactory(),
        headline=fields.pop("headline", "Care worker with three years' experience"),
        skills=fields.pop("skills", "Personal care, dementia care, medication prompting"),
        postcode_district=fields.pop("postcode_district", "LS9"),
        consent_wording=POOL_CONSENT if in_pool else "",
        consent_given_at=timezone.now() if in_pool else None,
        **fields,
    )
    return profile
