"""Writes for applying: a candidate starts an application (a draft), saves it, submits it
and may withdraw it; their profile follows what they last sent. Each write runs in a
transaction, checks its rules, saves, records the stage change and the audit row, and
writes its emails to the outbox (sent once the transaction commits).

Equality monitoring answers are saved in their own table, never copied onto the
application, and used only in aggregate."""

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format

from hub.models import Membership, User
from hub.services import audit_record
from hub.uploads import private_storage, safe_filename, storage_name, validate_document
from talent import emails
from talent.models import (
    Application,
    ApplicationAnswer,
    CandidateProfile,
    EqualityMonitoring,
    StageChange,
    Vacancy,
)
from talent.services.interviews import interview_release
from talent.signals import application_submitted

Stage = Application.Stage

# What the candidate writes on the form; everything else is set by the services.
APPLICATION_DETAIL_FIELDS = (
    "full_name",
    "phone",
    "address",
    "postcode",
    "supporting_statement",
    "right_to_work",
    "reasonable_adjustments",
    "source",
    "fair_route",
)
PROFILE_FIELDS = ("phone", "address", "postcode", "right_to_work")
MONITORING_FIELDS = (
    "age_band",
    "sex",
    "gender_same_as_birth",
    "ethnic_group",
    "disability",
    "religion",
    "sexual_orientation",
)

# What a submitted application must hold, with the message a form shows when it is missing.
REQUIRED_TO_SUBMIT = {
    "full_name": "Enter your full name",
    "phone": "Enter your phone number",
    "supporting_statement": "Enter your supporting statement",
    "right_to_work": "Select whether you have the right to work in the UK",
}


def application_duplicate_key(full_name: str, phone: str) -> str:
    """The name and phone number in one comparable form, to spot one person applying
    twice under two accounts: "amira khan|07700900123". Blank when either is missing.
    A UK number written internationally (+44 7700 …, 0044 7700 …) counts as 07700 …"""
    name = " ".join((full_name or "").lower().split())
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and (phone or "").strip().startswith("+"):
        digits = "0" + digits[2:]
    if not name or not digits:
        return ""
    return f"{name}|{digits}"[:200]


def answer_field_name(question_id: int) -> str:
    """The form field (and error key) of a screening question's answer."""
    return f"question_{question_id}"


def _ensure_open_for_applications(vacancy: Vacancy) -> None:
    if not vacancy.is_live:
        closed_on = date_format(vacancy.closing_date, "j F Y")
        raise ValidationError(
            f"This job closed on {closed_on}. Applications are no longer accepted.",
            code="closed",
        )


def _ensure_owner(application: Application, actor: User) -> None:
    if application.candidate_id is None or application.candidate_id != actor.pk:
        raise ValidationError("This is not your application.", code="not_owner")


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "vacancy__contact", "candidate")
        .get(pk=application.pk)
    )


def _contact_may_hear(vacancy: Vacancy) -> bool:
    """The vacancy's contact hears of applicants only while a member of its organisation."""
    contact = vacancy.contact
    return (
        contact is not None
        and contact.is_active
        and Membership.objects.filter(
            user=contact, organisation_id=vacancy.organisation_id
        ).exists()
    )


# --- Starting ---------------------------------------------------------------------------


def application_start(*, vacancy: Vacancy, candidate: User, campaign_code: str = "") -> Application:
    """The candidate's application for the vacancy: the one they already have, or a new
    draft prefilled from their account and profile. Refused once the job has closed."""
    existing = Application.objects.filter(vacancy=vacancy, candidate=candidate).first()
    if existing is not None:
        return existing
    _ensure_open_for_applications(vacancy)
    profile = CandidateProfile.objects.filter(user=candidate).first()
    application = Application(
        vacancy=vacancy,
        candidate=candidate,
        full_name=candidate.name,
        email=candidate.email,
        campaign_code=campaign_code[:40],
        source=Application.Source.CAMPAIGN if campaign_code else "",
    )
    if profile is not None:
        for field in PROFILE_FIELDS:
            setattr(application, field, getattr(profile, field))
    try:
        with transaction.atomic():
            application.save()
            audit_record(
                actor=candidate,
                organisation=vacancy.organisation,
                obj=application,
                action="application.started",
                summary=f"Started an application for {vacancy.title}",
            )
    except IntegrityError:
        # Started at the same moment in another tab: the constraint keeps one.
        return Application.objects.get(vacancy=vacancy, candidate=candidate)
    return application


# --- Saving and submitting ------------------------------------------------------------------


@contextmanager
def _stored_cv(upload) -> Iterator[tuple[str, str] | None]:
    """Check an uploaded CV by its content and store it under a random name; the file is
    removed again if the write that follows fails. Yields (storage name, safe original
    name), or None when nothing was uploaded."""
    if not upload:
        yield None
        return
    try:
        kind = validate_document(upload, max_bytes=settings.CV_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"cv": error.messages}) from None
    storage = private_storage()
    name = storage.save(storage_name("cvs", kind), upload)
    try:
        yield name, safe_filename(upload.name, fallback="cv")
    except BaseException:
        storage.delete(name)
        raise


def _save_answers(application: Application, answers: Mapping) -> None:
    question_ids = {question.pk for question in application.vacancy.questions.all()}
    for question_id, answer in answers.items():
        if int(question_id) not in question_ids:
            continue
        ApplicationAnswer.objects.update_or_create(
            application=application,
            question_id=int(question_id),
            defaults={"answer": (answer or "").strip()},
        )


def _save_monitoring(application: Application, monitoring: Mapping) -> None:
    """Kept in its own table; no answer at all leaves (or makes) no row."""
    values = {field: monitoring.get(field) or "" for field in MONITORING_FIELDS}
    if any(values.values()):
        EqualityMonitoring.objects.update_or_create(application=application, defaults=values)
    else:
        EqualityMonitoring.objects.filter(application=application).delete()


def _missing_for_submission(application: Application) -> dict[str, str]:
    missing = {
        field: message
        for field, message in REQUIRED_TO_SUBMIT.items()
        if not str(getattr(application, field)).strip()
    }
    answered = {
        answer.question_id
        for answer in ApplicationAnswer.objects.filter(application=application).exclude(answer="")
    }
    for number, question in enumerate(application.vacancy.questions.all(), start=1):
        if question.pk not in answered:
            missing[answer_field_name(question.pk)] = f"Enter your answer to question {number}"
    return missing


def _write(
    *,
    application: Application,
    actor: User,
    details: Mapping | None,
    answers: Mapping | None,
    cv: tuple[str, str] | None,
    monitoring: Mapping | None,
    campaign_code: str,
) -> Application:
    """Lock the draft and write what the candidate sent; the caller's transaction decides."""
    locked = _lock(application)
    _ensure_owner(locked, actor)
    if not locked.is_draft:
        raise ValidationError("You have already sent this application.", code="submitted")
    _ensure_open_for_applications(locked.vacancy)
    for field, value in (details or {}).items():
        if field in APPLICATION_DETAIL_FIELDS:
            setattr(locked, field, (value or "").strip())
    if campaign_code and not locked.campaign_code:
        locked.campaign_code = campaign_code[:40]
    if cv is not None:
        old_name = locked.cv.name
        locked.cv.name, locked.cv_filename = cv
        if old_name:
            transaction.on_commit(partial(private_storage().delete, old_name))
    locked.save()
    if answers is not None:
        _save_answers(locked, answers)
    if monitoring is not None:
        _save_monitoring(locked, monitoring)
    return locked


def application_save(
    *,
    application: Application,
    actor: User,
    details: Mapping | None = None,
    answers: Mapping | None = None,
    cv=None,
    monitoring: Mapping | None = None,
    campaign_code: str = "",
) -> Application:
    """Keep a draft to finish later: anything may still be blank."""
    with _stored_cv(cv) as stored, transaction.atomic():
        locked = _write(
            application=application,
            actor=actor,
            details=details,
            answers=answers,
            cv=stored,
            monitoring=monitoring,
            campaign_code=campaign_code,
        )
        audit_record(
            actor=actor,
            organisation=locked.vacancy.organisation,
            obj=locked,
            action="application.saved",
            summary=f"Saved a draft application for {locked.vacancy.title}",
        )
    return locked


def application_submit(
    *,
    application: Application,
    actor: User,
    details: Mapping | None = None,
    answers: Mapping | None = None,
    cv=None,
    monitoring: Mapping | None = None,
    campaign_code: str = "",
) -> Application:
    """Send the application: what was given is saved, everything a recruiter needs must be
    there (otherwise nothing changes), and the candidate and the vacancy's contact hear."""
    with _stored_cv(cv) as stored, transaction.atomic():
        locked = _write(
            application=application,
            actor=actor,
            details=details,
            answers=answers,
            cv=stored,
            monitoring=monitoring,
            campaign_code=campaign_code,
        )
        missing = _missing_for_submission(locked)
        if missing:
            raise ValidationError(missing)
        vacancy = locked.vacancy
        now = timezone.now()
        locked.stage = Stage.SUBMITTED
        locked.submitted_at = now
        locked.stage_changed_at = now
        locked.email = actor.email
        locked.duplicate_key = application_duplicate_key(locked.full_name, locked.phone)
        notify_contact = (
            vacancy.application_alerts == Vacancy.ApplicationAlerts.IMMEDIATELY
            and _contact_may_hear(vacancy)
        )
        if notify_contact:
            locked.contact_notified_at = now
        locked.save()
        StageChange.objects.create(
            application=locked,
            created_at=now,
            from_stage=Stage.DRAFT,
            to_stage=Stage.SUBMITTED,
            actor=actor,
        )
        audit_record(
            actor=actor,
            organisation=vacancy.organisation,
            obj=locked,
            action="application.submitted",
            summary=f"Applied for {vacancy.title}",
        )
        candidate_profile_update(
            user=actor,
            actor=actor,
            **{field: getattr(locked, field) for field in PROFILE_FIELDS},
            **({"name": locked.full_name} if not actor.name else {}),
        )
        emails.email_application_received(application=locked)
        if notify_contact:
            emails.email_new_application(application=locked)
        application_submitted.send(sender=Application, application=locked)
    return locked


# --- Withdrawing and deleting ---------------------------------------------------------------


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str = "") -> Application:
    """The candidate steps out of a sent application that is still open; it then stays
    withdrawn."""
    locked = _lock(application)
    _ensure_owner(locked, actor)
    if locked.is_draft:
        raise ValidationError(
            "This application was never sent, so there is nothing to withdraw. "
            "Delete the draft instead.",
            code="draft",
        )
    if locked.stage == Stage.WITHDRAWN:
        raise ValidationError("You have already withdrawn this application.", code="withdrawn")
    if not locked.is_open:
        raise ValidationError(
            "This application has been decided, so it can no longer be withdrawn.",
            code="decided",
        )
    now = timezone.now()
    from_stage = locked.stage
    locked.stage = Stage.WITHDRAWN
    locked.stage_changed_at = now
    locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    StageChange.objects.create(
        application=locked,
        created_at=now,
        from_stage=from_stage,
        to_stage=Stage.WITHDRAWN,
        actor=actor,
        reason=reason[:200],
    )
    interview_release(application=locked, actor=actor)
    audit_record(
        actor=actor,
        organisation=locked.vacancy.organisation,
        obj=locked,
        action="application.withdrawn",
        summary=f"Withdrew the application for {locked.vacancy.title}",
    )
    return locked


@transaction.atomic
def application_draft_delete(*, application: Application, actor: User) -> None:
    """A draft that was never sent can be deleted outright, CV and all."""
    locked = _lock(application)
    _ensure_owner(locked, actor)
    if not locked.is_draft:
        raise ValidationError(
            "This application has been sent. Withdraw it instead.", code="submitted"
        )
    if locked.cv.name:
        transaction.on_commit(partial(private_storage().delete, locked.cv.name))
    audit_record(
        actor=actor,
        organisation=locked.vacancy.organisation,
        obj=locked,
        action="application.draft_deleted",
        summary=f"Deleted a draft application for {locked.vacancy.title}",
    )
    locked.delete()


# --- The candidate's profile -------------------------------------------------------------------


@transaction.atomic
def candidate_profile_update(
    *, user: User, actor: User | None = None, **changes
) -> CandidateProfile:
    """Update what prefills the person's applications: `name` (on their account), phone,
    address, postcode and right to work."""
    unknown = set(changes) - {"name", *PROFILE_FIELDS}
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = []
    if "name" in changes and changes["name"] != user.name:
        user.name = changes["name"]
        user.save(update_fields=["name"])
        changed.append("name")
    profile, _ = CandidateProfile.objects.get_or_create(user=user)
    profile_changed = [
        field
        for field in PROFILE_FIELDS
        if field in changes and getattr(profile, field) != changes[field]
    ]
    for field in profile_changed:
        setattr(profile, field, changes[field])
    if profile_changed:
        profile.save()
    changed += profile_changed
    if changed:
        audit_record(
            actor=actor or user,
            obj=profile,
            action="candidate_profile.updated",
            summary="Updated their candidate profile",
            data={"fields": sorted(changed)},
        )
    return profile


# --- Daily digests for vacancy contacts --------------------------------------------------------


def _awaiting_digest(now) -> Q:
    contact_is_member = Exists(
        Membership.objects.filter(
            user=OuterRef("vacancy__contact"), organisation=OuterRef("vacancy__organisation")
        )
    )
    return (
        Q(
            vacancy__application_alerts=Vacancy.ApplicationAlerts.DAILY,
            vacancy__contact__isnull=False,
            vacancy__contact__is_active=True,
            contact_notified_at__isnull=True,
            submitted_at__isnull=False,
            submitted_at__lte=now,
        )
        & ~Q(stage__in=[Stage.DRAFT, Stage.WITHDRAWN])
        & Q(contact_is_member)
    )


def application_digests_send(*, now=None) -> int:
    """One email to each vacancy contact who chose a daily digest, listing the applications
    they have not yet heard of; each is marked so no later digest lists it again. Returns
    the number of emails written to the outbox."""
    now = now or timezone.now()
    contact_ids = list(
        Application.objects.filter(_awaiting_digest(now))
        .values_list("vacancy__contact", flat=True)
        .distinct()
    )
    sent = 0
    for contact_id in contact_ids:
        with transaction.atomic():
            applications = list(
                Application.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(_awaiting_digest(now), vacancy__contact_id=contact_id)
                .select_related("vacancy__organisation", "vacancy__contact")
                .order_by("vacancy__title", "vacancy_id", "submitted_at")
            )
            if not applications:
                continue
            emails.email_application_digest(
                contact=applications[0].vacancy.contact, applications=applications
            )
            Application.objects.filter(pk__in=[a.pk for a in applications]).update(
                contact_notified_at=now
            )
            sent += 1
    return sent
