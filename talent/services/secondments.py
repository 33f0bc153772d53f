"""THE rules of secondments between partners.

A host organisation writes an opportunity (a draft), publishes it (open to every partner,
or to the partners it chose) and closes it. A member of another partner's staff expresses
interest; their home organisation releases them or not (an admin of the home, or a
person it named as an approver); the host selects a released person, which proposes an
agreement, or declines them.

An agreement then moves by the steps of `STEPS`, the one table of what may happen to it:

    proposed → home_approved       the home organisation's admin or approver approves
    home_approved → host_approved  the host's admin or approver approves (both have now)
    host_approved → active         the host starts it, not before its start date
    active → completed             on or after its end date, or ended early with a reason
    proposed | home_approved | host_approved → cancelled   either side, with a reason
    host_approved | active: extended (a later end date; the first one is kept)

Nothing goes active without both approvals: the steps say so, and so does a check
constraint in the database. Every write runs in a transaction on the locked row, checks
who is acting (a PermissionDenied when their role or side may not; a ValidationError
saying why when the state does not allow it), writes the audit row, and puts its emails
in the outbox, which sends them once the transaction commits.

The emails of secondments are the named `email_secondment_*` functions in talent.emails.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from hub.access import Capability, can
from hub.models import Membership, Organisation, User
from hub.services import audit_record
from talent.emails import (
    email_secondment_agreement_update,
    email_secondment_end_reminder,
    email_secondment_interest_expressed,
    email_secondment_interest_released,
    email_secondment_not_selected,
    email_secondment_release_decided,
)
from talent.models import (
    Arrangement,
    SecondmentAgreement,
    SecondmentApprover,
    SecondmentInterest,
    SecondmentOpportunity,
    StaffGroup,
    Vacancy,
)
from talent.selectors.secondments import (
    agreements_due_end_reminder,
    approvers_of,
    may_approve,
)

Status = SecondmentAgreement.Status
InterestStatus = SecondmentInterest.Status
OpportunityStatus = SecondmentOpportunity.Status

MAX_DURATION_MONTHS = 60
MAX_STATEMENT_LENGTH = 3000
MAX_REASON_LENGTH = 300
END_REMINDER_DAYS = 28

HOME, HOST, EITHER = "home", "host", "either"
# Who on a side may take a step: its admins and named approvers, or its HR staff.
APPROVERS, MANAGERS = "approvers", "managers"


@dataclass(frozen=True)
class Step:
    """One thing that may happen to an agreement: from which statuses, to which (None:
    the status stays), by which side, and who on that side."""

    label: str
    sources: frozenset[str]
    target: str | None
    side: str
    who: str


STEPS: dict[str, Step] = {
    "approve_home": Step(
        "approve for the home organisation",
        frozenset({Status.PROPOSED}),
        Status.HOME_APPROVED,
        HOME,
        APPROVERS,
    ),
    "approve_host": Step(
        "approve for the host",
        frozenset({Status.HOME_APPROVED}),
        Status.HOST_APPROVED,
        HOST,
        APPROVERS,
    ),
    "activate": Step(
        "start the secondment", frozenset({Status.HOST_APPROVED}), Status.ACTIVE, HOST, MANAGERS
    ),
    "extend": Step(
        "extend the secondment",
        frozenset({Status.HOST_APPROVED, Status.ACTIVE}),
        None,
        EITHER,
        MANAGERS,
    ),
    "end_early": Step(
        "end the secondment early", frozenset({Status.ACTIVE}), Status.COMPLETED, EITHER, MANAGERS
    ),
    "complete": Step(
        "complete the secondment", frozenset({Status.ACTIVE}), Status.COMPLETED, EITHER, MANAGERS
    ),
    "cancel": Step(
        "cancel the agreement",
        frozenset({Status.PROPOSED, Status.HOME_APPROVED, Status.HOST_APPROVED}),
        Status.CANCELLED,
        EITHER,
        MANAGERS,
    ),
}
# {from status: the statuses it may move to}, read off the steps; every status is a key.
TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(
        step.target for step in STEPS.values() if status in step.sources and step.target
    )
    for status in Status
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31
    January + 1 month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _reason(text: str | None, *, field: str = "reason", required: str = "") -> str:
    text = " ".join((text or "").split())
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError(
            {field: f"The reason must be {MAX_REASON_LENGTH} characters or fewer"}
        )
    return text


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _person(user: User | None) -> str:
    if user is None:
        return "someone"
    return user.name or user.email


# --- Opportunities ------------------------------------------------------------------------

OPPORTUNITY_FIELDS = (
    "title",
    "staff_group",
    "band",
    "description",
    "starts_on",
    "duration_months",
    "closing_date",
    "open_to_all",
    "arrangement",
    "recharge",
    "backfill",
    "contact",
)


def _ensure_host_staff(host_id, membership: Membership | None) -> None:
    if membership is None or membership.organisation_id != host_id:
        raise PermissionDenied("Only the host organisation manages its opportunities.")
    if not can(membership, Capability.MANAGE_MOBILITY):
        raise PermissionDenied("Your role cannot manage secondments.")


def opportunity_errors(
    *, host: Organisation, values: dict, eligible: list[Organisation], today: datetime.date
) -> dict[str, str]:
    """What is wrong with an opportunity's fields, by field."""
    errors = {}
    if not _clean(values.get("title")):
        errors["title"] = "Enter the role"
    elif len(values["title"].strip()) > 200:
        errors["title"] = "The role must be 200 characters or fewer"
    if not isinstance(values.get("staff_group"), StaffGroup):
        errors["staff_group"] = "Choose a staff group"
    if values.get("band", "") not in ("", *Vacancy.Band.values):
        errors["band"] = "Choose a band from the list"
    if not _clean(values.get("description")):
        errors["description"] = "Enter a description of the role"
    duration = values.get("duration_months")
    if duration is None or not 1 <= duration <= MAX_DURATION_MONTHS:
        errors["duration_months"] = f"Enter a duration from 1 to {MAX_DURATION_MONTHS} months"
    starts_on, closing_date = values.get("starts_on"), values.get("closing_date")
    if starts_on is None:
        errors["starts_on"] = "Enter the start date"
    if closing_date is None:
        errors["closing_date"] = "Enter the closing date"
    elif closing_date < today:
        errors["closing_date"] = "The closing date must be today or in the future"
    elif starts_on is not None and closing_date > starts_on:
        errors["closing_date"] = "The closing date must be on or before the start date"
    if values.get("arrangement") not in Arrangement.values:
        errors["arrangement"] = "Choose a loan or a secondment"
    elif values["arrangement"] == Arrangement.SECONDMENT and not _clean(values.get("recharge")):
        errors["recharge"] = "Enter what the host repays the home organisation"
    if len(_clean(values.get("recharge"))) > 200:
        errors["recharge"] = "The recharge must be 200 characters or fewer"
    if not values.get("open_to_all"):
        if not eligible:
            errors["eligible_organisations"] = "Choose the partners whose staff may apply"
        elif any(organisation.pk == host.pk for organisation in eligible):
            errors["eligible_organisations"] = "Choose partners other than your own organisation"
    contact = values.get("contact")
    if (
        contact is not None
        and not Membership.objects.filter(
            user=contact, organisation=host, user__is_active=True
        ).exists()
    ):
        errors["contact"] = "Choose a contact from your organisation"
    return errors


def _apply_fields(
    opportunity: SecondmentOpportunity, values: dict, eligible: list[Organisation]
) -> None:
    errors = opportunity_errors(
        host=opportunity.host, values=values, eligible=eligible, today=timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    for name in OPPORTUNITY_FIELDS:
        value = values.get(name)
        setattr(opportunity, name, value.strip() if isinstance(value, str) else value)
    if opportunity.arrangement == Arrangement.LOAN:
        opportunity.recharge = ""  # the host pays the person itself: nothing to recharge


@transaction.atomic
def opportunity_create(
    *,
    host: Organisation,
    actor: User,
    membership: Membership,
    eligible_organisations: Iterable[Organisation] = (),
    **values,
) -> SecondmentOpportunity:
    """A new opportunity, as a draft, written by HR staff of the host."""
    _ensure_host_staff(host.pk, membership)
    eligible = list(eligible_organisations)
    opportunity = SecondmentOpportunity(host=host, status=OpportunityStatus.DRAFT)
    _apply_fields(opportunity, values, eligible)
    opportunity.save()
    opportunity.eligible_organisations.set([] if opportunity.open_to_all else eligible)
    audit_record(
        actor=actor,
        organisation=host,
        obj=opportunity,
        action="secondment_opportunity.created",
        summary=f"Wrote the secondment opportunity {opportunity.title}",
    )
    return opportunity


def _lock_opportunity(opportunity: SecondmentOpportunity) -> SecondmentOpportunity:
    return (
        SecondmentOpportunity.objects.select_for_update(of=("self",))
        .select_related("host")
        .get(pk=opportunity.pk)
    )


@transaction.atomic
def opportunity_update(
    *,
    opportunity: SecondmentOpportunity,
    actor: User,
    membership: Membership,
    eligible_organisations: Iterable[Organisation] = (),
    **values,
) -> SecondmentOpportunity:
    """Change a draft or open opportunity; a closed one stays as it closed."""
    _ensure_host_staff(opportunity.host_id, membership)
    locked = _lock_opportunity(opportunity)
    if locked.status == OpportunityStatus.CLOSED:
        raise ValidationError("This opportunity is closed, so it can no longer be changed.")
    eligible = list(eligible_organisations)
    _apply_fields(locked, values, eligible)
    locked.save()
    locked.eligible_organisations.set([] if locked.open_to_all else eligible)
    audit_record(
        actor=actor,
        organisation=locked.host,
        obj=locked,
        action="secondment_opportunity.updated",
        summary=f"Changed the secondment opportunity {locked.title}",
    )
    return locked


@transaction.atomic
def opportunity_publish(
    *, opportunity: SecondmentOpportunity, actor: User, membership: Membership
) -> SecondmentOpportunity:
    """Open a draft to expressions of interest from the partners it is open to."""
    _ensure_host_staff(opportunity.host_id, membership)
    locked = _lock_opportunity(opportunity)
    if locked.status != OpportunityStatus.DRAFT:
        raise ValidationError(
            f"This opportunity is {locked.get_status_display().lower()}: only a draft can be "
            "published."
        )
    if locked.closing_date < timezone.localdate():
        raise ValidationError(
            "The closing date has passed. Change it before you publish the opportunity."
        )
    locked.status = OpportunityStatus.OPEN
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=locked.host,
        obj=locked,
        action="secondment_opportunity.published",
        summary=f"Published the secondment opportunity {locked.title}",
    )
    return locked


@transaction.atomic
def opportunity_close(
    *, opportunity: SecondmentOpportunity, actor: User, membership: Membership
) -> SecondmentOpportunity:
    """Stop new expressions of interest. Released people can still be selected."""
    _ensure_host_staff(opportunity.host_id, membership)
    locked = _lock_opportunity(opportunity)
    if locked.status != OpportunityStatus.OPEN:
        raise ValidationError(
            f"This opportunity is {locked.get_status_display().lower()}: only an open one can "
            "be closed."
        )
    locked.status = OpportunityStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        organisation=locked.host,
        obj=locked,
        action="secondment_opportunity.closed",
        summary=f"Closed the secondment opportunity {locked.title}",
    )
    return locked


# --- Interests ----------------------------------------------------------------------------


def interest_refusal(
    opportunity: SecondmentOpportunity, membership: Membership, *, already: bool
) -> str:
    """Why the member may not express interest in the opportunity, or "" when they may."""
    if opportunity.host_id == membership.organisation_id:
        return "This is your own organisation's opportunity: it is for staff of other partners."
    if opportunity.status != OpportunityStatus.OPEN:
        return "This opportunity is not open to expressions of interest."
    if opportunity.closing_date < timezone.localdate():
        return "The closing date for expressions of interest has passed."
    if already:
        return "You have already expressed interest in this opportunity."
    return ""


@transaction.atomic
def interest_express(
    *,
    opportunity: SecondmentOpportunity,
    person: User,
    membership: Membership,
    statement: str,
) -> SecondmentInterest:
    """A member of a partner's staff asks to be considered; their acting organisation is
    their home, which must release them. Its approvers hear by email."""
    locked = _lock_opportunity(opportunity)
    organisation_id = membership.organisation_id
    if not (
        locked.open_to_all
        or locked.host_id == organisation_id
        or locked.eligible_organisations.filter(pk=organisation_id).exists()
    ):
        raise PermissionDenied("This opportunity is not open to your organisation.")
    if membership.user_id != person.pk:
        raise PermissionDenied("People express interest for themselves.")
    already = SecondmentInterest.objects.filter(opportunity=locked, person=person).exists()
    refusal = interest_refusal(locked, membership, already=already)
    if refusal:
        raise ValidationError(refusal, code="refused")
    statement = _clean(statement)
    if not statement:
        raise ValidationError({"statement": "Say why you are interested"})
    if len(statement) > MAX_STATEMENT_LENGTH:
        raise ValidationError(
            {"statement": f"Your statement must be {MAX_STATEMENT_LENGTH} characters or fewer"}
        )
    try:
        with transaction.atomic():
            interest = SecondmentInterest.objects.create(
                opportunity=locked,
                person=person,
                home_id=membership.organisation_id,
                statement=statement,
            )
    except IntegrityError:
        raise ValidationError(
            "You have already expressed interest in this opportunity.", code="refused"
        ) from None
    home = membership.organisation
    audit_record(
        actor=person,
        organisation=home,
        obj=interest,
        action="secondment_interest.expressed",
        summary=f"Expressed interest in {locked.title} at {locked.host}",
        data={"opportunity_id": str(locked.pk), "host_id": locked.host_id},
    )
    for approver in approvers_of(home.pk):
        if approver.pk != person.pk:
            email_secondment_interest_expressed(interest=interest, recipient=approver)
    return interest


def _lock_interest(interest: SecondmentInterest) -> SecondmentInterest:
    return (
        SecondmentInterest.objects.select_for_update(of=("self",))
        .select_related("person", "home", "opportunity__host", "opportunity__contact")
        .get(pk=interest.pk)
    )


@transaction.atomic
def interest_release(
    *,
    interest: SecondmentInterest,
    actor: User,
    membership: Membership,
    release: bool,
    reason: str = "",
) -> SecondmentInterest:
    """The home organisation releases its member of staff for the secondment, or does not
    (saying why). Only its admins and named approvers decide, never the person themself.
    The person hears either way; the host's contact hears of a release."""
    if membership.organisation_id != interest.home_id or not may_approve(membership):
        raise PermissionDenied(
            "Only an admin or a named approver of the home organisation releases staff."
        )
    locked = _lock_interest(interest)
    if locked.person_id == actor.pk:
        raise ValidationError("You cannot release yourself: another approver must decide.")
    if locked.status != InterestStatus.EXPRESSED:
        raise ValidationError(
            f"This interest is already decided: {locked.get_status_display().lower()}."
        )
    reason = _reason(reason, required="" if release else "Say why you are not releasing them")
    locked.status = InterestStatus.RELEASED if release else InterestStatus.NOT_RELEASED
    locked.home_decided_by = actor
    locked.home_decided_at = timezone.now()
    locked.home_reason = reason
    locked.save()
    opportunity = locked.opportunity
    audit_record(
        actor=actor,
        organisation=locked.home,
        obj=locked,
        action="secondment_interest.released" if release else "secondment_interest.not_released",
        summary=(
            f"{'Released' if release else 'Did not release'} a member of staff for "
            f"{opportunity.title} at {opportunity.host}"
        ),
        data={"reason": reason},
    )
    email_secondment_release_decided(interest=locked)
    if release:
        for recipient in _host_contacts(opportunity):
            email_secondment_interest_released(interest=locked, recipient=recipient)
    return locked


def _host_contacts(opportunity: SecondmentOpportunity) -> list[User]:
    """The opportunity's contact, or the host's approvers when it names none."""
    if opportunity.contact is not None and opportunity.contact.is_active:
        return [opportunity.contact]
    return list(approvers_of(opportunity.host_id))


def _ensure_host_manager(interest: SecondmentInterest, membership: Membership) -> None:
    if membership.organisation_id != interest.opportunity.host_id:
        raise PermissionDenied("Only the host decides on interest in its opportunities.")
    if not can(membership, Capability.MANAGE_MOBILITY):
        raise PermissionDenied("Your role cannot manage secondments.")


@transaction.atomic
def interest_select(
    *, interest: SecondmentInterest, actor: User, membership: Membership
) -> SecondmentAgreement:
    """The host selects a released person: an agreement is proposed from the opportunity
    (its start date and duration, arrangement and recharge), for the home organisation to
    approve first."""
    _ensure_host_manager(interest, membership)
    locked = _lock_interest(interest)
    if locked.status != InterestStatus.RELEASED:
        raise ValidationError(
            "Only someone their home organisation has released can be selected. This interest "
            f"is {locked.get_status_display().lower()}."
        )
    opportunity = locked.opportunity
    now = timezone.now()
    locked.status = InterestStatus.SELECTED
    locked.host_decided_by = actor
    locked.host_decided_at = now
    locked.save()
    agreement = SecondmentAgreement.objects.create(
        opportunity=opportunity,
        interest=locked,
        home=locked.home,
        host=opportunity.host,
        person=locked.person,
        role_title=opportunity.title,
        starts_on=opportunity.starts_on,
        ends_on=add_months(opportunity.starts_on, opportunity.duration_months),
        arrangement=opportunity.arrangement,
        recharge=opportunity.recharge,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=opportunity.host,
        obj=agreement,
        action="secondment_agreement.proposed",
        summary=(
            f"Selected a member of staff from {locked.home} for {opportunity.title}: "
            "agreement proposed"
        ),
        data={"interest_id": str(locked.pk), "home_id": locked.home_id},
    )
    _tell(agreement, "proposed", actor=actor)
    return agreement


@transaction.atomic
def interest_decline(
    *, interest: SecondmentInterest, actor: User, membership: Membership, message: str = ""
) -> SecondmentInterest:
    """The host does not select a released person, who hears by email (with the host's
    message, when it gives one)."""
    _ensure_host_manager(interest, membership)
    locked = _lock_interest(interest)
    if locked.status != InterestStatus.RELEASED:
        raise ValidationError(
            "Only someone their home organisation has released can be declined. This interest "
            f"is {locked.get_status_display().lower()}."
        )
    message = _reason(message, field="message")
    locked.status = InterestStatus.NOT_SELECTED
    locked.host_decided_by = actor
    locked.host_decided_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        organisation=locked.opportunity.host,
        obj=locked,
        action="secondment_interest.not_selected",
        summary=f"Did not select a member of staff for {locked.opportunity.title}",
        data={"message": message},
    )
    email_secondment_not_selected(interest=locked, message=message)
    return locked


@transaction.atomic
def interest_withdraw(*, interest: SecondmentInterest, person: User) -> SecondmentInterest:
    """The person withdraws their interest while nobody has selected them yet."""
    locked = _lock_interest(interest)
    if locked.person_id != person.pk:
        raise PermissionDenied("Only the person who expressed interest can withdraw it.")
    if locked.status not in (InterestStatus.EXPRESSED, InterestStatus.RELEASED):
        raise ValidationError(
            f"This interest is {locked.get_status_display().lower()}, so it cannot be withdrawn."
        )
    locked.status = InterestStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=person,
        organisation=locked.home,
        obj=locked,
        action="secondment_interest.withdrawn",
        summary=f"Withdrew their interest in {locked.opportunity.title}",
    )
    return locked


# --- Agreements ---------------------------------------------------------------------------


def side_of(agreement: SecondmentAgreement, membership: Membership) -> str:
    """HOME or HOST, for a member of either organisation."""
    if membership.organisation_id == agreement.home_id:
        return HOME
    if membership.organisation_id == agreement.host_id:
        return HOST
    raise PermissionDenied("Only the home and host organisations act on an agreement.")


def _lock_agreement(agreement: SecondmentAgreement) -> SecondmentAgreement:
    return (
        SecondmentAgreement.objects.select_for_update(of=("self",))
        .select_related("home", "host", "person", "opportunity__contact")
        .get(pk=agreement.pk)
    )


def _check_step(agreement: SecondmentAgreement, action: str, membership: Membership) -> Step:
    """Refuse the step unless the member's side and role may take it from the agreement's
    status: PermissionDenied for the role, ValidationError (saying why) for the rest."""
    step = STEPS[action]
    side = side_of(agreement, membership)
    if step.who == APPROVERS and not may_approve(membership):
        raise PermissionDenied(
            "Only an admin or a named approver of the organisation approves secondments."
        )
    if step.who == MANAGERS and not can(membership, Capability.MANAGE_MOBILITY):
        raise PermissionDenied("Your role cannot manage secondments.")
    if step.side != EITHER and side != step.side:
        whose = "home organisation" if step.side == HOME else "host organisation"
        raise ValidationError(f"Only the {whose} can {step.label}.", code="wrong_side")
    if agreement.status not in step.sources:
        raise ValidationError(
            f"You cannot {step.label}: the agreement is {agreement.get_status_display().lower()}.",
            code="wrong_status",
        )
    return step


def _audit(agreement, actor, membership, action, summary, **data):
    audit_record(
        actor=actor,
        organisation=membership.organisation if membership else None,
        obj=agreement,
        action=f"secondment_agreement.{action}",
        summary=summary,
        data={
            "home_id": agreement.home_id,
            "host_id": agreement.host_id,
            "status": agreement.status,
            **data,
        },
    )


def _describe(agreement: SecondmentAgreement) -> str:
    return f"the secondment as {agreement.role_title} from {agreement.home} to {agreement.host}"


@transaction.atomic
def agreement_approve(
    *,
    agreement: SecondmentAgreement,
    actor: User,
    membership: Membership,
    right_to_return: bool | None = None,
    return_terms: str | None = None,
) -> SecondmentAgreement:
    """Approve for the side the member acts for: the home organisation first, then the
    host. The home organisation states with its approval whether the person has a right
    to return, and to what (None keeps what the agreement says); the host's approval
    leaves that alone. The person never approves their own secondment."""
    locked = _lock_agreement(agreement)
    action = "approve_home" if side_of(locked, membership) == HOME else "approve_host"
    try:
        step = _check_step(locked, action, membership)
    except ValidationError:
        if action == "approve_host" and locked.status == Status.PROPOSED:
            raise ValidationError(
                f"{locked.home} approves first; you can approve once it has.",
                code="wrong_order",
            ) from None
        raise
    if locked.person_id == actor.pk:
        raise ValidationError("You cannot approve your own secondment.")
    now = timezone.now()
    if action == "approve_home":
        locked.home_approved_by, locked.home_approved_at = actor, now
        if right_to_return is not None:
            locked.right_to_return = right_to_return
        if return_terms is not None:
            locked.return_terms = _reason(return_terms, field="return_terms")
        if not locked.right_to_return:
            locked.return_terms = ""
    else:
        locked.host_approved_by, locked.host_approved_at = actor, now
    locked.status = step.target
    locked.save()
    side = "home organisation" if action == "approve_home" else "host"
    _audit(
        locked,
        actor,
        membership,
        action,
        f"Approved {_describe(locked)} for the {side}",
        right_to_return=locked.right_to_return,
        return_terms=locked.return_terms,
    )
    _tell(locked, "home_approved" if action == "approve_home" else "host_approved", actor=actor)
    return locked


@transaction.atomic
def agreement_activate(
    *, agreement: SecondmentAgreement, actor: User, membership: Membership
) -> SecondmentAgreement:
    """The host starts the secondment: only with both approvals, and not before its start
    date."""
    locked = _lock_agreement(agreement)
    _check_step(locked, "activate", membership)
    if locked.home_approved_at is None or locked.host_approved_at is None:
        raise ValidationError(
            "A secondment cannot start without the approval of both organisations.",
            code="needs_both_approvals",
        )
    if timezone.localdate() < locked.starts_on:
        raise ValidationError(
            f"The secondment starts on {_day(locked.starts_on)}: you can start it from then.",
            code="too_early",
        )
    locked.status = Status.ACTIVE
    locked.activated_at = timezone.now()
    locked.save()
    _audit(locked, actor, membership, "activated", f"Started {_describe(locked)}")
    _tell(locked, "activated", actor=actor)
    return locked


@transaction.atomic
def agreement_extend(
    *,
    agreement: SecondmentAgreement,
    actor: User,
    membership: Membership,
    ends_on: datetime.date | None,
    reason: str = "",
) -> SecondmentAgreement:
    """Move the end date later. The first agreed end date is kept, and the end reminder
    goes again before the new one."""
    locked = _lock_agreement(agreement)
    _check_step(locked, "extend", membership)
    reason = _reason(reason)
    if ends_on is None:
        raise ValidationError({"ends_on": "Enter the new end date"})
    if ends_on <= locked.ends_on:
        raise ValidationError({"ends_on": f"The new end date must be after {_day(locked.ends_on)}"})
    if ends_on > add_months(locked.starts_on, MAX_DURATION_MONTHS):
        raise ValidationError(
            {"ends_on": f"A secondment can last at most {MAX_DURATION_MONTHS} months"}
        )
    previous = locked.ends_on
    if locked.original_ends_on is None:
        locked.original_ends_on = previous
    locked.ends_on = ends_on
    locked.end_reminder_sent_at = None
    locked.save()
    _audit(
        locked,
        actor,
        membership,
        "extended",
        f"Extended {_describe(locked)} to {_day(ends_on)}",
        previous_ends_on=previous.isoformat(),
        ends_on=ends_on.isoformat(),
        reason=reason,
    )
    _tell(locked, "extended", actor=actor, previous_ends_on=previous)
    return locked


@transaction.atomic
def agreement_end_early(
    *,
    agreement: SecondmentAgreement,
    actor: User,
    membership: Membership,
    ended_on: datetime.date | None,
    reason: str,
) -> SecondmentAgreement:
    """Record that an active secondment ended before its end date, when and why; it is
    then completed."""
    locked = _lock_agreement(agreement)
    _check_step(locked, "end_early", membership)
    reason = _reason(reason, required="Say why the secondment ended early")
    today = timezone.localdate()
    if ended_on is None:
        raise ValidationError({"ended_on": "Enter the date it ended"})
    if ended_on > today:
        raise ValidationError({"ended_on": "The date it ended must be today or in the past"})
    if ended_on < locked.starts_on:
        raise ValidationError(
            {"ended_on": f"The date it ended must be on or after {_day(locked.starts_on)}"}
        )
    if ended_on >= locked.ends_on:
        raise ValidationError(
            {
                "ended_on": "The date it ended must be before the end date; "
                "complete the secondment instead"
            }
        )
    locked.status = Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.ended_early_on = ended_on
    locked.early_end_reason = reason
    locked.save()
    _audit(
        locked,
        actor,
        membership,
        "ended_early",
        f"Ended {_describe(locked)} early on {_day(ended_on)}",
        ended_on=ended_on.isoformat(),
        reason=reason,
    )
    _tell(locked, "ended_early", actor=actor)
    return locked


@transaction.atomic
def agreement_complete(
    *, agreement: SecondmentAgreement, actor: User, membership: Membership
) -> SecondmentAgreement:
    """Record that an active secondment ran to its end date."""
    locked = _lock_agreement(agreement)
    _check_step(locked, "complete", membership)
    if timezone.localdate() < locked.ends_on:
        raise ValidationError(
            f"The secondment runs until {_day(locked.ends_on)}. To finish it before, end "
            "it early and say why.",
            code="too_early",
        )
    locked.status = Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.save()
    _audit(locked, actor, membership, "completed", f"Completed {_describe(locked)}")
    _tell(locked, "completed", actor=actor)
    return locked


@transaction.atomic
def agreement_cancel(
    *, agreement: SecondmentAgreement, actor: User, membership: Membership, reason: str
) -> SecondmentAgreement:
    """Either organisation cancels an agreement that has not started, saying why."""
    locked = _lock_agreement(agreement)
    _check_step(locked, "cancel", membership)
    reason = _reason(reason, required="Say why the agreement is cancelled")
    locked.status = Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason
    locked.save()
    _audit(locked, actor, membership, "cancelled", f"Cancelled {_describe(locked)}", reason=reason)
    _tell(locked, "cancelled", actor=actor)
    return locked


def next_steps(agreement: SecondmentAgreement, membership: Membership) -> set[str]:
    """The steps the member may take on the agreement now (for the buttons a page shows;
    the services decide again on submit)."""
    allowed = set()
    for action in STEPS:
        try:
            _check_step(agreement, action, membership)
        except (PermissionDenied, ValidationError):
            continue
        allowed.add(action)
    return allowed


# --- Approvers ----------------------------------------------------------------------------


def _ensure_admin(organisation: Organisation, membership: Membership | None) -> None:
    """Naming approvers is for the organisation's admins (None: the demo seed)."""
    if membership is None:
        return
    if membership.organisation_id != organisation.pk or not can(
        membership, Capability.MANAGE_MEMBERS
    ):
        raise PermissionDenied("Only an admin of the organisation names approvers.")


@transaction.atomic
def approver_add(
    *,
    organisation: Organisation,
    user: User | None,
    actor: User | None,
    membership: Membership | None,
) -> SecondmentApprover:
    """Name a member of the organisation as an approver of secondments."""
    _ensure_admin(organisation, membership)
    if (
        user is None
        or not Membership.objects.filter(
            organisation=organisation, user=user, user__is_active=True
        ).exists()
    ):
        raise ValidationError({"user": "Choose a member of your organisation"})
    try:
        with transaction.atomic():
            approver = SecondmentApprover.objects.create(
                organisation=organisation, user=user, named_by=actor
            )
    except IntegrityError:
        raise ValidationError({"user": f"{_person(user)} is already an approver"}) from None
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=approver,
        action="secondment_approver.named",
        summary="Named an approver of secondments",
        data={"user_id": user.pk},
    )
    return approver


@transaction.atomic
def approver_remove(*, approver: SecondmentApprover, actor: User, membership: Membership) -> None:
    _ensure_admin(approver.organisation, membership)
    audit_record(
        actor=actor,
        organisation=approver.organisation,
        obj=approver,
        action="secondment_approver.removed",
        summary="Removed an approver of secondments",
        data={"user_id": approver.user_id},
    )
    approver.delete()


# --- Reminders ----------------------------------------------------------------------------


def secondment_end_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell the person, both organisations' approvers and the host's contact that an
    active secondment ends in `END_REMINDER_DAYS` days or fewer, once per end date (an
    extension sends it again). Each agreement is locked and stamped in its own
    transaction, so two runs never send twice. Returns how many were reminded."""
    today = today or timezone.localdate()
    sent = 0
    for agreement_id in list(
        agreements_due_end_reminder(today, END_REMINDER_DAYS).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            locked = (
                agreements_due_end_reminder(today, END_REMINDER_DAYS)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("home", "host", "person", "opportunity__contact")
                .filter(pk=agreement_id)
                .first()
            )
            if locked is None:
                continue
            for recipient, path in _recipients(locked, include_contact=True):
                email_secondment_end_reminder(agreement=locked, recipient=recipient, path=path)
            locked.end_reminder_sent_at = timezone.now()
            locked.save(update_fields=["end_reminder_sent_at", "updated_at"])
            sent += 1
    return sent


# --- Emails -------------------------------------------------------------------------------


def _my_path() -> str:
    return reverse("my_secondments:list")


def _agreement_path(agreement: SecondmentAgreement, organisation: Organisation) -> str:
    return reverse(
        "secondments:agreement_detail",
        kwargs={"org_slug": organisation.slug, "agreement_id": agreement.pk},
    )


# Who hears of each event: the person always; then which side's approvers.
_EVENT_SIDES = {
    "proposed": (HOME,),
    "home_approved": (HOST,),
    "host_approved": (HOME, HOST),
    "activated": (HOME,),
    "extended": (HOME, HOST),
    "ended_early": (HOME, HOST),
    "completed": (HOME, HOST),
    "cancelled": (HOME, HOST),
}


def _recipients(
    agreement: SecondmentAgreement, *, sides=(HOME, HOST), include_contact: bool = False
) -> list[tuple[User, str]]:
    """(person, the path their link opens) for the secondee and the approvers of each
    side named, and the host's contact when asked, each once."""
    found: dict[int, tuple[User, str]] = {agreement.person_id: (agreement.person, _my_path())}
    for side in sides:
        organisation = agreement.home if side == HOME else agreement.host
        for user in approvers_of(organisation.pk):
            found.setdefault(user.pk, (user, _agreement_path(agreement, organisation)))
    contact = agreement.opportunity.contact if agreement.opportunity else None
    if include_contact and contact is not None and contact.is_active:
        found.setdefault(contact.pk, (contact, _agreement_path(agreement, agreement.host)))
    return list(found.values())


def _tell(agreement: SecondmentAgreement, event: str, *, actor: User | None, **extra) -> None:
    """Email everyone who should hear of `event`, except whoever did it."""
    for recipient, path in _recipients(
        agreement, sides=_EVENT_SIDES[event], include_contact=event == "host_approved"
    ):
        if actor is None or recipient.pk != actor.pk:
            email_secondment_agreement_update(
                agreement=agreement, event=event, recipient=recipient, path=path, **extra
            )
