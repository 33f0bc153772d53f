"""Writes for vacancies, made by HR staff of the organisation that owns them.

A vacancy moves draft → (awaiting approval →) published → closed → filled. Every move is
checked here, refused with a ValidationError saying why when it is not allowed, and
audited; the emails it causes go through the outbox after commit.
"""

import datetime
import re
import zlib
from collections.abc import Iterable
from datetime import timedelta
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import Truncator, slugify

from hub.access import Capability, can
from hub.models import AuditEvent, Membership, Organisation, User
from hub.services import audit_record
from talent import emails
from talent.models import (
    Application,
    ApplicationAnswer,
    FairRoute,
    ScreeningQuestion,
    Vacancy,
)
from talent.selectors.pipeline import PIPELINE_STAGES
from talent.selectors.time_to_hire import OVERDUE, TIMED_STAGES, organisation_time_to_hire

Status = Vacancy.Status

# What HR staff may set on a vacancy; everything else (status, dates, slug, district,
# creator) is the services' business.
VACANCY_EDITABLE_FIELDS = (
    "title",
    "reference",
    "staff_group",
    "band",
    "pay_scale",
    "salary_min",
    "salary_max",
    "salary_period",
    "contract_type",
    "working_patterns",
    "hours_per_week",
    "site",
    "address",
    "postcode",
    "closing_date",
    "entry_level",
    "apprenticeship",
    "trial_shift_available",
    "disability_confident",
    "visa_sponsorship",
    "summary",
    "description",
    "essential_criteria",
    "desirable_criteria",
    "contact",
    "application_alerts",
    "anonymised_shortlisting",
    "guaranteed_interview_routes",
)

MAX_QUESTIONS = 10
MAX_HOURS = 48
MAX_QUESTION_LENGTH = ScreeningQuestion._meta.get_field("text").max_length
MAX_REASON_LENGTH = 1000
DUPLICATE_OPEN_FOR = timedelta(days=28)

# A UK postcode: outward code (area, district, optional sub-district letter) and inward code.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")

PUBLISHABLE = frozenset({Status.DRAFT, Status.AWAITING_APPROVAL})
EDITABLE = frozenset({Status.DRAFT, Status.AWAITING_APPROVAL, Status.PUBLISHED})


def normalise_postcode(value: str) -> tuple[str, str]:
    """("LS9 7TF", "LS9") from "ls97tf" or " ls9  7tf ", or a ValidationError."""
    compact = "".join((value or "").upper().split())
    match = POSTCODE_RE.match(compact)
    if not match:
        raise ValidationError(
            {"postcode": "Enter a real postcode, like LS1 3EX"}, code="invalid_postcode"
        )
    outward, inward = match.groups()
    return f"{outward} {inward}", outward


def clean_questions(questions: Iterable[str] | None) -> list[str]:
    """The screening questions as a list of non-blank strings, or a ValidationError."""
    texts = [" ".join(str(text).split()) for text in questions or ()]
    texts = [text for text in texts if text]
    if len(texts) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": f"Enter {MAX_QUESTIONS} questions or fewer"}, code="too_many"
        )
    errors = [
        f"Question {n} must be {MAX_QUESTION_LENGTH} characters or fewer"
        for n, text in enumerate(texts, start=1)
        if len(text) > MAX_QUESTION_LENGTH
    ]
    if errors:
        raise ValidationError({"questions": errors}, code="too_long")
    return texts


def pay_and_hours_errors(
    *, band: str, pay_scale: str, salary_min, salary_max, hours_per_week
) -> dict[str, str]:
    """The rules that tie pay and hours fields together, by field (forms show them beside
    the other input errors; the services enforce them)."""
    errors = {}
    if not band and not (pay_scale or "").strip():
        errors["band"] = "Choose an Agenda for Change band, or enter a pay scale"
    elif band and (pay_scale or "").strip():
        errors["pay_scale"] = "Leave the pay scale empty when the job has an Agenda for Change band"
    if salary_min is not None and salary_min < 0:
        errors["salary_min"] = "The minimum salary must be 0 or more"
    if salary_max is not None and salary_max < 0:
        errors["salary_max"] = "The maximum salary must be 0 or more"
    elif salary_min is not None and salary_max is not None and salary_max < salary_min:
        errors["salary_max"] = "The maximum salary must be the same as or more than the minimum"
    if hours_per_week is not None and not 1 <= hours_per_week <= MAX_HOURS:
        errors["hours_per_week"] = f"Hours per week must be between 1 and {MAX_HOURS}"
    return errors


def _validate(
    vacancy: Vacancy, *, publishing: bool = False, questions: Iterable[str] | None = None
) -> list[str] | None:
    """The rules a vacancy (and the screening questions given with it) must keep, all
    reported at once by field. Returns the cleaned questions."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    texts = None
    if questions is not None:
        try:
            texts = clean_questions(questions)
        except ValidationError as error:
            errors.update(error.message_dict)
    if not vacancy.postcode_district:
        add("postcode", "Enter a real postcode, like LS1 3EX")

    for field, message in pay_and_hours_errors(
        band=vacancy.band,
        pay_scale=vacancy.pay_scale,
        salary_min=vacancy.salary_min,
        salary_max=vacancy.salary_max,
        hours_per_week=vacancy.hours_per_week,
    ).items():
        add(field, message)
    unknown = set(vacancy.working_patterns) - set(Vacancy.WorkingPattern.values)
    if unknown:
        add("working_patterns", "Choose working patterns from the list")
    if len(set(vacancy.working_patterns)) != len(vacancy.working_patterns):
        vacancy.working_patterns = list(dict.fromkeys(vacancy.working_patterns))
    if set(vacancy.guaranteed_interview_routes) - set(FairRoute.values):
        add("guaranteed_interview_routes", "Choose routes from the list")
    vacancy.guaranteed_interview_routes = list(dict.fromkeys(vacancy.guaranteed_interview_routes))
    if (
        vacancy.contact_id
        and not Membership.objects.filter(
            organisation_id=vacancy.organisation_id, user_id=vacancy.contact_id
        ).exists()
    ):
        add("contact", "Choose a contact who is a member of your organisation")
    if publishing and vacancy.closing_date and vacancy.closing_date < timezone.localdate():
        add("closing_date", "The closing date must be today or in the future to publish")
    try:
        # The check constraints (salary order, hours) are the rules above, worded for
        # people; the database still enforces them.
        vacancy.full_clean(
            exclude=["organisation", "created_by", "slug", "postcode_district"],
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field == "postcode" and "postcode" in errors:
                continue
            for message in messages:
                if message not in errors.get(field, []):
                    add(field, message)
    if errors:
        raise ValidationError(errors)
    return texts


def _apply_fields(vacancy: Vacancy, fields: dict) -> list[str]:
    """Set the given fields on the vacancy, returning the names of those that changed."""
    unknown = set(fields) - set(VACANCY_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if "postcode" in fields:
        fields = {**fields}
        try:
            fields["postcode"], vacancy.postcode_district = normalise_postcode(fields["postcode"])
        except ValidationError:
            # Kept as typed: `_validate` reports it together with any other problem.
            fields["postcode"], vacancy.postcode_district = (fields["postcode"] or "").strip(), ""
    for text_field in ("title", "reference", "pay_scale", "site", "summary"):
        if isinstance(fields.get(text_field), str):
            fields = {**fields, text_field: fields[text_field].strip()}
    changed = []
    for name, value in fields.items():
        field = Vacancy._meta.get_field(name)
        if field.is_relation:
            # Compare ids: an unsaved vacancy has no related object to read yet.
            new_id = value.pk if hasattr(value, "pk") else value
            if getattr(vacancy, field.attname) != new_id:
                changed.append(name)
            setattr(vacancy, name if hasattr(value, "pk") else field.attname, value)
            continue
        if name in {"working_patterns", "guaranteed_interview_routes"}:
            value = list(value or [])
        if getattr(vacancy, name) != value:
            changed.append(name)
        setattr(vacancy, name, value)
    if "title" in changed or not vacancy.slug:
        vacancy.slug = slugify(vacancy.title)[:80] or "vacancy"
    return changed


def _sync_questions(vacancy: Vacancy, questions: Iterable[str]) -> bool:
    """Make the vacancy's screening questions the given texts, in order. Unchanged texts
    keep their rows (and so their answers); a question applicants have already answered
    cannot be removed or reworded. Returns whether anything changed."""
    texts = clean_questions(questions)
    existing = list(vacancy.questions.order_by("position", "pk"))
    if [q.text for q in existing] == texts:
        return False
    answered = set(
        ApplicationAnswer.objects.filter(question__vacancy=vacancy).values_list(
            "question_id", flat=True
        )
    )
    by_text: dict[str, list[ScreeningQuestion]] = {}
    for question in existing:
        by_text.setdefault(question.text, []).append(question)
    kept, created = set(), []
    for position, text in enumerate(texts):
        matches = by_text.get(text)
        if matches:
            question = matches.pop(0)
            kept.add(question.pk)
            if question.position != position:
                question.position = position
                question.save(update_fields=["position"])
        else:
            created.append(ScreeningQuestion(vacancy=vacancy, position=position, text=text))
    removed = [q for q in existing if q.pk not in kept]
    refused = [q for q in removed if q.pk in answered]
    if refused:
        raise ValidationError(
            {
                "questions": [
                    f"Applicants have already answered “{Truncator(q.text).chars(60)}”, "
                    "so you cannot remove or reword it"
                    for q in refused
                ]
            }
        )
    ScreeningQuestion.objects.filter(pk__in=[q.pk for q in removed]).delete()
    ScreeningQuestion.objects.bulk_create(created)
    return True


def _lock(vacancy: Vacancy) -> Vacancy:
    """The vacancy's row, locked for the rest of the transaction and read afresh."""
    return (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("organisation", "created_by", "contact")
        .get(pk=vacancy.pk)
    )


def _refuse(vacancy: Vacancy, action: str) -> None:
    raise ValidationError(
        f"You cannot {action} this vacancy because it is {vacancy.get_status_display().lower()}.",
        code="invalid_state",
    )


def _audit(vacancy: Vacancy, actor, action: str, summary: str, data: dict | None = None):
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=vacancy,
        action=f"vacancy.{action}",
        summary=summary,
        data=data,
    )


def _refresh(target: Vacancy, source: Vacancy) -> Vacancy:
    """Copy the saved state onto the caller's object, so it sees what was saved."""
    for field in Vacancy._meta.concrete_fields:
        if field.name != "search_vector":
            setattr(target, field.attname, getattr(source, field.attname))
    return target


@transaction.atomic
def vacancy_create(
    *,
    organisation: Organisation,
    actor: User | None,
    questions: Iterable[str] = (),
    **fields,
) -> Vacancy:
    """A new draft vacancy of the organisation, with its screening questions in order."""
    vacancy = Vacancy(organisation=organisation, status=Status.DRAFT, created_by=actor)
    _apply_fields(vacancy, fields)
    texts = _validate(vacancy, questions=questions)
    vacancy.save()
    ScreeningQuestion.objects.bulk_create(
        ScreeningQuestion(vacancy=vacancy, position=position, text=text)
        for position, text in enumerate(texts)
    )
    _audit(vacancy, actor, "created", f"Created the draft vacancy {vacancy.title}")
    return vacancy


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    actor: User | None,
    questions: Iterable[str] | None = None,
    **fields,
) -> Vacancy:
    """Edit a draft, awaiting or published vacancy; closed and filled ones are refused.
    `questions=None` leaves the screening questions as they are. The audit row names the
    fields that changed."""
    locked = _lock(vacancy)
    if locked.status not in EDITABLE:
        _refuse(locked, "edit")
    changed = _apply_fields(locked, fields)
    # A live vacancy's closing date cannot be moved into the past.
    _validate(
        locked,
        publishing=locked.status == Status.PUBLISHED and "closing_date" in changed,
        questions=questions,
    )
    locked.save()
    if questions is not None and _sync_questions(locked, questions):
        changed.append("questions")
    if changed:
        _audit(
            locked,
            actor,
            "updated",
            f"Edited the vacancy {locked.title}",
            data={"fields": sorted(changed), "status": locked.status},
        )
    return _refresh(vacancy, locked)


def _publish_now(vacancy: Vacancy) -> None:
    vacancy.status = Status.PUBLISHED
    vacancy.published_at = timezone.now()
    vacancy.closed_at = None
    vacancy.save(update_fields=["status", "published_at", "closed_at", "updated_at"])


@transaction.atomic
def vacancy_publish(
    *, vacancy: Vacancy, actor: User | None, membership: Membership | None
) -> Vacancy:
    """Put a draft live, or send it for approval when the organisation wants an admin's
    approval and the person publishing cannot give it (every admin is told by email).
    `membership` is the actor's membership of the vacancy's organisation (None only for
    the demo seed)."""
    locked = _lock(vacancy)
    if membership is not None and membership.organisation_id != locked.organisation_id:
        raise PermissionDenied("That membership is of another organisation.")
    if locked.status not in PUBLISHABLE:
        _refuse(locked, "publish")
    needs_approval = locked.organisation.vacancies_need_approval and not can(
        membership, Capability.APPROVE_VACANCIES
    )
    if needs_approval and locked.status == Status.AWAITING_APPROVAL:
        raise ValidationError(
            "This vacancy is already waiting for an admin of your organisation to approve it.",
            code="invalid_state",
        )
    _validate(locked, publishing=True)
    if needs_approval:
        locked.status = Status.AWAITING_APPROVAL
        locked.save(update_fields=["status", "updated_at"])
        _audit(
            locked,
            actor,
            "submitted_for_approval",
            f"Sent the vacancy {locked.title} for approval",
        )
        admins = (
            Membership.objects.filter(
                organisation_id=locked.organisation_id, role=Membership.Role.ADMIN
            )
            .select_related("user")
            .order_by("user__email")
        )
        for admin in admins:
            if admin.user.is_active:
                emails.email_vacancy_awaiting_approval(
                    vacancy=locked, recipient=admin.user, submitted_by=actor
                )
    else:
        _publish_now(locked)
        _audit(locked, actor, "published", f"Published the vacancy {locked.title}")
    return _refresh(vacancy, locked)


def _require_approver(vacancy: Vacancy, actor: User | None) -> None:
    membership = Membership.objects.filter(
        organisation_id=vacancy.organisation_id, user_id=getattr(actor, "pk", None)
    ).first()
    if not can(membership, Capability.APPROVE_VACANCIES):
        raise PermissionDenied("Only an admin of the organisation can approve vacancies.")


@transaction.atomic
def vacancy_approve(*, vacancy: Vacancy, actor: User) -> Vacancy:
    """An admin approves a vacancy waiting for approval: it goes live and its creator is
    told by email."""
    locked = _lock(vacancy)
    _require_approver(locked, actor)
    if locked.status != Status.AWAITING_APPROVAL:
        _refuse(locked, "approve")
    _validate(locked, publishing=True)
    _publish_now(locked)
    _audit(locked, actor, "approved", f"Approved and published the vacancy {locked.title}")
    if locked.created_by and locked.created_by.is_active:
        emails.email_vacancy_approved(vacancy=locked, approved_by=actor)
    return _refresh(vacancy, locked)


@transaction.atomic
def vacancy_return_to_draft(*, vacancy: Vacancy, actor: User, reason: str) -> Vacancy:
    """An admin declines to approve a vacancy: it goes back to draft and its creator is
    told why by email."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for returning the vacancy"})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {MAX_REASON_LENGTH} characters or fewer"}
        )
    locked = _lock(vacancy)
    _require_approver(locked, actor)
    if locked.status != Status.AWAITING_APPROVAL:
        _refuse(locked, "return to draft")
    locked.status = Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    _audit(
        locked,
        actor,
        "returned_to_draft",
        f"Returned the vacancy {locked.title} to draft",
        data={"reason": reason},
    )
    if locked.created_by and locked.created_by.is_active:
        emails.email_vacancy_returned_to_draft(vacancy=locked, returned_by=actor, reason=reason)
    return _refresh(vacancy, locked)


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, actor: User | None) -> Vacancy:
    """Stop taking applications before the closing date."""
    locked = _lock(vacancy)
    if locked.status != Status.PUBLISHED:
        _refuse(locked, "close")
    locked.status = Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(locked, actor, "closed", f"Closed the vacancy {locked.title}")
    return _refresh(vacancy, locked)


@transaction.atomic
def vacancy_mark_filled(*, vacancy: Vacancy, actor: User | None) -> Vacancy:
    """The post is filled: a published or closed vacancy is finished with."""
    locked = _lock(vacancy)
    if locked.status not in {Status.PUBLISHED, Status.CLOSED}:
        _refuse(locked, "mark as filled")
    locked.status = Status.FILLED
    locked.closed_at = locked.closed_at or timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(locked, actor, "filled", f"Marked the vacancy {locked.title} as filled")
    return _refresh(vacancy, locked)


@transaction.atomic
def vacancy_duplicate(*, vacancy: Vacancy, actor: User | None) -> Vacancy:
    """A new draft copied from the vacancy, questions included, to edit and publish.
    Its reference is left blank and a past closing date moves four weeks ahead."""
    source = Vacancy.objects.select_related("organisation").get(pk=vacancy.pk)
    copy = Vacancy(organisation=source.organisation, status=Status.DRAFT, created_by=actor)
    for field in VACANCY_EDITABLE_FIELDS:
        setattr(copy, field, getattr(source, field))
    suffix = " (copy)"
    max_title = Vacancy._meta.get_field("title").max_length
    copy.title = f"{source.title[: max_title - len(suffix)]}{suffix}"
    copy.slug = slugify(copy.title)[:80] or "vacancy"
    copy.reference = ""
    copy.postcode_district = source.postcode_district
    today = timezone.localdate()
    if copy.closing_date < today:
        copy.closing_date = today + DUPLICATE_OPEN_FOR
    copy.save()
    ScreeningQuestion.objects.bulk_create(
        ScreeningQuestion(vacancy=copy, position=q.position, text=q.text)
        for q in source.questions.order_by("position", "pk")
    )
    _audit(
        copy,
        actor,
        "duplicated",
        f"Copied the vacancy {source.title} as a new draft",
        data={"source_id": source.pk},
    )
    return copy


# --- Applications seen by the vacancy's organisation ----------------------------------


def applications_record_staff_list_view(*, vacancy: Vacancy, actor: User, shown: int) -> None:
    """A list of applicants' names is personal data too: its views are audited."""
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=vacancy,
        action="application.list_viewed",
        summary=f"Viewed the applicants for {vacancy.title}",
        data={"shown": shown},
    )


def application_record_staff_view(*, application: Application, actor: User) -> None:
    """Every view of an applicant's personal data by partner staff goes in the audit log."""
    audit_record(
        actor=actor,
        organisation=application.vacancy.organisation,
        obj=application,
        action="application.viewed",
        summary=f"Viewed an application for {application.vacancy.title}",
        data={"vacancy_id": application.vacancy_id},
    )


def application_cv_downloaded(*, application: Application, actor: User) -> None:
    """Record that a member of staff downloaded the application's CV."""
    audit_record(
        actor=actor,
        organisation=application.vacancy.organisation,
        obj=application,
        action="application.cv_downloaded",
        summary=f"Downloaded the CV of an applicant for {application.vacancy.title}",
        data={"vacancy_id": application.vacancy_id},
    )


# --- Scheduled work -------------------------------------------------------------------------


def vacancies_close_past_closing_date(*, today: datetime.date | None = None) -> int:
    """Close every published vacancy whose closing date is before `today` (the nightly
    job), each through `vacancy_close` so it is locked, checked and audited like a close
    by staff, with no actor. One that changed meanwhile (closed or filled by staff) is
    skipped. Returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    for vacancy in Vacancy.objects.filter(status=Status.PUBLISHED, closing_date__lt=today).only(
        "pk"
    ):
        try:
            vacancy_close(vacancy=vacancy, actor=None)
        except ValidationError:
            continue
        closed += 1
    return closed


WEEKLY_DIGEST_ACTION = "vacancy.weekly_digest_sent"


def _weekly_digest_vacancies(organisation_id: int, since: datetime.datetime) -> list[Vacancy]:
    """The organisation's open vacancies with a contact who is an active member: published
    ones, and closed ones still hiring (an application in a timed stage). Each carries
    `new_total` and `new_<stage>`: applications sent since `since`, by their stage now.
    One query."""
    recent = Q(applications__submitted_at__gte=since) & ~Q(
        applications__stage=Application.Stage.DRAFT
    )
    still_hiring = Exists(
        Application.objects.filter(vacancy=OuterRef("pk"), stage__in=TIMED_STAGES)
    )
    contact_is_member = Exists(
        Membership.objects.filter(user=OuterRef("contact"), organisation=OuterRef("organisation"))
    )
    return list(
        Vacancy.objects.filter(organisation_id=organisation_id, contact__is_active=True)
        .filter(contact_is_member)
        .filter(Q(status=Status.PUBLISHED) | Q(still_hiring, status=Status.CLOSED))
        .annotate(
            new_total=Count("applications", filter=recent),
            **{
                f"new_{stage}": Count("applications", filter=recent & Q(applications__stage=stage))
                for stage in PIPELINE_STAGES
            },
        )
        .select_related("contact", "organisation")
        .order_by("contact_id", "closing_date", "title")
    )


def weekly_vacancy_digests_send(*, now: datetime.datetime | None = None) -> int:
    """Monday's summary for each organisation's vacancy contacts: one email per contact
    and organisation listing their open vacancies, each with the applications sent in the
    past 7 days by stage and how many open applications are overdue against the
    organisation's time-to-hire targets. Sent once per contact, organisation and ISO week
    (an audit event marks it), so a retried run sends nothing twice. Returns the number of
    emails written to the outbox."""
    now = now or timezone.now()
    since = now - timedelta(days=7)
    year, week, _ = timezone.localdate(now).isocalendar()
    week_key = f"{year}-W{week:02d}"
    organisation_ids = (
        Vacancy.objects.filter(status__in=[Status.PUBLISHED, Status.CLOSED], contact__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    sent = 0
    for organisation in Organisation.objects.active().filter(pk__in=organisation_ids):
        with transaction.atomic():
            with connection.cursor() as cursor:  # one run per organisation at a time
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [zlib.crc32(WEEKLY_DIGEST_ACTION.encode()) & 0x7FFFFFFF, organisation.pk],
                )
            already = set(
                AuditEvent.objects.filter(
                    action=WEEKLY_DIGEST_ACTION, organisation=organisation, data__week=week_key
                ).values_list("object_id", flat=True)
            )
            vacancies = [
                vacancy
                for vacancy in _weekly_digest_vacancies(organisation.pk, since)
                if str(vacancy.contact_id) not in already
            ]
            if not vacancies:
                continue
            overdue = {
                row["vacancy"].pk: row["statuses"][OVERDUE]
                for row in organisation_time_to_hire(organisation)["vacancies"]
            }
            for _, group in groupby(vacancies, key=lambda vacancy: vacancy.contact_id):
                group = list(group)
                contact = group[0].contact
                emails.email_weekly_vacancy_digest(
                    contact=contact,
                    organisation=organisation,
                    vacancies=group,
                    overdue=overdue,
                    since=since,
                )
                audit_record(
                    actor=None,
                    organisation=organisation,
                    obj=contact,
                    action=WEEKLY_DIGEST_ACTION,
                    summary="Sent the weekly vacancy digest to the vacancies' contact",
                    data={"week": week_key, "vacancies": len(group)},
                )
                sent += 1
    return sent
