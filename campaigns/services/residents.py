"""Recording residents met through a campaign, and their consent to be contacted.

A resident belongs to one campaign's records: the same person met by two campaigns is two
residents, so one campaign's partners never see what another campaign was told. Without
consent to be contacted, a resident is kept only as a name, a neighbourhood and a journey
(they count in the funnel); their email and phone number are not stored at all.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, ContactConsent, Engagement, Resident, TrackingLink
from campaigns.selectors.neighbourhoods import neighbourhood_for_postcode
from hub.models import Organisation, User
from hub.services import audit_record
from talent.services.vacancies import normalise_postcode

# What a person agrees to when they tick the consent box on a form of the portal. Stored
# word for word with each consent, so a later change of wording never rewrites history.
CONSENT_WORDING = (
    "I agree that the partners running this campaign may contact me by email, phone or "
    "text message about health and care jobs, events, training and support. I can "
    "withdraw this at any time, using the link in any email or by asking a member of staff."
)


def clean_contact(*, name: str, email: str, phone: str, postcode: str) -> dict[str, str]:
    """Tidy what was typed and refuse what cannot be right, naming the field."""
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "Enter the person's name"
    elif len(name) > 150:
        errors["name"] = "Name must be 150 characters or fewer"
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    phone = " ".join((phone or "").split())
    if phone and (len(phone) > 30 or not all(c.isdigit() or c in " +()-" for c in phone)):
        errors["phone"] = "Enter a phone number, like 0113 496 0000 or +44 113 496 0000"
    if postcode and postcode.strip():
        try:
            postcode, _ = normalise_postcode(postcode)
        except ValidationError as error:
            errors.update(error.message_dict)
    else:
        postcode = ""
    if errors:
        raise ValidationError(errors)
    return {"name": name, "email": email, "phone": phone, "postcode": postcode}


def consent_give(
    *,
    resident: Resident,
    wording: str,
    captured_by: str,
    actor: User | None = None,
    given_at: datetime.datetime | None = None,
) -> ContactConsent:
    """Record consent in the words agreed; a consent already standing is kept as it is."""
    standing = resident.consents.filter(withdrawn_at=None).first()
    if standing is not None:
        return standing
    return ContactConsent.objects.create(
        resident=resident,
        wording=wording,
        captured_by=captured_by,
        recorded_by=actor if actor and actor.is_authenticated else None,
        given_at=given_at or timezone.now(),
    )


@transaction.atomic
def consent_withdraw(
    *, resident: Resident, actor: User | None = None, organisation: Organisation | None = None
) -> int:
    """Withdraw consent at once, for this resident and every other record of the same
    email address: the person asked not to be contacted, whichever campaign met them.
    Returns how many consents were withdrawn."""
    residents = Resident.objects.filter(pk=resident.pk)
    if resident.email:
        residents = Resident.objects.filter(email=resident.email.lower())
    withdrawn = ContactConsent.objects.filter(resident__in=residents, withdrawn_at=None).update(
        withdrawn_at=timezone.now()
    )
    if withdrawn:
        audit_record(
            actor=actor,
            organisation=organisation,
            obj=resident,
            action="resident.consent_withdrawn",
            summary="Consent to be contacted withdrawn for a resident",
            data={"consents": withdrawn},
        )
    return withdrawn


def has_consent(resident: Resident) -> bool:
    return resident.consents.filter(withdrawn_at=None).exists()


@transaction.atomic
def resident_engage(
    *,
    campaign: Campaign,
    name: str,
    channel: str,
    consent: bool,
    captured_by: str,
    email: str = "",
    phone: str = "",
    postcode: str = "",
    consent_wording: str = CONSENT_WORDING,
    actor: User | None = None,
    organisation: Organisation | None = None,
    engaged_on: datetime.date | None = None,
    consent_given_at: datetime.datetime | None = None,
    tracking_link: TrackingLink | None = None,
    notes: str = "",
) -> Engagement:
    """Record a person engaged by the campaign and return their journey.

    Someone already recorded in this campaign under the same email address is the same
    resident: blank details are filled in, consent is added if newly given, and their
    journey is the one they already have. Without consent, email and phone are dropped.
    `consent_given_at` is when they agreed, if not now (the day a paper sheet was signed)."""
    contact = clean_contact(name=name, email=email, phone=phone, postcode=postcode)
    if channel not in Engagement.Channel.values:
        raise ValidationError({"channel": "Choose how the person was engaged"})
    if not consent:
        contact["email"] = contact["phone"] = ""
    resident = None
    if contact["email"]:
        resident = (
            Resident.objects.select_for_update()
            .filter(engagements__campaign=campaign, email=contact["email"])
            .first()
        )
    if resident is None:
        resident = Resident.objects.create(
            **contact, neighbourhood=neighbourhood_for_postcode(contact["postcode"])
        )
    else:
        changed = [
            field
            for field in ("phone", "postcode")
            if contact[field] and not getattr(resident, field)
        ]
        for field in changed:
            setattr(resident, field, contact[field])
        if "postcode" in changed:
            resident.neighbourhood = neighbourhood_for_postcode(resident.postcode)
            changed.append("neighbourhood")
        if changed:
            resident.save(update_fields=[*changed, "updated_at"])
    if consent:
        consent_give(
            resident=resident,
            wording=consent_wording,
            captured_by=captured_by,
            actor=actor,
            given_at=consent_given_at,
        )
    engagement, created = Engagement.objects.get_or_create(
        campaign=campaign,
        resident=resident,
        defaults={
            "engaged_on": engaged_on or timezone.localdate(),
            "channel": channel,
            "organisation": organisation,
            "recorded_by": actor if actor and actor.is_authenticated else None,
            "tracking_link": tracking_link,
            "notes": notes.strip(),
        },
    )
    if created:
        audit_record(
            actor=actor,
            organisation=organisation,
            obj=engagement,
            action="resident.engaged",
            summary=f"Recorded a resident as engaged by {campaign.name}",
            data={"channel": channel, "consent": consent, "captured_by": captured_by},
        )
    return engagement


def contact_email(resident: Resident) -> str | None:
    """The address to email, or None: no email goes to anyone whose consent does not
    stand, nor to an anonymised record. Every campaign email asks this first."""
    if not resident.email or resident.anonymised_at or not has_consent(resident):
        return None
    return resident.email
