import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand

from hub.demo import DEMO_PASSWORD, PEOPLE
from hub.models import User


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


class Command(BaseCommand):
    help = "Print the demo sign-ins with each person's current two-factor code."

    def handle(self, *args, **options):
        out = self.stdout.write
        out("")
        out(f"Demo sign-ins (password for everyone: {DEMO_PASSWORD})")
        out("Two-factor: add the secret to an authenticator app, type the current code shown")
        out("(valid about 30 seconds; `make codes` prints fresh ones), or use a recovery code.")
        out("")
        users = User.objects.filter(email__in=[p[0] for p in PEOPLE]).prefetch_related(
            "authenticator_set"
        )
        by_email = {user.email: user for user in users}
        for email, _name, _admin, _roles, what in PEOPLE:
            user = by_email.get(email)
            if user is None:
                continue
            out(f"  {email:<28} {what}")
            authenticators = {a.type: a for a in user.authenticator_set.all()}
            totp = authenticators.get(Authenticator.Type.TOTP)
            if totp:
                secret = decrypt(totp.data["secret"])
                out(f"  {'':<28} TOTP secret {secret}, current code {current_code(secret)}")
            recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
            if recovery:
                codes = RecoveryCodes(recovery).get_unused_codes()[:3]
                out(f"  {'':<28} recovery codes {' '.join(codes)}")
        out("")
