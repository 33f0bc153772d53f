"""Request-wide rules: no caching of personal pages, session lifetime, the acting
organisation, mandatory two-factor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from hub.access import ACTING_ORGANISATION_SESSION_KEY, memberships_for, needs_two_factor

# Pages that look the same to every visitor who is not signed in, and so may be kept by
# browsers and shared caches. Every other response is marked no-store.
PUBLIC_PAGES = frozenset(
    {
        "hub:home",
        "jobs:search",
        "jobs:feed",
        "jobs:detail",
        "jobs:detail_short",
        "bookings:trial_shifts",
        "pathways:pathway_list",
        "pathways:pathway",
        "campaign_public:campaign",
        "campaign_public:code_entry",
        "campaign_public:event_list",
        "campaign_public:event",
        "campaign_public:event_ics",
    }
)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response except a public page read by someone
    signed out, so that no browser or proxy keeps a copy of a page with personal data on
    it (the Back button after signing out, a shared computer, a caching proxy). Pages
    are public by name: a new page is private until it is added to PUBLIC_PAGES. A
    response whose view already said no-store keeps its own header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_public(request) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


def _is_public(request) -> bool:
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and match is not None
        and match.view_name in PUBLIC_PAGES
        and not request.user.is_authenticated
    )


SESSION_STARTED_KEY = "session_started_at"
SESSION_RENEWED_KEY = "session_renewed_at"
# A session's expiry moves on at most this often: saving it on every request would cost
# three queries a page for nothing.
SESSION_RENEW_EVERY_SECONDS = 60


class SessionLifetimeMiddleware:
    """End a signed-in session after its absolute lifetime, however active it is. The
    inactivity limit is the session's age (SESSION_COOKIE_AGE), renewed by activity at
    most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                logout(request)
                messages.info(request, "Your session has ended. Please sign in again.")
                return redirect_to_login(request.path)
            if now - request.session.get(SESSION_RENEWED_KEY, 0) > SESSION_RENEW_EVERY_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now
        return self.get_response(request)


def _acting_membership(request):
    if not request.memberships:
        return None
    chosen = request.session.get(ACTING_ORGANISATION_SESSION_KEY)
    for membership in request.memberships:
        if membership.organisation_id == chosen:
            return membership
    return request.memberships[0]


class ActingOrganisationMiddleware:
    """`request.memberships` (every organisation a person acts for) and
    `request.acting_membership` (the one they act for now, remembered in the session),
    loaded in one query and only when something asks for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = SimpleLazyObject(lambda: list(memberships_for(request.user)))
        request.acting_membership = SimpleLazyObject(lambda: _acting_membership(request))
        return self.get_response(request)


# Pages a person who still has to set up two-factor may reach.
TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/health/", "/invitations/")


# The session notes that its person has an authenticator, so every page need not ask the
# database again. Staff cannot remove theirs; one removed in the Django admin is missed
# until that person's session ends (SESSION_MAX_HOURS at most).
TWO_FACTOR_SET_UP = "hub_two_factor_set_up"


def _has_authenticator(request) -> bool:
    if request.session.get(TWO_FACTOR_SET_UP) == request.user.pk:
        return True
    if request.user.authenticator_set.filter(type="totp").exists():
        request.session[TWO_FACTOR_SET_UP] = request.user.pk
        return True
    return False


class RequireTwoFactorMiddleware:
    """Send hub admins and partner members without an authenticator to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and needs_two_factor(request.user, request.memberships)
            and not _has_authenticator(request)
        ):
            messages.warning(
                request,
                "Partner staff and hub admins must set up two-factor authentication "
                "before continuing.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
