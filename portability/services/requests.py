"""Writes for staff requests and offers of named staff.

The host (the mobilisation's organisation) adds and cancels requests; another signatory
offers a named member of its staff; the host accepts or declines; the home organisation
may withdraw an offer still waiting. Accepting locks the request row so that two people
accepting at the same moment can never take more places than the request asked for.
Emails are written to the outbox in the same transaction and go out after it commits.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hub.models import Membership, Organisation, User
from hub.services import audit_record
from portability import emails
from portability.models import (
    Deployment,
    Mobilisation,
    PreDeploymentChecks,
    RegistrationBody,
    StaffOffer,
    StaffRequest,
)
from portability.selectors.framework import is_signatory

MAX_PEOPLE_PER_REQUEST = 200
NOT_A_SIGNATORY = "Your organisation must sign the Staff Portability Framework first."


def _require_signatory(organisation: Organisation) -> None:
    if not is_signatory(organisation):
        raise ValidationError(NOT_A_SIGNATORY)


def _require_host(request: StaffRequest, membership: Membership) -> None:
    if request.mobilisation.organisation_id != membership.organisation_id:
        raise ValidationError("Only the organisation that raised the mobilisation can do this.")


@transaction.atomic
def staff_request_create(
    *,
    mobilisation: Mobilisation,
    actor: User,
    membership: Membership,
    role: str,
    staff_group,
    number_needed: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    shift_pattern: str,
    site: str,
    registration_needed: str = RegistrationBody.NONE,
    dbs_level_needed: str = "",
    notes: str = "",
) -> StaffRequest:
    if mobilisation.organisation_id != membership.organisation_id:
        raise ValidationError("Only the organisation that raised the mobilisation can do this.")
    _require_signatory(membership.organisation)
    if mobilisation.status != Mobilisation.Status.ACTIVE:
        raise ValidationError("Staff can only be requested while the mobilisation is active.")
    errors = {}
    if starts_on < mobilisation.starts_on:
        errors["starts_on"] = (
            f"The start date must be on or after the mobilisation starts, "
            f"{mobilisation.starts_on:%-d %B %Y}"
        )
    if ends_on > mobilisation.expected_end_on:
        errors["ends_on"] = (
            f"The end date must be on or before the mobilisation is expected to end, "
            f"{mobilisation.expected_end_on:%-d %B %Y}"
        )
    elif ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    if not 1 <= number_needed <= MAX_PEOPLE_PER_REQUEST:
        errors["number_needed"] = f"Enter a number of people from 1 to {MAX_PEOPLE_PER_REQUEST}"
    if errors:
        raise ValidationError(errors)
    staff_request = StaffRequest.objects.create(
        mobilisation=mobilisation,
        role=role.strip(),
        staff_group=staff_group,
        registration_needed=registration_needed,
        dbs_level_needed=dbs_level_needed,
        number_needed=number_needed,
        starts_on=starts_on,
        ends_on=ends_on,
        shift_pattern=shift_pattern.strip(),
        site=site.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=staff_request,
        action="portability.request_created",
        summary=f"Requested {staff_request} for {mobilisation.service}",
        data={"mobilisation": str(mobilisation.pk), "number_needed": number_needed},
    )
    return staff_request


@transaction.atomic
def staff_request_cancel(
    *, staff_request: StaffRequest, actor: User, membership: Membership, reason: str
) -> StaffRequest:
    staff_request = (
        StaffRequest.objects.select_for_update()
        .select_related("mobilisation")
        .get(pk=staff_request.pk)
    )
    _require_host(staff_request, membership)
    if staff_request.status == StaffRequest.Status.CANCELLED:
        raise ValidationError("This request is already cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are cancelling the request"})
    staff_request.status = StaffRequest.Status.CANCELLED
    staff_request.save(update_fields=["status", "updated_at"])
    # Offers still waiting have nothing left to be accepted for.
    waiting = StaffOffer.objects.filter(
        request=staff_request, status=StaffOffer.Status.OFFERED
    ).update(
        status=StaffOffer.Status.DECLINED,
        decided_by=actor,
        decided_at=timezone.now(),
        decline_reason="The request was cancelled.",
    )
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=staff_request,
        action="portability.request_cancelled",
        summary=f"Cancelled the request for {staff_request}",
        data={"reason": reason.strip()[:500], "offers_declined": waiting},
    )
    return staff_request


@transaction.atomic
def staff_offer_create(
    *,
    staff_request: StaffRequest,
    actor: User,
    membership: Membership,
    staff_name: str,
    staff_email: str,
    job_title: str,
    staff_agreed_on: datetime.date,
    registration_body: str = RegistrationBody.NONE,
    registration_number: str = "",
) -> StaffOffer:
    organisation = membership.organisation
    _require_signatory(organisation)
    staff_request = StaffRequest.objects.select_related(
        "mobilisation__organisation", "staff_group"
    ).get(pk=staff_request.pk)
    mobilisation = staff_request.mobilisation
    if mobilisation.organisation_id == organisation.pk:
        raise ValidationError("Your organisation raised this request, so it cannot offer to it.")
    if (
        mobilisation.status != Mobilisation.Status.ACTIVE
        or staff_request.status != StaffRequest.Status.OPEN
    ):
        raise ValidationError("This request is no longer open to offers.")
    errors = {}
    registration_number = registration_number.strip().upper()
    if staff_request.registration_needed:
        if registration_body != staff_request.registration_needed:
            errors["registration_body"] = (
                f"This request needs registration with the "
                f"{staff_request.get_registration_needed_display()}"
            )
        if not registration_number:
            errors["registration_number"] = "Enter the person's registration number"
    if staff_agreed_on > timezone.localdate():
        errors["staff_agreed_on"] = "The date the person agreed must be today or in the past"
    if errors:
        raise ValidationError(errors)
    offer = StaffOffer.objects.create(
        request=staff_request,
        organisation=organisation,
        staff_name=staff_name.strip(),
        staff_email=staff_email.strip().lower(),
        job_title=job_title.strip(),
        registration_body=registration_body if registration_number else "",
        registration_number=registration_number,
        staff_agreed_on=staff_agreed_on,
        agreement_recorded_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=offer,
        action="portability.offer_made",
        summary=f"Offered a member of staff ({offer.job_title}) for {staff_request} at "
        f"{mobilisation.organisation}",
        data={"request": str(staff_request.pk), "staff_agreed_on": staff_agreed_on.isoformat()},
    )
    emails.email_staff_offer_made(offer=offer)
    return offer


def _locked_offer(offer: StaffOffer) -> StaffOffer:
    return (
        StaffOffer.objects.select_for_update(of=("self",))
        .select_related("request__mobilisation__organisation", "organisation")
        .get(pk=offer.pk)
    )


@transaction.atomic
def staff_offer_withdraw(*, offer: StaffOffer, actor: User, membership: Membership) -> StaffOffer:
    offer = _locked_offer(offer)
    if offer.organisation_id != membership.organisation_id:
        raise ValidationError("Only the organisation that made the offer can withdraw it.")
    if offer.status != StaffOffer.Status.OFFERED:
        raise ValidationError(
            f"This offer is {offer.get_status_display().lower()}, so it cannot be withdrawn."
        )
    offer.status = StaffOffer.Status.WITHDRAWN
    offer.decided_by = actor
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=offer,
        action="portability.offer_withdrawn",
        summary=f"Withdrew the offer of a member of staff ({offer.job_title})",
    )
    return offer


@transaction.atomic
def staff_offer_decline(
    *, offer: StaffOffer, actor: User, membership: Membership, reason: str
) -> StaffOffer:
    offer = _locked_offer(offer)
    _require_host(offer.request, membership)
    if offer.status != StaffOffer.Status.OFFERED:
        raise ValidationError(
            f"This offer is {offer.get_status_display().lower()}, so it cannot be declined."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are declining the offer"})
    offer.status = StaffOffer.Status.DECLINED
    offer.decided_by = actor
    offer.decided_at = timezone.now()
    offer.decline_reason = reason.strip()[:300]
    offer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason", "updated_at"])
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=offer,
        action="portability.offer_declined",
        summary=(
            f"Declined the offer of a member of staff ({offer.job_title}) from {offer.organisation}"
        ),
        data={"reason": offer.decline_reason},
    )
    emails.email_staff_offer_decided(offer=offer)
    return offer


@transaction.atomic
def staff_offer_accept(*, offer: StaffOffer, actor: User, membership: Membership) -> Deployment:
    """Accept an offer and plan the deployment. The request row is locked first, so
    acceptances of the same request queue behind each other and each one counts the
    places taken after the one before it has committed."""
    staff_request = (
        StaffRequest.objects.select_for_update()
        .select_related("mobilisation")
        .get(pk=offer.request_id)
    )
    offer = _locked_offer(offer)
    _require_host(staff_request, membership)
    _require_signatory(membership.organisation)
    if offer.status != StaffOffer.Status.OFFERED:
        raise ValidationError(
            f"This offer is {offer.get_status_display().lower()}, so it cannot be accepted."
        )
    if staff_request.status == StaffRequest.Status.CANCELLED:
        raise ValidationError("This request was cancelled.")
    if staff_request.mobilisation.status != Mobilisation.Status.ACTIVE:
        raise ValidationError("The mobilisation is no longer active.")
    accepted = StaffOffer.objects.filter(
        request=staff_request, status=StaffOffer.Status.ACCEPTED
    ).count()
    if accepted >= staff_request.number_needed:
        people = "person" if staff_request.number_needed == 1 else "people"
        raise ValidationError(
            f"This request already has the {staff_request.number_needed} {people} it asked for."
        )
    now = timezone.now()
    offer.status = StaffOffer.Status.ACCEPTED
    offer.decided_by = actor
    offer.decided_at = now
    offer.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if accepted + 1 == staff_request.number_needed:
        staff_request.status = StaffRequest.Status.FILLED
        staff_request.filled_at = now
        staff_request.save(update_fields=["status", "filled_at", "updated_at"])
    deployment = Deployment.objects.create(
        offer=offer,
        home=offer.organisation,
        host=staff_request.mobilisation.organisation,
        starts_on=staff_request.starts_on,
        ends_on=staff_request.ends_on,
        status=Deployment.Status.PLANNED,
    )
    PreDeploymentChecks.objects.create(deployment=deployment)
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=offer,
        action="portability.offer_accepted",
        summary=(
            f"Accepted the offer of a member of staff ({offer.job_title}) from {offer.organisation}"
        ),
        data={
            "request": str(staff_request.pk),
            "deployment": str(deployment.pk),
            "places_taken": accepted + 1,
            "number_needed": staff_request.number_needed,
        },
    )
    emails.email_staff_offer_decided(offer=offer)
    emails.email_staff_deployment_planned(offer=offer, deployment=deployment)
    return deployment
