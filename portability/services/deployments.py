"""Writes for deployments: the pre-deployment checks (the home organisation's, and the
host's local induction), each signatory's acceptance of other signatories' checks, the
start (gated by the checks, unless an admin of the host overrides with a reason) and the
return with its close-out.

Each runs in one transaction on the locked deployment, checks who is acting (the home
or the host, with the capability), validates, saves, writes the audit row and puts the
home organisation's emails in the outbox, which sends them once the transaction commits.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from hub.access import Capability, can, require
from hub.models import AuditEvent, Membership, Organisation, User
from hub.services import audit_record
from portability import emails
from portability.models import (
    CheckAcceptance,
    Deployment,
    PreDeploymentChecks,
    RegistrationBody,
    Signatory,
)

Status = Deployment.Status

HOME_DATE_FIELDS = (
    "identity_checked_on",
    "right_to_work_checked_on",
    "dbs_issued_on",
    "mandatory_training_on",
    "occupational_health_cleared_on",
    "indemnity_confirmed_on",
)
REGISTRATION_FIELDS = ("registration_body", "registration_number", "registration_expires_on")
# The checks the home organisation records, and the one the host records.
HOME_FIELDS = (*HOME_DATE_FIELDS, "dbs_level", *REGISTRATION_FIELDS)
HOST_FIELDS = ("local_induction_on",)
FIELD_NAMES = {
    "identity_checked_on": "date identity was checked",
    "right_to_work_checked_on": "date right to work was checked",
    "dbs_issued_on": "DBS certificate's issue date",
    "mandatory_training_on": "date mandatory training was completed",
    "occupational_health_cleared_on": "date of occupational health clearance",
    "indemnity_confirmed_on": "date indemnity was confirmed",
    "local_induction_on": "date of the local induction",
    "registration_expires_on": "registration expiry date",
}
MAX_VALID_FOR_DAYS = 3650
MAX_HOURS_PER_DAY = 24


def _lock(deployment: Deployment) -> tuple[Deployment, PreDeploymentChecks]:
    locked = (
        Deployment.objects.select_for_update(of=("self",))
        .select_related("home", "host", "offer__request")
        .get(pk=deployment.pk)
    )
    checks = PreDeploymentChecks.objects.select_for_update().filter(deployment=locked).first()
    if checks is None:
        checks = PreDeploymentChecks.objects.create(deployment=locked)
    return locked, checks


def _side(deployment: Deployment, membership: Membership) -> str:
    """ "home" or "host" for a member of either, with the capability; refused otherwise."""
    if membership.organisation_id == deployment.home_id:
        side = "home"
    elif membership.organisation_id == deployment.host_id:
        side = "host"
    else:
        raise PermissionDenied("Only the home and host organisations act on a deployment.")
    require(membership, Capability.MANAGE_PORTABILITY)
    return side


def _audit(deployment, actor, organisation, action, summary, **data):
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=deployment,
        action=f"deployment.{action}",
        summary=summary,
        data={"home_id": deployment.home_id, "host_id": deployment.host_id, **data},
    )


def registration_needed(deployment: Deployment) -> bool:
    return bool(deployment.offer.request.registration_needed)


def home_checks_complete(deployment: Deployment, checks: PreDeploymentChecks) -> bool:
    """Every check the home organisation records is recorded (registration when the
    request needed one or a registration was given)."""
    fields = [*HOME_DATE_FIELDS, "dbs_level"]
    if registration_needed(deployment) or checks.registration_body:
        fields += REGISTRATION_FIELDS
    return all(getattr(checks, name) not in (None, "") for name in fields)


def ready_to_start(deployment: Deployment, checks: PreDeploymentChecks) -> bool:
    return deployment.status == Status.CHECKS_COMPLETE and checks.local_induction_on is not None


def _validate_checks(deployment, values: dict, today: datetime.date) -> None:
    errors = {}
    for name in (*HOME_DATE_FIELDS, "local_induction_on"):
        day = values.get(name)
        if day is not None and day > today:
            errors[name] = f"The {FIELD_NAMES[name]} must be today or in the past"
    if values.get("dbs_level") not in ("", None, *PreDeploymentChecks.DbsLevel.values):
        errors["dbs_level"] = "Select the level of the DBS check"
    if values.get("dbs_issued_on") and not values.get("dbs_level"):
        errors["dbs_level"] = "Select the level of the DBS check"
    if values.get("dbs_level") and not values.get("dbs_issued_on"):
        errors["dbs_issued_on"] = "Enter the DBS certificate's issue date"
    if "registration_body" in values:
        body = values.get("registration_body") or ""
        if body not in RegistrationBody.values:
            errors["registration_body"] = "Select the professional registration body"
        needed = deployment.offer.request.registration_needed
        if needed and not body:
            errors["registration_body"] = (
                f"Select the registration body: this request needs registration with the "
                f"{RegistrationBody(needed).label}"
            )
        if body or needed:
            if not values.get("registration_number"):
                errors["registration_number"] = "Enter the registration number"
            if not values.get("registration_expires_on"):
                errors["registration_expires_on"] = "Enter the registration expiry date"
        expires_on = values.get("registration_expires_on")
        if expires_on is not None and expires_on < today:
            errors["registration_expires_on"] = (
                "The registration has expired: the registration expiry date must be today "
                "or in the future"
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def checks_record(
    *, deployment: Deployment, actor: User, membership: Membership, **fields
) -> PreDeploymentChecks:
    """Record the pre-deployment checks. The home organisation records its checks, the
    host only the local induction; a host changing a home check is refused. Once every
    home check is recorded a planned deployment becomes CHECKS_COMPLETE (and goes back to
    planned if a home check is cleared before it starts)."""
    unknown = set(fields) - set(HOME_FIELDS) - set(HOST_FIELDS)
    if unknown:
        raise ValueError(f"Not a check: {', '.join(sorted(unknown))}")
    locked, checks = _lock(deployment)
    side = _side(locked, membership)
    allowed = HOME_FIELDS if side == "home" else HOST_FIELDS
    refused = sorted(set(fields) - set(allowed))
    if refused:
        raise PermissionDenied(
            "Only the home organisation records its checks; the host records the local induction."
            if side == "host"
            else "Only the host records the local induction."
        )
    if locked.status == Status.RETURNED:
        raise ValidationError("The person has returned: the checks can no longer change.")
    if side == "home":
        # What is not given stays as recorded; the rules apply to the whole record.
        fields = {
            name: fields[name] if name in fields else getattr(checks, name) for name in HOME_FIELDS
        }
        for name in ("dbs_level", "registration_body", "registration_number"):
            fields[name] = (fields[name] or "").strip()
        if not fields["registration_body"]:
            fields["registration_number"] = ""
    _validate_checks(locked, fields, timezone.localdate())
    changed = {name: value for name, value in fields.items() if getattr(checks, name) != value}
    for name, value in changed.items():
        setattr(checks, name, value)
    if side == "home":
        checks.home_recorded_by = actor
    else:
        checks.induction_recorded_by = actor
    checks.save()
    organisation = locked.home if side == "home" else locked.host
    if changed:
        _audit(
            locked,
            actor,
            organisation,
            "checks_recorded" if side == "home" else "induction_recorded",
            f"{'Checks' if side == 'home' else 'Local induction'} recorded for a deployment "
            f"({locked.offer.job_title})",
            fields={
                name: value.isoformat() if hasattr(value, "isoformat") else value
                for name, value in changed.items()
            },
        )
    complete = home_checks_complete(locked, checks)
    if locked.status == Status.PLANNED and complete:
        locked.status = Status.CHECKS_COMPLETE
        locked.save(update_fields=["status", "updated_at"])
        _audit(
            locked,
            actor,
            organisation,
            "checks_complete",
            f"Checks complete for a deployment ({locked.offer.job_title})",
        )
    elif locked.status == Status.CHECKS_COMPLETE and not complete:
        locked.status = Status.PLANNED
        locked.save(update_fields=["status", "updated_at"])
    deployment.status = locked.status
    deployment.checks = checks
    return checks


@transaction.atomic
def deployment_start(
    *, deployment: Deployment, actor: User, membership: Membership, override_reason: str = ""
) -> Deployment:
    """The host starts the deployment. Refused until the checks are complete (every home
    check and the local induction), unless an admin of the host gives a reason to start
    anyway: the reason is kept on the deployment and written to the audit log."""
    locked, checks = _lock(deployment)
    if _side(locked, membership) != "host":
        raise PermissionDenied("Only the host starts a deployment.")
    if locked.status not in (Status.PLANNED, Status.CHECKS_COMPLETE):
        raise ValidationError(f"This deployment is already {locked.get_status_display().lower()}.")
    override_reason = " ".join((override_reason or "").split())
    overridden = False
    if not ready_to_start(locked, checks):
        if not override_reason:
            missing = []
            if locked.status != Status.CHECKS_COMPLETE:
                missing.append("the home organisation's checks")
            if checks.local_induction_on is None:
                missing.append("your local induction")
            raise ValidationError(
                {
                    "override_reason": "The checks are not complete (still to record: "
                    f"{' and '.join(missing)}). Only an admin can start it anyway, with a "
                    "reason."
                }
            )
        if not can(membership, Capability.SIGN_FRAMEWORK):
            raise PermissionDenied(
                "Only an admin of the host can start a deployment before its checks are complete."
            )
        overridden = True
        locked.override_reason = override_reason
        locked.override_by = actor
    locked.status = Status.ACTIVE
    locked.started_at = timezone.now()
    locked.started_by = actor
    locked.save()
    if overridden:
        _audit(
            locked,
            actor,
            locked.host,
            "start_override",
            f"Started a deployment ({locked.offer.job_title}) before the checks were complete",
            reason=override_reason,
        )
    _audit(
        locked, actor, locked.host, "started", f"Started a deployment ({locked.offer.job_title})"
    )
    for recipient, role in _home_contacts(locked.home):
        emails.email_deployment_started(deployment=locked, recipient=recipient, role=role)
    return locked


@transaction.atomic
def deployment_return(
    *,
    deployment: Deployment,
    actor: User,
    membership: Membership,
    days_worked: int,
    hours_worked: Decimal,
    recharge_amount: Decimal,
    feedback: str,
) -> Deployment:
    """The host records the person's return: days and hours worked, the recharge due to
    the home organisation, and its feedback. The home organisation hears by email."""
    locked, _ = _lock(deployment)
    if _side(locked, membership) != "host":
        raise PermissionDenied("Only the host records the return.")
    if locked.status != Status.ACTIVE:
        raise ValidationError("Only an active deployment can end with a return.")
    from portability.selectors.deployments import calendar_days

    days = calendar_days(locked)
    errors = {}
    if days_worked is None or days_worked < 0:
        errors["days_worked"] = "Enter the days worked, 0 or more"
    elif days_worked > days:
        errors["days_worked"] = f"The days worked must be {days} or fewer: the deployment's days"
    if hours_worked is None or hours_worked < 0:
        errors["hours_worked"] = "Enter the hours worked, 0 or more"
    elif days_worked is not None and hours_worked > max(days_worked, 0) * MAX_HOURS_PER_DAY:
        errors["hours_worked"] = "The hours worked cannot be more than 24 a day worked"
    if recharge_amount is None or recharge_amount < 0:
        errors["recharge_amount"] = "Enter the recharge due, £0 or more"
    feedback = (feedback or "").strip()
    if not feedback:
        errors["feedback"] = "Enter your feedback on the deployment"
    if errors:
        raise ValidationError(errors)
    locked.status = Status.RETURNED
    locked.returned_at = timezone.now()
    locked.days_worked = days_worked
    locked.hours_worked = hours_worked
    locked.recharge_amount = recharge_amount
    locked.host_feedback = feedback
    locked.save()
    _audit(
        locked,
        actor,
        locked.host,
        "returned",
        f"A deployment ({locked.offer.job_title}) returned after {days_worked} days",
        days_worked=days_worked,
        hours_worked=str(hours_worked),
        recharge_amount=str(recharge_amount),
    )
    for recipient, role in _home_contacts(locked.home):
        emails.email_deployment_returned(deployment=locked, recipient=recipient, role=role)
    return locked


@transaction.atomic
def deployment_home_feedback(
    *, deployment: Deployment, actor: User, membership: Membership, feedback: str
) -> Deployment:
    """The home organisation adds its feedback once the person has returned."""
    locked, _ = _lock(deployment)
    if _side(locked, membership) != "home":
        raise PermissionDenied("Only the home organisation adds the home's feedback.")
    if locked.status != Status.RETURNED:
        raise ValidationError("You can add feedback once the host has recorded the return.")
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": "Enter your feedback on the deployment"})
    locked.home_feedback = feedback
    locked.save(update_fields=["home_feedback", "updated_at"])
    _audit(locked, actor, locked.home, "home_feedback", "Home organisation's feedback added")
    return locked


def _home_contacts(home: Organisation) -> list[tuple[User, str]]:
    """The home organisation's current lead and deputy (none when it has withdrawn)."""
    signature = (
        Signatory.objects.current().filter(organisation=home).select_related("lead", "deputy")
    ).first()
    if signature is None:
        return []
    return [(signature.lead, "lead"), (signature.deputy, "deputy")]


# Check acceptance ----------------------------------------------------------------------


@transaction.atomic
def check_acceptance_set(
    *,
    organisation: Organisation,
    provider: Organisation,
    actor: User,
    membership: Membership,
    acceptances: dict[str, tuple[bool, int | None]],
) -> list[CheckAcceptance]:
    """State, for each kind of check, whether the organisation accepts the provider's
    check as it is and for how many days after it was done (None: no limit). Only an
    admin of a current signatory, about another current signatory."""
    if membership.organisation_id != organisation.pk:
        raise PermissionDenied("You act for another organisation.")
    require(membership, Capability.SIGN_FRAMEWORK)
    signed = set(
        Signatory.objects.current()
        .filter(organisation__in=[organisation, provider])
        .values_list("organisation_id", flat=True)
    )
    if organisation.pk not in signed:
        raise ValidationError("Only a signatory of the framework states which checks it accepts.")
    if provider.pk == organisation.pk or provider.pk not in signed:
        raise ValidationError("You can only accept the checks of another current signatory.")
    errors = {}
    for kind, (_accepted, days) in acceptances.items():
        if kind not in CheckAcceptance.Check.values:
            raise ValueError(f"Not a check: {kind}")
        if days is not None and not 1 <= days <= MAX_VALID_FOR_DAYS:
            errors[f"{kind}_days"] = f"Enter a number of days from 1 to {MAX_VALID_FOR_DAYS}"
    if errors:
        raise ValidationError(errors)
    existing = {
        row.check_kind: row
        for row in CheckAcceptance.objects.select_for_update().filter(
            organisation=organisation, provider=provider
        )
    }
    saved, changes = [], {}
    for kind, (accepted, days) in acceptances.items():
        days = days if accepted else None
        row = existing.get(kind) or CheckAcceptance(
            organisation=organisation, provider=provider, check_kind=kind
        )
        if row.pk is None or (row.accepted, row.valid_for_days) != (accepted, days):
            row.accepted, row.valid_for_days, row.updated_by = accepted, days, actor
            row.save()
            changes[kind] = {"accepted": accepted, "valid_for_days": days}
        saved.append(row)
    if changes:
        audit_record(
            actor=actor,
            organisation=organisation,
            obj=provider,
            action="check_acceptance.updated",
            summary=f"Changed which of {provider}'s checks are accepted",
            data={"provider_id": provider.pk, "changes": changes},
        )
    return saved


# End reminders ---------------------------------------------------------------------------

END_REMINDER_DAYS = 3
END_REMINDER_ACTION = "deployment.end_reminder_sent"


def deployments_due_end_reminder(today: datetime.date):
    """Active deployments ending within `END_REMINDER_DAYS` days of `today` whose leads
    have not yet been reminded of this end date. Deployment has no reminder field: the
    audit event written with the reminder marks it, keyed by the end date."""
    reminded = AuditEvent.objects.alias(reminded_ends_on=KT("data__ends_on")).filter(
        action=END_REMINDER_ACTION,
        object_type=Deployment._meta.label_lower,
        object_id=Cast(OuterRef("pk"), CharField()),
        reminded_ends_on=Cast(OuterRef("ends_on"), CharField()),
    )
    return Deployment.objects.filter(
        status=Status.ACTIVE,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=END_REMINDER_DAYS),
    ).exclude(Exists(reminded))


def deployment_end_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell the home and host organisations' framework leads and deputies that an active
    deployment ends within three days, so the return is arranged: once per deployment and
    end date. Each deployment is locked in its own transaction and marked by the audit
    event, so two runs never send twice. Returns how many deployments were reminded."""
    today = today or timezone.localdate()
    sent = 0
    for deployment_id in list(deployments_due_end_reminder(today).values_list("pk", flat=True)):
        with transaction.atomic():
            locked = (
                deployments_due_end_reminder(today)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("home", "host", "offer")
                .filter(pk=deployment_id)
                .first()
            )
            if locked is None:
                continue
            for organisation in (locked.home, locked.host):
                for recipient, role in _home_contacts(organisation):
                    emails.email_deployment_ending(
                        deployment=locked, recipient=recipient, role=role, organisation=organisation
                    )
            _audit(
                locked,
                None,
                locked.host,
                "end_reminder_sent",
                f"Reminded both organisations that a deployment ({locked.offer.job_title}) "
                f"ends on {locked.ends_on:%d %B %Y}",
                ends_on=locked.ends_on.isoformat(),
            )
            sent += 1
    return sent
