"""The candidate's side of the shared talent pool, under /me/ (namespace
"pool_candidate"): joining with consent (also from the offer in a rejection email,
`?from=rejection`), changing the profile, leaving (and deleting it), and invitations to
apply from partners. Every page is the signed-in candidate's own; another person's
invitation is "not found"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.forms import add_service_errors, posted_data
from talent.forms.pool import LeavePoolForm, PoolProfileForm
from talent.selectors import pool as selectors
from talent.services import pool as services

FROM_REJECTION = "rejection"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    saved = selectors.candidate_pool_profile(request.user)
    in_pool = saved is not None and saved.is_in_pool
    from_rejection = request.GET.get("from") == FROM_REJECTION
    form = PoolProfileForm(
        posted_data(request),
        joining=not in_pool,
        initial=PoolProfileForm.initial_from(saved) if saved else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_profile_save(
                user=request.user, from_rejection=from_rejection, **form.profile_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your profile was saved. Partner organisations can see it in the talent pool."
                if in_pool
                else "You have joined the talent pool. Partner organisations can now find "
                "your profile and invite you to apply for their jobs.",
            )
            return redirect("pool_candidate:profile")
    action = reverse("pool_candidate:profile")
    context = {
        "form": form,
        "profile": saved,
        "in_pool": in_pool,
        "from_rejection": from_rejection,
        "action": f"{action}?from={FROM_REJECTION}" if from_rejection else action,
    }
    return render(request, "talent/pool/candidate_profile.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def leave(request):
    saved = selectors.candidate_pool_profile(request.user)
    if saved is None:
        messages.info(request, "You are not in the talent pool.")
        return redirect("pool_candidate:profile")
    form = LeavePoolForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["delete_profile"]:
            services.pool_profile_delete(profile=saved, actor=request.user)
            messages.success(request, "You have left the talent pool and your profile was deleted.")
        else:
            services.pool_consent_withdraw(profile=saved, actor=request.user)
            messages.success(
                request,
                "You have left the talent pool. No partner organisation can see your profile "
                "any more. We kept it so that you can rejoin when you want to.",
            )
        return redirect("pool_candidate:profile")
    context = {"form": form, "profile": saved}
    return render(request, "talent/pool/candidate_leave.html", context)


@never_cache
@login_required
@require_GET
def invitations(request):
    listed = selectors.candidate_invitations(request.user)
    if any(invitation.is_new for invitation in listed):
        services.pool_invitations_mark_seen(user=request.user)
    return render(request, "talent/pool/candidate_invitations.html", {"invitations": listed})


@login_required
@require_POST
def invitation_decline(request, invitation_id):
    invitation = selectors.candidate_invitation(request.user, invitation_id)
    services.pool_invitation_decline(invitation=invitation, actor=request.user)
    messages.success(
        request,
        f"You said you are not interested in {invitation.vacancy.title}. "
        f"{invitation.organisation.name} can see this.",
    )
    return redirect("pool_candidate:invitations")
