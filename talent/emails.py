"""Every email talent sends, each a named function going through the outbox."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hub.models import User
from hub.outbox import outbox_enqueue, outbox_send_template
from talent.ics import attachment, interview_ics, trial_shift_ics, when_text
from talent.models import PreEmploymentCheck, SecondmentAgreement, SecondmentInterest
from talent.selectors.pipeline import (
    PIPELINE_STAGES,
    applicant_display,
    organisation_email_template,
)

# --- Vacancy approval (HR staff and organisation admins) -------------------------------


def _candidate_context(application) -> dict:
    """What every email to a candidate about their application shows."""
    return {
        "application": application,
        "vacancy": application.vacancy,
        "organisation": application.vacancy.organisation,
        "application_path": application.get_absolute_url(),
    }


def _vacancy_manage_path(vacancy) -> str:

    return reverse(
        "vacancies:vacancy_detail",
        kwargs={"org_slug": vacancy.organisation.slug, "pk": vacancy.pk},
    )


def email_vacancy_awaiting_approval(*, vacancy, recipient, submitted_by):
    """To each admin of the organisation: a colleague sent a vacancy for approval."""
    return outbox_send_template(
        template="vacancy_awaiting_approval",
        to=recipient.email,
        context={
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "recipient": recipient,
            "submitted_by": submitted_by,
            "manage_path": _vacancy_manage_path(vacancy),
        },
    )


def email_vacancy_approved(*, vacancy, approved_by):
    """To the vacancy's creator: an admin approved it and it is live."""
    return outbox_send_template(
        template="vacancy_approved",
        to=vacancy.created_by.email,
        context={
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "recipient": vacancy.created_by,
            "approved_by": approved_by,
            "manage_path": _vacancy_manage_path(vacancy),
            "public_path": vacancy.get_absolute_url(),
        },
    )


def email_vacancy_returned_to_draft(*, vacancy, returned_by, reason):
    """To the vacancy's creator: an admin did not approve it, and why."""
    return outbox_send_template(
        template="vacancy_returned_to_draft",
        to=vacancy.created_by.email,
        context={
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "recipient": vacancy.created_by,
            "returned_by": returned_by,
            "reason": reason,
            "manage_path": _vacancy_manage_path(vacancy),
        },
    )


# --- Applying and job alerts (candidates, and the vacancy's contact) ---------------------


def _application_manage_path(application) -> str:
    """The HR page of an application, for the vacancy's contact."""

    return reverse(
        "vacancies:application_detail",
        kwargs={
            "org_slug": application.vacancy.organisation.slug,
            "application_id": application.pk,
        },
    )


def email_application_received(*, application):
    """To the candidate: we have your application for X at Y."""
    return outbox_send_template(
        template="application_received",
        to=application.email,
        context=_candidate_context(application),
    )


def email_new_application(*, application):
    """To the vacancy's contact, straight away: a new application, with only the
    applicant's name (or their reference, under anonymised shortlisting) and a link to
    read it after signing in."""

    vacancy = application.vacancy
    return outbox_send_template(
        template="application_new",
        to=vacancy.contact.email,
        context={
            "recipient": vacancy.contact,
            "applicant_name": applicant_display(application, contact=False).name,
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "manage_path": _application_manage_path(application),
        },
    )


def email_application_digest(*, contact, applications):
    """To a vacancy's contact, once a day: the applications they have not heard of yet,
    each with the applicant's name only."""

    items = [
        {
            "applicant_name": applicant_display(application, contact=False).name,
            "vacancy": application.vacancy,
            "organisation": application.vacancy.organisation,
            "submitted_at": application.submitted_at,
            "manage_path": _application_manage_path(application),
        }
        for application in applications
    ]
    return outbox_send_template(
        template="application_digest",
        to=contact.email,
        context={"recipient": contact, "items": items, "count": len(items)},
    )


def job_alert_email(*, saved_search, vacancies, total) -> dict:
    """The template, recipient, context and headers of a job alert, for the outbox
    (`email_job_alert`, or many at once by `talent.services.alerts`)."""
    unsubscribe_path = reverse(
        "candidate:alert_unsubscribe", kwargs={"token": saved_search.unsubscribe_token}
    )
    return {
        "template": "job_alert",
        "to": saved_search.user.email,
        "context": {
            "saved_search": saved_search,
            "vacancies": vacancies,
            "total": total,
            "more": total - len(vacancies),
            "search_path": saved_search.get_search_url(),
            "alerts_path": reverse("candidate:alerts"),
            "unsubscribe_path": unsubscribe_path,
        },
        "headers": {
            "List-Unsubscribe": f"<{settings.SITE_URL}{unsubscribe_path}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def email_job_alert(*, saved_search, vacancies, total):
    """To a candidate: new vacancies matching their saved search, with a one-click
    unsubscribe (RFC 8058) that works without signing in."""
    return outbox_send_template(
        **job_alert_email(saved_search=saved_search, vacancies=vacancies, total=total)
    )


# --- Offers: conditional, unconditional and the start date (candidates) --------------------


def _offer_context(application, offer) -> dict:
    return {
        **_candidate_context(application),
        "offer": offer,
        "check_kinds": PreEmploymentCheck.Kind.labels,
    }


def email_offer_conditional(*, application, offer):
    """To the candidate: a conditional offer, its terms, and the checks that come next."""
    return outbox_send_template(
        template="offer_conditional",
        to=application.email,
        context=_offer_context(application, offer),
    )


def email_offer_unconditional(*, application, offer):
    """To the candidate: every check is done and the offer is confirmed."""
    return outbox_send_template(
        template="offer_unconditional",
        to=application.email,
        context=_offer_context(application, offer),
    )


def email_offer_start_date(*, application, offer, changed=False):
    """To the candidate: the date they start (or its new date)."""
    return outbox_send_template(
        template="offer_start_date",
        to=application.email,
        context={**_offer_context(application, offer), "changed": changed},
    )


# --- Interviews and trial shifts (candidates, and the vacancy's contact) ---------------------


def _interview_context(booking) -> dict:

    application = booking.application
    vacancy = application.vacancy
    return {
        "application": application,
        "vacancy": vacancy,
        "organisation": vacancy.organisation,
        "slot": booking.slot,
        "when": when_text(booking.slot.starts_at, booking.slot.ends_at),
        "interview_path": reverse("bookings:interview", kwargs={"application_id": application.pk}),
        "manage_path": _application_manage_path(application),
    }


def _interview_ics(booking, *, cancelled=False) -> list[dict]:

    return [attachment(interview_ics(booking, cancelled=cancelled), "interview.ics")]


def email_interview_booked(*, booking, moved=False, by_staff=False):
    """To the candidate: their interview time (booked, or moved), with the .ics."""

    application = booking.application
    return outbox_send_template(
        template="interview_booked",
        to=application.email or application.candidate.email,
        context={**_interview_context(booking), "moved": moved, "by_staff": by_staff},
        attachments=_interview_ics(booking),
    )


def email_interview_cancelled(*, booking, by_staff=False, reason=""):
    """To the candidate: their interview is cancelled (the .ics takes it out of their
    calendar); while invited they can choose another time."""

    application = booking.application
    return outbox_send_template(
        template="interview_cancelled",
        to=application.email or application.candidate.email,
        context={
            **_interview_context(booking),
            "by_staff": by_staff,
            "reason": reason,
            "can_rebook": application.stage == "interview",
        },
        attachments=_interview_ics(booking, cancelled=True),
    )


def email_interview_contact(*, booking, recipient, event):
    """To the vacancy's contact: an interview was booked, moved or cancelled (`event`);
    the .ics for their own calendar."""
    return outbox_send_template(
        template="interview_contact",
        to=recipient.email,
        context={**_interview_context(booking), "recipient": recipient, "event": event},
        attachments=_interview_ics(booking, cancelled=event == "cancelled"),
    )


def email_interview_reminder(*, booking):
    """To the candidate, the day before: their interview tomorrow."""

    application = booking.application
    return outbox_send_template(
        template="interview_reminder",
        to=application.email or application.candidate.email,
        context=_interview_context(booking),
        attachments=_interview_ics(booking),
    )


def _trial_shift_context(trial_request) -> dict:

    slot = trial_request.slot
    vacancy = slot.vacancy
    return {
        "trial_request": trial_request,
        "candidate": trial_request.candidate,
        "vacancy": vacancy,
        "organisation": vacancy.organisation,
        "slot": slot,
        "when": when_text(slot.starts_at, slot.ends_at),
        "my_trial_shifts_path": reverse("bookings:my_trial_shifts"),
        "manage_path": reverse(
            "interviews:trial_request",
            kwargs={"org_slug": vacancy.organisation.slug, "trial_request_id": trial_request.pk},
        ),
    }


def _trial_shift_ics(trial_request, *, cancelled=False) -> list[dict]:

    return [attachment(trial_shift_ics(trial_request, cancelled=cancelled), "trial-shift.ics")]


def email_trial_shift_confirmed(*, trial_request):
    """To the candidate: their trial shift is confirmed, with the .ics."""
    return outbox_send_template(
        template="trial_shift_confirmed",
        to=trial_request.candidate.email,
        context=_trial_shift_context(trial_request),
        attachments=_trial_shift_ics(trial_request),
    )


def email_trial_shift_declined(*, trial_request, was_confirmed=False):
    """To the candidate: their request was declined, and why (a confirmed shift is taken
    out of their calendar)."""
    return outbox_send_template(
        template="trial_shift_declined",
        to=trial_request.candidate.email,
        context={**_trial_shift_context(trial_request), "was_confirmed": was_confirmed},
        attachments=_trial_shift_ics(trial_request, cancelled=True) if was_confirmed else None,
    )


def email_trial_shift_contact(*, trial_request, recipient, event, was_confirmed=False):
    """To the vacancy's contact: a trial shift was requested, confirmed (with the .ics)
    or cancelled by the candidate (`event`)."""

    attachments = None
    if event == "confirmed":
        attachments = _trial_shift_ics(trial_request)
    elif event == "cancelled" and was_confirmed:
        attachments = _trial_shift_ics(trial_request, cancelled=True)
    return outbox_send_template(
        template="trial_shift_contact",
        to=recipient.email,
        context={
            **_trial_shift_context(trial_request),
            "recipient": recipient,
            "event": event,
            "was_confirmed": was_confirmed,
        },
        attachments=attachments,
    )


def email_trial_shift_reminder(*, trial_request):
    """To the candidate, the day before: their trial shift tomorrow."""
    return outbox_send_template(
        template="trial_shift_reminder",
        to=trial_request.candidate.email,
        context=_trial_shift_context(trial_request),
        attachments=_trial_shift_ics(trial_request),
    )


# --- The pipeline: moves meant for the candidate ---------------------------------------------


def _email_in_organisation_wording(*, application, kind: str, values: dict, extra=None):
    """An email in the organisation's own wording (or the default): its placeholders
    filled by plain substitution, never rendered as a template; the HTML part escapes it.
    `extra` is context the portal's own wording around it uses."""

    # Imported here: talent.services.pipeline imports this module to send its emails.
    from talent.services.pipeline import fill_placeholders

    organisation = application.vacancy.organisation
    template = organisation_email_template(organisation, kind)
    values = {
        "candidate_name": application.full_name or "applicant",
        "vacancy_title": application.vacancy.title,
        "organisation_name": organisation.name,
        **values,
    }
    subject = " ".join(fill_placeholders(template.subject, values).split())
    body = fill_placeholders(template.body, values)
    context = {
        "subject": subject,
        "body": body,
        "organisation": organisation,
        "application_path": application.get_absolute_url(),
        "site_url": settings.SITE_URL,
        **(extra or {}),
    }
    return outbox_enqueue(
        kind=f"pipeline_{kind}",
        to=application.email,
        subject=subject,
        body_text=render_to_string("emails/pipeline_organisation_message_body.txt", context),
        body_html=render_to_string("emails/pipeline_organisation_message_body.html", context),
    )


def email_application_rejected(*, application):
    """To the candidate: their application was unsuccessful, in the organisation's own
    "rejection" wording, with the reason from the list, and the offer to join the shared
    talent pool so that other partners can invite them to apply."""
    return _email_in_organisation_wording(
        application=application,
        kind="rejection",
        values={"rejection_reason": application.get_rejection_reason_display()},
        extra={"pool_offer_path": f"{reverse('pool_candidate:profile')}?from=rejection"},
    )


def email_interview_invitation(*, application):
    """To the candidate: an invitation to interview, in the organisation's own wording,
    with the link where they book a time."""

    booking_path = reverse("bookings:interview", kwargs={"application_id": application.pk})
    return _email_in_organisation_wording(
        application=application,
        kind="interview_invitation",
        values={"booking_link": f"{settings.SITE_URL}{booking_path}"},
    )


def email_application_shortlisted(*, application):
    """To the candidate: they have been shortlisted; an invitation to interview follows."""
    return outbox_send_template(
        template="pipeline_shortlisted",
        to=application.email,
        context=_candidate_context(application),
    )


def email_application_withdrawn_by_employer(*, application):
    """To the candidate: the organisation withdrew their application (for example when
    the post is no longer being filled)."""
    return outbox_send_template(
        template="pipeline_withdrawn",
        to=application.email,
        context=_candidate_context(application),
    )


def email_application_withdrawn_account_erased(*, application, recipient):
    """To the vacancy's contact: an applicant erased their account, so their application
    in progress was withdrawn and anonymised. Named as the contact knows them, so copies
    kept outside the portal (a printed CV, say) can be deleted too (UK GDPR article 19)."""
    vacancy = application.vacancy
    return outbox_send_template(
        template="application_withdrawn_account_erased",
        to=recipient.email,
        context={
            "recipient": recipient,
            "applicant": applicant_display(application, contact=False),
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "manage_path": _application_manage_path(application),
        },
    )


# --- The shared talent pool (candidates) -----------------------------------------------------


def email_pool_invitation(*, invitation):
    """To a candidate in the talent pool: a partner invites them to apply for a vacancy,
    with its message and the link to their invitations."""
    vacancy = invitation.vacancy
    return outbox_send_template(
        template="pool_invitation",
        to=invitation.profile.user.email,
        context={
            "invitation": invitation,
            "candidate": invitation.profile.user,
            "vacancy": vacancy,
            "organisation": invitation.organisation,
            "invitations_path": reverse("pool_candidate:invitations"),
            "vacancy_path": vacancy.get_absolute_url(),
        },
    )


# --- Secondments ---------------------------------------------------------------------------


def email_secondment_interest_expressed(*, interest: SecondmentInterest, recipient: User):
    """To each approver of the home organisation: a member of staff asks to be released."""
    return outbox_send_template(
        template="secondment_interest_expressed",
        to=recipient.email,
        context={
            "interest": interest,
            "opportunity": interest.opportunity,
            "recipient": recipient,
            "path": reverse(
                "secondments:interest_release",
                kwargs={"org_slug": interest.home.slug, "interest_id": interest.pk},
            ),
        },
    )


def email_secondment_release_decided(*, interest: SecondmentInterest):
    """To the person: their home organisation released them, or did not and why."""
    return outbox_send_template(
        template="secondment_release_decided",
        to=interest.person.email,
        context={
            "interest": interest,
            "opportunity": interest.opportunity,
            "recipient": interest.person,
            "released": interest.status == SecondmentInterest.Status.RELEASED,
            "path": reverse("my_secondments:list"),
        },
    )


def email_secondment_interest_released(*, interest: SecondmentInterest, recipient: User):
    """To the host's contact (or its approvers, when the opportunity names no contact):
    someone released by their home organisation is interested."""
    opportunity = interest.opportunity
    return outbox_send_template(
        template="secondment_interest_released",
        to=recipient.email,
        context={
            "interest": interest,
            "opportunity": opportunity,
            "recipient": recipient,
            "is_contact": recipient.pk == opportunity.contact_id,
            "path": reverse(
                "secondments:opportunity_detail",
                kwargs={"org_slug": opportunity.host.slug, "opportunity_id": opportunity.pk},
            ),
        },
    )


def email_secondment_not_selected(*, interest: SecondmentInterest, message: str):
    """To the person: the host did not select them."""
    return outbox_send_template(
        template="secondment_not_selected",
        to=interest.person.email,
        context={
            "interest": interest,
            "opportunity": interest.opportunity,
            "recipient": interest.person,
            "message": message,
            "path": reverse("my_secondments:list"),
        },
    )


def email_secondment_agreement_update(
    *, agreement: SecondmentAgreement, event: str, recipient: User, path: str, **extra
):
    """To the person and the approvers concerned: an agreement was proposed, approved,
    started, extended, ended or cancelled (`event`)."""
    return outbox_send_template(
        template="secondment_agreement_update",
        to=recipient.email,
        context={
            "agreement": agreement,
            "event": event,
            "recipient": recipient,
            "is_person": recipient.pk == agreement.person_id,
            "path": path,
            **extra,
        },
    )


def email_secondment_end_reminder(*, agreement: SecondmentAgreement, recipient: User, path: str):
    """To the person, both sides' approvers and the host's contact: it ends soon."""
    return outbox_send_template(
        template="secondment_end_reminder",
        to=recipient.email,
        context={
            "agreement": agreement,
            "recipient": recipient,
            "is_person": recipient.pk == agreement.person_id,
            "days_left": (agreement.ends_on - timezone.localdate()).days,
            "path": path,
        },
    )


# --- Weekly digest for vacancy contacts ----------------------------------------------------


def email_weekly_vacancy_digest(*, contact, organisation, vacancies, overdue: dict, since):
    """To a vacancy contact on Mondays: each of their open vacancies at the organisation
    with the past week's applications by stage and the open ones overdue against the
    time-to-hire targets. Figures only: no applicant is named."""
    items = [
        {
            "vacancy": vacancy,
            "new_total": vacancy.new_total,
            "new_by_stage": [
                (stage.label, getattr(vacancy, f"new_{stage}"))
                for stage in PIPELINE_STAGES
                if getattr(vacancy, f"new_{stage}")
            ],
            "overdue": overdue.get(vacancy.pk, 0),
            "manage_path": _vacancy_manage_path(vacancy),
        }
        for vacancy in vacancies
    ]
    return outbox_send_template(
        template="vacancy_weekly_digest",
        to=contact.email,
        context={
            "recipient": contact,
            "organisation": organisation,
            "items": items,
            "since": since,
            "new_total": sum(item["new_total"] for item in items),
            "overdue_total": sum(item["overdue"] for item in items),
        },
    )
