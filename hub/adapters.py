"""allauth adapters: route every account email through the outbox, and keep two-factor
switched on for the people who must have it."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from hub.access import needs_two_factor
from hub.outbox import outbox_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            "",
        )
        outbox_enqueue(
            kind=template_prefix.rsplit("/", 1)[-1],
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and needs_two_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
