"""What campaigns hold about a person, for their data download, and what erasing their
account does to it (hub.data_rights). Imported by CampaignsConfig.ready().

A person's resident records are those linked to their account and those under one of
their confirmed email addresses (a campaign met them before they had an account). Erasure
cancels their places at events still to come (the first person waiting gets the place),
withdraws their consent to be contacted and anonymises the records as the retention job
does: the neighbourhood, journeys and bookings stay, so every funnel counts the same."""

from django.db.models import Q
from django.db.models.functions import Lower

from campaigns.models import ContactConsent, Engagement, EventBooking, Resident
from campaigns.services.events import booking_can_be_cancelled, booking_cancel
from campaigns.services.retention import anonymise_residents
from hub.data_rights import (
    Section,
    confirmed_emails,
    counted,
    personal_data,
    personal_data_eraser,
    seen_by_organisations,
)
from hub.models import User


def _residents(user: User):
    return Resident.objects.alias(email_lower=Lower("email")).filter(
        Q(user=user) | Q(email_lower__in=confirmed_emails(user))
    )


@personal_data("campaigns")
def campaigns(user: User) -> Section:
    """Each record of them a campaign keeps: contact details, consents word for word,
    their journey through each campaign and their event bookings."""
    residents = list(
        _residents(user)
        .select_related("neighbourhood")
        .prefetch_related(
            "consents",
            "engagements__campaign",
            "engagements__organisation",
            "bookings__event",
        )
        .order_by("created_at")
    )
    seen = seen_by_organisations(
        Resident, [resident.pk for resident in residents], action="resident.viewed"
    )
    return Section(
        [
            {
                "name": resident.name,
                "email": resident.email,
                "phone": resident.phone,
                "postcode": resident.postcode,
                "neighbourhood": resident.neighbourhood.name if resident.neighbourhood else None,
                "recorded": resident.created_at,
                "consents_to_be_contacted": [
                    {
                        "wording": consent.wording,
                        "given": consent.given_at,
                        "how": consent.get_captured_by_display(),
                        "withdrawn": consent.withdrawn_at,
                    }
                    for consent in resident.consents.all()
                ],
                "journeys": [_journey(engagement) for engagement in resident.engagements.all()],
                "event_bookings": [
                    {
                        "event": booking.event.title,
                        "starts": booking.event.starts_at,
                        "status": booking.get_status_display(),
                        "booked": booking.created_at,
                        "cancelled": booking.cancelled_at,
                        "attended": booking.attended,
                        "completed_the_course": booking.completed_course,
                    }
                    for booking in resident.bookings.all()
                ],
                "opened_by_staff_of": seen.get(str(resident.pk), []),
                "anonymised": resident.anonymised_at,
            }
            for resident in residents
        ]
    )


def _journey(engagement: Engagement) -> dict:
    return {
        "campaign": engagement.campaign.name,
        "recorded_by": engagement.organisation.name if engagement.organisation else None,
        "engaged_on": engagement.engaged_on,
        "how": engagement.get_channel_display(),
        "referred_for_support_on": engagement.referred_for_support_on,
        "referred_to": engagement.get_programme_display(),
        "referred_to_the_programme_on": engagement.programme_referred_on,
        "applied_on": engagement.applied_on,
        "outcome": engagement.get_outcome_display(),
        "outcome_began_on": engagement.outcome_on,
        "left_the_job_on": engagement.left_on,
        "notes": engagement.notes,
    }


@personal_data_eraser("campaigns")
def erase(*, user: User, now) -> list[str]:
    residents = _residents(user).filter(anonymised_at__isnull=True)
    ids = list(residents.values_list("pk", flat=True))
    if not ids:
        return []
    done = []
    ContactConsent.objects.filter(resident_id__in=ids, withdrawn_at=None).update(withdrawn_at=now)
    # Anonymised first, so the audit rows of the cancellations below do not name them.
    anonymised = anonymise_residents(Resident.objects.filter(pk__in=ids), now=now)
    bookings = [
        booking
        for booking in EventBooking.objects.filter(resident_id__in=ids).select_related("event")
        if booking_can_be_cancelled(booking, now)
    ]
    for booking in bookings:
        booking_cancel(booking=booking)
    if bookings:
        done.append(f"Cancelled {counted(len(bookings), 'place')} at events still to come.")
    done.append(
        f"Withdrew your consent to be contacted and anonymised {counted(anonymised, 'record')} "
        "of you kept by community campaigns."
    )
    return done
