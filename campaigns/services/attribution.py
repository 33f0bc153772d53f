"""Attributing applications and hires to campaigns, as talent reports them
(`talent.signals`). The receivers run inside the sender's transaction, so an application
is never sent without its attribution, nor attributed without being sent.

An application carrying a tracking link's code (from the link, the code page or a vacancy
page's `?campaign=`) joins the journey of its candidate in that link's campaign: the
resident whose account is the candidate's, else the one with the application's email
address; else a new resident is recorded, engaged online through the link. The new
resident has no consent to be contacted (applying is not agreeing to campaign emails), so,
as `campaigns.services.residents` says, only their name and postcode are kept: their
journey is what counts.

A hire sets the journey's outcome to "started a job" from the start date. A job is what a
campaign works towards, so a hire replaces an earlier outcome (training, employability
support or volunteering were steps on the way); a job already recorded and not left stands,
unless it is this same hire, whose start date may change.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import Campaign, Engagement, Resident, TrackingLink
from campaigns.selectors.neighbourhoods import neighbourhood_for_postcode
from hub.services import audit_record
from talent.models import Application
from talent.services.vacancies import normalise_postcode

Outcome = Engagement.Outcome


def _link_for_code(code: str) -> TrackingLink | None:
    code = (code or "").strip()
    if not code:
        return None
    return TrackingLink.objects.filter(code__iexact=code).first()


def _postcode(value: str) -> str:
    try:
        return normalise_postcode(value)[0]
    except ValidationError:
        return ""


def _engagement_of(application: Application, campaign: Campaign) -> Engagement | None:
    """The candidate's journey in the campaign, locked: by their account first, then by
    the application's email address (whatever its case)."""
    journeys = Engagement.objects.select_for_update(of=("self",)).select_related("resident")
    if application.candidate_id:
        found = journeys.filter(campaign=campaign, resident__user=application.candidate_id).first()
        if found is not None:
            return found
    if application.email:
        return (
            journeys.filter(campaign=campaign, resident__email=application.email.lower())
            .order_by("created_at")
            .first()
        )
    return None


def application_attribute(*, application: Application) -> Engagement | None:
    """Link a sent application to the journey of its candidate in the campaign whose
    tracking link's code it carries, recording the resident if need be. Returns the
    journey, or None when the application came from no campaign."""
    link = _link_for_code(application.campaign_code)
    if link is None or application.submitted_at is None:
        return None
    # One attribution at a time per campaign, so a candidate sending two applications at
    # once is recorded as one resident (one journey per campaign).
    campaign = Campaign.objects.select_for_update().get(pk=link.campaign_id)
    applied_on = timezone.localdate(application.submitted_at)
    engagement = _engagement_of(application, campaign)
    created = engagement is None
    if created:
        postcode = _postcode(application.postcode)
        resident = Resident.objects.create(
            name=(application.full_name or "Applicant")[:150],
            postcode=postcode,
            neighbourhood=neighbourhood_for_postcode(postcode),
            user_id=application.candidate_id,
        )
        engagement = Engagement.objects.create(
            campaign=campaign,
            resident=resident,
            engaged_on=applied_on,
            channel=Engagement.Channel.ONLINE,
            tracking_link=link,
            organisation=None,
        )
    else:
        resident = engagement.resident
        if resident.user_id is None and application.candidate_id:
            resident.user_id = application.candidate_id
            resident.save(update_fields=["user", "updated_at"])
    changed = []
    # The first application a journey leads to is the one it keeps (a hire of a later one
    # takes its place: see `application_hire_record`).
    if engagement.application_id is None:
        engagement.application = application
        changed.append("application")
    if engagement.applied_on is None or applied_on < engagement.applied_on:
        engagement.applied_on = applied_on
        changed.append("applied_on")
    if changed:
        engagement.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=None,
        organisation=None,
        obj=engagement,
        action="campaign.application_attributed",
        summary=f"An application for {application.vacancy} came through {campaign.name}",
        data={
            "application": str(application.pk),
            "code": link.code,
            "new_resident": created,
        },
    )
    return engagement


def application_hire_record(*, application: Application, start_date) -> list[Engagement]:
    """Record the outcome "started a job" on the journeys the hired application belongs
    to: those linked to it, or (for a later application of someone already linked to an
    earlier one) their journey in the campaign whose code it carries."""
    engagements = list(Engagement.objects.select_for_update().filter(application=application))
    if not engagements:
        engagement = application_attribute(application=application)
        engagements = [engagement] if engagement is not None else []
    for engagement in engagements:
        keeps_other_job = (
            engagement.outcome == Outcome.STARTED_JOB
            and engagement.left_on is None
            and engagement.application_id != application.pk
        )
        if keeps_other_job:
            continue
        previous = engagement.outcome
        engagement.application = application
        engagement.outcome = Outcome.STARTED_JOB
        engagement.outcome_on = start_date
        engagement.left_on = None
        engagement.save(
            update_fields=["application", "outcome", "outcome_on", "left_on", "updated_at"]
        )
        audit_record(
            actor=None,
            organisation=None,
            obj=engagement,
            action="campaign.outcome_hired",
            summary=f"Started a job through {application.vacancy} on {start_date:%d %b %Y}",
            data={"application": str(application.pk), "previous_outcome": previous},
        )
    return engagements


def on_application_submitted(sender, *, application, **kwargs):
    application_attribute(application=application)


def on_application_hired(sender, *, application, start_date, **kwargs):
    application_hire_record(application=application, start_date=start_date)
