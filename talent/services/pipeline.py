"""THE rules of the hiring pipeline: which stage an application may move to from which,
what each move needs, who may make it, and what it records and tells the candidate.
Every part of the portal that moves an application (the pipeline page, the HR
application page, interviews, offers and hiring) goes through `application_move`.

    submitted → screening | shortlisted | interview
    screening → shortlisted | interview
    shortlisted → interview
    interview → offer            (only once an Offer has been recorded)
    offer → pre_employment
    pre_employment → hired       (only after an unconditional offer with a start date)
    any open stage → rejected (with a reason from the list) | withdrawn
    hired, rejected, withdrawn and draft move nowhere.

Applicants guaranteed an interview (a fair route the vacancy names, essential criteria
not judged missed) cannot be rejected before interview except by an admin of the
organisation who says why.

The candidate hears of the moves meant for them, through the outbox once the
transaction commits: shortlisted, invited to interview (the organisation's own wording,
with a link to book a slot), unsuccessful (the organisation's own wording) and withdrawn
by the employer. Offers and hiring send their own emails (talent/services/offers.py).

This module also keeps the organisation's email templates: their default wording, the
placeholders each may use, and a small safe substitution that fills them (user text is
never rendered as a Django template).
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hub.access import Capability, can
from hub.models import Membership, Organisation, User
from hub.services import audit_record
from talent import emails
from talent.models import (
    Application,
    ApplicationNote,
    FairRoute,
    OrganisationEmailTemplate,
    RejectionReason,
    StageChange,
)
from talent.selectors.pipeline import (
    applicant_display,
    application_reference,
    is_guaranteed_interview,
)
from talent.services.interviews import interview_release

Stage = Application.Stage

OPEN_STAGES = frozenset(
    {
        Stage.SUBMITTED,
        Stage.SCREENING,
        Stage.SHORTLISTED,
        Stage.INTERVIEW,
        Stage.OFFER,
        Stage.PRE_EMPLOYMENT,
    }
)
_FORWARD = {
    Stage.SUBMITTED: {Stage.SCREENING, Stage.SHORTLISTED, Stage.INTERVIEW},
    Stage.SCREENING: {Stage.SHORTLISTED, Stage.INTERVIEW},
    Stage.SHORTLISTED: {Stage.INTERVIEW},
    Stage.INTERVIEW: {Stage.OFFER},
    Stage.OFFER: {Stage.PRE_EMPLOYMENT},
    Stage.PRE_EMPLOYMENT: {Stage.HIRED},
}
# {from stage: the stages it may move to}; every stage is a key.
TRANSITIONS: dict[str, frozenset[str]] = {
    stage: frozenset(
        _FORWARD.get(stage, set())
        | ({Stage.REJECTED, Stage.WITHDRAWN} if stage in OPEN_STAGES else set())
    )
    for stage in Stage
}
# Where a guaranteed interview protects the applicant from rejection.
BEFORE_INTERVIEW = frozenset({Stage.SUBMITTED, Stage.SCREENING, Stage.SHORTLISTED})
# Reached through the offers pages (an offer, its checks, the start date), not by a
# plain move on the pipeline page.
MOVED_BY_OFFERS = frozenset({Stage.OFFER, Stage.PRE_EMPLOYMENT, Stage.HIRED})
# Where the pipeline page and the HR application page can move applications to.
PIPELINE_MOVE_TARGETS = [
    Stage.SCREENING,
    Stage.SHORTLISTED,
    Stage.INTERVIEW,
    Stage.REJECTED,
    Stage.WITHDRAWN,
]

MAX_REASON_LENGTH = 150
MAX_NOTE_LENGTH = 5000


def legal_targets(stage: str) -> list[str]:
    """The stages an application at `stage` may move to, in pipeline order."""
    return [target for target in Stage if target in TRANSITIONS.get(stage, ())]


def pipeline_targets(stage: str) -> list[str]:
    """The legal moves the pipeline pages offer (offers and hiring have their own)."""
    return [target for target in legal_targets(stage) if target not in MOVED_BY_OFFERS]


# --- Moving applications ---------------------------------------------------------------------


def _label(stage: str) -> str:
    return Stage(stage).label


def _check_membership(membership: Membership | None, application: Application) -> None:
    """The membership (when acting for an organisation) must be of the vacancy's own
    organisation and able to manage applications."""
    if membership is None:
        return
    if membership.organisation_id != application.vacancy.organisation_id:
        raise PermissionDenied("That membership is of another organisation.")
    if not can(membership, Capability.MANAGE_APPLICATIONS):
        raise PermissionDenied("Your role cannot manage applications.")


def _check_move(
    application: Application,
    to_stage: str,
    *,
    membership: Membership | None,
    reason: str,
    rejection_reason: str,
) -> None:
    """Raise a ValidationError saying why the move is not allowed, or return."""
    from_stage = application.stage
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": "Choose a stage from the list"}, code="unknown_stage")
    if to_stage == from_stage:
        raise ValidationError(
            f"This application is already at {_label(from_stage)}.", code="same_stage"
        )
    if not TRANSITIONS[from_stage]:
        raise ValidationError(
            f"You cannot move an application from {_label(from_stage)}.", code="illegal_move"
        )
    if to_stage == Stage.HIRED:
        offer = getattr(application, "offer", None)
        if (
            from_stage != Stage.PRE_EMPLOYMENT
            or offer is None
            or offer.unconditional_at is None
            or offer.start_date is None
        ):
            raise ValidationError(
                "An application can only be hired after an unconditional offer with a start date.",
                code="not_hireable",
            )
    if to_stage not in TRANSITIONS[from_stage]:
        raise ValidationError(
            f"You cannot move an application from {_label(from_stage)} to {_label(to_stage)}.",
            code="illegal_move",
        )
    if to_stage == Stage.OFFER and getattr(application, "offer", None) is None:
        raise ValidationError(
            "An application can only move to Offer once an offer has been made.",
            code="no_offer",
        )
    if to_stage == Stage.REJECTED:
        if rejection_reason not in RejectionReason.values:
            raise ValidationError(
                {"rejection_reason": "Select why the application was unsuccessful"},
                code="rejection_reason_required",
            )
        if from_stage in BEFORE_INTERVIEW and is_guaranteed_interview(application):
            route = FairRoute(application.fair_route).label.lower()
            if not can(membership, Capability.APPROVE_VACANCIES):
                raise ValidationError(
                    f"This applicant is guaranteed an interview ({route}). Only an admin "
                    "of your organisation can reject them before interview, and must say why.",
                    code="guaranteed_interview",
                )
            if not reason:
                raise ValidationError(
                    {
                        "reason": "Enter why you are rejecting an applicant who is "
                        "guaranteed an interview"
                    },
                    code="guaranteed_interview_reason",
                )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "offer")
        .get(pk=application.pk)
    )


def _clean_text(text: str, limit: int, field: str, what: str) -> str:
    text = " ".join((text or "").split()) if field == "reason" else (text or "").strip()
    if len(text) > limit:
        raise ValidationError({field: f"{what} must be {limit} characters or fewer"})
    return text


def _notify(application: Application, to_stage: str, *, actor: User | None) -> None:
    """Email the candidate about a move meant for them (the outbox sends after commit)."""
    if not application.email:
        return
    if to_stage == Stage.REJECTED:
        emails.email_application_rejected(application=application)
    elif to_stage == Stage.INTERVIEW:
        emails.email_interview_invitation(application=application)
    elif to_stage == Stage.SHORTLISTED:
        emails.email_application_shortlisted(application=application)
    elif to_stage == Stage.WITHDRAWN and actor != application.candidate:
        emails.email_application_withdrawn_by_employer(application=application)


def _move_locked(
    locked: Application,
    to_stage: str,
    *,
    actor: User | None,
    membership: Membership | None,
    reason: str,
    rejection_reason: str,
    note: str,
    notify: bool,
) -> Application:
    _check_membership(membership, locked)
    _check_move(
        locked,
        to_stage,
        membership=membership,
        reason=reason,
        rejection_reason=rejection_reason,
    )
    now = timezone.now()
    from_stage = locked.stage
    locked.stage = to_stage
    locked.stage_changed_at = now
    fields = ["stage", "stage_changed_at", "updated_at"]
    if to_stage == Stage.REJECTED:
        locked.rejection_reason = rejection_reason
        fields.append("rejection_reason")
    locked.save(update_fields=fields)
    recorded_reason = reason
    if to_stage == Stage.REJECTED:
        label = RejectionReason(rejection_reason).label
        recorded_reason = f"{label}: {reason}" if reason else label
    StageChange.objects.create(
        application=locked,
        created_at=now,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        reason=recorded_reason[:200],
    )
    if to_stage in (Stage.REJECTED, Stage.WITHDRAWN):
        interview_release(application=locked, actor=actor)
    if note:
        ApplicationNote.objects.create(application=locked, author=actor, text=note)
    audit_record(
        actor=actor,
        organisation=locked.vacancy.organisation,
        obj=locked,
        action="application.moved",
        summary=(
            f"Moved Applicant {application_reference(locked)} for {locked.vacancy.title} "
            f"from {_label(from_stage)} to {_label(to_stage)}"
        ),
        data={
            "from": from_stage,
            "to": to_stage,
            "reason": reason,
            "rejection_reason": rejection_reason if to_stage == Stage.REJECTED else "",
        },
    )
    if notify:
        _notify(locked, to_stage, actor=actor)
    return locked


def _copy_back(target: Application, source: Application) -> Application:
    for name in ("stage", "stage_changed_at", "rejection_reason", "updated_at"):
        setattr(target, name, getattr(source, name))
    return target


@transaction.atomic
def application_move(
    *,
    application: Application,
    to_stage: str,
    actor: User | None,
    membership: Membership | None,
    reason: str = "",
    rejection_reason: str = "",
    note: str = "",
    notify: bool = True,
) -> Application:
    """Move an application to another stage, or raise a ValidationError saying why not.

    `membership` is the actor's membership of the vacancy's organisation (None for the
    system or the demo seed). `reason` is recorded with the move (an admin's reason for
    rejecting an applicant guaranteed an interview goes here); `rejection_reason` is a
    RejectionReason, required to reject; `note` adds an internal note. `notify=False`
    leaves the candidate's email to the caller. Returns the application, updated."""
    reason = _clean_text(reason, MAX_REASON_LENGTH, "reason", "The reason")
    note = _clean_text(note, MAX_NOTE_LENGTH, "note", "The note")
    locked = _lock(application)
    _move_locked(
        locked,
        to_stage,
        actor=actor,
        membership=membership,
        reason=reason,
        rejection_reason=rejection_reason,
        note=note,
        notify=notify,
    )
    return _copy_back(application, locked)


@dataclass
class MoveResult:
    """What a bulk move did: how many moved, from which stages, to where."""

    to_stage: str
    moved: int = 0
    from_stages: Counter = field(default_factory=Counter)

    @property
    def to_stage_label(self) -> str:
        return _label(self.to_stage)


@transaction.atomic
def applications_move_many(
    *,
    applications: Iterable[Application],
    to_stage: str,
    actor: User | None,
    membership: Membership | None,
    reason: str = "",
    rejection_reason: str = "",
    note: str = "",
) -> MoveResult:
    """Move several applications to one stage, all or nothing: when any one cannot
    move, none does, and the ValidationError lists every applicant that could not, by
    the name (or anonymised reference) staff see."""
    reason = _clean_text(reason, MAX_REASON_LENGTH, "reason", "The reason")
    note = _clean_text(note, MAX_NOTE_LENGTH, "note", "The note")
    ids = sorted({application.pk for application in applications})
    if not ids:
        raise ValidationError(
            {"applications": "Select at least one applicant"}, code="none_selected"
        )
    # Locked in one order, so two bulk moves never wait on each other in a circle.
    locked_all = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "offer")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    result = MoveResult(to_stage=to_stage)
    field_errors: dict[str, list[str]] = {}
    problems: list[str] = []
    for locked in locked_all:
        from_stage = locked.stage
        try:
            with transaction.atomic():
                _move_locked(
                    locked,
                    to_stage,
                    actor=actor,
                    membership=membership,
                    reason=reason,
                    rejection_reason=rejection_reason,
                    note=note,
                    notify=True,
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    for message in messages:
                        if message not in field_errors.get(name, []):
                            field_errors.setdefault(name, []).append(message)
            else:
                who = applicant_display(locked, contact=False).name
                problems.extend(f"{who}: {message}" for message in error.messages)
        else:
            result.moved += 1
            result.from_stages[from_stage] += 1
    if field_errors or problems:
        errors = dict(field_errors)
        if problems:
            errors["__all__"] = problems
        raise ValidationError(errors)
    return result


@transaction.atomic
def application_set_essential_criteria(
    *, application: Application, actor: User, meets: bool | None
) -> Application:
    """The recruiter's judgement of whether the applicant meets the essential criteria
    (None: not decided). A guaranteed interview holds unless this is False."""
    locked = _lock(application)
    if locked.meets_essential_criteria is not meets:
        locked.meets_essential_criteria = meets
        locked.save(update_fields=["meets_essential_criteria", "updated_at"])
        words = {True: "meets", False: "does not meet", None: "not yet judged against"}[meets]
        audit_record(
            actor=actor,
            organisation=locked.vacancy.organisation,
            obj=locked,
            action="application.essential_criteria",
            summary=f"Recorded that an applicant for {locked.vacancy.title} {words} the "
            "essential criteria",
            data={"meets": meets},
        )
    application.meets_essential_criteria = locked.meets_essential_criteria
    return application


@transaction.atomic
def application_note_add(*, application: Application, actor: User, text: str) -> ApplicationNote:
    """An internal note on the application, never shown to the candidate."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter a note"}, code="required")
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError({"text": f"The note must be {MAX_NOTE_LENGTH} characters or fewer"})
    note = ApplicationNote.objects.create(application=application, author=actor, text=text)
    audit_record(
        actor=actor,
        organisation=application.vacancy.organisation,
        obj=application,
        action="application.note_added",
        summary=f"Added a note to an application for {application.vacancy.title}",
        data={"note_id": note.pk},
    )
    return note


# --- The organisation's email templates --------------------------------------------------------

Kind = OrganisationEmailTemplate.Kind


@dataclass(frozen=True)
class DefaultEmailTemplate:
    subject: str
    body: str


DEFAULT_EMAIL_TEMPLATES: dict[str, DefaultEmailTemplate] = {
    Kind.REJECTION: DefaultEmailTemplate(
        subject="Your application for {{ vacancy_title }}",
        body=(
            "Dear {{ candidate_name }},\n"
            "\n"
            "Thank you for applying for {{ vacancy_title }} at {{ organisation_name }}, "
            "and for the time you gave to your application.\n"
            "\n"
            "We are sorry to tell you that your application has not been successful this "
            "time. The reason: {{ rejection_reason }}.\n"
            "\n"
            "We know this is disappointing. Please do not let it put you off: there are "
            "many jobs in health and care across our partners, and we would be glad to "
            "see you apply again. You can find them, and set up job alerts, on Workforce "
            "Hub.\n"
            "\n"
            "With best wishes,\n"
            "The recruitment team at {{ organisation_name }}"
        ),
    ),
    Kind.INTERVIEW_INVITATION: DefaultEmailTemplate(
        subject="Invitation to interview: {{ vacancy_title }}",
        body=(
            "Dear {{ candidate_name }},\n"
            "\n"
            "Thank you for applying for {{ vacancy_title }} at {{ organisation_name }}. "
            "We are pleased to invite you to an interview.\n"
            "\n"
            "Please choose a time that suits you:\n"
            "{{ booking_link }}\n"
            "\n"
            "If none of the times work for you, or you need any adjustments for the "
            "interview, reply to this email and we will do our best to help.\n"
            "\n"
            "We look forward to meeting you.\n"
            "\n"
            "With best wishes,\n"
            "The recruitment team at {{ organisation_name }}"
        ),
    ),
}

_COMMON_PLACEHOLDERS = {
    "candidate_name": "the applicant's full name",
    "vacancy_title": "the job title",
    "organisation_name": "your organisation's name",
}
# {kind: {placeholder: what it is filled with}}
PLACEHOLDERS: dict[str, dict[str, str]] = {
    Kind.REJECTION: {
        **_COMMON_PLACEHOLDERS,
        "rejection_reason": "the reason chosen from the list, for example “Other "
        "applicants met the criteria better”",
    },
    Kind.INTERVIEW_INVITATION: {
        **_COMMON_PLACEHOLDERS,
        "booking_link": "the link where the applicant books an interview time",
    },
}
# Placeholders a template must keep, or the email would be useless.
REQUIRED_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    Kind.REJECTION: (),
    Kind.INTERVIEW_INVITATION: ("booking_link",),
}

# Anything in double braces; only names from the kind's list are accepted.
_BRACES = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"^\s*([a-z_]+)\s*$")

MAX_SUBJECT_LENGTH = OrganisationEmailTemplate._meta.get_field("subject").max_length
MAX_BODY_LENGTH = 10000


def placeholder_errors(text: str, kind: str) -> list[str]:
    """What is wrong with the placeholders of a subject or body, in plain words."""
    allowed = PLACEHOLDERS[kind]
    errors = []
    for match in _BRACES.finditer(text):
        name = _NAME.match(match.group(1))
        if name is None or name.group(1) not in allowed:
            shown = " ".join(match.group(0).split())
            errors.append(
                f"{shown} is not a placeholder you can use. Use only "
                + ", ".join(f"{{{{ {known} }}}}" for known in allowed)
            )
    rest = _BRACES.sub("", text)
    if "{{" in rest or "}}" in rest:
        errors.append("Close every placeholder with two braces, like {{ candidate_name }}")
    if "{%" in text or "%}" in text:
        errors.append("Remove {% and %}: only placeholders in double braces are filled in")
    return errors


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Put the values in place of their placeholders. Nothing else in the text is
    interpreted; a placeholder without a value is left as it is."""

    def replace(match):
        name = _NAME.match(match.group(1))
        if name is None or name.group(1) not in values:
            return match.group(0)
        return str(values[name.group(1)])

    return _BRACES.sub(replace, text)


def email_template_errors(*, kind: str, subject: str, body: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in PLACEHOLDERS:
        raise ValidationError("Choose an email from the list.")
    if not subject.strip():
        errors.setdefault("subject", []).append("Enter a subject")
    elif len(subject) > MAX_SUBJECT_LENGTH:
        errors.setdefault("subject", []).append(
            f"The subject must be {MAX_SUBJECT_LENGTH} characters or fewer"
        )
    if "\n" in subject or "\r" in subject:
        errors.setdefault("subject", []).append("The subject must be on one line")
    if not body.strip():
        errors.setdefault("body", []).append("Enter the text of the email")
    elif len(body) > MAX_BODY_LENGTH:
        errors.setdefault("body", []).append(
            f"The text must be {MAX_BODY_LENGTH:,} characters or fewer"
        )
    for name, text in (("subject", subject), ("body", body)):
        for message in placeholder_errors(text, kind):
            errors.setdefault(name, []).append(message)
    used = {
        m.group(1)
        for m in (_NAME.match(inner.group(1)) for inner in _BRACES.finditer(body))
        if m is not None
    }
    for required in REQUIRED_PLACEHOLDERS[kind]:
        if required not in used:
            errors.setdefault("body", []).append(
                f"Keep {{{{ {required} }}}} in the text: without it the applicant cannot book"
            )
    return errors


@transaction.atomic
def email_template_save(
    *, organisation: Organisation, kind: str, subject: str, body: str, actor: User
) -> OrganisationEmailTemplate:
    """Save the organisation's wording of an email, after checking its placeholders."""
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").strip()
    errors = email_template_errors(kind=kind, subject=subject, body=body)
    if errors:
        raise ValidationError(errors)
    template, created = OrganisationEmailTemplate.objects.select_for_update().get_or_create(
        organisation=organisation,
        kind=kind,
        defaults={"subject": subject, "body": body, "updated_by": actor},
    )
    if not created:
        template.subject, template.body, template.updated_by = subject, body, actor
        template.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=template,
        action="email_template.saved",
        summary=f"Changed the wording of the “{template.get_kind_display()}” email",
        data={"kind": kind},
    )
    return template


@transaction.atomic
def email_template_reset(*, organisation: Organisation, kind: str, actor: User) -> None:
    """Go back to the default wording."""
    if kind not in PLACEHOLDERS:
        raise ValidationError("Choose an email from the list.")
    deleted, _ = OrganisationEmailTemplate.objects.filter(
        organisation=organisation, kind=kind
    ).delete()
    if deleted:
        audit_record(
            actor=actor,
            organisation=organisation,
            action="email_template.reset",
            summary=f"Reset the “{Kind(kind).label}” email to the default wording",
            data={"kind": kind},
        )


def email_template_example_values(kind: str, organisation: Organisation) -> dict[str, str]:
    """Made-up values to preview a template with."""
    from django.conf import settings

    values = {
        "candidate_name": "Alex Example",
        "vacancy_title": "Healthcare assistant",
        "organisation_name": organisation.name,
    }
    if kind == Kind.REJECTION:
        values["rejection_reason"] = RejectionReason.OTHERS_STRONGER.label
    else:
        values["booking_link"] = f"{settings.SITE_URL}/me/applications/…/interview/"
    return {name: value for name, value in values.items() if name in PLACEHOLDERS[kind]}
