"""Tracking links for posters, leaflets and events: making them, following them, and
their QR codes.

A code is what people type from a poster, so it is looked up whatever its case, and no two
links may have codes that differ only in case. Following a link counts a visit in SQL
(`F("visits") + 1`, so visits at the same moment are all counted) and the visitor's session
remembers the code, so an application they send later carries it (see
`campaigns.services.attribution`).
"""

import io
import secrets

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from campaigns.models import Campaign, Event, TrackingLink
from hub.models import Organisation, User
from hub.services import audit_record
from talent.attribution import CAMPAIGN_CODE
from talent.models import Vacancy

Destination = TrackingLink.Destination

CODE_MAX_LENGTH = 40
CODE_HELP = "Use letters, numbers and hyphens only, up to 40 characters, like ARMLEY-LIBRARY"
# Generated codes avoid letters and digits people mix up on a poster (0 and O, 1, I and L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_RANDOM_LENGTH = 5
# Vacancies in these states have no public page to send anyone to.
UNPUBLISHED = (Vacancy.Status.DRAFT, Vacancy.Status.AWAITING_APPROVAL)


def link_code_clean(code: str) -> str:
    """The code as typed, without surrounding spaces, or a ValidationError on "code"."""
    code = (code or "").strip()
    if not CAMPAIGN_CODE.match(code):
        raise ValidationError({"code": CODE_HELP})
    return code


def link_code_taken(code: str) -> bool:
    return TrackingLink.objects.filter(code__iexact=code).exists()


def link_code_generate(campaign: Campaign) -> str:
    """A new code: the first word of the campaign's name and a few random characters,
    like ARMLEY-7KQ2M, so staff can tell which campaign a poster belongs to."""
    prefix = slugify(campaign.name).split("-")[0][:20].upper() or "CAMPAIGN"
    while True:
        suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))
        code = f"{prefix}-{suffix}"
        if not link_code_taken(code):
            return code


def link_create(
    *,
    campaign: Campaign,
    actor: User,
    organisation: Organisation,
    label: str,
    destination: str,
    vacancy: Vacancy | None = None,
    event: Event | None = None,
    code: str = "",
) -> TrackingLink:
    """Make a tracking link for the campaign. The vacancy must be one the campaign recruits
    for, the event one of its own; without a code typed by staff one is generated."""
    errors = {}
    label = " ".join((label or "").split())
    if not label:
        errors["label"] = "Enter where the link will be used, like a poster site"
    elif len(label) > 100:
        errors["label"] = "Where it will be used must be 100 characters or fewer"
    if destination not in Destination.values:
        errors["destination"] = "Choose where the link goes"
    elif destination == Destination.VACANCY:
        if vacancy is None:
            errors["vacancy"] = "Choose the vacancy the link goes to"
        elif not campaign.vacancies.filter(pk=vacancy.pk).exists():
            errors["vacancy"] = "Choose one of the vacancies this campaign recruits for"
    elif destination == Destination.CAMPAIGN and not campaign.is_public:
        errors["destination"] = (
            "This campaign has no public page: choose a vacancy or job search instead"
        )
    if event is not None and event.campaign_id != campaign.pk:
        errors["event"] = "Choose one of this campaign's events"
    if code:
        try:
            code = link_code_clean(code)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if link_code_taken(code):
                errors["code"] = "That code is already used: choose another, or leave it blank"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            link = TrackingLink.objects.create(
                campaign=campaign,
                event=event,
                label=label,
                code=code or link_code_generate(campaign),
                destination=destination,
                vacancy=vacancy if destination == Destination.VACANCY else None,
                created_by=actor if actor and actor.is_authenticated else None,
            )
            audit_record(
                actor=actor,
                organisation=organisation,
                obj=link,
                action="campaign.link_created",
                summary=f"Made the tracking link {link.code} for {campaign.name}",
                data={"code": link.code, "destination": destination},
            )
    except IntegrityError:
        # The same code was taken at the same moment by someone else.
        raise ValidationError(
            {"code": "That code is already used: choose another, or leave it blank"}
        ) from None
    return link


def link_follow(*, code: str) -> TrackingLink | None:
    """The link with this code (whatever its case), its visit counted; None if there is
    none."""
    link = (
        TrackingLink.objects.select_related("campaign", "vacancy", "event")
        .filter(code__iexact=(code or "").strip())
        .first()
    )
    if link is not None:
        TrackingLink.objects.filter(pk=link.pk).update(visits=F("visits") + 1)
    return link


def link_destination_url(link: TrackingLink) -> str:
    """Where a visitor goes: the vacancy's page (carrying the code, which the vacancy page
    remembers too), the campaign's public page, or the job search. A link for one event
    that is still to come goes to the event's page instead of the campaign's. Where that
    page is gone (the vacancy withdrawn to draft, the campaign no longer public) the job
    search is the next best place."""
    job_search = reverse("jobs:search")
    if link.destination == Destination.VACANCY:
        if link.vacancy is None or link.vacancy.status in UNPUBLISHED:
            return job_search
        return f"{link.vacancy.get_absolute_url()}?campaign={link.code}"
    if link.destination == Destination.CAMPAIGN:
        if not link.campaign.is_public:
            return job_search
        event = link.event
        if event is not None and _is_upcoming(event):
            return event.get_absolute_url()
        return link.campaign.get_absolute_url()
    return job_search


def _is_upcoming(event: Event) -> bool:
    """As `Event.objects.upcoming()`, for an event already loaded."""
    return event.status == Event.Status.SCHEDULED and event.ends_at >= timezone.now()


def link_public_url(link: TrackingLink) -> str:
    """The link's full address, as printed on a poster and in its QR code."""
    return settings.SITE_URL + reverse("campaign_public:link", kwargs={"code": link.code})


def link_qr_svg(link: TrackingLink) -> bytes:
    """The QR code of the link's full address, as an SVG document (medium error
    correction, so a poster with a crease or a smudge still scans)."""
    url = link_public_url(link)
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer,
        kind="svg",
        scale=8,
        border=4,
        title=f"QR code for {url}",
        xmldecl=True,
        nl=True,
    )
    return buffer.getvalue()
