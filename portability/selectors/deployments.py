"""Reads for deployments: where an organisation's people are ("our people out"), whom it
has from others ("people with us"), one deployment for its home or host only, each
signatory's acceptance of other signatories' checks, and the gaps a host must still
close itself before someone starts."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from hub.models import Membership, Organisation
from portability.models import (
    CheckAcceptance,
    DbsLevel,
    Deployment,
    PreDeploymentChecks,
    Signatory,
)

Check = CheckAcceptance.Check

# The date on the checks that each kind of check is judged by.
CHECK_DATE_FIELDS = {
    Check.IDENTITY: "identity_checked_on",
    Check.RIGHT_TO_WORK: "right_to_work_checked_on",
    Check.DBS: "dbs_issued_on",
    Check.REGISTRATION: "registration_expires_on",
    Check.MANDATORY_TRAINING: "mandatory_training_on",
    Check.OCCUPATIONAL_HEALTH: "occupational_health_cleared_on",
    Check.INDEMNITY: "indemnity_confirmed_on",
}


def _deployments() -> QuerySet[Deployment]:
    return Deployment.objects.select_related(
        "home", "host", "offer__request__mobilisation", "offer__request__staff_group"
    )


def deployments_out(organisation: Organisation) -> QuerySet[Deployment]:
    """The organisation's own people deployed elsewhere (it is home)."""
    return _deployments().filter(home=organisation).order_by("-starts_on", "created_at")


def deployments_in(organisation: Organisation) -> QuerySet[Deployment]:
    """People from other organisations deployed to it (it is host)."""
    return _deployments().filter(host=organisation).order_by("-starts_on", "created_at")


def deployment_for(membership: Membership, deployment_id) -> Deployment:
    """One deployment, checks loaded, for its home or its host; 404 for anyone else."""
    organisation_id = membership.organisation_id
    deployment = (
        _deployments()
        .select_related("checks", "started_by", "override_by")
        .filter(pk=deployment_id)
        .first()
    )
    if deployment is None or organisation_id not in (deployment.home_id, deployment.host_id):
        raise Http404("No such deployment")
    return deployment


def checks_of(deployment: Deployment) -> PreDeploymentChecks:
    """The deployment's checks, or an empty unsaved row when none was made yet (the
    first `checks_record` saves it)."""
    try:
        return deployment.checks
    except PreDeploymentChecks.DoesNotExist:
        return PreDeploymentChecks(deployment=deployment)


def calendar_days(deployment: Deployment) -> int:
    """Days from the first to the last day of the deployment, both counted."""
    return (deployment.ends_on - deployment.starts_on).days + 1


# Check acceptance ----------------------------------------------------------------------


def other_signatories(organisation: Organisation) -> QuerySet[Signatory]:
    """Every current signatory but the organisation itself, organisation loaded."""
    return (
        Signatory.objects.current()
        .exclude(organisation=organisation)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def acceptances_by_provider(organisation: Organisation) -> dict[int, dict[str, CheckAcceptance]]:
    """{provider id: {check kind: acceptance}} for every check the organisation has
    stated an acceptance on, in one query."""
    found: dict[int, dict[str, CheckAcceptance]] = {}
    for row in CheckAcceptance.objects.filter(organisation=organisation):
        found.setdefault(row.provider_id, {})[row.check_kind] = row
    return found


def acceptances_of(
    organisation: Organisation, provider: Organisation
) -> dict[str, CheckAcceptance]:
    return {
        row.check_kind: row
        for row in CheckAcceptance.objects.filter(organisation=organisation, provider=provider)
    }


def provider_for(organisation: Organisation, provider_slug: str) -> Organisation:
    """Another current signatory, by slug; 404 for the organisation itself or anyone
    who has not signed."""
    signature = other_signatories(organisation).filter(organisation__slug=provider_slug).first()
    if signature is None:
        raise Http404("No such signatory")
    return signature.organisation


# Gaps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckStatus:
    """One check on a deployment as the host sees it: accepted as it is (with the date
    the acceptance runs out), or a gap the host must close itself, and why."""

    check: str
    label: str
    accepted: bool
    reason: str = ""
    done_on: datetime.date | None = None
    expires_on: datetime.date | None = None

    @property
    def is_gap(self) -> bool:
        return not self.accepted


# A gap is a check the host cannot accept as it is.
Gap = CheckStatus


def _format(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _status(
    kind: str,
    checks: PreDeploymentChecks,
    acceptance: CheckAcceptance | None,
    today: datetime.date,
    dbs_level_needed: str = "",
) -> CheckStatus:
    label = Check(kind).label
    recorded = getattr(checks, CHECK_DATE_FIELDS[kind])

    def gap(reason, **dates):
        return CheckStatus(kind, label, False, reason, **dates)

    if acceptance is None or not acceptance.accepted:
        return gap(f"You do not accept the home organisation's {label.lower()} check.")
    if recorded is None:
        return gap("The home organisation has not recorded this check yet.")
    if kind == Check.DBS and not DbsLevel.covers(checks.dbs_level, dbs_level_needed):
        return gap(
            f"The DBS is at {checks.get_dbs_level_display() or 'an unknown'} level; this role "
            f"needs {DbsLevel(dbs_level_needed).label}.",
            done_on=recorded,
        )
    if kind == Check.REGISTRATION:
        if recorded < today:
            return gap(f"The registration expired on {_format(recorded)}.", expires_on=recorded)
        return CheckStatus(kind, label, True, expires_on=recorded)
    if acceptance.valid_for_days is None:
        return CheckStatus(kind, label, True, done_on=recorded)
    expires_on = recorded + datetime.timedelta(days=acceptance.valid_for_days)
    if expires_on < today:
        return gap(
            f"Too old: done on {_format(recorded)}, and you accept it for "
            f"{acceptance.valid_for_days} days.",
            done_on=recorded,
            expires_on=expires_on,
        )
    return CheckStatus(kind, label, True, done_on=recorded, expires_on=expires_on)


def check_statuses(deployment: Deployment) -> list[CheckStatus]:
    """Every check of the deployment as its host sees it, judged on its first day (or
    today, once it has begun) against the host's acceptance of the home organisation's
    checks (one query, with the checks already loaded). Professional registration is left
    out when the request needed none and none was recorded."""
    checks = checks_of(deployment)
    acceptances = {
        row.check_kind: row
        for row in CheckAcceptance.objects.filter(
            organisation_id=deployment.host_id, provider_id=deployment.home_id
        )
    }
    needs_registration = bool(deployment.offer.request.registration_needed)
    # A deployment still to come is judged on its first day: a check that runs out
    # before then is already a gap.
    today = max(timezone.localdate(), deployment.starts_on)
    statuses = []
    for kind in Check.values:
        if kind == Check.REGISTRATION and not (needs_registration or checks.registration_body):
            continue
        statuses.append(
            _status(
                kind,
                checks,
                acceptances.get(kind),
                today,
                deployment.offer.request.dbs_level_needed,
            )
        )
    return statuses


def check_gaps(deployment: Deployment) -> list[Gap]:
    """The checks the host must close itself before the person starts."""
    return [status for status in check_statuses(deployment) if status.is_gap]
