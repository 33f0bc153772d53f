"""Every email the hub sends, each a named function going through the outbox."""

from django.urls import reverse

from hub.models import Invitation, OutboundEmail
from hub.outbox import outbox_send_template


def email_invitation(*, invitation: Invitation, token: str) -> OutboundEmail:
    return outbox_send_template(
        template="invitation",
        to=invitation.email,
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "invited_by": invitation.invited_by,
            "accept_path": reverse("hub:invitation_accept", kwargs={"token": token}),
        },
    )


def email_account_erased(*, email: str, done: list[str]) -> OutboundEmail:
    """To the address of an account just erased: what was done. Written before the
    account is deleted, so it names no one and holds nothing else about them."""
    return outbox_send_template(template="account_erased", to=email, context={"done": done})
