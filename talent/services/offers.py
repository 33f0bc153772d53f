"""Writes from the interview to the first day: the conditional offer, the pre-employment
checks (the NHS Employment Check Standards), the unconditional offer and the start date,
and the organisation's time-to-hire targets.

Every stage move goes through the pipeline's `application_move`, which holds the rules of
the stages (it refuses OFFER without an Offer row and HIRED without an unconditional offer
and a start date); these functions add what each step needs first. Each runs in one
transaction, checks its rules, saves, writes the audit row and puts the candidate's email
in the outbox, which sends it once the transaction commits.

Checks start on their own: recording the first check of an application still at OFFER
moves it to PRE_EMPLOYMENT, because a check being recorded is the plainest evidence that
checks are under way. `checks_start` does the same move by hand, for when HR have asked
for the documents but have nothing to record yet; either way the move is timestamped for
time to hire ("days from conditional offer to checks under way").
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from hub.models import Membership, Organisation, User
from hub.services import audit_record
from talent import emails
from talent.models import Application, HiringTargets, Offer, PreEmploymentCheck
from talent.services.pipeline import application_move
from talent.signals import application_hired

Stage = Application.Stage
Kind = PreEmploymentCheck.Kind
Outcome = PreEmploymentCheck.Outcome

MAX_TERMS_LENGTH = 2000
MAX_DETAIL_LENGTH = PreEmploymentCheck._meta.get_field("detail").max_length
# Outcomes that let the offer become unconditional.
CLEARED = frozenset({Outcome.PASSED, Outcome.NOT_NEEDED})
# The targets HR may set, each a whole number of days in the range below, with the words
# forms and errors use for them.
TARGET_LABELS = {
    "closing_to_unconditional_days": "Days from closing date to unconditional offer",
    "submitted_days": "Days to start screening",
    "screening_days": "Days in screening",
    "shortlisted_days": "Days from shortlisting to interview",
    "interview_days": "Days from interview to offer",
    "offer_days": "Days from conditional offer to checks under way",
    "pre_employment_days": "Days for pre-employment checks",
    "due_within_days": "Days of warning before a target",
}
TARGET_FIELDS = tuple(TARGET_LABELS)
TARGET_MIN_DAYS, TARGET_MAX_DAYS = 1, 365


def human_list(items) -> str:
    """'Identity', 'Identity and DBS', 'Identity, DBS and References'."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "candidate")
        .get(pk=application.pk)
    )


def _ensure_member(application: Application, membership: Membership | None) -> None:
    if membership is None or membership.organisation_id != application.vacancy.organisation_id:
        raise PermissionDenied("That membership is of another organisation.")


def _membership_of(actor: User, application: Application) -> Membership:
    membership = Membership.objects.filter(
        user=actor, organisation_id=application.vacancy.organisation_id
    ).first()
    _ensure_member(application, membership)
    return membership


def _locked_offer(application: Application) -> Offer | None:
    return Offer.objects.select_for_update().filter(application=application).first()


def _refresh(application: Application, moved: Application) -> Application:
    """Bring the caller's instance up to date with the moved one."""
    if application is not moved:
        application.stage = moved.stage
        application.stage_changed_at = moved.stage_changed_at
    return application


def _audit(application: Application, actor: User, action: str, summary: str, **data) -> None:
    audit_record(
        actor=actor,
        organisation=application.vacancy.organisation,
        obj=application,
        action=f"offer.{action}",
        summary=summary,
        data={"vacancy_id": application.vacancy_id, **data},
    )


def _stage_words(application: Application) -> str:
    return application.get_stage_display().lower()


# --- The conditional offer ---------------------------------------------------------------


@transaction.atomic
def offer_make_conditional(
    *, application: Application, actor: User, membership: Membership, terms: str
) -> Offer:
    """Offer the job, subject to the pre-employment checks, to an applicant who has been
    interviewed; the candidate is told by email what happens next."""
    locked = _lock(application)
    _ensure_member(locked, membership)
    terms = (terms or "").strip()
    if not terms:
        raise ValidationError({"terms": "Enter the terms of the offer"})
    if len(terms) > MAX_TERMS_LENGTH:
        raise ValidationError(
            {"terms": f"The terms must be {MAX_TERMS_LENGTH} characters or fewer"}
        )
    if locked.stage != Stage.INTERVIEW:
        raise ValidationError(
            "You can make an offer only to an applicant at the interview stage. "
            f"This application is at {_stage_words(locked)}.",
            code="invalid_stage",
        )
    now = timezone.now()
    offer, _ = Offer.objects.update_or_create(
        application=locked,
        defaults={
            "terms": terms,
            "conditional_at": now,
            "conditional_by": actor,
            "unconditional_at": None,
            "unconditional_by": None,
            "start_date": None,
        },
    )
    moved = application_move(
        application=locked,
        to_stage=Stage.OFFER,
        actor=actor,
        membership=membership,
        reason="Conditional offer made",
    )
    _audit(
        moved,
        actor,
        "conditional_made",
        f"Made a conditional offer for {moved.vacancy.title}",
        offer_id=offer.pk,
    )
    emails.email_offer_conditional(application=moved, offer=offer)
    _refresh(application, moved)
    return offer


# --- Pre-employment checks -----------------------------------------------------------------


def _ensure_checks_open(application: Application, offer: Offer | None) -> Offer:
    if offer is None or application.stage not in {Stage.OFFER, Stage.PRE_EMPLOYMENT}:
        raise ValidationError(
            "Checks are recorded after a conditional offer. "
            f"This application is at {_stage_words(application)}.",
            code="invalid_stage",
        )
    if offer.unconditional_at is not None:
        raise ValidationError(
            "The offer is already unconditional, so its checks can no longer change.",
            code="unconditional",
        )
    return offer


def _start_checks(application: Application, actor: User, membership: Membership) -> Application:
    moved = application_move(
        application=application,
        to_stage=Stage.PRE_EMPLOYMENT,
        actor=actor,
        membership=membership,
        reason="Pre-employment checks started",
    )
    _audit(
        moved,
        actor,
        "checks_started",
        f"Started the pre-employment checks for {moved.vacancy.title}",
    )
    return moved


@transaction.atomic
def checks_start(*, application: Application, actor: User, membership: Membership) -> Application:
    """Move a conditional offer on to its pre-employment checks."""
    locked = _lock(application)
    _ensure_member(locked, membership)
    _ensure_checks_open(locked, _locked_offer(locked))
    if locked.stage != Stage.OFFER:
        raise ValidationError("The checks have already started.", code="started")
    return _refresh(application, _start_checks(locked, actor, membership))


@transaction.atomic
def check_record(
    *,
    application: Application,
    actor: User,
    kind: str,
    outcome: str,
    checked_on: datetime.date | None,
    detail: str = "",
    membership: Membership | None = None,
) -> PreEmploymentCheck:
    """Record (or correct) one check with its outcome, its date and who checked it.
    The first check recorded starts the checks. `membership` is the actor's membership of
    the application's organisation; it is looked up when not given."""
    locked = _lock(application)
    membership = membership or _membership_of(actor, locked)
    _ensure_member(locked, membership)
    offer = _ensure_checks_open(locked, _locked_offer(locked))
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = "Choose a check from the list"
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome of the check"
    if checked_on is None:
        errors["checked_on"] = "Enter the date of the check"
    elif checked_on > timezone.localdate():
        errors["checked_on"] = "The date of the check must be today or in the past"
    detail = " ".join((detail or "").split())
    if len(detail) > MAX_DETAIL_LENGTH:
        errors["detail"] = f"The details must be {MAX_DETAIL_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    if locked.stage == Stage.OFFER:
        locked = _start_checks(locked, actor, membership)
    previous = (
        PreEmploymentCheck.objects.select_for_update().filter(application=locked, kind=kind).first()
    )
    check = previous or PreEmploymentCheck(application=locked, kind=kind)
    before = (
        {"outcome": previous.outcome, "checked_on": previous.checked_on.isoformat()}
        if previous
        else None
    )
    check.outcome, check.checked_on, check.checked_by, check.detail = (
        outcome,
        checked_on,
        actor,
        detail,
    )
    check.save()
    label = Kind(kind).label
    data = {
        "kind": kind,
        "outcome": outcome,
        "checked_on": checked_on.isoformat(),
        "offer_id": offer.pk,
    }
    if before is None:
        _audit(
            locked,
            actor,
            "check_recorded",
            f"Recorded the {label} check: {Outcome(outcome).label.lower()}",
            **data,
        )
    else:
        _audit(
            locked,
            actor,
            "check_updated",
            f"Changed the {label} check: {Outcome(outcome).label.lower()}",
            previous=before,
            **data,
        )
    _refresh(application, locked)
    return check


def checks_missing_and_failed(application: Application) -> tuple[list[str], list[str]]:
    """The labels of the checks not yet recorded, and of those not satisfactory, in the
    order of the standards."""
    outcomes = dict(
        PreEmploymentCheck.objects.filter(application=application).values_list("kind", "outcome")
    )
    missing = [kind.label for kind in Kind if kind.value not in outcomes]
    failed = [kind.label for kind in Kind if outcomes.get(kind.value) == Outcome.FAILED]
    return missing, failed


# --- The unconditional offer and the start date ------------------------------------------


@transaction.atomic
def offer_make_unconditional(
    *, application: Application, actor: User, membership: Membership
) -> Offer:
    """Confirm the offer once every check is satisfactory or not needed for the role; the
    candidate is told by email."""
    locked = _lock(application)
    _ensure_member(locked, membership)
    offer = _locked_offer(locked)
    if offer is None:
        raise ValidationError(
            "Make a conditional offer and record the checks first.", code="no_offer"
        )
    if offer.unconditional_at is not None:
        raise ValidationError("The offer is already unconditional.", code="unconditional")
    if locked.stage not in {Stage.OFFER, Stage.PRE_EMPLOYMENT}:
        raise ValidationError(
            f"This application is at {_stage_words(locked)}, so the offer cannot be confirmed.",
            code="invalid_stage",
        )
    missing, failed = checks_missing_and_failed(locked)
    problems = []
    if failed:
        checks = "check was" if len(failed) == 1 else "checks were"
        problems.append(
            f"The {human_list(failed)} {checks} not satisfactory, "
            "so the offer cannot be made unconditional."
        )
    if missing:
        problems.append(f"Record these checks first: {human_list(missing)}.")
    if problems:
        raise ValidationError(problems, code="checks")
    offer.unconditional_at = max(timezone.now(), offer.conditional_at)
    offer.unconditional_by = actor
    offer.save(update_fields=["unconditional_at", "unconditional_by", "updated_at"])
    _audit(
        locked,
        actor,
        "unconditional_made",
        f"Made the offer for {locked.vacancy.title} unconditional",
        offer_id=offer.pk,
    )
    emails.email_offer_unconditional(application=locked, offer=offer)
    return offer


@transaction.atomic
def application_hire(
    *,
    application: Application,
    actor: User,
    membership: Membership,
    start_date: datetime.date | None,
) -> Application:
    """Record the start date of an unconditional offer: the application is hired. For an
    application already hired, the start date is changed. The candidate is told by email."""
    locked = _lock(application)
    _ensure_member(locked, membership)
    offer = _locked_offer(locked)
    if offer is None or offer.unconditional_at is None:
        raise ValidationError(
            "Make the offer unconditional before you record a start date.",
            code="not_unconditional",
        )
    if start_date is None:
        raise ValidationError({"start_date": "Enter the start date"})
    if start_date < timezone.localdate():
        raise ValidationError({"start_date": "The start date must be today or in the future"})
    changing = locked.stage == Stage.HIRED
    if not changing and locked.stage != Stage.PRE_EMPLOYMENT:
        raise ValidationError(
            f"This application is at {_stage_words(locked)}, so it cannot be hired.",
            code="invalid_stage",
        )
    previous = offer.start_date
    offer.start_date = start_date
    offer.save(update_fields=["start_date", "updated_at"])
    starts = date_format(start_date, "j F Y")
    if changing:
        if previous == start_date:
            return _refresh(application, locked)
        _audit(
            locked,
            actor,
            "start_date_changed",
            f"Changed the start date for {locked.vacancy.title} to {starts}",
            start_date=start_date.isoformat(),
            previous=previous.isoformat() if previous else None,
        )
    else:
        locked = application_move(
            application=locked,
            to_stage=Stage.HIRED,
            actor=actor,
            membership=membership,
            reason=f"Starts on {starts}",
        )
        _audit(
            locked,
            actor,
            "start_date_set",
            f"Hired for {locked.vacancy.title}, starting on {starts}",
            start_date=start_date.isoformat(),
        )
    emails.email_offer_start_date(application=locked, offer=offer, changed=changing)
    application_hired.send(sender=Application, application=locked, start_date=start_date)
    return _refresh(application, locked)


# --- Time-to-hire targets -------------------------------------------------------------------


@transaction.atomic
def hiring_targets_update(
    *, organisation: Organisation, actor: User, **values: int
) -> HiringTargets:
    """Set the organisation's time-to-hire targets, each 1 to 365 days; the audit row
    names the targets that changed."""
    unknown = set(values) - set(TARGET_FIELDS)
    if unknown:
        raise ValueError(f"Not a target: {', '.join(sorted(unknown))}")
    targets = HiringTargets.objects.select_for_update().filter(
        organisation=organisation
    ).first() or HiringTargets(organisation=organisation)
    errors = {}
    for field, value in values.items():
        label = TARGET_LABELS[field]
        if not isinstance(value, int) or isinstance(value, bool):
            errors[field] = f"Enter {label.lower()} as a whole number, like 5"
        elif not TARGET_MIN_DAYS <= value <= TARGET_MAX_DAYS:
            errors[field] = f"{label} must be between {TARGET_MIN_DAYS} and {TARGET_MAX_DAYS}"
    if errors:
        raise ValidationError(errors)
    changed = sorted(field for field, value in values.items() if getattr(targets, field) != value)
    if targets.pk is not None and not changed:
        return targets
    for field in changed:
        setattr(targets, field, values[field])
    targets.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=targets,
        action="hiring_targets.updated",
        summary="Changed the time-to-hire targets",
        data={"fields": changed, **{field: values[field] for field in changed}},
    )
    return targets
