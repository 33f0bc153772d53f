"""What talent holds about a person, for their data download, and what erasing their
account does to it (hub.data_rights). Imported by TalentConfig.ready().

The download has everything about them, recruiters' judgements and notes included (the
right of access covers opinions about a person); the staff who wrote them are named by
organisation only. Erasure withdraws applications in progress (the vacancy's contact is
told), anonymises every sent application as the retention job does, so organisations
keep the anonymous record their figures count, deletes drafts and CVs, the talent pool
profile with its consent, job alerts and the rest; trial shift requests (the open ones
cancelled first, telling the organisation) go with the account."""

from django.db.models import Prefetch, QuerySet

from hub.data_rights import (
    Section,
    counted,
    erasure_refusal,
    personal_data,
    personal_data_eraser,
    personal_file,
    seen_by_organisations,
)
from hub.models import Membership, User
from hub.uploads import private_files_delete_after_commit
from talent import emails
from talent.models import (
    Application,
    ApplicationAnswer,
    CandidateProfile,
    EqualityMonitoring,
    InterviewBooking,
    Offer,
    RotationParticipant,
    SavedSearch,
    SecondmentAgreement,
    SecondmentInterest,
    TalentPoolProfile,
    TrialShiftRequest,
)
from talent.selectors.applications import CANDIDATE_STAGES
from talent.services.applications import application_withdraw
from talent.services.interviews import OPEN_REQUEST_STATUSES, trial_shift_request_cancel
from talent.services.pool import pool_profile_delete
from talent.services.retention import anonymise_applications

Stage = Application.Stage
DECIDED = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)
# The reason in the pipeline's history when erasing an account withdraws an application.
ERASED_REASON = "The candidate erased their Workforce Hub account"


# --- Download ----------------------------------------------------------------------------------


@personal_data("candidate_profile")
def candidate_profile(user: User) -> Section:
    """What prefills their applications."""
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is None:
        return Section(None)
    return Section(
        {
            "phone": profile.phone,
            "address": profile.address,
            "postcode": profile.postcode,
            "right_to_work": profile.get_right_to_work_display(),
        }
    )


def _monitoring(application: Application) -> dict | None:
    try:
        answers = application.monitoring
    except EqualityMonitoring.DoesNotExist:
        return None
    return {
        field.name: getattr(answers, f"get_{field.name}_display")()
        for field in EqualityMonitoring._meta.concrete_fields
        if field.choices
    }


def _interview(application: Application) -> dict | None:
    try:
        slot = application.interview.slot
    except InterviewBooking.DoesNotExist:
        return None
    return {
        "starts": slot.starts_at,
        "ends": slot.ends_at,
        "location": slot.location,
        "video_link": slot.video_link,
    }


def _offer(application: Application) -> dict | None:
    try:
        offer = application.offer
    except Offer.DoesNotExist:
        return None
    return {
        "terms": offer.terms,
        "conditional": offer.conditional_at,
        "unconditional": offer.unconditional_at,
        "start_date": offer.start_date,
    }


def _application(application: Application, cv_path: str | None, seen_by: list) -> dict:
    return {
        "id": application.pk,
        "job": application.vacancy.title,
        "job_reference": application.vacancy.reference,
        "organisation": application.vacancy.organisation.name,
        "stage": CANDIDATE_STAGES[application.stage][0],
        "stage_in_the_organisation_pipeline": application.get_stage_display(),
        "started": application.created_at,
        "sent": application.submitted_at,
        "full_name": application.full_name,
        "email": application.email,
        "phone": application.phone,
        "address": application.address,
        "postcode": application.postcode,
        "right_to_work": application.get_right_to_work_display(),
        "supporting_statement": application.supporting_statement,
        "reasonable_adjustments": application.reasonable_adjustments,
        "how_you_heard_about_the_job": application.get_source_display(),
        "campaign_code": application.campaign_code,
        "route_into_work": application.get_fair_route_display(),
        "cv_file": cv_path,
        "cv_original_name": application.cv_filename,
        "answers": [
            {"question": answer.question.text, "answer": answer.answer}
            for answer in application.answers.all()
        ],
        "equality_monitoring": _monitoring(application),
        "history": [
            {
                "at": change.created_at,
                "from": change.get_from_stage_display(),
                "to": change.get_to_stage_display(),
                "reason": change.reason,
            }
            for change in application.history.all()
        ],
        "recruiter_meets_essential_criteria": application.meets_essential_criteria,
        "reason_unsuccessful": application.get_rejection_reason_display(),
        "recruiters_notes": [
            {"at": note.created_at, "text": note.text} for note in application.notes.all()
        ],
        "interview": _interview(application),
        "offer": _offer(application),
        "pre_employment_checks": [
            {
                "check": check.get_kind_display(),
                "outcome": check.get_outcome_display(),
                "checked_on": check.checked_on,
                "detail": check.detail,
            }
            for check in application.checks.all()
        ],
        "opened_by_staff_of": seen_by,
        "anonymised": application.anonymised_at,
    }


@personal_data("applications")
def applications(user: User) -> Section:
    """Every application, drafts too, with its CV under files/applications/<id>/."""
    rows = list(
        Application.objects.filter(candidate=user)
        .select_related("vacancy__organisation", "monitoring", "interview__slot", "offer")
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("question")),
            "history",
            "notes",
            "checks",
        )
        .order_by("created_at")
    )
    seen = seen_by_organisations(Application, [row.pk for row in rows], action="application.viewed")
    data, files = [], []
    for application in rows:
        cv_path = None
        if application.cv.name:
            cv = personal_file(
                f"applications/{application.pk}",
                application.cv_filename or "cv",
                application.cv.name,
            )
            files.append(cv)
            cv_path = cv.path
        data.append(_application(application, cv_path, seen.get(str(application.pk), [])))
    return Section(data, files)


@personal_data("job_alerts")
def job_alerts(user: User) -> Section:
    """Saved searches and how often each emails them."""
    return Section(
        [
            {
                "name": search.name,
                "search": search.query,
                "how_often": search.get_frequency_display(),
                "emails_on": search.active,
                "saved": search.created_at,
                "last_sent": search.last_sent_at,
            }
            for search in SavedSearch.objects.filter(user=user).order_by("created_at")
        ]
    )


@personal_data("trial_shifts")
def trial_shifts(user: User) -> Section:
    requests = TrialShiftRequest.objects.filter(candidate=user).select_related(
        "slot__vacancy__organisation"
    )
    return Section(
        [
            {
                "job": request.slot.vacancy.title,
                "organisation": request.slot.vacancy.organisation.name,
                "starts": request.slot.starts_at,
                "ends": request.slot.ends_at,
                "location": request.slot.location,
                "status": request.get_status_display(),
                "your_message": request.message,
                "phone": request.phone,
                "asked": request.created_at,
                "decided": request.decided_at,
                "reason_declined": request.decline_reason,
            }
            for request in requests
        ]
    )


@personal_data("talent_pool")
def talent_pool(user: User) -> Section:
    """Their pool profile, the consent they gave (word for word), the invitations to
    apply it brought, and which partners opened it."""
    profile = (
        TalentPoolProfile.objects.filter(user=user)
        .prefetch_related("staff_groups", "invitations__vacancy", "invitations__organisation")
        .first()
    )
    if profile is None:
        return Section(None)
    return Section(
        {
            "headline": profile.headline,
            "skills": profile.skills,
            "staff_groups": [group.name for group in profile.staff_groups.all()],
            "cannot_work_nights": profile.no_nights,
            "cannot_work_weekends": profile.no_weekends,
            "term_time_only": profile.term_time_only,
            "most_hours_a_week": profile.max_hours_per_week,
            "postcode_district": profile.postcode_district,
            "available_from": profile.available_from,
            "joined": profile.get_joined_display(),
            "in_the_pool": profile.is_in_pool,
            "consent": {
                "wording": profile.consent_wording,
                "given": profile.consent_given_at,
                "withdrawn": profile.consent_withdrawn_at,
            },
            "invitations_to_apply": [
                {
                    "organisation": invitation.organisation.name,
                    "job": invitation.vacancy.title,
                    "message": invitation.message,
                    "sent": invitation.created_at,
                    "seen": invitation.seen_at,
                    "declined": invitation.declined_at,
                }
                for invitation in profile.invitations.all()
            ],
            "opened_by_staff_of": seen_by_organisations(
                TalentPoolProfile, [profile.pk], action="talent_pool.profile_viewed"
            ).get(str(profile.pk), []),
        }
    )


@personal_data("secondments")
def secondments(user: User) -> Section:
    interests = SecondmentInterest.objects.filter(person=user).select_related(
        "opportunity__host", "home"
    )
    agreements = SecondmentAgreement.objects.filter(person=user).select_related("home", "host")
    return Section(
        {
            "expressions_of_interest": [
                {
                    "role": interest.opportunity.title,
                    "host": interest.opportunity.host.name,
                    "home": interest.home.name,
                    "why_you_are_interested": interest.statement,
                    "status": interest.get_status_display(),
                    "expressed": interest.created_at,
                    "home_decided": interest.home_decided_at,
                    "home_reason": interest.home_reason,
                    "host_decided": interest.host_decided_at,
                }
                for interest in interests
            ],
            "agreements": [
                {
                    "role": agreement.role_title,
                    "home": agreement.home.name,
                    "host": agreement.host.name,
                    "starts_on": agreement.starts_on,
                    "ends_on": agreement.ends_on,
                    "first_agreed_end": agreement.original_ends_on,
                    "arrangement": agreement.get_arrangement_display(),
                    "recharge": agreement.recharge,
                    "right_to_return": agreement.right_to_return,
                    "return_terms": agreement.return_terms,
                    "status": agreement.get_status_display(),
                    "ended_early_on": agreement.ended_early_on,
                    "early_end_reason": agreement.early_end_reason,
                    "cancel_reason": agreement.cancel_reason,
                }
                for agreement in agreements
            ],
        }
    )


@personal_data("rotations")
def rotations(user: User) -> Section:
    participants = RotationParticipant.objects.filter(person=user).select_related(
        "scheme", "employer"
    )
    return Section(
        [
            {
                "scheme": participant.scheme.name,
                "employer": participant.employer.name,
                "name": participant.name,
                "email": participant.email,
                "starts_on": participant.starts_on,
                "first_placement": participant.first_position,
                "status": participant.get_status_display(),
                "left_on": participant.left_on,
            }
            for participant in participants
        ]
    )


# --- Erasure -----------------------------------------------------------------------------------


@erasure_refusal
def has_secondment_agreements(user: User) -> str | None:
    if not SecondmentAgreement.objects.filter(person=user).exists():
        return None
    return (
        "You have secondment agreements, which your home and host organisations keep as "
        "employment records. Contact the Workforce Hub team, who will erase the rest of "
        "your data and tell you what those organisations keep."
    )


def _tell_contact(application: Application) -> None:
    """The vacancy's contact hears of the withdrawal while a member of its organisation."""
    contact = application.vacancy.contact
    if (
        contact is not None
        and contact.is_active
        and Membership.objects.filter(
            user=contact, organisation_id=application.vacancy.organisation_id
        ).exists()
    ):
        emails.email_application_withdrawn_account_erased(
            application=application, recipient=contact
        )


def _cancel_trial_shifts(user: User, now) -> list[str]:
    """Open requests for shifts still to come are called off, telling the contact; the
    rows go with the account."""
    trial_requests = list(
        TrialShiftRequest.objects.filter(
            candidate=user, status__in=OPEN_REQUEST_STATUSES, slot__starts_at__gt=now
        )
    )
    for trial_request in trial_requests:
        trial_shift_request_cancel(trial_request=trial_request, actor=user)
    if not trial_requests:
        return []
    return [
        f"Cancelled {counted(len(trial_requests), 'trial shift request')} and told the "
        "organisations."
    ]


def applications_in_progress(user: User) -> QuerySet[Application]:
    """Sent applications not yet decided: erasing the account withdraws these."""
    return (
        Application.objects.filter(candidate=user)
        .exclude(stage__in=(Stage.DRAFT, *DECIDED))
        .select_related("vacancy__organisation", "vacancy__contact")
        .order_by("submitted_at")
    )


def _withdraw_in_progress(user: User) -> list[str]:
    in_progress = list(applications_in_progress(user))
    for application in in_progress:
        withdrawn = application_withdraw(application=application, actor=user, reason=ERASED_REASON)
        _tell_contact(withdrawn)
    if not in_progress:
        return []
    return [
        f"Withdrew {counted(len(in_progress), 'application')} in progress and told the "
        "organisations."
    ]


def _erase_applications(user: User, now) -> list[str]:
    """Drafts (never sent) are deleted; sent applications are anonymised as the
    retention job does. Every CV goes once the transaction commits."""
    done = []
    mine = Application.objects.filter(candidate=user)
    cvs = mine.exclude(cv="").count()
    drafts = mine.filter(stage=Stage.DRAFT)
    draft_cvs = [name for name in drafts.values_list("cv", flat=True) if name]
    if draft_count := drafts.count():
        drafts.delete()
        private_files_delete_after_commit(draft_cvs)
        done.append(f"Deleted {counted(draft_count, 'draft application')}.")
    sent = Application.objects.filter(candidate=user, anonymised_at__isnull=True)
    if anonymised := anonymise_applications(sent, now=now):
        done.append(
            f"Anonymised {counted(anonymised, 'application')} you sent: the organisations "
            "keep the record without your name, contact details, statement, answers or CV."
        )
    if cvs:
        done.append(f"Deleted {counted(cvs, 'CV')}.")
    return done


def _erase_the_rest(user: User) -> list[str]:
    done = []
    profile = TalentPoolProfile.objects.filter(user=user).first()
    if profile is not None:
        pool_profile_delete(profile=profile, actor=user)
        done.append(
            "Withdrew your consent to the talent pool and deleted your profile and its "
            "invitations to apply."
        )
    alerts = SavedSearch.objects.filter(user=user)
    if alert_count := alerts.count():
        alerts.delete()
        done.append(f"Deleted {counted(alert_count, 'job alert')}.")
    if CandidateProfile.objects.filter(user=user).delete()[0]:
        done.append("Deleted your details for applications.")
    interests = SecondmentInterest.objects.filter(person=user)
    if interest_count := interests.count():
        interests.delete()
        interests_text = counted(
            interest_count, "expression of interest", "expressions of interest"
        )
        done.append(f"Deleted {interests_text} in secondments.")
    return done


@personal_data_eraser("talent")
def erase(*, user: User, now) -> list[str]:
    return [
        *_cancel_trial_shifts(user, now),
        *_withdraw_in_progress(user),
        *_erase_applications(user, now),
        *_erase_the_rest(user),
    ]
