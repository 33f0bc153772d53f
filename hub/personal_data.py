"""What the hub holds about a person, for their data download (hub.data_rights): the
account, memberships, invitations to join organisations, what they did on the portal and
the emails sent to them. Erasing the account itself is hub.data_rights.account_erase;
here are the reasons it may refuse. Imported by HubConfig.ready()."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models.functions import Lower
from django.utils.text import get_text_list

from hub.data_rights import (
    Section,
    account_emails,
    confirmed_emails,
    erasure_refusal,
    personal_data,
)
from hub.models import AuditEvent, Invitation, Membership, OutboundEmail, User


@personal_data("account")
def account(user: User) -> Section:
    return Section(
        {
            "email": user.email,
            "name": user.name,
            "joined": user.date_joined,
            "last_signed_in": user.last_login,
            "hub_admin": user.is_staff,
            "email_addresses": [
                {"email": address.email, "confirmed": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            # Which methods and when, never their secrets or recovery codes.
            "two_factor_authentication": [
                {
                    "method": authenticator.get_type_display(),
                    "set_up": authenticator.created_at,
                    "last_used": authenticator.last_used_at,
                }
                for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
            ],
        }
    )


@personal_data("memberships")
def memberships(user: User) -> Section:
    return Section(
        [
            {
                "organisation": membership.organisation.name,
                "role": membership.get_role_display(),
                "since": membership.created_at,
            }
            for membership in Membership.objects.filter(user=user).select_related("organisation")
        ]
    )


@personal_data("organisation_invitations")
def organisation_invitations(user: User) -> Section:
    """Invitations to join a partner, sent to one of their confirmed addresses."""
    invitations = (
        Invitation.objects.alias(email_lower=Lower("email"))
        .filter(email_lower__in=confirmed_emails(user))
        .select_related("organisation")
    )
    return Section(
        [
            {
                "organisation": invitation.organisation.name,
                "email": invitation.email,
                "role": invitation.get_role_display(),
                "sent": invitation.created_at,
                "expires": invitation.expires_at,
                "accepted": invitation.accepted_at,
                "revoked": invitation.revoked_at,
            }
            for invitation in invitations
        ]
    )


@personal_data("activity")
def activity(user: User) -> Section:
    """What the audit log says they did, newest first."""
    events = AuditEvent.objects.filter(actor=user).select_related("organisation")
    return Section(
        [
            {
                "at": event.created_at,
                "action": event.action,
                "summary": event.summary,
                "organisation": event.organisation.name if event.organisation else None,
            }
            for event in events
        ]
    )


@personal_data("emails_sent_to_you")
def emails_sent(user: User) -> Section:
    emails = (
        OutboundEmail.objects.alias(to_lower=Lower("to"))
        .filter(to_lower__in=account_emails(user))
        .only("to", "subject", "created_at", "sent_at", "status")
    )
    return Section(
        [
            {
                "to": email.to,
                "subject": email.subject,
                "written": email.created_at,
                "sent": email.sent_at,
                "status": email.get_status_display(),
            }
            for email in emails
        ]
    )


@erasure_refusal
def works_for_a_partner(user: User) -> str | None:
    names = list(
        Membership.objects.filter(user=user)
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )
    if not names:
        return None
    return (
        f"You are a member of staff at {get_text_list(names, 'and')}. An organisation knows "
        "its staff as employees, not only as candidates, so ask your organisation's admin "
        "to remove you from Workforce Hub first; then you can erase your account here."
    )


@erasure_refusal
def runs_the_hub(user: User) -> str | None:
    if not (user.is_staff or user.is_superuser):
        return None
    return (
        "You are a hub admin. Ask another hub admin to take away your admin access; then "
        "you can erase your account here."
    )
