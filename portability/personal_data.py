"""What the Staff Portability Framework holds about a person, for their data download
(hub.data_rights). Imported by PortabilityConfig.ready().

Offers of staff name the person by email, not by account: an offer under one of their
confirmed addresses is theirs, with its deployment and pre-deployment checks. Erasing the
account leaves these: they are the employing organisations' records of their staff,
kept under those organisations' own retention. A framework lead or deputy cannot erase
their account while named."""

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import get_text_list

from hub.data_rights import Section, confirmed_emails, erasure_refusal, personal_data
from hub.models import User
from portability.models import Deployment, PreDeploymentChecks, Signatory, StaffOffer


def _checks(deployment: Deployment) -> dict | None:
    try:
        checks = deployment.checks
    except PreDeploymentChecks.DoesNotExist:
        return None
    return {
        "identity_checked_on": checks.identity_checked_on,
        "right_to_work_checked_on": checks.right_to_work_checked_on,
        "dbs_level": checks.get_dbs_level_display(),
        "dbs_issued_on": checks.dbs_issued_on,
        "registration_body": checks.get_registration_body_display(),
        "registration_number": checks.registration_number,
        "registration_expires_on": checks.registration_expires_on,
        "mandatory_training_on": checks.mandatory_training_on,
        "occupational_health_cleared_on": checks.occupational_health_cleared_on,
        "indemnity_confirmed_on": checks.indemnity_confirmed_on,
        "local_induction_on": checks.local_induction_on,
    }


def _deployment(offer: StaffOffer) -> dict | None:
    try:
        deployment = offer.deployment
    except Deployment.DoesNotExist:
        return None
    return {
        "host": deployment.host.name,
        "status": deployment.get_status_display(),
        "starts_on": deployment.starts_on,
        "ends_on": deployment.ends_on,
        "started": deployment.started_at,
        "returned": deployment.returned_at,
        "days_worked": deployment.days_worked,
        "hours_worked": deployment.hours_worked,
        "home_feedback": deployment.home_feedback,
        "host_feedback": deployment.host_feedback,
        "checks": _checks(deployment),
    }


@personal_data("staff_portability")
def staff_portability(user: User) -> Section:
    """Each time their employer offered them to another partner under the framework."""
    offers = (
        StaffOffer.objects.alias(email_lower=Lower("staff_email"))
        .filter(email_lower__in=confirmed_emails(user))
        .select_related(
            "organisation",
            "request__mobilisation__organisation",
            "deployment__host",
            "deployment__checks",
        )
        .order_by("created_at")
    )
    return Section(
        [
            {
                "offered_by": offer.organisation.name,
                "to": offer.request.mobilisation.organisation.name,
                "role_requested": offer.request.role,
                "name": offer.staff_name,
                "email": offer.staff_email,
                "job_title": offer.job_title,
                "registration_body": offer.get_registration_body_display(),
                "registration_number": offer.registration_number,
                "you_agreed_on": offer.staff_agreed_on,
                "status": offer.get_status_display(),
                "decided": offer.decided_at,
                "reason_declined": offer.decline_reason,
                "deployment": _deployment(offer),
            }
            for offer in offers
        ]
    )


@erasure_refusal
def leads_the_framework(user: User) -> str | None:
    named = Signatory.objects.filter(Q(lead=user) | Q(deputy=user)).select_related("organisation")
    names = sorted({signatory.organisation.name for signatory in named})
    if not names:
        return None
    return (
        "You are named as the Staff Portability Framework lead or deputy of "
        f"{get_text_list(names, 'and')}. Ask the organisation's admin to name someone else "
        "first; then you can erase your account here."
    )
