"""Views of the hub: public home, health, the signed-in person's organisations, and an
organisation admin's profile, colleagues and invitations."""

import copy

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.celery_app import app as celery_app
from hub import selectors, services
from hub.access import (
    ACTING_ORGANISATION_SESSION_KEY,
    Capability,
    get_for_membership,
    organisation_view,
)
from hub.forms import (
    AcceptInvitationNewAccountForm,
    InvitationForm,
    MembershipRoleForm,
    OrganisationProfileForm,
    SwitchOrganisationForm,
    add_service_errors,
)
from hub.models import Invitation, Membership, User


def home(request):
    return render(request, "hub/home.html", {"organisations": selectors.organisations_public()})


@require_GET
@never_cache
def health(request):
    """Database, broker and workers, for load balancers and people on call."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = {"ok": True}
    except Exception as exc:
        checks["broker"] = {"ok": False, "error": type(exc).__name__}
    if checks["broker"]["ok"]:
        try:
            replies = celery_app.control.ping(timeout=1.0) or []
        except Exception:
            replies = []
        checks["workers"] = {"ok": bool(replies), "count": len(replies)}
    else:
        checks["workers"] = {"ok": False, "count": 0}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@login_required
def dashboard(request):
    """Where signing in lands: the acting organisation's overview, or the person's account."""
    if request.acting_membership:
        return redirect(request.acting_membership.organisation)
    return render(request, "hub/account.html")


@login_required
def switch_organisation(request):
    memberships = request.memberships
    if not memberships:
        raise Http404("You are not a member of any organisation")
    form = SwitchOrganisationForm(
        request.POST or None,
        memberships=memberships,
        initial={"organisation": request.acting_membership.organisation.slug},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(
            m for m in memberships if m.organisation.slug == form.cleaned_data["organisation"]
        )
        request.session[ACTING_ORGANISATION_SESSION_KEY] = chosen.organisation_id
        messages.success(request, f"You are now acting for {chosen.organisation.name}.")
        return redirect(chosen.organisation)
    return render(request, "hub/switch_organisation.html", {"form": form})


@organisation_view()
def organisation_dashboard(request):
    context = {"summary": selectors.organisation_summary(request.membership)}
    return render(request, "hub/organisation_dashboard.html", context)


@organisation_view(Capability.EDIT_ORGANISATION)
def organisation_profile(request):
    organisation = request.organisation
    # The form writes what was typed onto its instance even when invalid; a copy keeps
    # the header and navigation showing the saved name until the service saves.
    form = OrganisationProfileForm(
        request.POST or None, request.FILES or None, instance=copy.copy(organisation)
    )
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.organisation_update(organisation=organisation, actor=request.user, **changes)
        except ValidationError as error:
            organisation.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, "The organisation's profile was saved.")
            return redirect("hub:organisation_profile", org_slug=organisation.slug)
    return render(request, "hub/organisation_profile.html", {"form": form})


@organisation_view(Capability.MANAGE_MEMBERS)
def members(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=request.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"An invitation was sent to {invitation.email}.")
            return redirect("hub:members", org_slug=request.organisation.slug)
    context = {
        "form": form,
        "members": selectors.organisation_members(request.membership),
        "invitations": selectors.organisation_pending_invitations(request.membership),
        "roles": Membership.Role.choices,
    }
    return render(request, "hub/members.html", context)


def _colleague(request, membership_id) -> Membership:
    """A membership of the acting organisation, or 404."""
    return get_for_membership(
        Membership.objects.select_related("user", "organisation"),
        request.membership,
        pk=membership_id,
    )


@require_POST
@organisation_view(Capability.MANAGE_MEMBERS)
def member_change_role(request, membership_id):
    membership = _colleague(request, membership_id)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role from the list.")
    else:
        try:
            services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return redirect("hub:members", org_slug=request.organisation.slug)


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.MANAGE_MEMBERS)
def member_remove(request, membership_id):
    """GET asks to confirm; POST removes."""
    membership = _colleague(request, membership_id)
    if request.method == "GET":
        context = {"membership": membership, "person": membership.user}
        return render(request, "hub/member_remove.html", context)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("hub:members", org_slug=request.organisation.slug)
    messages.success(request, f"{membership.user} was removed from the organisation.")
    if membership.user_id == request.user.pk:
        return redirect("hub:dashboard")
    return redirect("hub:members", org_slug=request.organisation.slug)


@require_POST
@organisation_view(Capability.MANAGE_MEMBERS)
def invitation_revoke(request, invitation_id):
    invitation = get_for_membership(
        Invitation.objects.select_related("organisation"), request.membership, pk=invitation_id
    )
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("hub:members", org_slug=request.organisation.slug)


@never_cache
def invitation_accept(request, token):
    """One page for every case: signed in as the invitee, signed in as someone else,
    an existing account that must sign in first, or a new person creating an account."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("No such invitation")
    context = {"invitation": invitation}
    if not invitation.is_open:
        return render(request, "hub/invitation_closed.html", context, status=410)

    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "hub/invitation_wrong_account.html", context, status=403)
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            request.session[ACTING_ORGANISATION_SESSION_KEY] = invitation.organisation_id
            messages.success(request, f"You have joined {invitation.organisation.name}.")
            return redirect(invitation.organisation)
        return render(request, "hub/invitation_accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "hub/invitation_sign_in.html", context)

    form = AcceptInvitationNewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.invitation_accept_new_account(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[ACTING_ORGANISATION_SESSION_KEY] = invitation.organisation_id
            messages.success(
                request,
                f"Welcome to {invitation.organisation.name}. Set up two-factor "
                "authentication to finish.",
            )
            # They have just typed their new password: a fresh proof that it is them,
            # so setting up two-factor straight away needs no second password prompt.
            record_authentication(
                request, new_user, method="password", email=new_user.email, reauthenticated=True
            )
            return perform_login(request, new_user, redirect_url=reverse("mfa_activate_totp"))
    context["form"] = form
    return render(request, "hub/invitation_new_account.html", context)
