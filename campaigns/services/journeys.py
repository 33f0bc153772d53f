"""Writes for a resident's journey through a campaign, by its lead or partners: referred
for one-to-one support, referred to a partner programme, applied (when no application of
theirs is linked), the outcome and, for a job, the day they left it; notes.

Every step happened on a day that has passed and not before the person was engaged, so
the funnel and the retention figures are never built on dates that cannot be right.
Leaving a blank clears a step recorded by mistake. Each change, and each time staff open
a journey (personal data), is in the audit log.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import Engagement
from hub.models import Organisation, User
from hub.services import audit_record

Outcome = Engagement.Outcome
Programme = Engagement.Programme


def journey_viewed(*, engagement: Engagement, actor: User, organisation: Organisation) -> None:
    """Record that a member of staff looked at a resident's personal data."""
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=engagement.resident,
        action="resident.viewed",
        summary=f"Viewed a resident's journey in {engagement.campaign.name}",
        data={"campaign": str(engagement.campaign_id), "engagement": str(engagement.pk)},
    )


def _date_errors(engagement: Engagement, **dates: datetime.date | None) -> dict[str, str]:
    """Each date given must be today or earlier, and not before they were engaged."""
    today = timezone.localdate()
    errors = {}
    for field, value in dates.items():
        if value is None:
            continue
        if value > today:
            errors[field] = "The date must be today or in the past"
        elif value < engagement.engaged_on:
            errors[field] = (
                f"The date must be on or after the day they were engaged, "
                f"{engagement.engaged_on:%-d %B %Y}"
            )
    return errors


def _save(
    engagement: Engagement,
    changes: dict,
    *,
    actor: User,
    organisation: Organisation,
    action: str,
    summary: str,
) -> Engagement:
    for field, value in changes.items():
        setattr(engagement, field, value)
    engagement.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=engagement,
        action=action,
        summary=f"{summary}: a resident in {engagement.campaign.name}",
        data={
            field: value.isoformat() if isinstance(value, datetime.date) else value
            for field, value in changes.items()
            if field != "notes"
        },
    )
    return engagement


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("resident", "campaign")
        .get(pk=engagement.pk)
    )


@transaction.atomic
def journey_refer_for_support(
    *,
    engagement: Engagement,
    referred_on: datetime.date | None,
    actor: User,
    organisation: Organisation,
) -> Engagement:
    """Referred for one-to-one support on that day (None clears it)."""
    engagement = _locked(engagement)
    errors = _date_errors(engagement, referred_for_support_on=referred_on)
    if errors:
        raise ValidationError(errors)
    return _save(
        engagement,
        {"referred_for_support_on": referred_on},
        actor=actor,
        organisation=organisation,
        action="resident.referred_for_support",
        summary="Recorded a referral for one-to-one support",
    )


@transaction.atomic
def journey_refer_to_programme(
    *,
    engagement: Engagement,
    programme: str,
    referred_on: datetime.date | None,
    actor: User,
    organisation: Organisation,
) -> Engagement:
    """Referred to the partner programme that suits them (care academy, employability
    course, volunteering, apprenticeship) on that day; no programme clears it."""
    engagement = _locked(engagement)
    errors = {}
    if programme and programme not in Programme.values:
        errors["programme"] = "Choose a programme from the list"
    elif programme and referred_on is None:
        errors["programme_referred_on"] = "Enter the date they were referred"
    elif not programme and referred_on is not None:
        errors["programme"] = "Choose the programme they were referred to"
    errors |= _date_errors(engagement, programme_referred_on=referred_on)
    if errors:
        raise ValidationError(errors)
    return _save(
        engagement,
        {"programme": programme, "programme_referred_on": referred_on if programme else None},
        actor=actor,
        organisation=organisation,
        action="resident.referred_to_programme",
        summary="Recorded a referral to a partner programme",
    )


@transaction.atomic
def journey_record_applied(
    *,
    engagement: Engagement,
    applied_on: datetime.date | None,
    actor: User,
    organisation: Organisation,
) -> Engagement:
    """They applied for a job somewhere Workforce Hub cannot see (None clears it). An
    application made through the portal is linked automatically and dates itself."""
    engagement = _locked(engagement)
    if engagement.application_id is not None:
        raise ValidationError(
            "Their application on Workforce Hub is linked to this journey: it records "
            "when they applied."
        )
    errors = _date_errors(engagement, applied_on=applied_on)
    if errors:
        raise ValidationError(errors)
    return _save(
        engagement,
        {"applied_on": applied_on},
        actor=actor,
        organisation=organisation,
        action="resident.applied_elsewhere",
        summary="Recorded an application made elsewhere",
    )


@transaction.atomic
def journey_record_outcome(
    *,
    engagement: Engagement,
    outcome: str,
    outcome_on: datetime.date | None,
    left_on: datetime.date | None = None,
    actor: User,
    organisation: Organisation,
) -> Engagement:
    """The outcome (a job, training, employability support or volunteering) and the day
    it began; for a job, the day they left it, which retention at 3, 6 and 12 months
    counts from. No outcome clears all three."""
    engagement = _locked(engagement)
    errors = {}
    if outcome and outcome not in Outcome.values:
        errors["outcome"] = "Choose an outcome from the list"
    elif outcome and outcome_on is None:
        errors["outcome_on"] = "Enter the date the job, training or support began"
    elif not outcome and (outcome_on is not None or left_on is not None):
        errors["outcome"] = "Choose the outcome"
    if left_on is not None and outcome and outcome != Outcome.STARTED_JOB:
        errors["left_on"] = "Only record a leaving date for someone who started a job"
    errors |= _date_errors(engagement, outcome_on=outcome_on, left_on=left_on)
    if (
        "left_on" not in errors
        and left_on is not None
        and outcome_on is not None
        and left_on <= outcome_on
    ):
        errors["left_on"] = "The date they left must be after the day they started"
    if errors:
        raise ValidationError(errors)
    return _save(
        engagement,
        {
            "outcome": outcome,
            "outcome_on": outcome_on if outcome else None,
            "left_on": left_on if outcome == Outcome.STARTED_JOB else None,
        },
        actor=actor,
        organisation=organisation,
        action="resident.outcome_recorded",
        summary="Recorded an outcome",
    )


@transaction.atomic
def journey_record_notes(
    *, engagement: Engagement, notes: str, actor: User, organisation: Organisation
) -> Engagement:
    """Staff's notes on the journey. The audit row says they changed, not what they say."""
    engagement = _locked(engagement)
    return _save(
        engagement,
        {"notes": notes.strip()},
        actor=actor,
        organisation=organisation,
        action="resident.notes_changed",
        summary="Changed the notes",
    )
